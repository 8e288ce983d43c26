//! What credentials look like: variable names that say they hold one, and
//! values shaped like a known kind of token or key. Shared by every check
//! that looks for secrets (Dockerfile ENV/ARG/LABEL, manifest environments,
//! image configs).

/// Names of well-known credentials, upper case.
const KNOWN: &[&str] = &[
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AZURE_CLIENT_SECRET",
    "AZURE_STORAGE_KEY",
    "AZURE_STORAGE_CONNECTION_STRING",
    "GITHUB_TOKEN",
    "GH_TOKEN",
    "GITLAB_TOKEN",
    "CI_JOB_TOKEN",
    "NPM_TOKEN",
    "NODE_AUTH_TOKEN",
    "DOCKER_PASSWORD",
    "DOCKER_AUTH_CONFIG",
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
    "HF_TOKEN",
    "HUGGING_FACE_HUB_TOKEN",
    "DIGITALOCEAN_ACCESS_TOKEN",
    "PGPASSWORD",
    "MYSQL_PWD",
    "SLACK_WEBHOOK_URL",
    "SENTRY_AUTH_TOKEN",
    "STRIPE_SECRET_KEY",
    "VAULT_TOKEN",
];

/// Prefixes that front-end build tools add to variables they expose.
const PREFIXES: &[&str] = &["VITE_", "REACT_APP_", "NEXT_PUBLIC_"];

/// Words that make a name a credential on their own.
const WORDS: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "credentials",
    "privatekey",
    "accesskey",
    "authtoken",
];

/// Consecutive words that make a name a credential.
const PAIRS: &[(&str, &str)] = &[("api", "key"), ("private", "key"), ("access", "key")];

/// Last words of names that describe or locate a credential.
const NOT_THE_SECRET: &[&str] = &[
    "file",
    "files",
    "path",
    "dir",
    "directory",
    "url",
    "uri",
    "endpoint",
    "version",
    "length",
    "ttl",
    "lifetime",
    "expiry",
    "expiration",
    "timeout",
    "type",
    "name",
    "header",
    "enabled",
    "required",
];

/// Why a variable name looks like a credential, or `None`.
pub fn credential_name(name: &str) -> Option<String> {
    let upper = name.to_ascii_uppercase();
    let bare = PREFIXES
        .iter()
        .find_map(|p| upper.strip_prefix(p))
        .unwrap_or(&upper);
    if KNOWN.contains(&bare) {
        return Some("is the name of a well-known credential".to_string());
    }
    // A cluster id that etcd's docs call a token; a fingerprint; the shell's
    // working directory.
    if matches!(
        bare,
        "GPG_KEY" | "GPG_KEYS" | "PWD" | "OLDPWD" | "ETCD_INITIAL_CLUSTER_TOKEN"
    ) {
        return None;
    }
    let words = split_words(name);
    if words
        .last()
        .is_some_and(|w| NOT_THE_SECRET.contains(&w.as_str()))
    {
        return None;
    }
    if let Some(word) = words.iter().find(|w| WORDS.contains(&w.as_str())) {
        return Some(format!("looks like a credential (`{word}`)"));
    }
    words.windows(2).find_map(|pair| match pair {
        [a, b] if PAIRS.contains(&(a.as_str(), b.as_str())) => {
            Some(format!("looks like a credential (`{a}_{b}`)"))
        }
        _ => None,
    })
}

/// Values that cannot be a credential: paths and booleans.
pub fn harmless_value(value: &str) -> bool {
    value.starts_with('/')
        || value.starts_with("./")
        || value.starts_with("~/")
        || matches!(
            value.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "none" | "null"
        )
}

