//! What is installed in an image or a file system: its operating system
//! and packages, as the catalogers find them and the vulnerability matcher
//! and the writers read them.

/// An operating system release.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Os {
    /// `debian`, `ubuntu`, `alpine`, `rhel`...
    pub id: String,
    /// `12`, `22.04`, `3.20.1`.
    pub version: Option<String>,
    /// `bookworm`, `jammy`.
    pub codename: Option<String>,
    pub pretty_name: Option<String>,
}

/// Where a package was found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Found {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layer: Option<usize>,
    pub path: String,
}

/// One installed package.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Package {
    pub name: String,
    pub version: String,
    /// `deb`, `apk`, `rpm`, `pypi`, `npm`...
    pub ecosystem: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arch: Option<String>,
    /// The source package and its version, which distro advisories are
    /// keyed on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_version: Option<String>,
    pub purl: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<String>,
    pub found: Found,
}

/// Everything found.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Inventory {
    pub os: Option<Os>,
    pub packages: Vec<Package>,
    /// Files that could not be read as what they should be, with why.
    pub problems: Vec<String>,
}

/// The PEP 503 normal form of a distribution name: lower case, each run of
/// `-`, `_` and `.` replaced by one `-` (`Zope.Interface` and
/// `zope_interface` are both `zope-interface`).
pub fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_run = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_run {
                out.push('-');
            }
            in_run = true;
        } else {
            out.extend(c.to_lowercase());
            in_run = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pep_503_names() {
        assert_eq!(pep503("PyYAML"), "pyyaml");
        assert_eq!(pep503("typing_extensions"), "typing-extensions");
        assert_eq!(pep503("jaraco.functools"), "jaraco-functools");
        assert_eq!(pep503("Foo.-_Bar__baz"), "foo-bar-baz");
        assert_eq!(pep503("python-dateutil"), "python-dateutil");
    }
}
