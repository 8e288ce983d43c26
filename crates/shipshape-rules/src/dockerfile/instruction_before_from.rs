use super::Checker;
use shipshape_dockerfile::syntax::ast::Keyword;

rule! {
    /// ## What it does
    /// Flags an instruction other than `ARG` before the first `FROM`, and a
    /// Dockerfile that has instructions but no `FROM` at all (reported once,
    /// at its first instruction).
    ///
    /// ## Why is this bad?
    /// A build starts at `FROM`; only `ARG` may come before it, to declare
    /// values the `FROM` lines use. Anything else there has no stage to
    /// belong to: the builder rejects the file, so the instruction that was
    /// meant to run (often a `LABEL`, `ENV` or `RUN` moved up by mistake)
    /// never does.
    ///
    /// ## Example
    /// ```dockerfile
    /// ENV APP_HOME=/srv/app
    /// FROM python:3.12-slim
    /// WORKDIR $APP_HOME
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// ARG PYTHON_VERSION=3.12
    /// FROM python:${PYTHON_VERSION}-slim
    /// ENV APP_HOME=/srv/app
    /// WORKDIR $APP_HOME
    /// ```
    ///
    /// ## References
    /// - hadolint DL3061
    id: "DF012",
    name: "instruction-before-from",
    title: "Instruction before the first `FROM`",
    severity: High,
    aliases: ["DL3061"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    if model.stages.is_empty() {
        if let Some(first) = model.preamble.first() {
            cx.report(
                first.keyword_span,
                "this Dockerfile has no `FROM`; every build starts with `FROM <image>` (or `FROM scratch`)",
            );
        }
        return;
    }
    for inst in &model.preamble {
        if inst.keyword != Keyword::Arg {
            cx.report(
                inst.keyword_span,
                format!(
                    "`{}` comes before the first `FROM`, where only `ARG` is allowed; move it into a stage",
                    inst.keyword.as_str()
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_before_from_and_without_from() {
        assert_eq!(
            lines(&RULE, "LABEL a=b\nARG X=1\nRUN true\nFROM alpine:3.20\n"),
            vec![1, 3]
        );
        assert_eq!(
            lines(&RULE, "# comment\nONBUILD RUN true\nFROM alpine:3.20\n"),
            vec![2]
        );
        assert_eq!(lines(&RULE, "RUN a\nRUN b\n"), vec![1]);
        assert_eq!(lines(&RULE, "ARG X=1\n"), vec![1]);
    }

    #[test]
    fn silent_with_only_args_first() {
        assert_silent(
            &RULE,
            "# syntax=docker/dockerfile:1\n# hello\nARG A=1\nARG B\nFROM alpine:3.20\nRUN true\n",
        );
        assert_silent(&RULE, "FROM alpine:3.20\nENV A=1\n");
        assert_silent(&RULE, "");
    }
}
