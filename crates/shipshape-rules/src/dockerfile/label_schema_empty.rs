use super::Checker;
use shipshape_dockerfile::labels::label_uses;

rule! {
    /// ## What it does
    /// With a label schema configured, flags a schema label set to an
    /// empty value (`LABEL org.opencontainers.image.version=""`).
    ///
    /// ## Why is this bad?
    /// An empty label passes a check for its presence and tells nothing:
    /// usually a build argument that was never passed.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.source="https://git.example.com/app" \
    ///       org.opencontainers.image.version=""
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
    /// - hadolint DL3051
    id: "DF106",
    name: "label-schema-empty",
    title: "A label of the label schema is empty",
    severity: Medium,
    aliases: ["DL3051"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    if cx.options.label_schema.is_empty() {
        return;
    }
    for label in label_uses(cx.model) {
        let in_schema = cx.options.label_schema.iter().any(|(k, _)| *k == label.key);
        if in_schema && label.value.as_deref().is_some_and(|v| v.trim().is_empty()) {
            cx.report(
                label.value_span,
                format!("label `{}` of the label schema is empty", label.key),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    fn lines_with_schema(src: &str) -> Vec<u32> {
        lines_given(&RULE, src, &schema_options(false))
    }

    #[test]
    fn fires_on_empty_schema_labels() {
        assert_eq!(
            lines_with_schema(
                "FROM a:1\nARG VERSION=\nLABEL org.opencontainers.image.version=$VERSION\nLABEL org.opencontainers.image.source=\"\"\n"
            ),
            vec![3, 4]
        );
    }

    #[test]
    fn silent_on_set_or_unknown_values_and_other_labels() {
        assert!(lines_with_schema(
            "FROM a:1\nARG VERSION=1.0.0\nLABEL org.opencontainers.image.version=$VERSION team=\"\"\n"
        )
        .is_empty());
        assert_silent(
            &RULE,
            "FROM a:1\nLABEL org.opencontainers.image.version=\"\"\n",
        );
    }
}
