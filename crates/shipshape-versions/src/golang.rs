//! Go versions: module versions as `golang.org/x/mod/semver` orders them,
//! and toolchain versions as `go/version` orders them.
//!
//! Module versions are SemVer with a `v` prefix. The `v` may be left out,
//! as OSV writes Go versions; `v1` and `v1.2` stand for `v1.0.0` and
//! `v1.2.0`. Pseudo-versions (`v0.0.0-20191109021931-daa7c04131f5`) are
//! pre-releases and so sort below the release they precede and above the
//! one they follow; `+incompatible` is build metadata and does not change
//! the order. An OSV range starting at `0` means "every version", which is
//! the matcher's rule, not an order: `v0.0.0-2019...` sorts below `v0`.
//!
//! Toolchain versions (`go1.21.5`, `go1.21rc2`, `1.20`) follow the Go 1.21
//! numbering: `1.21` (the language version) < `1.21rc1` < `1.21.0`, while
//! before 1.21 `1.20` equals `1.20.0`.

use std::cmp::Ordering;

use crate::semver::{Core, cmp_core, parse_core};
use crate::{Ecosystem, Span, VersionError, check_len, cmp_digits};

/// A parsed Go module version.
#[derive(Debug, Clone)]
pub struct Version {
    text: Box<str>,
    core: Core,
}

/// What a pseudo-version says about the commit it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pseudo<'a> {
    /// The commit time, `yyyymmddhhmmss` (UTC).
    pub timestamp: &'a str,
    /// The commit hash prefix.
    pub revision: &'a str,
}

impl Version {
    /// The string it was parsed from.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The major, minor and patch numbers (`0` where a shorthand omits
    /// them).
    pub fn numbers(&self) -> (&str, &str, &str) {
        self.core.numbers(&self.text)
    }

    /// The pre-release (without the `-`), if any.
    pub fn prerelease(&self) -> Option<&str> {
        self.core.pre.map(|p| p.get(&self.text))
    }

    /// The build metadata (without the `+`), if any.
    pub fn build(&self) -> Option<&str> {
        self.core.build.map(|p| p.get(&self.text))
    }

    /// Whether this is `+incompatible` (a v2+ module without a `/vN` path).
    pub fn is_incompatible(&self) -> bool {
        self.build() == Some("incompatible")
    }

    /// The timestamp and revision of a pseudo-version, as
    /// `golang.org/x/mod/module.IsPseudoVersion` recognizes them.
    pub fn pseudo(&self) -> Option<Pseudo<'_>> {
        let (pre, minor, patch) = (self.prerelease()?, self.core.minor?, self.core.patch?);
        let (rest, revision) = pre.rsplit_once('-')?;
        if revision.is_empty() || !revision.bytes().all(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        let ts_start = rest.len().checked_sub(14)?;
        let (base, timestamp) = rest.split_at_checked(ts_start)?;
        if !timestamp.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        // vX.0.0-yyyymmddhhmmss-abcdef, vX.Y.Z-pre.0.yyyymmddhhmmss-abcdef,
        // vX.Y.(Z+1)-0.yyyymmddhhmmss-abcdef
        let zero_zero = minor.get(&self.text) == "0" && patch.get(&self.text) == "0";
        let ok = (base.is_empty() && zero_zero)
            || base == "0."
            || base.strip_suffix("0.").is_some_and(|b| b.ends_with('.'));
        ok.then_some(Pseudo {
            timestamp,
            revision,
        })
    }
}

