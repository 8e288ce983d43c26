use super::{Checker, Repair};
use shipshape_dockerfile::syntax::ast::Args;

rule! {
    /// ## What it does
    /// Flags a `WORKDIR` whose path is relative, after expanding build
    /// arguments and environment variables. Absolute paths start with `/`
    /// or a Windows drive (`C:`, `C:\`); a path that starts with a variable
    /// nobody defined is left alone, as its value is unknown.
    ///
    /// ## Why is this bad?
    /// A relative `WORKDIR` is resolved against the previous one, which may
    /// come from the base image and change when the base image changes.
    /// Files then land somewhere else than intended and `COPY`, `RUN` and
    /// the container's start command work in a directory nobody chose.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-alpine
    /// WORKDIR app
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22-alpine
    /// WORKDIR /app
    /// ```
    ///
    /// ## Fix
    /// Unsafe (`--unsafe-fixes`): `--fix` writes the suggested absolute path,
    /// which is the same directory only if the previous `WORKDIR` (of the stage
    /// or the base image) was `/`.
    ///
    /// ## References
    /// - hadolint DL3000, trivy DS-0009
    id: "DF090",
    name: "workdir-relative",
    title: "WORKDIR path is relative",
    severity: Medium,
    aliases: ["DL3000", "DS009", "DS-0009", "AVD-DS-0009"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    for (stage, inst) in cx.model.insts() {
        let Args::Workdir(word) = &inst.body.args else {
            continue;
        };
        let path = if inst.onbuild {
            // A trigger expands in the child image, whose variables are unknown.
            if word.value.starts_with('$') {
                continue;
            }
            word.value.clone()
        } else {
            let expanded = stage.expand(inst, word);
            if !expanded.is_exact() && word.value.starts_with('$') {
                continue;
            }
            expanded.value
        };
        if is_absolute(&path) {
            continue;
        }
        let name = path.trim_start_matches("./").trim_end_matches('/');
        let suggestion = if name.is_empty() || name.starts_with("..") {
            "/app".to_string()
        } else {
            format!("/{name}")
        };
        let message = format!(
            "`WORKDIR {path}` is relative to whatever the previous WORKDIR was: \
             use an absolute path such as `{suggestion}`"
        );
        // Unsafe: the previous WORKDIR (this stage's, or the base image's)
        // may not be `/`.
        let fix = cx
            .bare(word.span, &word.value)
            .then(|| Repair::unsafe_("make the WORKDIR absolute", (word.span, suggestion)));
        cx.report_fix(word.span, message, fix);
    }
}

/// `/x`, `C:`, `C:\x` or `C:/x`.
pub(super) fn is_absolute(path: &str) -> bool {
    let mut chars = path.chars();
    match (chars.next(), chars.next()) {
        (Some('/'), _) => true,
        (Some(drive), Some(':')) => drive.is_ascii_alphabetic(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_relative_paths() {
        assert_eq!(lines(&RULE, "FROM alpine:3.20\nWORKDIR app\n"), vec![2]);
        assert_eq!(lines(&RULE, "FROM alpine:3.20\nWORKDIR ./src\n"), vec![2]);
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nWORKDIR \"my app\"\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nARG DIR=build\nWORKDIR $DIR\n"),
            vec![3]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nWORKDIR src/$SUB\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nWORKDIR /app\nWORKDIR ..\n"),
            vec![3]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nONBUILD WORKDIR src\n"),
            vec![2]
        );
    }

    #[test]
    fn silent_on_absolute_paths_and_unknown_variables() {
        assert_silent(&RULE, "FROM alpine:3.20\nWORKDIR /app\n");
        assert_silent(&RULE, "FROM alpine:3.20\nWORKDIR \"/srv/my app\"\n");
        assert_silent(&RULE, "FROM alpine:3.20\nWORKDIR $HOME\n");
        assert_silent(&RULE, "FROM alpine:3.20\nWORKDIR ${APP_HOME}/src\n");
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nENV APP_HOME=/srv\nWORKDIR ${APP_HOME}/src\n",
        );
        assert_silent(
            &RULE,
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR C:\\\\app\n",
        );
        assert_silent(
            &RULE,
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR c:/app\n",
        );
        assert_silent(&RULE, "FROM alpine:3.20\nONBUILD WORKDIR $DIR\n");
    }
}
