//! Semantic Versioning 2.0.0, for npm and crates.io.
//!
//! Precedence is the specification's: major, minor and patch numerically;
//! a pre-release sorts before its release; pre-release identifiers compare
//! one by one, numeric ones by value and below alphanumeric ones, which
//! compare in ASCII order; more identifiers win when all before are equal.
//! Build metadata is ignored, so `1.0.0+a` and `1.0.0+b` are equal.
//!
//! As npm's `semver.clean`, surrounding whitespace and a leading run of
//! `v` and `=` (`v1.2.3`, `=1.2.3`) are accepted. Numbers may have any
//! length.

use std::cmp::Ordering;

use crate::{Ecosystem, Span, VersionError, check_len, cmp_digits};

/// A parsed semantic version.
#[derive(Debug, Clone)]
pub struct Version {
    text: Box<str>,
    core: Core,
}

impl Version {
    /// The string it was parsed from.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The major, minor and patch numbers as written.
    pub fn numbers(&self) -> (&str, &str, &str) {
        self.core.numbers(&self.text)
    }

    /// The pre-release identifiers (without the `-`), if any.
    pub fn prerelease(&self) -> Option<&str> {
        self.core.pre.map(|p| p.get(&self.text))
    }

    /// The build metadata (without the `+`), if any.
    pub fn build(&self) -> Option<&str> {
        self.core.build.map(|p| p.get(&self.text))
    }
}

/// The parts of a semantic version, as byte ranges of its text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Core {
    pub(crate) major: Span,
    /// Absent only in Go's shorthand `v1` (meaning `.0`).
    pub(crate) minor: Option<Span>,
    /// Absent only in Go's shorthands `v1` and `v1.2` (meaning `.0`).
    pub(crate) patch: Option<Span>,
    pub(crate) pre: Option<Span>,
    pub(crate) build: Option<Span>,
}

impl Core {
    pub(crate) fn numbers<'t>(&self, text: &'t str) -> (&'t str, &'t str, &'t str) {
        let num = |s: Option<Span>| s.map_or("0", |s| s.get(text));
        (self.major.get(text), num(self.minor), num(self.patch))
    }
}

/// Parses `MAJOR.MINOR.PATCH[-PRE][+BUILD]` starting at `start`; with
/// `short`, also Go's `MAJOR` and `MAJOR.MINOR` (without pre-release or
/// build).
pub(crate) fn parse_core(b: &[u8], start: usize, short: bool) -> Result<Core, String> {
    let mut pos = start;
    let major = number(b, &mut pos, "major")?;
    let mut core = Core {
        major,
        minor: None,
        patch: None,
        pre: None,
        build: None,
    };
    for name in ["minor", "patch"] {
        let n = match b.get(pos) {
            None if short => return Ok(core),
            Some(b'.') => {
                pos += 1;
                number(b, &mut pos, name)?
            }
            _ => return Err(format!("expected '.' and the {name} number at byte {pos}")),
        };
        if core.minor.is_none() {
            core.minor = Some(n);
        } else {
            core.patch = Some(n);
        }
    }
    if b.get(pos) == Some(&b'-') {
        let (span, end) = identifiers(b, pos + 1, true, "pre-release")?;
        core.pre = Some(span);
        pos = end;
    }
    if b.get(pos) == Some(&b'+') {
        let (span, end) = identifiers(b, pos + 1, false, "build metadata")?;
        core.build = Some(span);
        pos = end;
    }
    if pos != b.len() {
        return Err(format!("unexpected character at byte {pos}"));
    }
    Ok(core)
}

/// A number without leading zeros.
fn number(b: &[u8], pos: &mut usize, name: &str) -> Result<Span, String> {
    let start = *pos;
    let n = b[start..].iter().take_while(|c| c.is_ascii_digit()).count();
    if n == 0 {
        return Err(format!("the {name} number is missing at byte {start}"));
    }
    if n > 1 && b[start] == b'0' {
        return Err(format!("the {name} number has a leading zero"));
    }
    *pos = start + n;
    Ok(Span::new(start, start + n))
}

