//! Debian package versions, `[epoch:]upstream[-revision]`, ordered as
//! `dpkg --compare-versions` orders them (deb-version(7)).
//!
//! Parsing follows dpkg's `parseversion`: what dpkg refuses with an error
//! (an empty part, a bad epoch, embedded spaces) is an error here; what it
//! only warns about (a version not starting with a digit, characters
//! outside the policy's set) is accepted and compared as dpkg compares it.
//! Two deliberate refusals beyond dpkg: non-ASCII bytes (dpkg orders them
//! by the platform's `char` signedness) and NUL.

use std::cmp::Ordering;

use crate::{Ecosystem, Span, VersionError, check_len};

/// A parsed Debian version.
#[derive(Debug, Clone)]
pub struct Version {
    text: Box<str>,
    epoch: u32,
    upstream: Span,
    revision: Span,
}

impl Version {
    /// The string it was parsed from.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The epoch, 0 when absent.
    pub fn epoch(&self) -> u32 {
        self.epoch
    }

    /// The upstream version.
    pub fn upstream(&self) -> &str {
        self.upstream.get(&self.text)
    }

    /// The Debian revision, empty when absent.
    pub fn revision(&self) -> &str {
        self.revision.get(&self.text)
    }
}

fn err(s: &str, reason: &str) -> VersionError {
    VersionError::new(Ecosystem::Dpkg, s, reason)
}

/// dpkg's `c_isspace`.
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Parses a Debian version as dpkg does.
pub fn parse(s: &str) -> Result<Version, VersionError> {
    check_len(Ecosystem::Dpkg, s)?;
    let b = s.as_bytes();
    if let Some(&c) = b.iter().find(|&&c| c == 0 || !c.is_ascii()) {
        let what = if c == 0 {
            "a NUL byte"
        } else {
            "non-ASCII bytes"
        };
        return Err(err(s, &format!("contains {what}")));
    }
    // Leading blanks are skipped; the version runs to the first space and
    // only spaces may follow it.
    let start = b
        .iter()
        .position(|&c| c != b' ' && c != b'\t')
        .ok_or_else(|| err(s, "version string is empty"))?;
    let end = b[start..]
        .iter()
        .position(|&c| is_space(c))
        .map_or(b.len(), |n| start + n);
    if !b[end..].iter().all(|&c| is_space(c)) {
        return Err(err(s, "version string has embedded spaces"));
    }
    let mut body = start;
    let mut epoch = 0;
    if let Some(colon) = b[start..end].iter().position(|&c| c == b':') {
        let colon = start + colon;
        epoch = parse_epoch(&b[start..colon]).map_err(|reason| err(s, reason))?;
        if colon + 1 == end {
            return Err(err(s, "nothing after colon in version number"));
        }
        body = colon + 1;
    }
    let (upstream, revision) = match b[body..end].iter().rposition(|&c| c == b'-') {
        Some(h) => {
            let h = body + h;
            if h + 1 == end {
                return Err(err(s, "revision number is empty"));
            }
            (Span::new(body, h), Span::new(h + 1, end))
        }
        None => (Span::new(body, end), Span::new(end, end)),
    };
    if upstream.is_empty() {
        return Err(err(s, "version number is empty"));
    }
    Ok(Version {
        text: s.into(),
        epoch,
        upstream,
        revision,
    })
}

/// The epoch as C's `strtol` reads it, with dpkg's checks: an optional
/// sign, then digits that must reach the colon and fit in an `int`.
fn parse_epoch(e: &[u8]) -> Result<u32, &'static str> {
    let (negative, digits) = match e.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, e),
    };
    let n = digits.iter().take_while(|c| c.is_ascii_digit()).count();
    if n == 0 {
        return Err("epoch in version is empty");
    }
    if n != digits.len() {
        return Err("epoch in version is not number");
    }
    let digits = crate::strip_zeros(digits);
    if digits.len() > 10 {
        return Err(if negative {
            "epoch in version is negative"
        } else {
            "epoch in version is too big"
        });
    }
    let value = digits
        .iter()
        .fold(0u64, |v, &c| v * 10 + u64::from(c - b'0'));
    if negative && value != 0 {
        return Err("epoch in version is negative");
    }
    u32::try_from(value)
        .ok()
        .filter(|&v| v <= i32::MAX as u32)
        .ok_or("epoch in version is too big")
}