/// Parses a Go module version (`v` optional).
pub fn parse(s: &str) -> Result<Version, VersionError> {
    check_len(Ecosystem::Go, s)?;
    let start = usize::from(s.starts_with('v'));
    let core = parse_core(s.as_bytes(), start, true)
        .map_err(|reason| VersionError::new(Ecosystem::Go, s, reason))?;
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

/// A parsed Go toolchain version.
#[derive(Debug, Clone)]
pub struct Toolchain {
    text: Box<str>,
    major: Span,
    minor: Span,
    /// Empty for `1.21` (from Go 1.21 on, not the same as `1.21.0`).
    patch: Span,
    /// `alpha`, `beta`, `rc`... or empty.
    kind: Span,
    pre: Span,
    /// Implied `.0` for a missing minor, or for a missing patch before
    /// 1.21.
    zero_minor: bool,
    zero_patch: bool,
}

impl Toolchain {
    /// The string it was parsed from.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The same release as a SemVer string without `v`, as OSV's Go
    /// standard library entries write it: `go1.21rc2` is `1.21.0-rc.2`,
    /// `go1.21` is `1.21.0`.
    pub fn to_semver(&self) -> String {
        let t = &*self.text;
        let or_zero = |s: Span| if s.is_empty() { "0" } else { s.get(t) };
        let mut out = format!(
            "{}.{}.{}",
            self.major.get(t),
            or_zero(self.minor),
            or_zero(self.patch)
        );
        if !self.kind.is_empty() {
            out.push('-');
            out.push_str(self.kind.get(t));
            if !self.pre.is_empty() {
                out.push('.');
                out.push_str(self.pre.get(t));
            }
        }
        out
    }
}

/// Parses a Go toolchain version, with or without the `go` prefix; as
/// `go/version`, a `-suffix` after a `go`-prefixed version is ignored.
pub fn parse_toolchain(s: &str) -> Result<Toolchain, VersionError> {
    check_len(Ecosystem::GoToolchain, s)?;
    let err = |reason: &str| VersionError::new(Ecosystem::GoToolchain, s, reason);
    let (start, end) = match s.strip_prefix("go") {
        Some(rest) => (2, 2 + rest.find('-').unwrap_or(rest.len())),
        None => (0, s.len()),
    };
    let b = s.as_bytes().get(..end).unwrap_or_default();
    let mut pos = start;
    let int = |pos: &mut usize, what: &str| -> Result<Span, VersionError> {
        let from = *pos;
        let n = b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return Err(err(&format!("the {what} number is missing")));
        }
        if n > 1 && b[from] == b'0' {
            return Err(err(&format!("the {what} number has a leading zero")));
        }
        *pos = from + n;
        Ok(Span::new(from, from + n))
    };
    let major = int(&mut pos, "major")?;
    let none = Span::new(pos, pos);
    let mut v = Toolchain {
        text: s.into(),
        major,
        minor: none,
        patch: none,
        kind: none,
        pre: none,
        zero_minor: false,
        zero_patch: false,
    };
    if pos == b.len() {
        v.zero_minor = true;
        v.zero_patch = true;
        return Ok(v);
    }
    if b[pos] != b'.' {
        return Err(err("expected '.' after the major number"));
    }
    pos += 1;
    v.minor = int(&mut pos, "minor")?;
    v.patch = Span::new(pos, pos);
    if pos == b.len() {
        v.zero_patch = cmp_digits(v.minor.bytes(s), b"21") == Ordering::Less;
        return Ok(v);
    }
    if b[pos] == b'.' {
        pos += 1;
        v.patch = int(&mut pos, "patch")?;
        if pos != b.len() {
            return Err(err("a patch release cannot have a pre-release"));
        }
        return Ok(v);
    }
    let kind_len = b[pos..]
        .iter()
        .take_while(|c| c.is_ascii_lowercase())
        .count();
    if kind_len == 0 {
        return Err(err("unexpected character after the minor number"));
    }
    v.kind = Span::new(pos, pos + kind_len);
    pos += kind_len;
    v.pre = Span::new(pos, pos);
    if pos == b.len() {
        return Ok(v);
    }
    v.pre = int(&mut pos, "pre-release")?;
    if pos != b.len() {
        return Err(err("unexpected character after the pre-release number"));
    }
    Ok(v)
}

impl Ord for Toolchain {
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, b) = (&*self.text, &*other.text);
        // go/version's cmpInt: "" sorts below any number, so a missing
        // field (not implied zero) sorts first.
        let cmp_int = |x: Option<&[u8]>, y: Option<&[u8]>| match (x, y) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(x), Some(y)) => cmp_digits(x, y),
        };
        cmp_digits(self.major.bytes(a), other.major.bytes(b))
            .then_with(|| {
                cmp_int(
                    num(self.minor, self.zero_minor, a),
                    num(other.minor, other.zero_minor, b),
                )
            })
            .then_with(|| {
                cmp_int(
                    num(self.patch, self.zero_patch, a),
                    num(other.patch, other.zero_patch, b),
                )
            })
            .then_with(|| self.kind.bytes(a).cmp(other.kind.bytes(b)))
            .then_with(|| cmp_int(num(self.pre, false, a), num(other.pre, false, b)))
    }
}

/// A toolchain number: implied zero, absent, or digits.
fn num(s: Span, zero: bool, text: &str) -> Option<&[u8]> {
    if zero {
        Some(b"0")
    } else if s.is_empty() {
        None
    } else {
        Some(s.bytes(text))
    }
}

equal_when_ordered_so!(Toolchain);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudo_versions_are_recognized() {
        let p = parse("v0.0.0-20191109021931-daa7c04131f5").expect("valid");
        assert_eq!(
            p.pseudo(),
            Some(Pseudo {
                timestamp: "20191109021931",
                revision: "daa7c04131f5"
            })
        );
        assert!(
            parse("v1.2.4-0.20191109021931-daa7c04131f5")
                .expect("valid")
                .pseudo()
                .is_some()
        );
        assert!(
            parse("v1.2.3-pre.0.20191109021931-daa7c04131f5+incompatible")
                .expect("valid")
                .pseudo()
                .is_some()
        );
        assert!(
            parse("v1.2.3-pre.1.20191109021931-daa7c04131f5")
                .expect("valid")
                .pseudo()
                .is_none()
        );
        assert!(
            parse("v1.2.3-20191109021931-daa7c04131f5")
                .expect("valid")
                .pseudo()
                .is_none()
        );
        assert!(parse("v1.2.3").expect("valid").pseudo().is_none());
    }

    #[test]
    fn toolchain_semver_form() {
        let t = |s: &str| parse_toolchain(s).expect("valid").to_semver();
        assert_eq!(t("go1.21rc2"), "1.21.0-rc.2");
        assert_eq!(t("go1.21"), "1.21.0");
        assert_eq!(t("go1.21.5"), "1.21.5");
        assert_eq!(t("1.20beta1"), "1.20.0-beta.1");
    }
}
