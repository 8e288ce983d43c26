//! Alpine package versions, validated and ordered as apk-tools'
//! `version.c` (apk-tools 3) does:
//! `digits{.digits}[letter]{_suffix[digits]}[~hash][-rN]`.
//!
//! Pre-release suffixes `_alpha _beta _pre _rc` sort before the plain
//! version, `_cvs _svn _git _hg _p` after it. A number part with a leading
//! zero (`1.01`) compares as a string, as in Gentoo. Anything else (a
//! letter followed by digits as in `6.6p1`, `.r0` instead of `-r0`, an
//! unknown suffix) is invalid, as apk-tools says.
//!
//! One deliberate difference: numbers are compared by value at any length,
//! where apk-tools wraps them at 2^64.

use std::cmp::Ordering;

use crate::{Ecosystem, Span, VersionError, check_len, cmp_digits};

/// A parsed, valid apk version.
#[derive(Debug, Clone)]
pub struct Version {
    text: Box<str>,
}

impl Version {
    /// The string it was parsed from.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The package revision (`N` of `-rN`), if present.
    pub fn revision(&self) -> Option<&str> {
        Tokens::new(&self.text)
            .find(|t| t.kind == Kind::Revision)
            .map(|t| t.value.get(&self.text))
    }
}

/// Token kinds, in apk-tools' order: a version that ends where the other
/// goes on with a later kind is the greater one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    InitialDigit,
    Digit,
    Letter,
    Suffix,
    SuffixNumber,
    CommitHash,
    Revision,
    End,
    Invalid,
}

/// Suffix values: pre-releases below `NONE`, post-releases above.
const SUFFIXES: [(&str, u8); 9] = [
    ("alpha", 1),
    ("beta", 2),
    ("pre", 3),
    ("rc", 4),
    ("cvs", 6),
    ("svn", 7),
    ("git", 8),
    ("hg", 9),
    ("p", 10),
];
const SUFFIX_NONE: u8 = 5;

#[derive(Debug, Clone, Copy)]
struct Token {
    kind: Kind,
    value: Span,
    suffix: u8,
    /// Why the token is invalid, for the error.
    why: &'static str,
}

struct Tokens<'a> {
    s: &'a [u8],
    pos: usize,
    prev: Option<Kind>,
}

impl<'a> Tokens<'a> {
    fn new(s: &'a str) -> Self {
        Tokens {
            s: s.as_bytes(),
            pos: 0,
            prev: None,
        }
    }

    fn digits(&mut self) -> Span {
        let start = self.pos;
        while self.s.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
        Span::new(start, self.pos)
    }

    fn run(&mut self, accept: impl Fn(u8) -> bool) -> Span {
        let start = self.pos;
        while self.s.get(self.pos).is_some_and(|&c| accept(c)) {
            self.pos += 1;
        }
        Span::new(start, self.pos)
    }

    fn next_token(&mut self) -> Token {
        let mut t = Token {
            kind: Kind::Invalid,
            value: Span::default(),
            suffix: 0,
            why: "",
        };
        let Some(prev) = self.prev else {
            t.value = self.digits();
            t.kind = Kind::InitialDigit;
            if t.value.is_empty() {
                t.kind = Kind::Invalid;
                t.why = "does not start with a digit";
            }
            return t;
        };
        let Some(&c) = self.s.get(self.pos) else {
            t.kind = Kind::End;
            return t;
        };
        let invalid = |why| Token {
            kind: Kind::Invalid,
            value: Span::default(),
            suffix: 0,
            why,
        };
        match c {
            b'a'..=b'z' => {
                if prev > Kind::Digit {
                    return invalid("a letter may only follow a number");
                }
                t.value = Span::new(self.pos, self.pos + 1);
                t.kind = Kind::Letter;
                self.pos += 1;
            }
            b'.' | b'0'..=b'9' => {
                if c == b'.' {
                    if prev > Kind::Digit {
                        return invalid("'.' may only follow a number");
                    }
                    self.pos += 1;
                }
                t.kind = match prev {
                    Kind::InitialDigit | Kind::Digit => Kind::Digit,
                    Kind::Suffix => Kind::SuffixNumber,
                    _ => return invalid("digits may not follow a letter or a suffix number"),
                };
                t.value = self.digits();
                if t.value.is_empty() {
                    return invalid("'.' must be followed by digits");
                }
            }
            b'_' => {
                if prev > Kind::SuffixNumber {
                    return invalid("'_' suffix after a hash or revision");
                }
                self.pos += 1;
                t.value = self.run(|c| c.is_ascii_lowercase());
                let name = t.value.of(self.s);
                match SUFFIXES.iter().find(|(n, _)| n.as_bytes() == name) {
                    Some(&(_, v)) => t.suffix = v,
                    None => return invalid("unknown '_' suffix"),
                }
                t.kind = Kind::Suffix;
            }
            b'~' => {
                if prev >= Kind::CommitHash {
                    return invalid("'~' hash after a hash or revision");
                }
                self.pos += 1;
                t.value = self.run(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c));
                if t.value.is_empty() {
                    return invalid("'~' must be followed by lower-case hex digits");
                }
                t.kind = Kind::CommitHash;
            }
            b'-' => {
                if prev >= Kind::Revision {
                    return invalid("a second revision");
                }
                if self.s.get(self.pos + 1) != Some(&b'r') {
                    return invalid("'-' must start a revision '-rN'");
                }
                self.pos += 2;
                t.value = self.digits();
                if t.value.is_empty() {
                    return invalid("'-r' must be followed by digits");
                }
                t.kind = Kind::Revision;
            }
            _ => return invalid("unexpected character"),
        }
        t
    }
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    /// Tokens up to and including the end or the first invalid one.
    fn next(&mut self) -> Option<Token> {
        if matches!(self.prev, Some(Kind::End | Kind::Invalid)) {
            return None;
        }
        let t = self.next_token();
        self.prev = Some(t.kind);
        Some(t)
    }
}