/// dpkg's `order`: digits 0, letters themselves, `~` below everything
/// including the end, other characters above all letters.
fn order(c: Option<&u8>) -> i32 {
    match c {
        None => 0,
        Some(&c) if c.is_ascii_digit() => 0,
        Some(&c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(b'~') => -1,
        Some(&c) => i32::from(c) + 256,
    }
}

/// dpkg's `verrevcmp`: alternating non-digit and digit runs.
fn verrevcmp(a: &[u8], b: &[u8]) -> Ordering {
    let (mut i, mut j) = (0, 0);
    let digit = |s: &[u8], k: usize| s.get(k).is_some_and(u8::is_ascii_digit);
    while i < a.len() || j < b.len() {
        while (i < a.len() && !digit(a, i)) || (j < b.len() && !digit(b, j)) {
            let (ac, bc) = (order(a.get(i)), order(b.get(j)));
            if ac != bc {
                return ac.cmp(&bc);
            }
            i += 1;
            j += 1;
        }
        while a.get(i) == Some(&b'0') {
            i += 1;
        }
        while b.get(j) == Some(&b'0') {
            j += 1;
        }
        let mut first_diff = Ordering::Equal;
        while digit(a, i) && digit(b, j) {
            if first_diff == Ordering::Equal {
                first_diff = a[i].cmp(&b[j]);
            }
            i += 1;
            j += 1;
        }
        if digit(a, i) {
            return Ordering::Greater;
        }
        if digit(b, j) {
            return Ordering::Less;
        }
        if first_diff != Ordering::Equal {
            return first_diff;
        }
    }
    Ordering::Equal
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| {
                verrevcmp(
                    self.upstream.bytes(&self.text),
                    other.upstream.bytes(&other.text),
                )
            })
            .then_with(|| {
                verrevcmp(
                    self.revision.bytes(&self.text),
                    other.revision.bytes(&other.text),
                )
            })
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
    fn tilde_sorts_before_everything_even_the_end() {
        assert_eq!(cmp("1.0~rc1", "1.0"), Ordering::Less);
        assert_eq!(cmp("1.0~~", "1.0~"), Ordering::Less);
        assert_eq!(cmp("1.0~", "1.0~a"), Ordering::Less);
    }

    #[test]
    fn letters_sort_before_other_characters() {
        assert_eq!(cmp("1.0a", "1.0+"), Ordering::Less);
        assert_eq!(cmp("1.0Z", "1.0a"), Ordering::Less);
        assert_eq!(cmp("1.0", "1.0a"), Ordering::Less);
        assert_eq!(cmp("1.0.", "1.0a"), Ordering::Greater);
    }

    #[test]
    fn epoch_then_upstream_then_revision() {
        assert_eq!(cmp("1:0.1", "2.0"), Ordering::Greater);
        assert_eq!(cmp("0:2.0", "2.0"), Ordering::Equal);
        assert_eq!(cmp("1.0-2", "1.0-10"), Ordering::Less);
        assert_eq!(cmp("1.0-1-1", "1.0-1"), Ordering::Greater);
        assert_eq!(cmp("1.01", "1.1"), Ordering::Equal);
    }

    #[test]
    fn parts_are_split_at_the_first_colon_and_last_hyphen() {
        let v = parse("2:1.0-rc-3:x-4").expect("valid");
        assert_eq!(
            (v.epoch(), v.upstream(), v.revision()),
            (2, "1.0-rc-3:x", "4")
        );
    }

    #[test]
    fn what_dpkg_refuses_is_an_error() {
        for s in [
            "",
            "  ",
            "1.0-",
            "1:",
            ":1",
            "a:1",
            "-1:1",
            "1:-1",
            "1 0",
            "99999999999:1",
            "2147483648:1",
        ] {
            assert!(parse(s).is_err(), "{s:?}");
        }
        assert!(parse("2147483647:1").is_ok());
    }

    #[test]
    fn what_dpkg_only_warns_about_is_compared() {
        assert!(parse("a1.0").is_ok());
        assert!(parse("1.0_x").is_ok());
        assert!(parse(" 1.0\n").is_ok());
        assert!(parse("+1:1").is_ok());
    }
}
