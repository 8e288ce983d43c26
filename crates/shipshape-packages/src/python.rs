//! Python distributions installed anywhere (`site-packages`,
//! `dist-packages`, a virtual environment, a `--target` directory): the
//! core metadata of each, read from
//!
//! - `NAME-VERSION.dist-info/METADATA` (wheels, pip),
//! - `NAME.egg-info/PKG-INFO`, or an `NAME.egg-info` file (setuptools,
//!   Debian's python3 packages),
//! - `NAME.egg/EGG-INFO/PKG-INFO` (eggs).
//!
//! The metadata is an RFC 822-style header block; only the headers are
//! read (the body is the long description). The name is normalized as
//! PEP 503 says (lower case, each run of `-`, `_`, `.` as one `-`) for the
//! package's name and purl, so the matcher compares like with like; a
//! [`Package`] has no field for the name as declared. A distribution that
//! Debian ships with both a dist-info and an egg-info in the same directory
//! is reported once.

use std::collections::HashSet;

use shipshape_core::files::{FileIndex, Kind};
use shipshape_core::inventory::pep503;

use crate::{Found, Inventory, Package, purl};

/// Whether `path` is a distribution's metadata file.
pub fn wants(path: &str) -> bool {
    metadata_kind(path).is_some()
}

/// Which kind of metadata file `path` is; the order is the preference
/// when one directory holds the same distribution twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum MetadataKind {
    DistInfo,
    EggInfo,
    Egg,
}

fn metadata_kind(path: &str) -> Option<MetadataKind> {
    let (dir, file) = path.rsplit_once('/').unwrap_or(("", path));
    let parent = dir.rsplit('/').next().unwrap_or(dir);
    match file {
        "METADATA" if has_suffix(parent, ".dist-info") => Some(MetadataKind::DistInfo),
        "PKG-INFO" if has_suffix(parent, ".egg-info") => Some(MetadataKind::EggInfo),
        "PKG-INFO"
            if parent == "EGG-INFO"
                && dir
                    .rsplit('/')
                    .nth(1)
                    .is_some_and(|egg| has_suffix(egg, ".egg")) =>
        {
            Some(MetadataKind::Egg)
        }
        _ if has_suffix(file, ".egg-info") => Some(MetadataKind::EggInfo),
        _ => None,
    }
}

/// `name` is `SOMETHING` followed by `suffix`.
fn has_suffix(name: &str, suffix: &str) -> bool {
    name.len() > suffix.len() && name.ends_with(suffix)
}

/// The directory the distribution is installed in (`.../site-packages`).
fn install_dir(path: &str, kind: MetadataKind) -> &str {
    let up = match kind {
        MetadataKind::DistInfo => 2,
        MetadataKind::EggInfo if path.ends_with(".egg-info") => 1,
        MetadataKind::EggInfo => 2,
        MetadataKind::Egg => 3,
    };
    let mut dir = path;
    for _ in 0..up {
        dir = dir.rsplit_once('/').map_or("", |(d, _)| d);
    }
    dir
}

/// What the metadata says about a distribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Distribution {
    /// As declared (`PyYAML`); see [`normalize`].
    pub name: String,
    pub version: String,
    /// `License-Expression` if present; else a one-line `License` other
    /// than `UNKNOWN`; else the last part of each `License :: ...`
    /// classifier (`MIT License`). A `License` spanning several lines is
    /// the license's text, not its name, and is not used.
    pub licenses: Vec<String>,
}

/// The header fields, continuation lines joined with `\n`, up to the first
/// empty line or the first line that is not a header (as Python's `email`
/// parser, which `importlib.metadata` uses, ends them).
fn headers(text: &str) -> Vec<(&str, String)> {
    let mut out: Vec<(&str, String)> = Vec::new();
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = out.last_mut() {
                value.push('\n');
                value.push_str(line.trim());
            }
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            break;
        };
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_graphic()) {
            break;
        }
        out.push((key, value.trim().to_string()));
    }
    out
}

/// Parses a metadata file; the error says what is missing.
pub fn parse(text: &str) -> Result<Distribution, &'static str> {
    let fields = headers(text);
    let first = |key: &str| {
        fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    };
    let name = first("Name").ok_or("no Name header")?;
    let version = first("Version").ok_or("no Version header")?;
    let licenses = if let Some(expression) = first("License-Expression") {
        vec![expression.to_string()]
    } else if let Some(license) = first("License").filter(|l| !l.contains('\n') && *l != "UNKNOWN")
    {
        vec![license.to_string()]
    } else {
        let mut from_classifiers: Vec<String> = Vec::new();
        for (key, value) in &fields {
            if !key.eq_ignore_ascii_case("Classifier") {
                continue;
            }
            let parts: Vec<&str> = value.split("::").map(str::trim).collect();
            if let ["License", .., last] = parts.as_slice()
                && *last != "OSI Approved"
                && !from_classifiers.iter().any(|l| l == last)
            {
                from_classifiers.push((*last).to_string());
            }
        }
        from_classifiers
    };
    Ok(Distribution {
        name: name.to_string(),
        version: version.to_string(),
        licenses,
    })
}

