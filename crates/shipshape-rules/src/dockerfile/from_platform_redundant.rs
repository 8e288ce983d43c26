use super::Checker;

rule! {
    /// ## What it does
    /// Flags `FROM --platform=$TARGETPLATFORM`.
    ///
    /// ## Why is this bad?
    /// A stage is pulled for the target platform unless told otherwise, so
    /// the flag changes nothing. It adds noise, and readers looking for the
    /// stages that really pick a platform (those on `$BUILDPLATFORM`) have
    /// more to read past.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM --platform=$TARGETPLATFORM alpine:3.20
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ```
    ///
    /// ## References
    /// - hadolint DL3065
    /// - BuildKit check `RedundantTargetPlatform`
    id: "DF005",
    name: "from-platform-redundant",
    title: "`FROM --platform=$TARGETPLATFORM` is the default",
    severity: Low,
    aliases: ["DL3065"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    for stage in &cx.model.stages {
        let Some(flag) = stage.from.flag("platform") else {
            continue;
        };
        let value = flag.value.as_deref().unwrap_or("").trim();
        if matches!(value, "$TARGETPLATFORM" | "${TARGETPLATFORM}") {
            cx.report(
                flag.span,
                format!("`--platform={value}` is what the stage gets anyway; remove the flag"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_target_platform() {
        assert_eq!(
            lines(&RULE, "FROM --platform=$TARGETPLATFORM alpine:3.20\n"),
            vec![1]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20 AS a\nFROM --platform=\"${TARGETPLATFORM}\" alpine:3.20 AS b\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn silent_on_other_platforms() {
        assert_silent(&RULE, "FROM alpine:3.20\n");
        assert_silent(&RULE, "FROM --platform=$BUILDPLATFORM alpine:3.20\n");
        assert_silent(&RULE, "FROM --platform=linux/amd64 alpine:3.20\n");
        assert_silent(
            &RULE,
            "FROM --platform=${TARGETPLATFORM:-linux/amd64} alpine:3.20\n",
        );
    }
}
