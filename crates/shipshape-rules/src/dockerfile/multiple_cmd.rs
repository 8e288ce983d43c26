use super::{Checker, Repair};
use shipshape_dockerfile::syntax::ast::Keyword;

rule! {
    /// ## What it does
    /// Flags every `CMD` of a stage but the last one.
    ///
    /// ## Why is this bad?
    /// A stage has one default command: each `CMD` replaces the previous
    /// one, so only the last takes effect. The earlier ones are dead code
    /// that misleads readers about what the container runs, and often mean
    /// that two commands were meant to run (which needs a script or a
    /// process supervisor, not two `CMD`s).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// CMD ["python", "migrate.py"]
    /// CMD ["python", "app.py"]
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// CMD ["python", "app.py"]
    /// ```
    ///
    /// ## Fix
    /// Safe: `--fix` removes the overridden instruction (its whole lines). The
    /// image is the same without it.
    ///
    /// ## References
    /// - hadolint DL4003, trivy DS-0016
    id: "DF093",
    name: "multiple-cmd",
    title: "More than one CMD in a stage",
    severity: Medium,
    aliases: ["DL4003", "DS016", "DS-0016", "AVD-DS-0016"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    report_overridden(cx, Keyword::Cmd);
}

/// Reports every `keyword` instruction of a stage (ONBUILD triggers aside)
/// that a later one in the same stage replaces.
pub(super) fn report_overridden(cx: &mut Checker<'_, '_>, keyword: Keyword) {
    let kw = keyword.as_str();
    for stage in &cx.model.stages {
        let insts: Vec<_> = stage.find(keyword).collect();
        let Some((last, earlier)) = insts.split_last() else {
            continue;
        };
        let last_line = last.body.line + 1;
        for inst in earlier {
            let message = format!(
                "this `{kw}` has no effect: the `{kw}` on line {last_line} replaces it; keep only one"
            );
            // Safe: the image is the same without it.
            let fix = (!inst.onbuild)
                .then(|| cx.whole_lines(inst.node.span))
                .flatten()
                .map(|lines| {
                    Repair::safe(
                        format!("remove the overridden `{kw}`"),
                        (lines, String::new()),
                    )
                });
            cx.report_fix(inst.body.keyword_span, message, fix);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_all_but_the_last_cmd() {
        assert_eq!(lines(&RULE, "FROM alpine:3.20\nCMD a\nCMD b\n"), vec![2]);
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20\nCMD a\nRUN x\nCMD [\"b\"]\nCMD c\n"
            ),
            vec![2, 4]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20 AS a\nCMD a\nFROM a\nCMD b\nCMD c\n"
            ),
            vec![4]
        );
    }

    #[test]
    fn silent_on_one_cmd_per_stage() {
        assert_silent(&RULE, "FROM alpine:3.20\nCMD a\n");
        assert_silent(&RULE, "FROM alpine:3.20 AS a\nCMD a\nFROM a\nCMD b\n");
        assert_silent(&RULE, "FROM alpine:3.20\nONBUILD CMD a\nCMD b\n");
        assert_silent(&RULE, "FROM alpine:3.20\nCMD a\nENTRYPOINT [\"b\"]\n");
    }
}
