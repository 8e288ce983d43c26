use super::Checker;
use shipshape_dockerfile::syntax::ast::{Args, Keyword};

rule! {
    /// ## What it does
    /// Flags `ONBUILD ONBUILD`, `ONBUILD FROM` and `ONBUILD MAINTAINER`, at
    /// the trigger's keyword.
    ///
    /// ## Why is this bad?
    /// These triggers are not allowed: chaining `ONBUILD` is forbidden,
    /// and `FROM` and `MAINTAINER` cannot run inside another image's build.
    /// The image builds, but every image built on it fails when the trigger
    /// fires, far from the Dockerfile that contains the mistake.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ONBUILD FROM alpine:3.20
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ONBUILD COPY . /src/
    /// ```
    ///
    /// ## References
    /// - hadolint DL3043
    /// - Docker documentation: ONBUILD limitations
    id: "DF102",
    name: "onbuild-forbidden-trigger",
    title: "ONBUILD trigger that is not allowed",
    severity: High,
    aliases: ["DL3043"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    let found: Vec<_> = cx
        .model
        .file
        .instructions
        .iter()
        .filter_map(|inst| match &inst.args {
            Args::Onbuild(trigger)
                if matches!(
                    trigger.keyword,
                    Keyword::Onbuild | Keyword::From | Keyword::Maintainer
                ) =>
            {
                Some((trigger.keyword_span, trigger.keyword))
            }
            _ => None,
        })
        .collect();
    for (span, keyword) in found {
        let fix = match keyword {
            Keyword::Onbuild => "keep a single `ONBUILD`",
            Keyword::From => "put the `FROM` in the child image's Dockerfile",
            _ => "set `LABEL org.opencontainers.image.authors=...` in this image instead",
        };
        cx.report(
            span,
            format!(
                "`ONBUILD {}` is not an allowed trigger and fails every build based on this image: {fix}",
                keyword.as_str()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_forbidden_triggers() {
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nONBUILD ONBUILD RUN make\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nonbuild from debian:12 AS x\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nONBUILD MAINTAINER jane\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nONBUILD \\\n  FROM debian:12\n"),
            vec![3]
        );
    }

    #[test]
    fn silent_on_allowed_triggers() {
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nONBUILD RUN make\nONBUILD COPY . /src/\n",
        );
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nONBUILD LABEL a=b\nMAINTAINER jane\n",
        );
    }
}
