use super::Checker;
use super::history::runs;

rule! {
    /// ## What it does
    /// Flags build steps in the image's history that run `sudo`, whether it
    /// wraps a command (`sudo apt-get install -y curl`) or runs alone
    /// (`sudo -v`). The word `sudo` as an argument (`apk add sudo`,
    /// `echo sudo`) is not a use of it. The history includes the steps of
    /// the base image.
    ///
    /// ## Why is this bad?
    /// A build step that needs `sudo` means the image ships `sudo`, and
    /// almost always a sudoers rule that lets the image's user become root:
    /// the non-root `USER` is then root for anyone who gets code running in
    /// the container. In a Dockerfile, `sudo` is also the wrong tool: a
    /// step runs as the current `USER`; switch to `USER root` for the steps
    /// that need it and back to the unprivileged user afterwards, and do
    /// not install `sudo` at all.
    ///
    /// ## Example
    /// ```json
    /// {"config": {"User": "app"}, "history": [
    ///   {"created_by": "/bin/sh -c #(nop)  USER app", "empty_layer": true},
    ///   {"created_by": "/bin/sh -c sudo apt-get update && sudo apt-get install -y curl"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"config": {"User": "app"}, "history": [
    ///   {"created_by": "/bin/sh -c apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*"},
    ///   {"created_by": "/bin/sh -c #(nop)  USER app", "empty_layer": true}]}
    /// ```
    ///
    /// ## References
    /// - dockle DKL-DI-0001
    /// - shipshape DF023 (the same check on a Dockerfile)
    id: "IM008",
    name: "history-sudo",
    title: "Build step uses sudo",
    severity: Medium,
    aliases: ["DKL-DI-0001", "DF023"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    for run in runs(&cx.image.spec) {
        let used = run
            .script
            .iter()
            .find(|c| c.is("sudo") || c.wrappers.iter().any(|w| w == "sudo"));
        if let Some(cmd) = used {
            let message = format!(
                "build step {} runs `sudo`: {}; the image ships sudo, which lets its user become root: use `USER root` for the steps that need it and leave sudo out of the image",
                run.index,
                run.quote(cmd.span)
            );
            cx.report_history(run.index, message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::history::{fields, history_json as steps};
    use crate::rules::test_support::*;

    #[test]
    fn fires_on_sudo() {
        let found = findings(
            &RULE,
            &steps(&[
                "/bin/sh -c #(nop) ADD file:9a3c0d1f in / ",
                "/bin/sh -c apt-get update && apt-get install -y sudo && rm -rf /var/lib/apt/lists/*",
                "/bin/sh -c #(nop)  USER app",
                "RUN /bin/sh -c sudo -E make install # buildkit",
                "/bin/sh -c echo hi && sudo -u postgres createdb app",
                "/bin/sh -c sudo -v",
                "/bin/sh -c env A=1 sudo make",
                "|1 V=2 /bin/sh -c sudo sh -c 'make && make install'",
            ]),
        );
        assert_eq!(
            fields(&found),
            [
                "history[3]",
                "history[4]",
                "history[5]",
                "history[6]",
                "history[7]"
            ]
        );
        assert!(found[0].message.contains("`sudo -E make install`"));
    }

    #[test]
    fn silent_without_sudo() {
        assert_silent(
            &RULE,
            &steps(&[
                "/bin/sh -c apk add --no-cache sudo",
                "/bin/sh -c echo sudo",
                "/bin/sh -c echo 'app ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/app",
                "/bin/sh -c gosu app make",
                "/bin/sh -c #(nop)  CMD [\"sudo\", \"make\"]",
                "CMD [\"sudo\" \"make\"]",
                "/bin/sh -c grep -q sudo /etc/group || groupadd sudo",
            ]),
        );
    }
}
