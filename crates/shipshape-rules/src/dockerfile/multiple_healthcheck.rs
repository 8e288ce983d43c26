use super::Checker;
use super::multiple_cmd::report_overridden;
use shipshape_dockerfile::syntax::ast::Keyword;

rule! {
    /// ## What it does
    /// Flags every `HEALTHCHECK` of a stage but the last one
    /// (`HEALTHCHECK NONE` included).
    ///
    /// ## Why is this bad?
    /// A container has a single health check: each `HEALTHCHECK` replaces
    /// the previous one. The earlier ones never run, so a check that looks
    /// like it guards one part of the service does not, and a late
    /// `HEALTHCHECK NONE` can switch off a check written above it.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM nginx:1.27
    /// HEALTHCHECK CMD ["curl", "-fsS", "http://localhost/"]
    /// HEALTHCHECK CMD ["curl", "-fsS", "http://localhost/status"]
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM nginx:1.27
    /// HEALTHCHECK CMD ["curl", "-fsS", "http://localhost/status"]
    /// ```
    ///
    /// ## Fix
    /// Safe: `--fix` removes the overridden instruction (its whole lines). The
    /// image is the same without it.
    ///
    /// ## References
    /// - hadolint DL3012, trivy DS-0023
    id: "DF095",
    name: "multiple-healthcheck",
    title: "More than one HEALTHCHECK in a stage",
    severity: Medium,
    aliases: ["DL3012", "DS023", "DS-0023", "AVD-DS-0023"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    report_overridden(cx, Keyword::Healthcheck);
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_all_but_the_last_healthcheck() {
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20\nHEALTHCHECK CMD a\nHEALTHCHECK NONE\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20\nHEALTHCHECK --interval=5s CMD a\nHEALTHCHECK CMD b\nHEALTHCHECK CMD c\n"
            ),
            vec![2, 3]
        );
    }

    #[test]
    fn silent_on_one_healthcheck_per_stage() {
        assert_silent(&RULE, "FROM alpine:3.20\nHEALTHCHECK CMD a\n");
        assert_silent(
            &RULE,
            "FROM alpine:3.20 AS a\nHEALTHCHECK CMD a\nFROM a\nHEALTHCHECK NONE\n",
        );
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nONBUILD HEALTHCHECK CMD a\nHEALTHCHECK CMD b\n",
        );
    }
}
