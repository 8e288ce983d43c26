use super::Checker;
use crate::syntax::ast::{Args, Instruction, Word};

rule! {
    /// ## What it does
    /// Flags an `ENV` value, `ARG` default or `LABEL` value shaped like a
    /// credential, whatever the variable is called:
    /// - AWS access key IDs (`AKIA` or `ASIA` and 16 upper-case letters or digits)
    /// - GitHub tokens (`ghp_`, `gho_`, `ghs_`, `ghu_`, `ghr_`, `github_pat_`)
    /// - Slack tokens (`xoxb-`, `xoxp-`, `xoxa-`, `xoxr-`, `xoxs-`)
    /// - private keys (`-----BEGIN ... PRIVATE KEY-----`)
    /// - Stripe live keys (`sk_live_`, `rk_live_`)
    /// - Google API keys (`AIza` and 35 characters)
    /// - JSON Web Tokens (`eyJ...` `.` `eyJ...` `.`)
    /// - URLs with a password (`scheme://user:password@host`); a password
    ///   taken from a variable (`:$DB_PASSWORD@`) is fine
    ///
    /// The finding shows the first four characters of the credential; URL
    /// passwords are not shown at all.
    ///
    /// ## Why is this bad?
    /// The value is in the Dockerfile, so it is in version control, in
    /// every build log, and in the image: `ENV` and `LABEL` in its
    /// configuration, build arguments in its history. Anyone who can read
    /// the repository or pull the image has the credential. Treat it as
    /// leaked: revoke it, then supply it through a BuildKit secret mount
    /// or the runtime's secret store.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// ENV AWS_DEFAULT_REGION=eu-west-1 AWS_KEY=AKIAIOSFODNN7EXAMPLE
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// ENV AWS_DEFAULT_REGION=eu-west-1
    /// RUN --mount=type=secret,id=aws,target=/root/.aws/credentials \
    ///     python fetch_models.py
    /// ```
    ///
    /// ## References
    /// - dockle CIS-DI-0010
    /// - CIS Docker Benchmark 4.10 (no secrets in Dockerfiles)
    id: "DF031",
    name: "secret-value-in-env-arg-label",
    title: "Credential in an ENV, ARG or LABEL value",
    severity: Critical,
    aliases: ["CIS-DI-0010"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    for node in &cx.model.file.instructions {
        let inst: &Instruction = match &node.args {
            Args::Onbuild(inner) => inner,
            _ => node,
        };
        let values: Vec<(&Word, &Word)> = match &inst.args {
            Args::Env(pairs) | Args::Label(pairs) => {
                pairs.iter().map(|kv| (&kv.key, &kv.value)).collect()
            }
            Args::Arg(decls) => decls
                .iter()
                .filter_map(|d| d.default.as_ref().map(|v| (&d.name, v)))
                .collect(),
            _ => continue,
        };
        for (key, value) in values {
            if let Some(secret) = find_secret(&value.value) {
                cx.report(
                    value.span,
                    format!(
                        "the value of `{} {}` contains {} ({}); revoke it and pass it with `RUN --mount=type=secret` or at run time",
                        inst.keyword.as_str(),
                        key.value,
                        secret.kind,
                        secret.shown
                    ),
                );
            }
        }
    }
}

/// Measures a credential at the start of a text: its length in bytes.
type Matcher = fn(&str) -> Option<usize>;

struct Secret {
    kind: &'static str,
    /// The credential, redacted for messages.
    shown: String,
}

/// The first credential-shaped part of `text`.
fn find_secret(text: &str) -> Option<Secret> {
    let tokens: [(&str, Matcher); 7] = [
        ("an AWS access key ID", aws_key),
        ("a GitHub token", github_token),
        ("a Slack token", slack_token),
        ("a private key", private_key),
        ("a Stripe live key", stripe_key),
        ("a Google API key", google_key),
        ("a JSON Web Token", jwt),
    ];
    for (start, _) in text.char_indices() {
        let rest = text.get(start..).unwrap_or("");
        let starts_word = text
            .get(..start)
            .and_then(|before| before.chars().next_back())
            .is_none_or(|c| !c.is_ascii_alphanumeric());
        if !starts_word {
            continue;
        }
        for (kind, matcher) in tokens {
            if let Some(len) = matcher(rest) {
                let matched = rest.get(..len).unwrap_or(rest);
                return Some(Secret {
                    kind,
                    shown: format!("`{}…`", matched.chars().take(4).collect::<String>()),
                });
            }
        }
    }
    url_password(text).map(|shown| Secret {
        kind: "a URL with a password",
        shown: format!("`{shown}`"),
    })
}

/// Length of the run of characters at the start of `s` that satisfy `ok`.
fn run(s: &str, ok: impl Fn(char) -> bool) -> usize {
    s.char_indices()
        .find(|&(_, c)| !ok(c))
        .map_or(s.len(), |(i, _)| i)
}

/// Whether the token that ended at `end` is not followed by more of it.
fn ends_word(s: &str, end: usize) -> bool {
    s.get(end..)
        .and_then(|rest| rest.chars().next())
        .is_none_or(|c| !c.is_ascii_alphanumeric())
}

fn aws_key(s: &str) -> Option<usize> {
    let body = s.strip_prefix("AKIA").or_else(|| s.strip_prefix("ASIA"))?;
    let n = run(body, |c| c.is_ascii_uppercase() || c.is_ascii_digit());
    (n == 16 && ends_word(s, 20)).then_some(20)
}

fn github_token(s: &str) -> Option<usize> {
    if let Some(body) = s.strip_prefix("github_pat_") {
        let n = run(body, |c| c.is_ascii_alphanumeric() || c == '_');
        return (n >= 22).then_some(11 + n);
    }
    let prefixed = ["ghp_", "gho_", "ghs_", "ghu_", "ghr_"]
        .iter()
        .any(|p| s.starts_with(p));
    let body = s.get(4..).filter(|_| prefixed)?;
    let n = run(body, |c| c.is_ascii_alphanumeric());
    (n >= 30 && ends_word(s, 4 + n)).then_some(4 + n)
}

fn slack_token(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let ok = s.starts_with("xox")
        && matches!(bytes.get(3), Some(b'b' | b'p' | b'a' | b'r' | b's'))
        && bytes.get(4) == Some(&b'-');
    let body = s.get(5..).filter(|_| ok)?;
    let n = run(body, |c| c.is_ascii_alphanumeric() || c == '-');
    (n >= 10).then_some(5 + n)
}

fn private_key(s: &str) -> Option<usize> {
    let body = s.strip_prefix("-----BEGIN ")?;
    let label_end = body.find("-----")?;
    let label = body.get(..label_end)?;
    label.ends_with("PRIVATE KEY").then_some(11 + label_end + 5)
}

fn stripe_key(s: &str) -> Option<usize> {
    let body = s
        .strip_prefix("sk_live_")
        .or_else(|| s.strip_prefix("rk_live_"))?;
    let n = run(body, |c| c.is_ascii_alphanumeric());
    (n >= 16).then_some(8 + n)
}

fn google_key(s: &str) -> Option<usize> {
    let body = s.strip_prefix("AIza")?;
    let n = run(body, |c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    (n == 35).then_some(39)
}

fn jwt(s: &str) -> Option<usize> {
    let b64 = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    if !s.starts_with("eyJ") {
        return None;
    }
    let header = run(s, b64);
    let after_header = s.get(header..)?.strip_prefix('.')?;
    if header < 10 || !after_header.starts_with("eyJ") {
        return None;
    }
    let payload = run(after_header, b64);
    let after_payload = after_header.get(payload..)?;
    (payload >= 10 && after_payload.starts_with('.')).then_some(header + 1 + payload + 1)
}

/// A URL in `text` whose user info carries a literal password, shown with
/// the password masked.
fn url_password(text: &str) -> Option<String> {
    for (at, _) in text.match_indices("://") {
        let before = text.get(..at)?;
        let scheme_len = before
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
            .map(char::len_utf8)
            .sum::<usize>();
        let scheme = before.get(before.len() - scheme_len..)?;
        if !scheme.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let rest = text.get(at + 3..)?;
        let authority_end = rest
            .find(|c: char| matches!(c, '/' | '?' | '#') || c.is_whitespace())
            .unwrap_or(rest.len());
        let authority = rest.get(..authority_end)?;
        let Some((userinfo, host)) = authority.rsplit_once('@') else {
            continue;
        };
        let Some((user, password)) = userinfo.split_once(':') else {
            continue;
        };
        let placeholder = password.is_empty()
            || password.starts_with('$')
            || password.chars().all(|c| c == '*')
            || (password.starts_with('<') && password.ends_with('>'))
            || password.starts_with("{{");
        if !placeholder {
            return Some(format!("{scheme}://{user}:…@{host}"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{RULE, find_secret};
    use crate::rules::test_support::*;

    fn kind(text: &str) -> Option<&'static str> {
        find_secret(text).map(|s| s.kind)
    }

    #[test]
    fn fires_on_credentials_in_values() {
        assert_eq!(
            lines(&RULE, "FROM a:1\nENV KEY_ID=AKIAIOSFODNN7EXAMPLE\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "ARG T=ghp_0123456789abcdefghijABCDEFGHIJ012345\nFROM a:1\n"
            ),
            vec![1]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM a:1\nLABEL ci.url=\"https://deploy:s3cr3t@ci.example.com/hook\"\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM a:1\nENV DATABASE_URL postgres://app:pw@db:5432/app\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM a:1\nONBUILD ENV SLACK=xoxb-123456789012-abcdefghij\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn silent_on_ordinary_values() {
        assert_silent(&RULE, "FROM a:1\nENV AWS_DEFAULT_REGION=eu-west-1\n");
        assert_silent(
            &RULE,
            "FROM a:1\nENV DATABASE_URL=postgres://app:${DB_PASSWORD}@db/app\n",
        );
        assert_silent(&RULE, "FROM a:1\nENV DATABASE_URL=postgres://app@db/app\n");
        assert_silent(
            &RULE,
            "FROM a:1\nLABEL org.opencontainers.image.source=https://github.com/acme/app\n",
        );
        assert_silent(
            &RULE,
            "FROM a:1\nENV URL=https://user:****@host/ X=ghp_short\n",
        );
        assert_silent(
            &RULE,
            "FROM a:1\nARG AKIA\nENV NOTE=xAKIAIOSFODNN7EXAMPLE\n",
        );
        assert_silent(&RULE, "FROM a:1\nRUN echo AKIAIOSFODNN7EXAMPLE\n");
    }

    #[test]
    fn shapes() {
        assert_eq!(kind("AKIAIOSFODNN7EXAMPLE"), Some("an AWS access key ID"));
        assert_eq!(kind("AKIAIOSFODNN7EXAMPLEX"), None);
        assert_eq!(
            kind("key=ASIAIOSFODNN7EXAMPLE;"),
            Some("an AWS access key ID")
        );
        assert_eq!(
            kind("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz"),
            Some("a GitHub token")
        );
        assert_eq!(
            kind("-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl"),
            Some("a private key")
        );
        assert_eq!(kind("-----BEGIN CERTIFICATE-----"), None);
        assert_eq!(kind("-----BEGIN PUBLIC KEY-----"), None);
        assert_eq!(
            kind("sk_live_0123456789abcdefABCD"),
            Some("a Stripe live key")
        );
        assert_eq!(kind("sk_test_0123456789abcdefABCD"), None);
        assert_eq!(
            kind("AIzaSyA-0123456789abcdefghijklmnopqrstu"),
            Some("a Google API key")
        );
        assert_eq!(
            kind("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl"),
            Some("a JSON Web Token")
        );
        assert_eq!(kind("eyJhbGciOiJIUzI1NiJ9"), None);
        assert_eq!(
            kind("redis://:hunter2@cache:6379"),
            Some("a URL with a password")
        );
        assert_eq!(kind("https://example.com/a:b@c"), None);
        assert_eq!(kind("mailto:a:b@c"), None);
        let shown = find_secret("AKIAIOSFODNN7EXAMPLE").map(|s| s.shown);
        assert_eq!(shown.as_deref(), Some("`AKIA…`"));
        let shown = find_secret("mysql://root:hunter2@db/x").map(|s| s.shown);
        assert_eq!(shown.as_deref(), Some("`mysql://root:…@db`"));
    }
}
