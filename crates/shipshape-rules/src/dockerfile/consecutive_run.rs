use super::Checker;
use shipshape_dockerfile::model::Inst;
use shipshape_dockerfile::syntax::ast::Keyword;

rule! {
    /// ## What it does
    /// Flags a `RUN` that directly follows another `RUN` of the same stage
    /// (comments in between do not count) when the two could be merged: they
    /// have the same flags (`--mount`, `--network`, `--security`) and neither
    /// already chains more than two commands. Two long, deliberately separate
    /// steps are left alone, as they usually are split on purpose for the
    /// build cache.
    ///
    /// ## Why is this bad?
    /// Every `RUN` adds a layer. Short steps in a row make the image larger
    /// (a file changed in two layers is stored twice) and the build slower,
    /// and files removed in a later step still take space in the earlier one.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// RUN mkdir -p /app/data
    /// RUN chown nobody /app/data
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// RUN mkdir -p /app/data \
    ///  && chown nobody /app/data
    /// ```
    ///
    /// ## References
    /// - hadolint DL3059
    id: "DF088",
    name: "consecutive-run",
    title: "Consecutive RUN instructions",
    severity: Info,
    aliases: ["DL3059"],
    check: check,
}

/// Above this many commands a RUN is taken to be split off on purpose.
const MAX_COMMANDS: usize = 2;

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for stage in &model.stages {
        let mut previous: Option<&Inst<'_>> = None;
        for inst in &stage.insts {
            if inst.onbuild || inst.body.keyword != Keyword::Run {
                previous = None;
                continue;
            }
            if let Some(prev) = previous
                && same_flags(prev, inst)
                && is_short(prev)
                && is_short(inst)
            {
                cx.report(
                    inst.body.keyword_span,
                    format!(
                        "this RUN directly follows the RUN on line {}: merge them with `&&` into one layer",
                        prev.node.line + 1
                    ),
                );
            }
            previous = Some(inst);
        }
    }
}

/// Whether the RUN has at most two commands. A script we could not read
/// (another shell, a parse error) counts as long.
fn is_short(inst: &Inst<'_>) -> bool {
    inst.script
        .as_ref()
        .is_some_and(|s| s.error.is_none() && s.commands.len() <= MAX_COMMANDS)
}

fn same_flags(a: &Inst<'_>, b: &Inst<'_>) -> bool {
    sorted_flags(a) == sorted_flags(b)
}

fn sorted_flags<'a>(inst: &'a Inst<'_>) -> Vec<(&'a str, Option<&'a str>)> {
    let mut flags: Vec<_> = inst
        .body
        .flags
        .iter()
        .map(|f| (f.name.as_str(), f.value.as_deref()))
        .collect();
    flags.sort_unstable();
    flags
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_mergeable_runs() {
        assert_eq!(lines(&RULE, "FROM debian:12\nRUN a\nRUN b\n"), vec![3]);
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN a\nRUN b\nRUN c\n"),
            vec![3, 4]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN a && b\n# a comment\n\nRUN c\n"),
            vec![5]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN --mount=type=cache,target=/root/.cache a\nRUN --mount=type=cache,target=/root/.cache b\n"
            ),
            vec![3]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN [\"a\"]\nRUN b\n"),
            vec![3]
        );
    }

    #[test]
    fn silent_when_separated_long_or_flags_differ() {
        assert_silent(&RULE, "FROM debian:12\nRUN a\nENV X=1\nRUN b\n");
        assert_silent(&RULE, "FROM debian:12\nRUN a && b && c\nRUN d\n");
        assert_silent(&RULE, "FROM debian:12\nRUN a\nRUN b; c; d\n");
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN --mount=type=cache,target=/a a\nRUN b\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN --network=none a\nRUN --network=host b\n",
        );
        assert_silent(&RULE, "FROM debian:12 AS a\nRUN a\nFROM debian:12\nRUN b\n");
        assert_silent(&RULE, "FROM debian:12\nRUN a\nONBUILD RUN b\nRUN c\n");
        assert_silent(&RULE, "FROM debian:12\nRUN a\nCOPY x /x\nRUN b\n");
    }
}
