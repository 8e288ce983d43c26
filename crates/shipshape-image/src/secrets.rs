//! Secret scanning of file contents: every text file of every layer (up to
//! a size bound; binaries skipped) is searched line by line for
//! credential-shaped values, known-format tokens and `password = ...`
//! assignments whose value looks random. Findings keep the line and show
//! the secret redacted.

use shipshape_core::secrets::{entropy, find_secret};

/// A secret found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub line: u32,
    /// What it looks like (`an AWS access key ID`).
    pub kind: String,
    /// The secret, redacted for reports.
    pub shown: String,
}

/// Files larger than this are not scanned.
pub const MAX_SCAN: u64 = 1 << 20;

/// Paths that hold documentation, examples and test data of installed
/// software, where key-shaped strings are samples, not secrets.
pub fn allowed(path: &str) -> bool {
    const DIRS: &[&str] = &[
        "usr/share/doc/",
        "usr/share/man/",
        "usr/share/info/",
        "usr/share/locale/",
        "usr/share/i18n/",
        "usr/share/zoneinfo/",
        "usr/share/common-licenses/",
        "usr/share/perl/",
        "usr/share/perl5/",
        "usr/lib/python3/dist-packages/",
        "etc/ssl/certs/",
        "usr/share/ca-certificates/",
    ];
    const PARTS: &[&str] = &[
        "/test/",
        "/tests/",
        "/testdata/",
        "/testing/",
        "/examples/",
        "/example/",
        "/docs/",
        "/__tests__/",
        "/spec/",
        "/fixtures/",
    ];
    let with_slash = format!("/{path}");
    DIRS.iter().any(|d| path.starts_with(d))
        || PARTS.iter().any(|p| with_slash.contains(p))
        || path.ends_with(".md")
        || path.ends_with(".rst")
        || path.ends_with(".html")
}

/// Whether bytes look like text: no NUL in the first 8 KiB.
pub fn is_text(data: &[u8]) -> bool {
    !data.iter().take(8192).any(|b| *b == 0)
}

/// Keys of `key = value` assignments that hold a secret.
const KEYS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "secret_key",
    "client_secret",
    "api_key",
    "apikey",
    "access_token",
    "auth_token",
    "aws_secret_access_key",
];

/// Values that are placeholders, not secrets.
fn placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    value.contains('$')
        || value.contains('{')
        || value.contains('<')
        || value.contains('%')
        || value.chars().all(|c| c == '*' || c == 'x' || c == 'X')
        || [
            "changeme",
            "example",
            "password",
            "secret",
            "dummy",
            "sample",
            "placeholder",
            "your",
        ]
        .iter()
        .any(|w| lower.contains(w))
}

/// A `key = value` or `key: value` assignment of a secret with a value
/// that looks random: at least 8 characters and 3.5 bits of entropy each.
/// An unquoted value with brackets or parentheses is code (`passwd =
/// getpass(prompt)`, `user, passwd = self.lookup(host)`), not a secret: a
/// secret written in code is a quoted literal.
fn assignment(line: &str) -> Option<Hit> {
    let lower = line.to_ascii_lowercase();
    for key in KEYS {
        let Some(at) = lower.find(key) else { continue };
        let rest = &line[at + key.len()..];
        let rest = rest.trim_start_matches(['"', '\'']).trim_start();
        let Some(rest) = rest.strip_prefix(['=', ':']) else {
            continue;
        };
        let rest = rest.trim();
        let quoted = rest.starts_with(['"', '\'']);
        let value = rest
            .trim_start_matches(['"', '\''])
            .split(['"', '\'', ' ', ',', ';'])
            .next()
            .unwrap_or("");
        let code = !quoted && value.contains(['(', ')', '[', ']']);
        if value.len() >= 8 && !code && !placeholder(value) && entropy(value) >= 3.5 {
            let shown: String = value.chars().take(3).collect();
            return Some(Hit {
                line: 0,
                kind: format!("a `{key}` assignment"),
                shown: format!("`{shown}…`"),
            });
        }
    }
    None
}

