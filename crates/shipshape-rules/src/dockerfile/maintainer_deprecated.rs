use super::{Checker, Repair};
use shipshape_dockerfile::source::Span;
use shipshape_dockerfile::syntax::ast::Args;

rule! {
    /// ## What it does
    /// Flags the `MAINTAINER` instruction.
    ///
    /// ## Why is this bad?
    /// `MAINTAINER` has been deprecated since Docker 1.13. It sets a legacy
    /// `Author` field that registries and scanners do not read in the
    /// OCI image format, and BuildKit warns about it. A label carries the
    /// same information where every tool looks for it.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// MAINTAINER Jane Doe <jane@example.com>
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
    /// ```
    ///
    /// ## Fix
    /// Safe: `--fix` replaces the instruction with the
    /// `org.opencontainers.image.authors` label, its text quoted and `$`
    /// escaped (a label expands variables, `MAINTAINER` did not). The image
    /// then carries the label instead of the legacy `Author` field, which
    /// nothing reads.
    ///
    /// ## References
    /// - hadolint DL4000, trivy DS-0022
    /// - OCI image spec, pre-defined annotation `org.opencontainers.image.authors`
    id: "DF092",
    name: "maintainer-deprecated",
    title: "MAINTAINER is deprecated",
    severity: Low,
    aliases: ["DL4000", "DS022", "DS-0022", "AVD-DS-0022"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    let found: Vec<_> = cx
        .model
        .file
        .instructions
        .iter()
        .filter_map(|inst| match &inst.args {
            Args::Maintainer(who) => Some((inst.keyword_span, who.raw.clone(), who.span)),
            _ => None,
        })
        .collect();
    for (span, who, who_span) in found {
        let who = who.replace('\\', "\\\\").replace('"', "\\\"");
        // A label's value expands variables; MAINTAINER's did not.
        let label = format!(
            "LABEL org.opencontainers.image.authors=\"{}\"",
            who.replace('$', "\\$")
        );
        cx.report_fix(
            span,
            format!(
                "`MAINTAINER` is deprecated: use `LABEL org.opencontainers.image.authors=\"{who}\"`"
            ),
            Some(Repair::safe(
                "replace MAINTAINER with the authors label",
                (Span::new(span.start, who_span.end), label),
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_maintainer() {
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nMAINTAINER jane@example.com\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20 AS a\nmaintainer Jane\nFROM a\nMAINTAINER Joe\n"
            ),
            vec![2, 4]
        );
        let found = findings_with(
            &RULE,
            "FROM alpine:3.20\nMAINTAINER Jane \"JD\" Doe\n",
            &Default::default(),
        );
        assert!(
            found[0].message.contains(r#"authors="Jane \"JD\" Doe""#),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn silent_on_labels() {
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"Jane\"\n",
        );
        assert_silent(&RULE, "FROM alpine:3.20\nLABEL maintainer=\"Jane\"\n");
    }
}
