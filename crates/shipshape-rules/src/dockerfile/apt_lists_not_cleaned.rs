use super::Checker;
use shipshape_dockerfile::pkg;
use shipshape_dockerfile::shell::Cmd;

rule! {
    /// ## What it does
    /// Flags a RUN that runs `apt-get update` or `apt-get install` (or the
    /// `apt`/`aptitude` equivalents) without removing the package lists
    /// (`rm -rf /var/lib/apt/lists/*`) later in the same RUN.
    ///
    /// Only the final stage and stages that a later stage builds on or
    /// copies from are checked: what other stages leave behind never
    /// reaches the image. A RUN whose `/var/lib/apt` or
    /// `/var/lib/apt/lists` is a cache or tmpfs mount keeps the lists out of
    /// the image and is not flagged; neither is `apt-get distclean`.
    ///
    /// The same check runs on each build step an image's history recorded
    /// (`shipshape image`); IM013, its former image twin, is an alias.
    ///
    /// ## Why is this bad?
    /// The package lists take tens of megabytes. Removed in a later RUN,
    /// they still sit in the earlier layer and every pull downloads them.
    /// They also go stale, so a later `apt-get install` relying on them
    /// installs outdated versions or fails.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u7
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// RUN apt-get update \
    ///  && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u7 \
    ///  && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## Fix
    /// Safe, where offered: `--fix` ends the RUN with `&& rm -rf
    /// /var/lib/apt/lists/*` when the RUN itself installs and no later RUN uses
    /// apt (which could count on these lists). A RUN of `apt-get update` alone
    /// gets no fix: its lists are for the next RUN.
    ///
    /// ## References
    /// - hadolint DL3009, dockle DKL-DI-0005
    /// - Docker build best practices: `apt-get`
    id: "DF051",
    name: "apt-lists-not-cleaned",
    title: "apt package lists left in the image",
    severity: Low,
    aliases: ["DL3009", "DKL-DI-0005", "IM013"],
    check: check,
}

const LISTS: &str = "/var/lib/apt/lists";

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    let last = model.stages.len().saturating_sub(1);
    for (stage, inst, script) in model.runs() {
        if stage.index != last && !model.is_used_later(stage.index) {
            continue;
        }
        if pkg::mount_covers(stage, inst, &[LISTS]) {
            continue;
        }
        let uncleaned = script
            .iter()
            .filter(|c| fetches_lists(c))
            .find(|c| !pkg::later(script, c, cleans_lists));
        if let Some(cmd) = uncleaned {
            let sub = pkg::apt_subcommand(cmd).unwrap_or_default();
            let message = format!(
                "`{} {sub}` leaves the package lists in the layer: end this RUN with `rm -rf /var/lib/apt/lists/*`",
                cmd.program()
            );
            // Not offered for a RUN that installs nothing (its lists are for a
            // later RUN), nor when a later RUN uses apt (it may count on
            // these lists).
            let installs = script
                .iter()
                .any(|c| pkg::apt_subcommand(c) == Some("install"));
            let later_apt = model.runs().any(|(_, other, s)| {
                other.node.span.start > inst.node.span.start
                    && s.iter().any(|c| pkg::apt_subcommand(c).is_some())
            });
            let fix = (installs && !later_apt)
                .then(|| cx.append_fix(inst, script, "rm -rf /var/lib/apt/lists/*"))
                .flatten();
            cx.report_fix(cmd.arg_span(sub), message, fix);
        }
    }
}

fn fetches_lists(cmd: &Cmd) -> bool {
    cmd.is_any(pkg::APT_TOOLS) && matches!(pkg::apt_subcommand(cmd), Some("update" | "install"))
}

fn cleans_lists(cmd: &Cmd) -> bool {
    pkg::removes(cmd, LISTS)
        || (cmd.is_any(pkg::APT_TOOLS)
            && matches!(pkg::apt_subcommand(cmd), Some("distclean" | "dist-clean")))
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_without_cleanup() {
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n"
            ),
            vec![2]
        );
        assert_eq!(lines(&RULE, "FROM debian:12\nRUN apt update\n"), vec![2]);
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN apt-get install -y curl\n"),
            vec![2]
        );
        // The cleanup has to come after the update.
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y x\n"
            ),
            vec![2]
        );
        // Removed in the next RUN is too late.
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN apt-get update && apt-get install -y x\nRUN rm -rf /var/lib/apt/lists/*\n"
            ),
            vec![2]
        );
        // A stage that a later stage copies from.
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12 AS base\nRUN apt-get update\nFROM scratch\nCOPY --from=base / /\n"
            ),
            vec![2]
        );
        // A cache mount elsewhere does not help.
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN --mount=type=cache,target=/root/.cache apt-get update\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn silent_with_cleanup_mounts_or_unused_stages() {
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN apt-get update && apt-get install -y x && rm -fr /var/lib/apt/lists\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN apt-get update && apt-get install -y x && apt-get distclean\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y x\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=tmpfs,target=/var/lib/apt apt-get update && apt-get install -y x\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\nFROM debian:12\nRUN echo hi\n",
        );
        assert_silent(&RULE, "FROM debian:12\nRUN apt-get remove -y x\n");
    }
}
