use super::Checker;

rule! {
    /// ## What it does
    /// Flags a stage named `scratch` or `context`.
    ///
    /// ## Why is this bad?
    /// Both names already mean something to the builder: `scratch` is the
    /// empty image and `context` the build context (and a named context
    /// passed with `--build-context`). A stage with such a name makes
    /// `FROM scratch` or `COPY --from=context` ambiguous: current BuildKit
    /// rejects `scratch`, and readers cannot tell which one a reference
    /// means.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20 AS context
    /// RUN echo hello > /greeting
    ///
    /// FROM alpine:3.20
    /// COPY --from=context /greeting /greeting
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20 AS greeting
    /// RUN echo hello > /greeting
    ///
    /// FROM alpine:3.20
    /// COPY --from=greeting /greeting /greeting
    /// ```
    ///
    /// ## References
    /// - hadolint DL3063
    /// - BuildKit check `ReservedStageName`
    id: "DF008",
    name: "stage-name-reserved",
    title: "Stage name is reserved",
    severity: Medium,
    aliases: ["DL3063"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    for stage in &cx.model.stages {
        let Some(alias) = stage.alias else {
            continue;
        };
        let lower = alias.value.to_ascii_lowercase();
        let meaning = match lower.as_str() {
            "scratch" => "the empty base image",
            "context" => "the build context",
            _ => continue,
        };
        cx.report(
            alias.span,
            format!(
                "stage name `{}` is reserved for {meaning}; choose another name",
                alias.value
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_reserved_names() {
        assert_eq!(lines(&RULE, "FROM alpine:3.20 AS scratch\n"), vec![1]);
        assert_fires(&RULE, "FROM alpine:3.20 AS SCRATCH\nFROM SCRATCH\n");
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20 AS a\nFROM alpine:3.20 AS Context\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn silent_on_other_names() {
        assert_silent(&RULE, "FROM scratch\n");
        assert_silent(&RULE, "FROM scratch AS out\n");
        assert_silent(&RULE, "FROM alpine:3.20 AS contexts\n");
        assert_silent(&RULE, "FROM alpine:3.20 AS build-context\n");
    }
}
