use super::Checker;

rule! {
    /// ## What it does
    /// Flags `sudo` in a `RUN` instruction, whether it runs a command
    /// (`sudo apt-get install ...`) or is called on its own.
    ///
    /// The same check runs on each build step an image's history recorded
    /// (`shipshape image`); IM008, its former image twin, is an alias.
    ///
    /// ## Why is this bad?
    /// `RUN` already runs as the user set by the last `USER` instruction, so
    /// `sudo` is never needed to gain privileges during a build. Using it means
    /// `sudo` is installed and configured in the image, which hands any process
    /// running as the unprivileged user a way to become root, and its TTY and
    /// signal handling behave badly in containers. Switch users with `USER`
    /// instead, and use `gosu` or `su-exec` for dropping privileges at run time.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// USER app
    /// RUN sudo apt-get update
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// USER root
    /// RUN apt-get update
    /// USER app
    /// ```
    ///
    /// ## References
    /// - hadolint DL3004, trivy DS-0010, dockle DKL-DI-0001
    /// - CIS Docker Benchmark 4.1 (run as a non-root user; do not rely on sudo)
    id: "DF023",
    name: "sudo",
    title: "RUN uses sudo",
    severity: High,
    aliases: ["DL3004", "DS010", "DS-0010", "AVD-DS-0010", "DKL-DI-0001", "IM008"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    for (_, _, cmd) in cx.commands() {
        if cmd.wrappers.iter().any(|w| w == "sudo") {
            cx.report(
                cmd.span,
                format!(
                    "`sudo` runs `{}` here: set the user for this step with `USER` instead of using `sudo`",
                    cmd.program()
                ),
            );
        } else if cmd.is("sudo") {
            cx.report(
                cmd.span,
                "`sudo` in RUN: switch users with `USER` instead of using `sudo`",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_sudo_as_wrapper_or_command() {
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nRUN sudo apk add curl\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20\nRUN echo hi && sudo -u app -E make install\n"
            ),
            vec![2]
        );
        assert_eq!(lines(&RULE, "FROM alpine:3.20\nRUN sudo -v\n"), vec![2]);
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nRUN [\"sudo\", \"make\"]\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nONBUILD RUN sudo make\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nRUN env A=1 sudo make\n"),
            vec![2]
        );
    }

    #[test]
    fn one_finding_for_sudo_sh_c() {
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20\nRUN sudo sh -c 'make && make install'\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn silent_without_sudo() {
        assert_silent(&RULE, "FROM alpine:3.20\nRUN apk add --no-cache sudo\n");
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nRUN echo 'app ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/app\n",
        );
        assert_silent(&RULE, "FROM alpine:3.20\nRUN gosu app make\n");
        assert_silent(&RULE, "FROM alpine:3.20\nCMD sudo make\n");
    }
}
