use super::Checker;
use shipshape_dockerfile::labels::label_uses;

rule! {
    /// ## What it does
    /// With a label schema and `strictLabels: true` in `.shipshape.yaml`
    /// (hadolint's `strict-labels`), flags a `LABEL` whose key the schema
    /// does not list. Without both settings the rule does nothing.
    ///
    /// ## Why is this bad?
    /// A strict schema keeps image metadata to an agreed vocabulary: a
    /// typo (`org.opencontainers.image.verison`) or an ad-hoc key is
    /// metadata nobody will find.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.source="https://git.example.com/app" \
    ///       org.opencontainers.image.version="1.4.2" \
    ///       maintainer="ops@example.com"
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.source="https://git.example.com/app" \
    ///       org.opencontainers.image.version="1.4.2"
    /// ```
    ///
    /// ## References
    /// - hadolint DL3050
    id: "DF105",
    name: "label-not-in-schema",
    title: "A label outside the strict label schema",
    severity: Low,
    aliases: ["DL3050"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    if !cx.options.strict_labels || cx.options.label_schema.is_empty() {
        return;
    }
    for label in label_uses(cx.model) {
        if !cx.options.label_schema.iter().any(|(k, _)| *k == label.key) {
            cx.report(
                label.key_span,
                format!(
                    "label `{}` is not in the label schema, and labels are strict",
                    label.key
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    fn lines_with(strict: bool, src: &str) -> Vec<u32> {
        lines_given(&RULE, src, &schema_options(strict))
    }

    #[test]
    fn fires_on_labels_outside_a_strict_schema() {
        assert_eq!(
            lines_with(
                true,
                "FROM a:1\nLABEL org.opencontainers.image.version=1.0.0\nLABEL team=ops\n"
            ),
            vec![3]
        );
    }

    #[test]
    fn silent_on_schema_labels_and_when_not_strict() {
        let src = "FROM a:1\nLABEL org.opencontainers.image.version=1.0.0 team=ops\n";
        assert!(lines_with(false, src).is_empty());
        assert!(
            lines_with(
                true,
                "FROM a:1\nLABEL org.opencontainers.image.version=1.0.0\n"
            )
            .is_empty()
        );
        assert_silent(&RULE, src);
    }
}
