use super::Checker;
use shipshape_dockerfile::labels::label_uses;

rule! {
    /// ## What it does
    /// With a label schema configured, flags a schema label whose value
    /// does not have the form its type asks for: `url` an absolute URL,
    /// `rfc3339` an RFC 3339 date and time, `spdx` an SPDX license
    /// expression, `hash` a full git commit hash, `semver` a semantic
    /// version, `email` an e-mail address (`text` takes anything). Values
    /// that depend on a variable of unknown value are skipped, and empty
    /// ones are DF106's.
    ///
    /// ## Why is this bad?
    /// Tools read these labels by their type: a registry links the source
    /// URL, a release tool compares versions, a license scanner parses the
    /// expression. A value in the wrong form is metadata they cannot use.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.source="git.example.com/app" \
    ///       org.opencontainers.image.version="v1.4"
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.source="https://git.example.com/app" \
    ///       org.opencontainers.image.version="1.4.0"
    /// ```
    ///
    /// ## References
    /// - hadolint DL3052 (url), DL3053 (rfc3339), DL3054 (spdx), DL3055
    ///   (hash), DL3056 (semver), DL3058 (email)
    id: "DF107",
    name: "label-schema-value",
    title: "A label of the label schema has a value of the wrong form",
    severity: Medium,
    aliases: ["DL3052", "DL3053", "DL3054", "DL3055", "DL3056", "DL3058"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    if cx.options.label_schema.is_empty() {
        return;
    }
    for label in label_uses(cx.model) {
        let Some(kind) = cx
            .options
            .label_schema
            .iter()
            .find(|(k, _)| *k == label.key)
            .map(|(_, t)| *t)
        else {
            continue;
        };
        let Some(value) = label.value.as_deref().filter(|v| !v.trim().is_empty()) else {
            continue;
        };
        if !kind.accepts(value) {
            cx.report(
                label.value_span,
                format!(
                    "label `{}` is `{value}`, which is not {kind} as the label schema asks",
                    label.key
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::Options;
    use crate::dockerfile::test_support::*;
    use shipshape_dockerfile::labels::LabelType::*;

    fn lines_with_schema(src: &str) -> Vec<u32> {
        let mut schema = label_schema();
        schema.extend([
            ("created".to_string(), Rfc3339),
            ("licenses".to_string(), Spdx),
            ("revision".to_string(), Hash),
            ("authors".to_string(), Email),
            ("title".to_string(), Text),
        ]);
        let options = Options {
            label_schema: schema,
            ..Options::default()
        };
        lines_given(&RULE, src, &options)
    }

    #[test]
    fn fires_on_each_type_in_the_wrong_form() {
        let src = "FROM a:1\n\
                   LABEL org.opencontainers.image.source=git.example.com/app\n\
                   LABEL org.opencontainers.image.version=v1.4\n\
                   LABEL created=yesterday\n\
                   LABEL licenses=\"Apache License 2.0\"\n\
                   LABEL revision=main\n\
                   ARG OWNER=ops\n\
                   LABEL authors=$OWNER\n";
        assert_eq!(lines_with_schema(src), vec![2, 3, 4, 5, 6, 8]);
    }

    #[test]
    fn silent_on_right_forms_unknown_values_and_text() {
        let src = "FROM a:1\n\
                   ARG VERSION\n\
                   LABEL org.opencontainers.image.source=https://git.example.com/app\n\
                   LABEL org.opencontainers.image.version=$VERSION\n\
                   LABEL created=2024-05-01T12:00:00Z licenses=\"Apache-2.0 OR MIT\"\n\
                   LABEL revision=0123456789abcdef0123456789abcdef01234567\n\
                   LABEL authors=\"Ops <ops@example.com>\" title=\"anything at all\"\n\
                   LABEL other=v1.4\n";
        assert!(lines_with_schema(src).is_empty());
        assert_silent(
            &RULE,
            "FROM a:1\nLABEL org.opencontainers.image.version=v1.4\n",
        );
    }
}
