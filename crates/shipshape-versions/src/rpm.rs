//! RPM versions, `[epoch:]version[-release]`, ordered by `rpmvercmp` on
//! each part as `rpm.labelCompare` does: epoch (absent is `0`), then
//! version, then release (an absent release sorts before any release).
//!
//! The string is split as rpm's `parseEVR` splits it: the epoch is the
//! leading digits when a `:` follows them, the release is what follows the
//! last `-`. Within a part, runs of ASCII letters and of digits are
//! compared, anything else separates them, `~` sorts before everything
//! (even the end) and `^` after the end but before anything else.

use std::cmp::Ordering;

use crate::{Ecosystem, Span, VersionError, check_len, cmp_digits};

/// A parsed RPM version.
#[derive(Debug, Clone)]
pub struct Version {
    text: Box<str>,
    epoch: Option<Span>,
    version: Span,
    release: Option<Span>,
}

impl Version {
    /// The string it was parsed from.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The epoch digits, if the string has one (`:1.0` has an empty one,
    /// which counts as 0).
    pub fn epoch(&self) -> Option<&str> {
        self.epoch.map(|e| e.get(&self.text))
    }

    /// The version part.
    pub fn version(&self) -> &str {
        self.version.get(&self.text)
    }

    /// The release, if present.
    pub fn release(&self) -> Option<&str> {
        self.release.map(|r| r.get(&self.text))
    }
}

/// Parses `[epoch:]version[-release]` as rpm's `parseEVR` splits it.
/// Fails on an empty version part and on NUL bytes (which rpm's C strings
/// cannot hold).
pub fn parse(s: &str) -> Result<Version, VersionError> {
    check_len(Ecosystem::Rpm, s)?;
    let err = |reason: &str| VersionError::new(Ecosystem::Rpm, s, reason);
    if s.is_empty() {
        return Err(err("version string is empty"));
    }
    let b = s.as_bytes();
    if b.contains(&0) {
        return Err(err("contains a NUL byte"));
    }
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let (epoch, vstart) = if b.get(digits) == Some(&b':') {
        (Some(Span::new(0, digits)), digits + 1)
    } else {
        (None, 0)
    };
    // The release separator is searched from the end of the epoch digits.
    let (vend, release) = match b[digits..].iter().rposition(|&c| c == b'-') {
        Some(h) if digits + h >= vstart => {
            let h = digits + h;
            (h, Some(Span::new(h + 1, b.len())))
        }
        _ => (b.len(), None),
    };
    let version = Span::new(vstart, vend);
    if version.is_empty() {
        return Err(err("version part is empty"));
    }
    Ok(Version {
        text: s.into(),
        epoch,
        version,
        release,
    })
}

/// rpm's `rpmvercmp`.
pub fn rpmvercmp(a: &str, b: &str) -> Ordering {
    vercmp(a.as_bytes(), b.as_bytes())
}

fn vercmp(a: &[u8], b: &[u8]) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let sep =
        |c: Option<&u8>| c.is_some_and(|&c| !c.is_ascii_alphanumeric() && c != b'~' && c != b'^');
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        while sep(a.get(i)) {
            i += 1;
        }
        while sep(b.get(j)) {
            j += 1;
        }
        let (ca, cb) = (a.get(i).copied(), b.get(j).copied());
        if ca == Some(b'~') || cb == Some(b'~') {
            if ca != Some(b'~') {
                return Ordering::Greater;
            }
            if cb != Some(b'~') {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        if ca == Some(b'^') || cb == Some(b'^') {
            if ca.is_none() {
                return Ordering::Less;
            }
            if cb.is_none() {
                return Ordering::Greater;
            }
            if ca != Some(b'^') {
                return Ordering::Greater;
            }
            if cb != Some(b'^') {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        let (Some(ca), Some(_)) = (ca, cb) else {
            break;
        };
        let numeric = ca.is_ascii_digit();
        let class = |c: &u8| {
            if numeric {
                c.is_ascii_digit()
            } else {
                c.is_ascii_alphabetic()
            }
        };
        let la = a[i..].iter().take_while(|c| class(c)).count();
        let lb = b[j..].iter().take_while(|c| class(c)).count();
        let (sa, sb) = (&a[i..i + la], &b[j..j + lb]);
        if lb == 0 {
            // One segment is numeric, the other alphabetic: numbers are newer.
            return if numeric {
                Ordering::Greater
            } else {
                Ordering::Less
            };
        }
        let o = if numeric {
            cmp_digits(sa, sb)
        } else {
            sa.cmp(sb)
        };
        if o != Ordering::Equal {
            return o;
        }
        i += la;
        j += lb;
    }
    match (i >= a.len(), j >= b.len()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        _ => Ordering::Greater,
    }
}

impl Version {
    /// The epoch for comparison: absent or empty is `0`.
    fn epoch_digits(&self) -> &[u8] {
        match self.epoch.map(|e| e.bytes(&self.text)) {
            Some(e) if !e.is_empty() => e,
            _ => b"0",
        }
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        vercmp(self.epoch_digits(), other.epoch_digits())
            .then_with(|| {
                vercmp(
                    self.version.bytes(&self.text),
                    other.version.bytes(&other.text),
                )
            })
            .then_with(|| match (self.release, other.release) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Less,
                (Some(_), None) => Ordering::Greater,
                (Some(a), Some(b)) => vercmp(a.bytes(&self.text), b.bytes(&other.text)),
            })
    }
}

equal_when_ordered_so!(Version);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rpmvercmp_rules() {
        use Ordering::*;
        for (a, b, o) in [
            ("1.0", "1.0", Equal),
            ("1.0", "2.0", Less),
            ("2.0.1", "2.0", Greater),
            ("1.0a", "1.0", Greater),
            ("1.0~rc1", "1.0", Less),
            ("1.0~rc1", "1.0~rc2", Less),
            ("1.0^20200101", "1.0", Greater),
            ("1.0^20200101", "1.0.1", Less),
            ("1.0^", "1.0~", Greater),
            ("10", "9", Greater),
            ("007", "7", Equal),
            ("a", "1", Less),
            ("1.0_1", "1.0.1", Equal),
            ("1..0", "1.0", Equal),
            ("1.0.", "1.0", Equal),
            ("FC5", "fc4", Less),
        ] {
            assert_eq!(rpmvercmp(a, b), o, "{a} vs {b}");
            assert_eq!(rpmvercmp(b, a), o.reverse(), "{b} vs {a}");
        }
    }

    #[test]
    fn evr_split_and_order() {
        let v = parse("2:1.0-1.el8").expect("valid");
        assert_eq!(
            (v.epoch(), v.version(), v.release()),
            (Some("2"), "1.0", Some("1.el8"))
        );
        let v = parse("1.0-1-2").expect("valid");
        assert_eq!((v.version(), v.release()), ("1.0-1", Some("2")));
        let v = parse("a:1").expect("valid");
        assert_eq!((v.epoch(), v.version()), (None, "a:1"));
        let c = |a: &str, b: &str| parse(a).expect("valid").cmp(&parse(b).expect("valid"));
        assert_eq!(c("1:1.0-1", "2.0-1"), Ordering::Greater);
        assert_eq!(c("0:1.0-1", "1.0-1"), Ordering::Equal);
        assert_eq!(c(":1.0-1", "1.0-1"), Ordering::Equal);
        assert_eq!(c("1.0", "1.0-1"), Ordering::Less);
        assert!(parse("1:-1").is_err());
        assert!(parse("").is_err());
    }
}