/// Parses an apk version, failing where `apk_version_validate` does.
pub fn parse(s: &str) -> Result<Version, VersionError> {
    check_len(Ecosystem::Apk, s)?;
    let mut tokens = Tokens::new(s);
    for t in tokens.by_ref() {
        if t.kind == Kind::Invalid {
            let at = tokens.pos;
            return Err(VersionError::new(
                Ecosystem::Apk,
                s,
                format!("{} (at byte {at})", t.why),
            ));
        }
    }
    Ok(Version { text: s.into() })
}

/// `token_cmp`: two tokens of the same kind.
fn token_cmp(ta: &Token, a: &str, tb: &Token, b: &str) -> Ordering {
    let (va, vb) = (ta.value.bytes(a), tb.value.bytes(b));
    match ta.kind {
        Kind::Digit if va.first() == Some(&b'0') || vb.first() == Some(&b'0') => va.cmp(vb),
        Kind::Digit | Kind::InitialDigit | Kind::SuffixNumber | Kind::Revision => {
            cmp_digits(va, vb)
        }
        Kind::Suffix => ta.suffix.cmp(&tb.suffix),
        _ => va.cmp(vb),
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, b) = (&*self.text, &*other.text);
        let mut ta_it = Tokens::new(a);
        let mut tb_it = Tokens::new(b);
        let end = Token {
            kind: Kind::End,
            value: Span::default(),
            suffix: 0,
            why: "",
        };
        let (ta, tb) = loop {
            let ta = ta_it.next().unwrap_or(end);
            let tb = tb_it.next().unwrap_or(end);
            if ta.kind != tb.kind || ta.kind >= Kind::End {
                break (ta, tb);
            }
            match token_cmp(&ta, a, &tb, b) {
                Ordering::Equal => {}
                o => return o,
            }
        };
        if ta.kind == tb.kind {
            return Ordering::Equal;
        }
        if ta.kind == Kind::Suffix && ta.suffix < SUFFIX_NONE {
            return Ordering::Less;
        }
        if tb.kind == Kind::Suffix && tb.suffix < SUFFIX_NONE {
            return Ordering::Greater;
        }
        // The version that goes on with an earlier kind of token is greater.
        tb.kind.cmp(&ta.kind)
    }
}

equal_when_ordered_so!(Version);

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        parse(a).expect("valid").cmp(&parse(b).expect("valid"))
    }

    #[test]
    fn suffixes_sort_around_the_release() {
        let order = [
            "1.0_alpha",
            "1.0_alpha1",
            "1.0_beta",
            "1.0_pre2",
            "1.0_rc1",
            "1.0",
            "1.0-r1",
            "1.0_cvs",
            "1.0_git20240101",
            "1.0_p1",
            "1.0a",
            "1.0.1",
        ];
        for w in order.windows(2) {
            assert_eq!(cmp(w[0], w[1]), Ordering::Less, "{} < {}", w[0], w[1]);
            assert_eq!(cmp(w[1], w[0]), Ordering::Greater, "{} > {}", w[1], w[0]);
        }
    }

    #[test]
    fn leading_zero_parts_compare_as_strings() {
        assert_eq!(cmp("1.01", "1.1"), Ordering::Less);
        assert_eq!(cmp("1.010", "1.01"), Ordering::Greater);
        assert_eq!(cmp("1.0", "1.00"), Ordering::Less);
        assert_eq!(cmp("01.1", "1.1"), Ordering::Equal);
    }

    #[test]
    fn revision_and_hash() {
        assert_eq!(cmp("1.0-r2", "1.0-r10"), Ordering::Less);
        assert_eq!(cmp("1.0~abc", "1.0"), Ordering::Greater);
        assert_eq!(cmp("1.0~abc-r1", "1.0~abd"), Ordering::Less);
        assert_eq!(parse("1.2-r30").expect("valid").revision(), Some("30"));
    }

    #[test]
    fn invalid_versions_are_refused_with_a_reason() {
        for s in [
            "", "a1", "1.", "1..2", "1.0-r", "1.0-1", "1.0_foo", "1.0ab", "1.0a1", "1.0.r0",
        ] {
            let e = parse(s).expect_err("invalid");
            assert!(!e.reason.is_empty(), "{s}");
        }
    }
}
