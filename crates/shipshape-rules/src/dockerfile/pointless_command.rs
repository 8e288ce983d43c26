use super::Checker;

rule! {
    /// ## What it does
    /// Flags `RUN` commands that do nothing useful in an image build:
    /// `free`, `ifconfig`, `kill`, `mount`, `ps`, `service`, `shutdown`,
    /// `ssh`, `top` and `vim`.
    ///
    /// ## Why is this bad?
    /// Each `RUN` starts a fresh container from the previous layer and only
    /// its file changes are kept. Processes started with `service` stop when
    /// the step ends, `kill`, `ps`, `top` and `free` see only that short-lived
    /// container, `shutdown` and `mount` need an init system or privileges a
    /// build does not have, and interactive programs (`vim`, `ssh`) hang or
    /// fail without a terminal. Such commands usually signal a Dockerfile
    /// written like a VM setup script: start services from `ENTRYPOINT`/`CMD`,
    /// edit files with `sed` or `COPY`, and use `RUN --mount=type=ssh` to
    /// fetch private sources.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// RUN service nginx start
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// CMD ["nginx", "-g", "daemon off;"]
    /// ```
    ///
    /// ## References
    /// - hadolint DL3001
    id: "DF046",
    name: "pointless-command",
    title: "Command has no effect in an image build",
    severity: Low,
    aliases: ["DL3001"],
    check: check,
}

/// Each command and why it is pointless during a build.
const POINTLESS: &[(&str, &str)] = &[
    ("free", "reports the memory of a throwaway build container"),
    (
        "ifconfig",
        "shows the build network, not the one the container will run on",
    ),
    (
        "kill",
        "no process survives from one build step to the next",
    ),
    (
        "mount",
        "mounts do not persist into the image; use `RUN --mount` for build-time mounts",
    ),
    ("ps", "lists the processes of a throwaway build container"),
    (
        "service",
        "the service stops when this build step ends; start it from `ENTRYPOINT` or `CMD`",
    ),
    ("shutdown", "there is no system to shut down during a build"),
    (
        "ssh",
        "a build has no interactive session; use `RUN --mount=type=ssh` with `git` or `scp` to fetch private sources",
    ),
    ("top", "shows the processes of a throwaway build container"),
    (
        "vim",
        "a build has no terminal to edit in; change files with `sed` or `COPY` them in",
    ),
];

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for (_, _, script) in model.runs() {
        for cmd in script.iter() {
            if let Some((name, why)) = POINTLESS.iter().find(|(name, _)| cmd.is(name)) {
                cx.report(
                    cmd.span,
                    format!("`{name}` makes no sense in an image build: {why}"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_pointless_commands() {
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN service ssh start\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN ps aux | grep x\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN make && \\\n  /usr/bin/vim /etc/x.conf\n"
            ),
            vec![3]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN sudo mount -t tmpfs none /mnt\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN free -m; top -bn1; ifconfig; shutdown -h now; kill 1\n"
            ),
            vec![2, 2, 2, 2, 2]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nONBUILD RUN ssh host true\n"),
            vec![2]
        );
    }

    #[test]
    fn silent_on_useful_commands_and_mere_mentions() {
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN apt-get install -y procps vim openssh-client\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN ssh-keyscan github.com >> /etc/ssh/ssh_known_hosts\n",
        );
        assert_silent(&RULE, "FROM debian:12\nRUN echo service top\n");
        assert_silent(&RULE, "FROM debian:12\nCMD service nginx start\n");
        assert_silent(&RULE, "FROM debian:12\nRUN update-rc.d nginx defaults\n");
    }
}
