use super::Checker;
use super::history::{apt_subcommand, removes, runs};
use shipshape_dockerfile::shell::Cmd;

rule! {
    /// ## What it does
    /// Flags build steps in the image's history that run `apt-get update`,
    /// `apt-get install` (or `apt`, `aptitude`) and do not remove
    /// `/var/lib/apt/lists` later in the same step (`rm -rf
    /// /var/lib/apt/lists/*`, or `apt-get distclean`). The history does not
    /// record `RUN --mount=type=cache`, so a step that kept the lists in a
    /// cache mount is flagged too, and can be ignored. The history includes
    /// the steps of the base image.
    ///
    /// ## Why is this bad?
    /// `apt-get update` downloads the package lists of every configured
    /// repository into `/var/lib/apt/lists`: tens of megabytes that stay in
    /// the layer, in every image built on it, unless the same step deletes
    /// them; a later step deleting them does not shrink the layer. Stale
    /// lists left in the image also let a later `apt-get install` in a
    /// derived image install outdated packages, or fail, without an update.
    ///
    /// ## Example
    /// ```json
    /// {"history": [
    ///   {"created_by": "/bin/sh -c #(nop) ADD file:9a3c0d1f in / "},
    ///   {"created_by": "/bin/sh -c apt-get update && apt-get install -y --no-install-recommends curl"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"history": [
    ///   {"created_by": "/bin/sh -c #(nop) ADD file:9a3c0d1f in / "},
    ///   {"created_by": "/bin/sh -c apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*"}]}
    /// ```
    ///
    /// ## References
    /// - dockle DKL-DI-0005
    /// - shipshape DF051 (the same check on a Dockerfile)
    id: "IM013",
    name: "history-apt-lists-left",
    title: "apt package lists left in a build step",
    severity: Low,
    aliases: ["DKL-DI-0005", "DF051"],
    check: check,
}

const LISTS: &str = "/var/lib/apt/lists";

fn check(cx: &mut Checker<'_>) {
    for run in runs(&cx.image.spec) {
        let left = run
            .script
            .iter()
            .filter(|c| matches!(apt_subcommand(c), Some("update" | "install")))
            .find(|c| !run.later(c, cleans_lists));
        if let Some(cmd) = left {
            let message = format!(
                "build step {} runs {} and leaves the package lists in `{LISTS}` in that layer: end the step with `rm -rf {LISTS}/*`",
                run.index,
                run.quote(cmd.span)
            );
            cx.report_history(run.index, message);
        }
    }
}

fn cleans_lists(cmd: &Cmd) -> bool {
    removes(cmd, LISTS) || matches!(apt_subcommand(cmd), Some("distclean" | "dist-clean"))
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::history::{fields, history_json as steps};
    use crate::rules::test_support::*;

    #[test]
    fn fires_without_a_cleanup() {
        let found = findings(
            &RULE,
            &steps(&[
                "/bin/sh -c #(nop) ADD file:9a3c0d1f in / ",
                "/bin/sh -c apt-get update && apt-get install -y curl",
                "/bin/sh -c #(nop)  ENV LANG=C.UTF-8",
                "RUN /bin/sh -c apt update # buildkit",
                "/bin/sh -c apt-get install -y --no-install-recommends git",
                "/bin/sh -c rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y x",
                "/bin/sh -c apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/partial",
                "/bin/bash -o pipefail -c apt-get update && apt-get install -y x && apt-get clean",
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
    fn silent_with_a_cleanup_or_without_apt() {
        assert_silent(
            &RULE,
            &steps(&[
                "/bin/sh -c #(nop) ADD file:9a3c0d1f in / ",
                "/bin/sh -c apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*",
                "RUN /bin/sh -c set -eux; apt-get update; apt-get install -y --no-install-recommends ca-certificates; rm -rf /var/lib/apt/lists/* # buildkit",
                "/bin/sh -c apt-get update && apt-get install -y x && rm -rf /var/lib/apt/*",
                "/bin/sh -c apt-get update && apt-get install -y x && apt-get distclean",
                "/bin/sh -c apt-get remove -y curl",
                "/bin/sh -c echo 'apt-get update' > /tmp/notes",
                "/bin/sh -c apk add --no-cache curl",
                "/bin/sh -c #(nop)  LABEL hint=apt-get update",
            ]),
        );
    }
}
