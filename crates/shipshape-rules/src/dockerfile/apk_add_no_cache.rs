use super::{Checker, Repair};
use shipshape_dockerfile::pkg;

rule! {
    /// ## What it does
    /// Flags an `apk add` without `--no-cache`.
    ///
    /// Not flagged: a RUN whose `/var/cache/apk` (or `/etc/apk/cache`) is a
    /// cache or tmpfs mount, and one that removes `/var/cache/apk/*` after
    /// the `apk add` (hadolint does not accept the latter).
    ///
    /// The same check runs on each build step an image's history recorded
    /// (`shipshape image`); IM012, its former image twin, is an alias.
    ///
    /// ## Why is this bad?
    /// Without `--no-cache`, `apk` stores the repository indexes under
    /// `/var/cache/apk` and they stay in the layer: a few megabytes in
    /// every image, useless at run time and stale soon after the build.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add curl=8.9.1-r1
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add --no-cache curl=8.9.1-r1
    /// ```
    ///
    /// ## Fix
    /// Safe: `--fix` adds `--no-cache`. The same packages are installed; the
    /// index is fetched for the command and not kept.
    ///
    /// ## References
    /// - hadolint DL3019, trivy DS-0025, dockle DKL-DI-0004
    id: "DF058",
    name: "apk-add-no-cache",
    title: "apk add without --no-cache",
    severity: Low,
    aliases: ["DL3019", "DS025", "DS-0025", "AVD-DS-0025", "DKL-DI-0004", "IM012"],
    check: check,
}

const CACHE: &str = "/var/cache/apk";

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for (stage, inst, script) in model.runs() {
        if pkg::mount_covers(stage, inst, &[CACHE, "/etc/apk/cache"]) {
            continue;
        }
        for cmd in script.iter().filter(|c| pkg::is_apk_add(c)) {
            if cmd.has_flag("--no-cache") || pkg::later(script, cmd, |c| pkg::removes(c, CACHE)) {
                continue;
            }
            let message =
                "`apk add` leaves the package index in `/var/cache/apk`: add `--no-cache`";
            let fix = cx
                .add_after_word(inst, cmd, "add", "--no-cache")
                .map(|edit| Repair::safe("add --no-cache", edit));
            cx.report_fix(cmd.arg_span("add"), message, fix);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_without_no_cache() {
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nRUN apk add curl\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20\nRUN apk update && apk add --update curl\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20\nRUN rm -rf /var/cache/apk/* && apk add curl\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20\nRUN --mount=type=bind,target=/var/cache/apk apk add curl\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nONBUILD RUN apk add curl\n"),
            vec![2]
        );
    }

    #[test]
    fn silent_with_no_cache_a_mount_or_a_cleanup() {
        assert_silent(&RULE, "FROM alpine:3.20\nRUN apk add --no-cache curl\n");
        assert_silent(&RULE, "FROM alpine:3.20\nRUN apk --no-cache add curl\n");
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add curl\n",
        );
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nRUN --mount=type=cache,target=/etc/apk/cache,sharing=locked apk add curl\n",
        );
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nRUN apk add curl && rm -rf /var/cache/apk/*\n",
        );
        assert_silent(&RULE, "FROM alpine:3.20\nRUN apk del curl\n");
    }
}