/// The lower-case words of a name, split at `_`, `-`, `.` and camelCase
/// boundaries.
pub fn split_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for ch in name.chars() {
        if matches!(ch, '_' | '-' | '.') {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if ch.is_ascii_uppercase() && prev_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        prev_lower = ch.is_ascii_lowercase() || ch.is_ascii_digit();
        current.push(ch.to_ascii_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Bits of entropy per character of `s` (Shannon, over its bytes).
pub fn entropy(s: &str) -> f64 {
    let mut counts = [0u32; 256];
    for b in s.bytes() {
        counts[b as usize] += 1;
    }
    let len = s.len() as f64;
    counts
        .iter()
        .filter(|c| **c > 0)
        .map(|c| {
            let p = f64::from(*c) / len;
            -p * p.log2()
        })
        .sum()
}

/// The entropy per character of `value` when it looks like a generated
/// key or token: one word of 20 to 512 characters of the base64 and
/// URL-safe alphabets, mixing upper case, lower case and digits, with at
/// least 4 bits of entropy per character (a little less for the shortest,
/// whose entropy cannot reach it), and changing between upper case, lower
/// case, digits and symbols at 40% of its characters or more, where
/// CamelCase words change at about a third. Hex strings (checksums, key
/// fingerprints), version strings, paths, URLs and `sha256-…` integrity
/// values do not qualify.
pub fn random_token(value: &str) -> Option<f64> {
    let ok_len = (20..=512).contains(&value.len());
    let alphabet = value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'_' | b'-'));
    if !ok_len || !alphabet || harmless_value(value) {
        return None;
    }
    let integrity = ["sha1-", "sha256-", "sha384-", "sha512-"]
        .iter()
        .any(|p| value.starts_with(p));
    let mixed = value.bytes().any(|b| b.is_ascii_uppercase())
        && value.bytes().any(|b| b.is_ascii_lowercase())
        && value.bytes().any(|b| b.is_ascii_digit());
    let class = |b: &u8| match b {
        b'A'..=b'Z' => 0,
        b'a'..=b'z' => 1,
        b'0'..=b'9' => 2,
        _ => 3,
    };
    let bytes = value.as_bytes();
    let changes = bytes
        .windows(2)
        .filter(|w| class(&w[0]) != class(&w[1]))
        .count();
    let varied = changes * 5 >= (bytes.len() - 1) * 2;
    let bits = entropy(value);
    let enough = bits >= (value.len() as f64).log2().min(4.6) - 0.6;
    (!integrity && mixed && varied && enough).then_some(bits)
}

/// Measures a credential at the start of a text: its length in bytes.
type Matcher = fn(&str) -> Option<usize>;

pub struct Secret {
    pub kind: &'static str,
    /// The credential, redacted for messages.
    pub shown: String,
    /// The credential as written (the password alone, for a URL): what a
    /// finding masks wherever its source is shown.
    pub found: String,
}

/// The first credential-shaped part of `text`.
pub fn find_secret(text: &str) -> Option<Secret> {
    let tokens: [(&str, Matcher); 9] = [
        ("an AWS access key ID", aws_key),
        ("a GitHub token", github_token),
        ("a GitLab token", gitlab_token),
        ("a Slack webhook URL", slack_webhook),
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
                    found: matched.to_string(),
                });
            }
        }
    }
    url_password(text).map(|(shown, password)| Secret {
        kind: "a URL with a password",
        shown: format!("`{shown}`"),
        found: password.to_string(),
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

fn gitlab_token(s: &str) -> Option<usize> {
    let body = s
        .strip_prefix("glpat-")
        .or_else(|| s.strip_prefix("gldt-"))
        .or_else(|| s.strip_prefix("glrt-"))?;
    let n = run(body, |c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    (n >= 20).then_some(s.len() - body.len() + n)
}

fn slack_webhook(s: &str) -> Option<usize> {
    let body = s.strip_prefix("https://hooks.slack.com/services/T")?;
    let n = run(body, |c| c.is_ascii_alphanumeric() || c == '/');
    (n >= 20 && body.get(..n)?.matches('/').count() == 2).then_some(s.len() - body.len() + n)
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
/// The first URL of `text` with a password in it: the URL with the
/// password redacted, and the password.
fn url_password(text: &str) -> Option<(String, &str)> {
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
            return Some((format!("{scheme}://{user}:…@{host}"), password));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> Option<&'static str> {
        find_secret(text).map(|s| s.kind)
    }

    #[test]
    fn words_and_names() {
        assert_eq!(split_words("dbPassword"), ["db", "password"]);
        assert_eq!(
            split_words("AWS_SECRET-ACCESS.key"),
            ["aws", "secret", "access", "key"]
        );
        assert_eq!(split_words("APIKey"), ["apikey"]);
        assert!(credential_name("REACT_APP_GH_TOKEN").is_some());
        assert!(credential_name("STRIPE_PRIVATE_KEY").is_some());
        assert!(credential_name("AWS_ACCESS_KEY").is_some());
        assert!(credential_name("SSH_KEY_DIR").is_none());
        assert!(credential_name("MONKEY").is_none());
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
        assert_eq!(kind("glpat-Ab3dEf6hIj9kLm2nOp5q"), Some("a GitLab token"));
        assert_eq!(kind("glpat-short"), None);
        assert_eq!(
            kind(
                "url=https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"
            ),
            Some("a Slack webhook URL")
        );
        assert_eq!(kind("https://hooks.slack.com/services/"), None);
        let shown = find_secret("AKIAIOSFODNN7EXAMPLE").map(|s| s.shown);
        assert_eq!(shown.as_deref(), Some("`AKIA…`"));
        let shown = find_secret("mysql://root:hunter2@db/x").map(|s| s.shown);
        assert_eq!(shown.as_deref(), Some("`mysql://root:…@db`"));
    }
}
