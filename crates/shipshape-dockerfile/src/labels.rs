//! A label schema, as hadolint's `label-schema` setting gives one: the
//! labels an image must carry and the form of each value.

use std::fmt;
use std::str::FromStr;

use crate::model::Model;
use crate::source::Span;
use crate::syntax::ast::Args;

/// A label a `LABEL` instruction sets (triggers of `ONBUILD` left out:
/// they label the images built on this one).
pub struct LabelUse {
    pub key: String,
    pub key_span: Span,
    /// The value as the build sees it; `None` when it depends on a
    /// variable whose value is not known.
    pub value: Option<String>,
    pub value_span: Span,
    /// The stage's index.
    pub stage: usize,
}

/// Every label of every stage whose key is known, in order.
pub fn label_uses(model: &Model<'_>) -> Vec<LabelUse> {
    let mut out = Vec::new();
    for (stage, inst) in model.insts() {
        if inst.onbuild {
            continue;
        }
        let Args::Label(pairs) = &inst.body.args else {
            continue;
        };
        for kv in pairs {
            let Some(key) = stage.known_value(inst, &kv.key) else {
                continue;
            };
            out.push(LabelUse {
                key,
                key_span: kv.key.span,
                value: stage.known_value(inst, &kv.value),
                value_span: kv.value.span,
                stage: stage.index,
            });
        }
    }
    out
}

/// The form a schema label's value must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(try_from = "String")]
pub enum LabelType {
    /// Any text that is not empty.
    Text,
    /// An absolute URL (`https://example.com/app`).
    Url,
    /// An RFC 3339 date and time (`2024-05-01T12:00:00Z`).
    Rfc3339,
    /// An SPDX license expression (`Apache-2.0 OR MIT`).
    Spdx,
    /// A full git commit hash (40 or 64 hex digits).
    Hash,
    /// A semantic version (`1.4.2`, `2.0.0-rc.1+build.5`).
    Semver,
    /// An e-mail address.
    Email,
}

impl FromStr for LabelType {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "text" => LabelType::Text,
            "url" => LabelType::Url,
            "rfc3339" => LabelType::Rfc3339,
            "spdx" => LabelType::Spdx,
            "hash" => LabelType::Hash,
            "semver" => LabelType::Semver,
            "email" => LabelType::Email,
            other => {
                return Err(format!(
                    "`{other}` is not a label type (text, url, rfc3339, spdx, hash, semver, email)"
                ));
            }
        })
    }
}

impl TryFrom<String> for LabelType {
    type Error = String;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl fmt::Display for LabelType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LabelType::Text => "text",
            LabelType::Url => "a URL",
            LabelType::Rfc3339 => "an RFC 3339 date and time",
            LabelType::Spdx => "an SPDX license expression",
            LabelType::Hash => "a full git commit hash",
            LabelType::Semver => "a semantic version",
            LabelType::Email => "an e-mail address",
        })
    }
}

impl LabelType {
    /// Whether a (non-empty) value has this type's form.
    pub fn accepts(self, value: &str) -> bool {
        match self {
            LabelType::Text => true,
            LabelType::Url => url(value),
            LabelType::Rfc3339 => rfc3339(value),
            LabelType::Spdx => spdx(value),
            LabelType::Hash => {
                matches!(value.len(), 40 | 64) && value.bytes().all(|b| b.is_ascii_hexdigit())
            }
            LabelType::Semver => semver(value),
            LabelType::Email => email(value),
        }
    }
}

