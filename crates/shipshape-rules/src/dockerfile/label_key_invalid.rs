use super::Checker;
use shipshape_dockerfile::syntax::ast::Args;

rule! {
    /// ## What it does
    /// Flags a `LABEL` key outside the recommended format: lower-case
    /// letters, digits, `.`, `-`, `_` and `/`; starting with a letter and
    /// ending with a letter or digit; no `..` or `--`; and not in the
    /// namespaces Docker reserves (`com.docker.`, `io.docker.`,
    /// `org.dockerproject.`). Keys are checked after variable expansion;
    /// keys with unknown variables are skipped.
    ///
    /// ## Why is this bad?
    /// Tools find labels by exact key. Keys in mixed case, with spaces or
    /// odd punctuation are easy to get subtly wrong (`Version` vs
    /// `version`), and keys in Docker's own namespaces may be overwritten
    /// or misread by Docker. Reverse-DNS keys such as
    /// `org.opencontainers.image.source` are what registries and scanners
    /// understand.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL Version="1.2.0"
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.version="1.2.0"
    /// ```
    ///
    /// ## References
    /// - hadolint DL3048
    /// - Docker documentation: object labels, key format recommendations
    id: "DF100",
    name: "label-key-invalid",
    title: "LABEL key not in the recommended format",
    severity: Info,
    aliases: ["DL3048"],
    check: check,
}

const RESERVED: &[&str] = &["com.docker.", "io.docker.", "org.dockerproject."];

fn check(cx: &mut Checker<'_, '_>) {
    for (stage, inst) in cx.model.insts() {
        let Args::Label(pairs) = &inst.body.args else {
            continue;
        };
        for kv in pairs {
            // A trigger's variables are those of the image built on this one.
            if inst.onbuild && kv.key.value.contains('$') {
                continue;
            }
            let Some(key) = stage.known_value(inst, &kv.key) else {
                continue;
            };
            if let Some(problem) = problem(&key) {
                cx.report(kv.key.span, format!("label key `{key}` {problem}"));
            }
        }
    }
}

/// What is wrong with a label key, if anything.
fn problem(key: &str) -> Option<String> {
    let allowed = |c: char| {
        c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_' | '/')
    };
    if let Some(bad) = key.chars().find(|&c| !allowed(c)) {
        let hint = if key.chars().any(|c| c.is_ascii_uppercase()) {
            format!(", e.g. `{}`", key.to_ascii_lowercase())
        } else {
            String::new()
        };
        return Some(format!(
            "contains `{bad}`: use only lower-case letters, digits, `.`, `-`, `_` and `/`{hint}"
        ));
    }
    if !key.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Some("must start with a lower-case letter".to_string());
    }
    if !key.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit()) {
        return Some("must end with a lower-case letter or a digit".to_string());
    }
    if let Some(double) = ["..", "--"].into_iter().find(|d| key.contains(d)) {
        return Some(format!("contains `{double}`: separators must not repeat"));
    }
    if let Some(ns) = RESERVED.iter().find(|ns| key.starts_with(*ns)) {
        return Some(format!(
            "is in the `{ns}` namespace reserved by Docker: use your own reverse-DNS prefix"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_badly_formed_keys() {
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nLABEL Maintainer=jane\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nLABEL ok=1 \"my key\"=2\n"),
            vec![2]
        );
        assert_eq!(lines(&RULE, "FROM alpine:3.20\nLABEL 1st=x\n"), vec![2]);
        assert_eq!(lines(&RULE, "FROM alpine:3.20\nLABEL .hidden=x\n"), vec![2]);
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nLABEL org.example.=x\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nLABEL org..example=x\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nLABEL org.example--x=x\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20\nLABEL com.docker.compose.project=x\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20\nLABEL io.docker.x=1 org.dockerproject.y=2\n"
            ),
            vec![2, 2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20\nLABEL description \"legacy form\"\nLABEL A=1\n"
            ),
            vec![3]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nARG K=Bad\nLABEL ${K}=1\n"),
            vec![3]
        );
    }

    #[test]
    fn silent_on_well_formed_keys() {
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nLABEL org.opencontainers.image.source=\"https://x\" maintainer=jane version=1.0\n",
        );
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nLABEL com.example.my-app/tier_2=web\n",
        );
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nLABEL \"org.example.key\"=\"Any Value\"\n",
        );
        assert_silent(&RULE, "FROM alpine:3.20\nARG K\nLABEL ${K}=1\n");
        assert_silent(&RULE, "FROM alpine:3.20\nLABEL a1=x\n");
    }
}