/// The distributions whose metadata the reader kept.
pub fn catalog(files: &FileIndex, inventory: &mut Inventory) {
    let mut found: Vec<(MetadataKind, &str, Distribution, usize)> = Vec::new();
    for (path, entry) in files.iter() {
        let Some(kind) = metadata_kind(path) else {
            continue;
        };
        if entry.kind != Kind::File {
            continue;
        }
        let Some(content) = &entry.content else {
            inventory
                .problems
                .push(crate::not_read(path, entry, "Python metadata"));
            continue;
        };
        match parse(&String::from_utf8_lossy(content)) {
            Ok(dist) => found.push((kind, path, dist, entry.layer)),
            Err(why) => inventory
                .problems
                .push(format!("/{path}: not Python package metadata: {why}")),
        }
    }
    found.sort_by_key(|(kind, path, ..)| (*kind, *path));
    let mut seen = HashSet::new();
    for (kind, path, dist, layer) in found {
        let name = pep503(&dist.name);
        if !seen.insert((install_dir(path, kind), name.clone(), dist.version.clone())) {
            continue;
        }
        inventory.packages.push(Package {
            purl: purl::build("pypi", None, &name, &dist.version, &[]),
            name,
            version: dist.version,
            ecosystem: "pypi",
            arch: None,
            source_name: None,
            source_version: None,
            licenses: dist.licenses,
            found: Found {
                layer: Some(layer),
                path: format!("/{path}"),
            },
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_paths_are_wanted_and_nothing_else() {
        for path in [
            "usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA",
            "usr/local/lib/python3.11/site-packages/six-1.16.0.dist-info/METADATA",
            "app/.venv/lib/python3.12/site-packages/attrs-25.3.0.dist-info/METADATA",
            "usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO",
            "usr/lib/python3/dist-packages/rpm-4.18.0.egg-info",
            "src/project.egg-info/PKG-INFO",
            "usr/lib/python2.7/site-packages/foo-1.0-py2.7.egg/EGG-INFO/PKG-INFO",
        ] {
            assert!(wants(path), "{path}");
        }
        for path in [
            "usr/lib/python3/dist-packages/six-1.16.0.dist-info/RECORD",
            "usr/lib/python3/dist-packages/six-1.16.0.egg-info/requires.txt",
            "usr/lib/python3/dist-packages/.dist-info/METADATA",
            "usr/lib/python3/dist-packages/METADATA",
            "METADATA",
            "src/project/PKG-INFO",
            "usr/share/doc/EGG-INFO/PKG-INFO",
            "usr/lib/python3/dist-packages/.egg-info",
            "usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA.bak",
        ] {
            assert!(!wants(path), "{path}");
        }
    }

    #[test]
    fn license_expression_wins_over_license_and_classifiers() {
        let d = parse(
            "Metadata-Version: 2.4\nName: attrs\nVersion: 25.3.0\nLicense: MIT License\nLicense-Expression: MIT\nClassifier: License :: OSI Approved :: MIT License\n\nbody",
        )
        .expect("test input");
        assert_eq!(d.licenses, ["MIT"]);
    }

    #[test]
    fn classifiers_when_no_license_header() {
        let d = parse(
            "Name: packaging\nVersion: 24.2\nClassifier: License :: OSI Approved :: Apache Software License\nClassifier: License :: OSI Approved :: BSD License\nClassifier: License :: OSI Approved\nClassifier: Programming Language :: Python\n",
        )
        .expect("test input");
        assert_eq!(d.licenses, ["Apache Software License", "BSD License"]);
        let d = parse("Name: x\nVersion: 1\nLicense: UNKNOWN\n").expect("test input");
        assert!(d.licenses.is_empty());
    }

    #[test]
    fn a_license_text_is_not_a_license_name() {
        let d = parse(
            "Name: traitlets\nVersion: 5.15.0\nLicense: BSD 3-Clause License\n        \n        All rights reserved.\nClassifier: License :: OSI Approved :: BSD License\n",
        )
        .expect("test input");
        assert_eq!(d.licenses, ["BSD License"]);
    }

    #[test]
    fn headers_end_at_the_first_empty_line() {
        assert_eq!(parse("Name: x\n\nVersion: 1.0\n"), Err("no Version header"));
        // A whitespace-only line continues a header; it does not end them.
        let d = parse("Name: x\nLicense: text\n   \nVersion: 2.0\r\n").expect("test input");
        assert_eq!(d.version, "2.0");
        assert_eq!(parse("Version: 1.0\n"), Err("no Name header"));
        assert_eq!(parse(""), Err("no Name header"));
        assert_eq!(parse("Name: x\nVersion:   \n"), Err("no Version header"));
    }

    #[test]
    fn a_line_that_is_not_a_header_ends_them() {
        assert_eq!(
            parse("Name: x\nthis is the description\nVersion: 1.0\n"),
            Err("no Version header")
        );
    }

    #[test]
    fn install_dirs() {
        let cases = [
            ("a/site/x-1.dist-info/METADATA", "a/site"),
            ("a/site/x.egg-info/PKG-INFO", "a/site"),
            ("a/site/x-1.egg-info", "a/site"),
            ("a/site/x-1.egg/EGG-INFO/PKG-INFO", "a/site"),
            ("x-1.dist-info/METADATA", ""),
        ];
        for (path, dir) in cases {
            let kind = metadata_kind(path).expect("test input");
            assert_eq!(install_dir(path, kind), dir, "{path}");
        }
    }
}
