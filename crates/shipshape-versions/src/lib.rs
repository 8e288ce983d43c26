//! Version strings parsed and ordered exactly as each ecosystem's own tool
//! orders them, for the vulnerability matcher.
//!
//! One module per ecosystem, each with a `parse` that returns a comparable
//! `Version` (parse once, compare many times without allocating):
//!
//! | module | reference implementation |
//! | --- | --- |
//! | [`dpkg`] | `dpkg --compare-versions`, deb-version(7) |
//! | [`apk`] | apk-tools `version.c` (validation and ordering) |
//! | [`rpm`] | `rpmvercmp` and `rpm.labelCompare` |
//! | [`semver`] | SemVer 2.0.0 precedence, npm's leading `v`/`=` |
//! | [`pep440`] | PEP 440 as `packaging.version.Version` |
//! | [`golang`] | `golang.org/x/mod/semver`, pseudo-versions, `go/version` |
//! | [`maven`] | Maven 3.9 `ComparableVersion` |
//! | [`rubygems`] | `Gem::Version` |
//!
//! [`compare`] and [`parse`] dispatch on an [`Ecosystem`]. Every parser
//! rejects strings longer than [`MAX_LEN`] bytes, so work on hostile input
//! stays bounded; all parsing and comparing is linear in the input.

use std::cmp::Ordering;
use std::fmt;

/// `PartialEq`, `Eq` and `PartialOrd` of a version type from its `Ord`:
/// two versions are equal when they order equal (`1.0` and `1.0.0` may).
macro_rules! equal_when_ordered_so {
    ($t:ty) => {
        impl PartialOrd for $t {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl PartialEq for $t {
            fn eq(&self, other: &Self) -> bool {
                self.cmp(other) == std::cmp::Ordering::Equal
            }
        }

        impl Eq for $t {}
    };
}

pub mod apk;
pub mod dpkg;
pub mod golang;
pub mod maven;
pub mod pep440;
pub mod rpm;
pub mod rubygems;
pub mod semver;

/// Longest version string any parser accepts, in bytes. Real versions are
/// far shorter (node-semver and Maven 4 stop at 256).
pub const MAX_LEN: usize = 1024;

/// A versioning scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ecosystem {
    /// Debian packages.
    Dpkg,
    /// Alpine packages.
    Apk,
    /// RPM packages (`[epoch:]version[-release]`).
    Rpm,
    /// SemVer 2.0.0 (npm, crates.io).
    Semver,
    /// Python packages.
    Pep440,
    /// Go module versions (`v1.2.3`, pseudo-versions, `+incompatible`).
    Go,
    /// Go toolchain versions (`go1.21.5`, `1.21rc2`), for the standard
    /// library.
    GoToolchain,
    /// Maven artifacts.
    Maven,
    /// Ruby gems.
    RubyGems,
}

impl Ecosystem {
    /// Every ecosystem, in declaration order.
    pub const ALL: [Ecosystem; 9] = [
        Ecosystem::Dpkg,
        Ecosystem::Apk,
        Ecosystem::Rpm,
        Ecosystem::Semver,
        Ecosystem::Pep440,
        Ecosystem::Go,
        Ecosystem::GoToolchain,
        Ecosystem::Maven,
        Ecosystem::RubyGems,
    ];

    /// Short lower-case name, as used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Ecosystem::Dpkg => "dpkg",
            Ecosystem::Apk => "apk",
            Ecosystem::Rpm => "rpm",
            Ecosystem::Semver => "semver",
            Ecosystem::Pep440 => "pep440",
            Ecosystem::Go => "go",
            Ecosystem::GoToolchain => "go-toolchain",
            Ecosystem::Maven => "maven",
            Ecosystem::RubyGems => "rubygems",
        }
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A version string that its ecosystem does not accept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {ecosystem} version {version:?}: {reason}")]
pub struct VersionError {
    /// The scheme it was parsed as.
    pub ecosystem: Ecosystem,
    /// The string, cut to its first 64 characters when longer.
    pub version: String,
    /// What is wrong with it.
    pub reason: String,
}

impl VersionError {
    pub(crate) fn new(ecosystem: Ecosystem, version: &str, reason: impl Into<String>) -> Self {
        const SHOWN: usize = 64;
        let version = match version.char_indices().nth(SHOWN) {
            Some((cut, _)) => format!("{}...", &version[..cut]),
            None => version.to_owned(),
        };
        VersionError {
            ecosystem,
            version,
            reason: reason.into(),
        }
    }
}

