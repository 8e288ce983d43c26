use super::Checker;
use shipshape_dockerfile::syntax::ast::Args;

rule! {
    /// ## What it does
    /// Flags `FROM --platform=...` with a value other than the automatic
    /// platform arguments `$BUILDPLATFORM` and `$TARGETPLATFORM`.
    ///
    /// ## Why is this bad?
    /// A fixed platform such as `linux/amd64` ties the stage to one
    /// architecture: a multi-platform build silently produces images whose
    /// content does not match their platform, and builds on other machines
    /// run under emulation or fail. The platform belongs on the build
    /// command (`docker build --platform ...`), which fills in
    /// `$TARGETPLATFORM`; a stage that must run on the build machine (a
    /// cross-compiler) uses `$BUILDPLATFORM`.
    ///
    /// Like hadolint, any other variable is flagged too: a build argument
    /// that has to be set by hand is a fixed platform with extra steps. A
    /// global `ARG` whose default refers to `BUILDPLATFORM` or
    /// `TARGETPLATFORM` is accepted.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM --platform=linux/amd64 debian:12
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM --platform=$BUILDPLATFORM golang:1.23 AS build
    /// ARG TARGETOS TARGETARCH
    /// RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .
    ///
    /// FROM debian:12
    /// COPY --from=build /out/app /usr/local/bin/app
    /// ```
    ///
    /// ## References
    /// - hadolint DL3029
    /// - BuildKit check `FromPlatformFlagConstDisallowed`
    id: "DF004",
    name: "from-platform-flag",
    title: "`FROM --platform` with a fixed platform",
    severity: Medium,
    aliases: ["DL3029"],
    check: check,
}

const PLATFORM_ARGS: [&str; 2] = ["BUILDPLATFORM", "TARGETPLATFORM"];

fn check(cx: &mut Checker<'_, '_>) {
    // Global ARGs that stand for one of the automatic platform arguments.
    let mut aliases: Vec<&str> = Vec::new();
    for inst in &cx.model.preamble {
        if let Args::Arg(decls) = &inst.args {
            for decl in decls {
                let default = decl
                    .default
                    .as_ref()
                    .map(|w| w.value.as_str())
                    .unwrap_or("");
                if PLATFORM_ARGS
                    .iter()
                    .chain(aliases.iter())
                    .any(|name| references(default, name))
                {
                    aliases.push(&decl.name.value);
                }
            }
        }
    }
    for stage in &cx.model.stages {
        let Some(flag) = stage.from.flag("platform") else {
            continue;
        };
        let value = flag.value.as_deref().unwrap_or("").trim();
        if PLATFORM_ARGS
            .iter()
            .chain(aliases.iter())
            .any(|name| references(value, name))
        {
            continue;
        }
        let message = if value.is_empty() {
            "`--platform` has no value; drop it, or use `--platform=$BUILDPLATFORM` for a stage that runs on the build machine".to_string()
        } else if value.contains('$') {
            format!(
                "`--platform={value}` has to be set by hand for each build; drop it and pass `--platform` to the build, or use `$BUILDPLATFORM`"
            )
        } else {
            format!(
                "`--platform={value}` fixes the stage to one platform; drop it and pass `--platform` to the build, or use `$BUILDPLATFORM`"
            )
        };
        cx.report(flag.span, message);
    }
}

/// Whether `text` refers to the variable `name` (`$name`, `${name}`,
/// `${name:-...}`).
fn references(text: &str, name: &str) -> bool {
    text.match_indices('$').any(|(i, _)| {
        let rest = text.get(i + 1..).unwrap_or("");
        if let Some(braced) = rest.strip_prefix('{') {
            braced
                .strip_prefix(name)
                .is_some_and(|after| after.starts_with(['}', ':', '-', '+', '?', '#', '%', '/']))
        } else {
            rest.strip_prefix(name).is_some_and(|after| {
                !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
            })
        }
    })
}

#[cfg(test)]
mod tests {
    use super::{RULE, references};
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_fixed_platforms_and_other_variables() {
        assert_eq!(
            lines(&RULE, "FROM --platform=linux/arm64 alpine:3.20\n"),
            vec![1]
        );
        assert_eq!(
            lines(&RULE, "FROM --platform=\"linux/amd64\" alpine:3.20 AS x\n"),
            vec![1]
        );
        assert_eq!(
            lines(
                &RULE,
                "ARG PLATFORM=linux/amd64\nFROM --platform=$PLATFORM alpine:3.20\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "ARG P\nFROM --platform=${P} alpine:3.20\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM --platform=$BUILDPLATFORMX alpine:3.20\n"),
            vec![1]
        );
        assert_eq!(lines(&RULE, "FROM --platform= alpine:3.20\n"), vec![1]);
    }

    #[test]
    fn silent_on_platform_arguments() {
        assert_silent(&RULE, "FROM alpine:3.20\n");
        assert_silent(&RULE, "FROM --platform=$BUILDPLATFORM alpine:3.20\n");
        assert_silent(&RULE, "FROM --platform=${BUILDPLATFORM} alpine:3.20\n");
        assert_silent(&RULE, "FROM --platform=\"$TARGETPLATFORM\" alpine:3.20\n");
        assert_silent(
            &RULE,
            "FROM --platform=${TARGETPLATFORM:-linux/amd64} alpine:3.20\n",
        );
        assert_silent(
            &RULE,
            "ARG HOST=$BUILDPLATFORM\nFROM --platform=$HOST alpine:3.20\n",
        );
    }

    #[test]
    fn variable_references() {
        assert!(references("$A", "A"));
        assert!(references("x-${A}", "A"));
        assert!(!references("$AB", "A"));
        assert!(!references("A", "A"));
        assert!(!references("${AB}", "A"));
    }
}
