use super::Checker;
use super::multiple_cmd::report_overridden;
use shipshape_dockerfile::syntax::ast::Keyword;

rule! {
    /// ## What it does
    /// Flags every `ENTRYPOINT` of a stage but the last one.
    ///
    /// ## Why is this bad?
    /// Only the last `ENTRYPOINT` of a stage takes effect; the earlier ones
    /// never run. A wrapper that looks like it sets up the container (drops
    /// privileges, loads secrets, starts an init) is silently replaced,
    /// which is easy to miss in review.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ENTRYPOINT ["/sbin/tini", "--"]
    /// ENTRYPOINT ["/usr/local/bin/app"]
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ENTRYPOINT ["/sbin/tini", "--", "/usr/local/bin/app"]
    /// ```
    ///
    /// ## Fix
    /// Safe: `--fix` removes the overridden instruction (its whole lines). The
    /// image is the same without it: an `ENTRYPOINT` resets a `CMD` only when
    /// the stage set none.
    ///
    /// ## References
    /// - hadolint DL4004, trivy DS-0007
    id: "DF094",
    name: "multiple-entrypoint",
    title: "More than one ENTRYPOINT in a stage",
    severity: High,
    aliases: ["DL4004", "DS007", "DS-0007", "AVD-DS-0007"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    report_overridden(cx, Keyword::Entrypoint);
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_all_but_the_last_entrypoint() {
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20\nENTRYPOINT a\nENTRYPOINT [\"b\"]\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20\nENTRYPOINT a\nENTRYPOINT b\nENTRYPOINT c\n"
            ),
            vec![2, 3]
        );
    }

    #[test]
    fn silent_on_one_entrypoint_per_stage() {
        assert_silent(
            &RULE,
            "FROM alpine:3.20 AS a\nENTRYPOINT a\nFROM a\nENTRYPOINT b\n",
        );
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nONBUILD ENTRYPOINT a\nENTRYPOINT b\n",
        );
        assert_silent(&RULE, "FROM alpine:3.20\nENTRYPOINT [\"a\"]\nCMD [\"b\"]\n");
    }
}