/// Rejects strings longer than [`MAX_LEN`].
pub(crate) fn check_len(ecosystem: Ecosystem, s: &str) -> Result<(), VersionError> {
    if s.len() > MAX_LEN {
        return Err(VersionError::new(
            ecosystem,
            s,
            format!("longer than {MAX_LEN} bytes ({} bytes)", s.len()),
        ));
    }
    Ok(())
}

/// Compares two runs of ASCII digits by numeric value, of any length.
pub(crate) fn cmp_digits(a: &[u8], b: &[u8]) -> Ordering {
    let a = strip_zeros(a);
    let b = strip_zeros(b);
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// A run of digits without its leading zeros.
pub(crate) fn strip_zeros(d: &[u8]) -> &[u8] {
    let n = d.iter().take_while(|&&c| c == b'0').count();
    d.get(n..).unwrap_or_default()
}

/// Whether a run of digits is zero (empty counts as zero).
pub(crate) fn is_zero(d: &[u8]) -> bool {
    d.iter().all(|&c| c == b'0')
}

/// A byte range of a parsed version's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Span {
    start: u32,
    end: u32,
}

impl Span {
    /// `start..end`; both are at most [`MAX_LEN`], so they fit.
    pub(crate) fn new(start: usize, end: usize) -> Span {
        Span {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
        }
    }

    pub(crate) fn get(self, text: &str) -> &str {
        text.get(self.start as usize..self.end as usize)
            .unwrap_or_default()
    }

    pub(crate) fn bytes(self, text: &str) -> &[u8] {
        self.of(text.as_bytes())
    }

    pub(crate) fn of(self, b: &[u8]) -> &[u8] {
        b.get(self.start as usize..self.end as usize)
            .unwrap_or_default()
    }

    pub(crate) fn is_empty(self) -> bool {
        self.start >= self.end
    }
}

/// A parsed version of any ecosystem.
#[derive(Debug, Clone)]
pub enum Version {
    /// See [`dpkg::Version`].
    Dpkg(dpkg::Version),
    /// See [`apk::Version`].
    Apk(apk::Version),
    /// See [`rpm::Version`].
    Rpm(rpm::Version),
    /// See [`semver::Version`].
    Semver(semver::Version),
    /// See [`pep440::Version`].
    Pep440(pep440::Version),
    /// See [`golang::Version`].
    Go(golang::Version),
    /// See [`golang::Toolchain`].
    GoToolchain(golang::Toolchain),
    /// See [`maven::Version`].
    Maven(maven::Version),
    /// See [`rubygems::Version`].
    RubyGems(rubygems::Version),
}

impl Version {
    /// The scheme this version was parsed as.
    pub fn ecosystem(&self) -> Ecosystem {
        match self {
            Version::Dpkg(_) => Ecosystem::Dpkg,
            Version::Apk(_) => Ecosystem::Apk,
            Version::Rpm(_) => Ecosystem::Rpm,
            Version::Semver(_) => Ecosystem::Semver,
            Version::Pep440(_) => Ecosystem::Pep440,
            Version::Go(_) => Ecosystem::Go,
            Version::GoToolchain(_) => Ecosystem::GoToolchain,
            Version::Maven(_) => Ecosystem::Maven,
            Version::RubyGems(_) => Ecosystem::RubyGems,
        }
    }

