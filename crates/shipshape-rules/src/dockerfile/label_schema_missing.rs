use super::Checker;
use shipshape_dockerfile::labels::label_uses;

rule! {
    /// ## What it does
    /// With a label schema configured (`labelSchema` in `.shipshape.yaml`,
    /// as hadolint's `label-schema`), flags a label of the schema that the
    /// final image does not set: neither its last stage nor the stages it
    /// is built on (`FROM <stage>`) has a `LABEL` for it. Build-only
    /// stages are not checked: they are not shipped. Without a schema the
    /// rule does nothing.
    ///
    /// ## Why is this bad?
    /// A schema is how a team says which metadata every image carries (its
    /// source repository, version, owner, license): registries, scanners
    /// and incident responders look for it there. An image without it
    /// cannot be traced back to its source.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.source="https://git.example.com/app"
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
    /// - hadolint DL3049
    id: "DF104",
    name: "label-schema-missing",
    title: "A label the label schema requires is missing",
    severity: Low,
    aliases: ["DL3049"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    if cx.options.label_schema.is_empty() {
        return;
    }
    let Some(last) = cx.model.last_stage() else {
        return;
    };
    let lineage: Vec<usize> = cx.model.lineage(last).map(|s| s.index).collect();
    let set: Vec<String> = label_uses(cx.model)
        .into_iter()
        .filter(|l| lineage.contains(&l.stage))
        .map(|l| l.key)
        .collect();
    for (key, kind) in &cx.options.label_schema {
        if !set.contains(key) {
            cx.report(
                last.from.span,
                format!(
                    "the final image has no label `{key}`, which the label schema requires ({kind})"
                ),
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
    fn fires_for_each_schema_label_the_final_image_lacks() {
        assert_eq!(lines_with_schema("FROM a:1\nUSER 1\n"), vec![1, 1]);
        // Set only in a build stage the final image does not build on.
        assert_eq!(
            lines_with_schema(
                "FROM a:1 AS build\nLABEL org.opencontainers.image.version=1.0.0\nFROM b:1\nLABEL org.opencontainers.image.source=https://x.example\n"
            ),
            vec![3]
        );
    }

    #[test]
    fn silent_when_set_inherited_or_without_a_schema() {
        assert!(lines_with_schema(
            "FROM a:1 AS base\nLABEL org.opencontainers.image.version=1.0.0\nFROM base\nLABEL org.opencontainers.image.source=https://x.example\n"
        )
        .is_empty());
        assert_silent(&RULE, "FROM a:1\nUSER 1\n");
    }
}