fn url(value: &str) -> bool {
    let Some((scheme, rest)) = value.split_once("://") else {
        return false;
    };
    let scheme_ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    scheme_ok && !host.is_empty() && !value.chars().any(char::is_whitespace)
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, with `t`, `z` and a space
/// between date and time allowed as RFC 3339 allows them.
fn rfc3339(value: &str) -> bool {
    let b = value.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = value.get(range)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (Some(_), Some(month), Some(day), Some(hour), Some(minute), Some(second)) = (
        digits(0..4),
        digits(5..7),
        digits(8..10),
        digits(11..13),
        digits(14..16),
        digits(17..19),
    ) else {
        return false;
    };
    let separators = b.get(4) == Some(&b'-')
        && b.get(7) == Some(&b'-')
        && matches!(b.get(10), Some(b'T' | b't' | b' '))
        && b.get(13) == Some(&b':')
        && b.get(16) == Some(&b':');
    let ranges = (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && hour < 24
        && minute < 60
        && second <= 60;
    let mut rest = value.get(19..).unwrap_or("");
    if let Some(fraction) = rest.strip_prefix('.') {
        let n = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = fraction.get(n..).unwrap_or("");
    }
    let zone = match rest {
        "Z" | "z" => true,
        _ => {
            let z = rest.as_bytes();
            rest.len() == 6
                && matches!(z.first(), Some(b'+' | b'-'))
                && z.get(3) == Some(&b':')
                && rest
                    .get(1..3)
                    .and_then(|h| h.parse::<u32>().ok())
                    .is_some_and(|h| h < 24)
                && rest
                    .get(4..6)
                    .and_then(|m| m.parse::<u32>().ok())
                    .is_some_and(|m| m < 60)
        }
    };
    separators && ranges && zone
}

/// A well-formed SPDX license expression: license ids (the list's form:
/// letters, digits, `.`, `-`, an optional trailing `+`, or `LicenseRef-…`)
/// joined by `AND`/`OR`, with `WITH` exceptions and parentheses. Ids are
/// checked for their form, not against the whole license list.
fn spdx(value: &str) -> bool {
    let spaced = value.replace('(', " ( ").replace(')', " ) ");
    let words: Vec<&str> = spaced.split_whitespace().collect();
    let id = |w: &str| {
        let w = w.strip_suffix('+').unwrap_or(w);
        !w.is_empty()
            && w.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
            && w.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
            && !matches!(w, "AND" | "OR" | "WITH" | "and" | "or" | "with")
    };
    // A small grammar walk: expect a term, then an operator, and so on.
    let mut depth = 0usize;
    let mut want_term = true;
    let mut after_with = false;
    for w in &words {
        match *w {
            "(" if want_term => depth += 1,
            ")" if !want_term && depth > 0 => depth -= 1,
            "AND" | "OR" if !want_term => want_term = true,
            "WITH" if !want_term && !after_with => {
                want_term = true;
                after_with = true;
                continue;
            }
            w if want_term && id(w) => want_term = false,
            _ => return false,
        }
        after_with = false;
    }
    !words.is_empty() && !want_term && depth == 0
}

/// Semantic Versioning 2.0.0: `MAJOR.MINOR.PATCH`, no leading zeros, an
/// optional `-pre.release` and `+build` of dot-separated identifiers.
fn semver(value: &str) -> bool {
    let (rest, build) = match value.split_once('+') {
        Some((r, b)) => (r, Some(b)),
        None => (value, None),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (rest, None),
    };
    let number = |n: &str| {
        !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && (n == "0" || !n.starts_with('0'))
    };
    let ident =
        |i: &str| !i.is_empty() && i.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| number(p))
        && pre.is_none_or(|p| {
            p.split('.')
                .all(|i| ident(i) && (!i.bytes().all(|b| b.is_ascii_digit()) || number(i)))
        })
        && build.is_none_or(|b| b.split('.').all(ident))
}

/// `local@domain.tld`, optionally as `Name <local@domain.tld>`.
fn email(value: &str) -> bool {
    let address = match (value.rfind('<'), value.strip_suffix('>')) {
        (Some(open), Some(inner)) => inner.get(open + 1..).unwrap_or(""),
        _ => value,
    };
    let Some((local, domain)) = address.rsplit_once('@') else {
        return false;
    };
    let atom = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c);
    !local.is_empty()
        && local.chars().all(atom)
        && !local.starts_with('.')
        && !local.ends_with('.')
        && domain.contains('.')
        && domain.split('.').all(|l| {
            !l.is_empty()
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}

#[cfg(test)]
mod tests {
    use super::LabelType::*;

    #[test]
    fn each_type_accepts_its_form_and_nothing_else() {
        let cases: &[(super::LabelType, &[&str], &[&str])] = &[
            (
                Url,
                &["https://example.com/app", "git+ssh://git.example.com/a.git"],
                &["example.com", "https://", "not a url", "https://a b"],
            ),
            (
                Rfc3339,
                &[
                    "2024-05-01T12:00:00Z",
                    "2024-05-01t12:00:00.123+02:00",
                    "2024-05-01 12:00:00-05:30",
                ],
                &[
                    "2024-05-01",
                    "2024-13-01T12:00:00Z",
                    "2024-05-01T25:00:00Z",
                    "2024-05-01T12:00:00",
                    "01/05/2024 12:00",
                ],
            ),
            (
                Spdx,
                &[
                    "MIT",
                    "Apache-2.0 OR MIT",
                    "(MIT AND BSD-3-Clause) OR GPL-2.0-or-later",
                    "GPL-2.0+ WITH Classpath-exception-2.0",
                    "LicenseRef-Proprietary",
                ],
                &[
                    "Apache License 2.0",
                    "MIT OR",
                    "(MIT",
                    "MIT AND AND BSD",
                    "",
                ],
            ),
            (
                Hash,
                &["0123456789abcdef0123456789abcdef01234567"],
                &[
                    "0123456",
                    "main",
                    "0123456789abcdef0123456789abcdef0123456g",
                ],
            ),
            (
                Semver,
                &["1.4.2", "0.0.0", "2.0.0-rc.1+build.5", "1.0.0-alpha-1"],
                &["1.4", "v1.4.2", "01.4.2", "1.4.2-", "1.4.2-01", "latest"],
            ),
            (
                Email,
                &["ops@example.com", "Ops Team <ops@example.com>"],
                &["ops", "ops@example", "@example.com", "ops@-example.com"],
            ),
        ];
        for (kind, good, bad) in cases {
            for v in *good {
                assert!(kind.accepts(v), "{kind:?} should accept {v:?}");
            }
            for v in *bad {
                assert!(!kind.accepts(v), "{kind:?} should refuse {v:?}");
            }
        }
        assert!(Text.accepts("anything at all"));
        assert!("uri".parse::<super::LabelType>().is_err());
        assert_eq!("semver".parse::<super::LabelType>(), Ok(Semver));
    }
}
