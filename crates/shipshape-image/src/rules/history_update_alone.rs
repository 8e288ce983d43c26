use super::Checker;
use super::history::runs;
use shipshape_dockerfile::rules::pkg::update_alone;

rule! {
    /// ## What it does
    /// Flags build steps in the image's history that refresh a package
    /// index and install nothing after it in the same step:
    /// `apt-get update` (or `apt`, `aptitude`), `apk update`,
    /// `yum makecache` or `dnf makecache` with no install, upgrade or
    /// other package operation of the same tool later in that step. The
    /// history includes the steps of the base image.
    ///
    /// ## Why is this bad?
    /// The builder caches each step. A step that only updates the index is
    /// reused as long as its text does not change, so a later install in
    /// another step works from the index of the day that step was first
    /// built: packages go stale, and installs fail once the mirror drops
    /// the versions that old index names. In the image, the update alone
    /// also leaves the index files in a layer of their own. Update and
    /// install in the same step.
    ///
    /// ## Example
    /// ```json
    /// {"history": [
    ///   {"created_by": "/bin/sh -c #(nop) ADD file:9a3c0d1f in / "},
    ///   {"created_by": "/bin/sh -c apt-get update"},
    ///   {"created_by": "/bin/sh -c apt-get install -y curl && rm -rf /var/lib/apt/lists/*"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"history": [
    ///   {"created_by": "/bin/sh -c #(nop) ADD file:9a3c0d1f in / "},
    ///   {"created_by": "/bin/sh -c apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*"}]}
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.7, dockle CIS-DI-0007
    /// - shipshape DF056 (the same check on a Dockerfile)
    id: "IM014",
    name: "history-update-alone",
    title: "Build step updates a package index and installs nothing",
    severity: Medium,
    aliases: ["CIS-DI-0007", "DF056", "CIS-4.7"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    for run in runs(&cx.image.spec) {
        let alone = run
            .script
            .iter()
            .find(|cmd| update_alone(&run.script, cmd).is_some());
        if let Some(cmd) = alone {
            let message = format!(
                "build step {} runs {} and installs nothing after it: the cached step leaves later installs with a stale index; update and install in the same step",
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
    fn fires_on_updates_alone() {
        let found = findings(
            &RULE,
            &steps(&[
                "/bin/sh -c #(nop) ADD file:9a3c0d1f in / ",
                "/bin/sh -c apt-get update",
                "/bin/sh -c apt-get install -y curl",
                "RUN /bin/sh -c apk update # buildkit",
                "/bin/sh -c yum makecache && echo done",
                "/bin/sh -c apt-get install -y curl && apt-get update",
                "/bin/sh -c apt-get update && apk add curl",
                "|1 MIRROR=http://deb.example.com /bin/sh -c apt -q update",
            ]),
        );
        assert_eq!(
            fields(&found),
            [
                "history[1]",
                "history[3]",
                "history[4]",
                "history[5]",
                "history[6]",
                "history[7]"
            ]
        );
        assert!(found[0].message.contains("`apt-get update`"));
    }

    #[test]
    fn silent_when_the_step_installs() {
        assert_silent(
            &RULE,
            &steps(&[
                "/bin/sh -c #(nop) ADD file:9a3c0d1f in / ",
                "/bin/sh -c apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*",
                "RUN /bin/sh -c set -eux; apt-get update; apt-get -y dist-upgrade # buildkit",
                "/bin/sh -c apk update && apk add curl",
                "/bin/sh -c dnf makecache && dnf install -y git",
                "/bin/sh -c yum update -y",
                "/bin/sh -c echo apt-get update",
                "/bin/sh -c #(nop)  LABEL step=apt-get update",
                "/bin/sh -c apt-get install -y curl",
            ]),
        );
    }
}