    /// The string it was parsed from.
    pub fn as_str(&self) -> &str {
        match self {
            Version::Dpkg(v) => v.as_str(),
            Version::Apk(v) => v.as_str(),
            Version::Rpm(v) => v.as_str(),
            Version::Semver(v) => v.as_str(),
            Version::Pep440(v) => v.as_str(),
            Version::Go(v) => v.as_str(),
            Version::GoToolchain(v) => v.as_str(),
            Version::Maven(v) => v.as_str(),
            Version::RubyGems(v) => v.as_str(),
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Each version shows as the string it was parsed from.
macro_rules! display_as_str {
    ($($t:ty),*) => {
        $(impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        })*
    };
}

display_as_str!(
    dpkg::Version,
    apk::Version,
    rpm::Version,
    semver::Version,
    pep440::Version,
    golang::Version,
    golang::Toolchain,
    maven::Version,
    rubygems::Version
);

impl Version {
    /// Orders two versions of the same ecosystem as that ecosystem does;
    /// `None` across ecosystems.
    ///
    /// This is not an `Ord`: Maven's order is not transitive for some odd
    /// strings (see [`maven::Version::compare`]), so sorting with it may
    /// panic. The other ecosystems' versions are `Ord` themselves.
    pub fn compare(&self, other: &Version) -> Option<Ordering> {
        Some(match (self, other) {
            (Version::Dpkg(a), Version::Dpkg(b)) => a.cmp(b),
            (Version::Apk(a), Version::Apk(b)) => a.cmp(b),
            (Version::Rpm(a), Version::Rpm(b)) => a.cmp(b),
            (Version::Semver(a), Version::Semver(b)) => a.cmp(b),
            (Version::Pep440(a), Version::Pep440(b)) => a.cmp(b),
            (Version::Go(a), Version::Go(b)) => a.cmp(b),
            (Version::GoToolchain(a), Version::GoToolchain(b)) => a.cmp(b),
            (Version::Maven(a), Version::Maven(b)) => a.compare(b),
            (Version::RubyGems(a), Version::RubyGems(b)) => a.cmp(b),
            _ => return None,
        })
    }
}

/// Parses `s` as a version of `ecosystem`.
pub fn parse(ecosystem: Ecosystem, s: &str) -> Result<Version, VersionError> {
    Ok(match ecosystem {
        Ecosystem::Dpkg => Version::Dpkg(dpkg::parse(s)?),
        Ecosystem::Apk => Version::Apk(apk::parse(s)?),
        Ecosystem::Rpm => Version::Rpm(rpm::parse(s)?),
        Ecosystem::Semver => Version::Semver(semver::parse(s)?),
        Ecosystem::Pep440 => Version::Pep440(pep440::parse(s)?),
        Ecosystem::Go => Version::Go(golang::parse(s)?),
        Ecosystem::GoToolchain => Version::GoToolchain(golang::parse_toolchain(s)?),
        Ecosystem::Maven => Version::Maven(maven::parse(s)?),
        Ecosystem::RubyGems => Version::RubyGems(rubygems::parse(s)?),
    })
}

/// Orders `a` against `b` as `ecosystem` does. Fails when either string
/// is not a version of that ecosystem; the error names which one.
///
/// This parses both strings on every call: when one version is compared
/// many times, [`parse`] it once and compare the parsed values.
pub fn compare(ecosystem: Ecosystem, a: &str, b: &str) -> Result<Ordering, VersionError> {
    let a = parse(ecosystem, a)?;
    let b = parse(ecosystem, b)?;
    Ok(a.compare(&b).unwrap_or(Ordering::Equal))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_compare_by_value_at_any_length() {
        assert_eq!(cmp_digits(b"007", b"7"), Ordering::Equal);
        assert_eq!(cmp_digits(b"10", b"9"), Ordering::Greater);
        assert_eq!(cmp_digits(b"", b"0"), Ordering::Equal);
        let big = "9".repeat(40);
        assert_eq!(
            cmp_digits(big.as_bytes(), b"100000000000000000000"),
            Ordering::Greater
        );
    }

    #[test]
    fn errors_name_the_string_and_the_ecosystem() {
        let e = compare(Ecosystem::Semver, "1.0.0", "1.x").expect_err("invalid");
        assert_eq!(e.ecosystem, Ecosystem::Semver);
        assert_eq!(e.version, "1.x");
        assert!(e.to_string().contains("semver"), "{e}");
    }

    #[test]
    fn huge_input_is_refused_quickly_by_every_parser() {
        let huge = "1.".repeat(500_000);
        for eco in Ecosystem::ALL {
            let e = parse(eco, &huge).expect_err("invalid");
            assert!(e.reason.contains("longer than"), "{eco}: {e}");
            assert!(e.version.len() < 100);
        }
    }

    #[test]
    fn deeply_nested_input_stays_within_bounds() {
        // Each digit-letter transition nests a Maven list.
        let deep = "1a".repeat(MAX_LEN / 2);
        for eco in Ecosystem::ALL {
            if let Ok(v) = parse(eco, &deep) {
                assert_eq!(v.compare(&v), Some(Ordering::Equal), "{eco}");
            }
        }
        let m = parse(Ecosystem::Maven, &deep).expect("any ASCII is a Maven version");
        let n = parse(Ecosystem::Maven, &format!("{}b", &deep[..deep.len() - 1]))
            .expect("any ASCII is a Maven version");
        assert_eq!(m.compare(&n), Some(Ordering::Less));
    }

    #[test]
    fn versions_of_different_ecosystems_do_not_compare() {
        let a = parse(Ecosystem::Dpkg, "1.0").expect("valid");
        let b = parse(Ecosystem::Rpm, "1.0").expect("valid");
        assert_eq!(a.compare(&b), None);
    }
}
