use super::Checker;
use super::history::{apk_subcommand, removes, runs};

rule! {
    /// ## What it does
    /// Flags build steps in the image's history that run `apk add` without
    /// `--no-cache` and do not remove `/var/cache/apk` later in the same
    /// step. The history does not record `RUN --mount=type=cache`, so a
    /// step that kept the cache in a cache mount is flagged too, and can
    /// be ignored. The history includes the steps of the base image.
    ///
    /// ## Why is this bad?
    /// Without `--no-cache`, `apk` downloads the package indexes into
    /// `/var/cache/apk` and leaves them there: a few megabytes in the layer,
    /// in every image built on it, that nothing in the container uses. A
    /// later step deleting them does not help, since the layer that wrote
    /// them still ships them. `apk add --no-cache` fetches the indexes,
    /// uses them and keeps nothing.
    ///
    /// ## Example
    /// ```json
    /// {"history": [
    ///   {"created_by": "/bin/sh -c #(nop) ADD file:9a3c0d1f in / "},
    ///   {"created_by": "/bin/sh -c apk update && apk add ca-certificates curl"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"history": [
    ///   {"created_by": "/bin/sh -c #(nop) ADD file:9a3c0d1f in / "},
    ///   {"created_by": "/bin/sh -c apk add --no-cache ca-certificates curl"}]}
    /// ```
    ///
    /// ## References
    /// - dockle DKL-DI-0004
    /// - shipshape DF058 (the same check on a Dockerfile)
    id: "IM012",
    name: "history-apk-add-cache",
    title: "apk add without --no-cache in a build step",
    severity: Low,
    aliases: ["DKL-DI-0004", "DF058"],
    check: check,
}

const CACHE: &str = "/var/cache/apk";

fn check(cx: &mut Checker<'_>) {
    for run in runs(&cx.image.spec) {
        let cached = run.script.iter().find(|c| {
            apk_subcommand(c) == Some("add")
                && !c.has_flag("--no-cache")
                && !run.later(c, |l| removes(l, CACHE))
        });
        if let Some(cmd) = cached {
            let message = format!(
                "build step {} runs `apk add` without `--no-cache`: {}; the package indexes stay in `/var/cache/apk` in that layer: add `--no-cache`",
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
    fn fires_without_no_cache() {
        let found = findings(
            &RULE,
            &steps(&[
                "/bin/sh -c #(nop) ADD file:9a3c0d1f in / ",
                "/bin/sh -c apk add curl",
                "RUN /bin/sh -c apk update && apk add --update ca-certificates # buildkit",
                "/bin/sh -c rm -rf /var/cache/apk/* && apk add curl",
                "/bin/sh -c apk add --virtual .build-deps gcc musl-dev && make && apk del .build-deps",
                "|1 V=3.12 /bin/sh -c set -eux; apk add --no-cache tini; apk add python3",
            ]),
        );
        assert_eq!(
            fields(&found),
            [
                "history[1]",
                "history[2]",
                "history[3]",
                "history[4]",
                "history[5]"
            ]
        );
        assert!(found[4].message.contains("`apk add python3`"));
    }

    #[test]
    fn silent_with_no_cache_or_a_cleanup() {
        assert_silent(
            &RULE,
            &steps(&[
                "/bin/sh -c #(nop) ADD file:9a3c0d1f in / ",
                "/bin/sh -c apk add --no-cache curl",
                "/bin/sh -c apk --no-cache add curl",
                "RUN /bin/sh -c apk add --no-cache --virtual .deps gcc && apk del .deps # buildkit",
                "/bin/sh -c apk add curl && rm -rf /var/cache/apk/*",
                "/bin/sh -c apk del curl",
                "/bin/sh -c echo 'apk add curl' >> /root/notes",
                "/bin/sh -c #(nop)  LABEL hint=apk add curl",
            ]),
        );
    }
}