/// Dot-separated identifiers of `[0-9A-Za-z-]`, up to `+` (for a
/// pre-release) or the end; numeric pre-release identifiers must not have
/// leading zeros.
fn identifiers(b: &[u8], start: usize, pre: bool, what: &str) -> Result<(Span, usize), String> {
    let mut pos = start;
    loop {
        let id_start = pos;
        while b
            .get(pos)
            .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'-')
        {
            pos += 1;
        }
        let id = &b[id_start..pos];
        if id.is_empty() {
            return Err(format!("empty {what} identifier at byte {id_start}"));
        }
        if pre && id.len() > 1 && id[0] == b'0' && id.iter().all(u8::is_ascii_digit) {
            return Err(format!("numeric {what} identifier with a leading zero"));
        }
        match b.get(pos) {
            Some(b'.') => pos += 1,
            None => break,
            Some(b'+') if pre => break,
            Some(_) => return Err(format!("unexpected character in {what} at byte {pos}")),
        }
    }
    Ok((Span::new(start, pos), pos))
}

/// SemVer precedence of two cores.
pub(crate) fn cmp_core(a: &Core, at: &str, b: &Core, bt: &str) -> Ordering {
    cmp_digits(a.major.bytes(at), b.major.bytes(bt))
        .then_with(|| cmp_digits(num(a.minor, at), num(b.minor, bt)))
        .then_with(|| cmp_digits(num(a.patch, at), num(b.patch, bt)))
        .then_with(|| match (a.pre, b.pre) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            (Some(pa), Some(pb)) => cmp_prerelease(pa.get(at), pb.get(bt)),
        })
}

/// A number's digits, `0` when a Go shorthand leaves it out.
fn num(s: Option<Span>, t: &str) -> &[u8] {
    s.map_or(&b"0"[..], |s| s.of(t.as_bytes()))
}

/// Compares dot-separated pre-release identifiers.
pub(crate) fn cmp_prerelease(a: &str, b: &str) -> Ordering {
    let mut ia = a.split('.');
    let mut ib = b.split('.');
    loop {
        match (ia.next(), ib.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let nx = x.bytes().all(|c| c.is_ascii_digit());
                let ny = y.bytes().all(|c| c.is_ascii_digit());
                let o = match (nx, ny) {
                    (true, true) => cmp_digits(x.as_bytes(), y.as_bytes()),
                    (true, false) => Ordering::Less,
                    (false, true) => Ordering::Greater,
                    (false, false) => x.as_bytes().cmp(y.as_bytes()),
                };
                if o != Ordering::Equal {
                    return o;
                }
            }
        }
    }
}

/// Where the version starts and ends once whitespace (as JavaScript's
/// `trim`) and a leading run of `v` and `=` are taken off.
fn trim_npm(s: &str) -> (usize, usize) {
    let ws = |c: char| c.is_whitespace() || c == '\u{feff}';
    let end = s.trim_end_matches(ws).len();
    let body = s.get(..end).unwrap_or_default().trim_start_matches(ws);
    let start = end - body.len();
    let lead = body.len() - body.trim_start_matches(['v', '=']).len();
    (start + lead, end)
}

/// Parses a semantic version, allowing npm's leading `v`/`=` and
/// surrounding whitespace.
pub fn parse(s: &str) -> Result<Version, VersionError> {
    check_len(Ecosystem::Semver, s)?;
    let (start, end) = trim_npm(s);
    let core = parse_core(s.as_bytes().get(..end).unwrap_or_default(), start, false)
        .map_err(|reason| VersionError::new(Ecosystem::Semver, s, reason))?;
    Ok(Version {
        text: s.into(),
        core,
    })
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_core(&self.core, &self.text, &other.core, &other.text)
    }
}

equal_when_ordered_so!(Version);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npm_leniency_and_parts() {
        let v = parse(" =v1.2.3-rc.1+build.5 ").expect("valid");
        assert_eq!(v.numbers(), ("1", "2", "3"));
        assert_eq!(v.prerelease(), Some("rc.1"));
        assert_eq!(v.build(), Some("build.5"));
        assert_eq!(
            parse("v1.2.3").expect("valid"),
            parse("1.2.3").expect("valid")
        );
    }

    #[test]
    fn strictness() {
        for s in [
            "1.2",
            "1.2.3.4",
            "01.2.3",
            "1.02.3",
            "1.2.03",
            "1.2.3-",
            "1.2.3-01",
            "1.2.3-a..b",
            "1.2.3+",
            "1.2.3+a+b",
            "1.2.3-a_b",
            "V1.2.3",
            "1.2.3 x",
            "",
        ] {
            assert!(parse(s).is_err(), "{s:?}");
        }
        for s in ["1.2.3-0", "1.2.3-0a", "1.2.3+01", "1.2.3--", "1.2.3-a-.b"] {
            assert!(parse(s).is_ok(), "{s:?}");
        }
    }
}