/// Words that a line must contain for the token matchers to run.
const TRIGGERS: &[&str] = &[
    "AKIA",
    "ASIA",
    "ghp_",
    "gho_",
    "ghs_",
    "ghu_",
    "ghr_",
    "github_pat_",
    "glpat-",
    "gldt-",
    "glrt-",
    "xox",
    "hooks.slack.com",
    "-----BEGIN",
    "sk_live_",
    "rk_live_",
    "AIza",
    "eyJ",
    "://",
];

/// Scans a file's bytes: nothing for a binary file ([`is_text`]), else
/// [`scan`] of its text.
pub fn scan_bytes(bytes: &[u8]) -> Vec<Hit> {
    if !is_text(bytes) {
        return Vec::new();
    }
    scan(&String::from_utf8_lossy(bytes))
}

/// Scans a text file's contents.
pub fn scan(text: &str) -> Vec<Hit> {
    let mut hits = Vec::new();
    let service_account = text.contains("\"type\": \"service_account\"")
        || text.contains("\"type\":\"service_account\"");
    for (i, line) in text.lines().enumerate() {
        let number = i as u32 + 1;
        if TRIGGERS.iter().any(|t| line.contains(t))
            && let Some(secret) = find_secret(line)
        {
            let kind = if service_account && secret.kind == "a private key" {
                "a GCP service account key".to_string()
            } else {
                secret.kind.to_string()
            };
            hits.push(Hit {
                line: number,
                kind,
                shown: secret.shown,
            });
            continue;
        }
        if let Some(mut hit) = assignment(line) {
            hit.line = number;
            hits.push(hit);
        }
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(u32, String)> {
        scan(text).into_iter().map(|h| (h.line, h.kind)).collect()
    }

    #[test]
    fn finds_tokens_keys_and_random_assignments() {
        let text = "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = 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\n";
        let found = kinds(text);
        assert_eq!(found[0], (2, "an AWS access key ID".to_string()));
        assert_eq!(found[1].0, 3);
        assert!(kinds("DB_PASSWORD=Zq8#vL2mT9xR4wK7\n").len() == 1);
        assert_eq!(
            kinds("token: glpat-Ab3dEf6hIj9kLm2nOp5q\n")[0].1,
            "a GitLab token"
        );
        let sa = "{\n  \"type\": \"service_account\",\n  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIE\"\n}\n";
        assert_eq!(kinds(sa), [(3, "a GCP service account key".to_string())]);
    }

    #[test]
    fn placeholders_and_plain_words_are_not_secrets() {
        assert!(kinds("password = changeme\n").is_empty());
        assert!(kinds("password: ${DB_PASSWORD}\n").is_empty());
        assert!(kinds("secret = <your-secret-here>\n").is_empty());
        assert!(kinds("password=aaaaaaaaaaaa\n").is_empty(), "low entropy");
        assert!(kinds("# set password = before starting\n").is_empty());
        assert!(
            kinds("api_key = 12345678\n").is_empty(),
            "low entropy digits"
        );
    }

    #[test]
    fn code_that_handles_passwords_is_not_a_secret() {
        // Lines of Python's own standard library.
        for line in [
            "passwd = fallback_getpass(prompt, stream)",
            "userid, acct, passwd = netrcobj.authenticators(host)",
            "user, delim, passwd = user.partition(':')",
            "user, password = _splitpasswd(userinfo)",
            "user, passwd = self.get_user_passwd(proxyhost, realm, i)",
            "if user or passwd: self.auth_cache[key] = (user, passwd)",
        ] {
            assert!(kinds(line).is_empty(), "{line}");
        }
        // A quoted literal is a value, whatever it contains.
        assert_eq!(kinds("password = \"Zq8(vL2)mT9xR4\"\n").len(), 1);
        assert_eq!(kinds("DB_PASSWORD=Zq8#vL2mT9xR4wK7\n").len(), 1);
    }

    #[test]
    fn documentation_and_tests_are_allowed() {
        assert!(allowed("usr/share/doc/openssl/README"));
        assert!(allowed("usr/lib/node_modules/jwt/test/fixtures.js"));
        assert!(allowed("app/README.md"));
        assert!(!allowed("app/config/settings.py"));
        assert!(!allowed("root/.aws/credentials"));
    }
}
