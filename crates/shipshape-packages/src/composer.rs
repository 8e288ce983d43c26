//! PHP packages of Composer:
//!
//! - installed ones, from `vendor/composer/installed.json`: Composer 1
//!   wrote an array of packages, Composer 2 writes `{"packages": [...]}`;
//! - locked ones, from `composer.lock` (`packages` and `packages-dev`)
//!   outside `vendor` directories (a package's own lock file, shipped in
//!   its archive, did not install anything).
//!
//! The project's own `composer.json` is not a dependency and is not read.
//! Development packages are included: a [`Package`] has no field to say
//! so. Both files can be large, so they are condensed as they stream past.
//!
//! Names are not case-sensitive in Composer and Packagist lists them in
//! lower case, so the name is lower-cased (`vendor/package`, purl
//! `pkg:composer/vendor/package@version`). The version is kept as written,
//! with the leading `v` of a tag (`v5.4.0`) where there is one: the
//! matcher should drop a leading `v` or `V` before comparing, as Composer
//! does when it normalizes versions, and treat `dev-BRANCH` versions as
//! unreleased code that no version range covers.

use serde::Deserialize;

use crate::json::{Capped, Lean};
use crate::{Found, Inventory, Package, purl};

/// Largest `installed.json` or `composer.lock` read (a real one is a few
/// MB at most); a larger one is reported, not read.
pub const MAX_LIST_BYTES: u64 = 64 << 20;

/// Whether `path` is a file this cataloger reads.
pub fn condenses(path: &str) -> bool {
    kind(path).is_some()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Installed,
    Lock,
}

fn kind(path: &str) -> Option<FileKind> {
    let mut parts = path.rsplit('/');
    match parts.next()? {
        "installed.json" => (parts.next() == Some("composer") && parts.next() == Some("vendor"))
            .then_some(FileKind::Installed),
        "composer.lock" => (!parts.any(|p| p == "vendor")).then_some(FileKind::Lock),
        _ => None,
    }
}

/// A package's lower-cased `vendor/name`, version as written and
/// declared licenses.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Locked {
    pub name: String,
    pub version: String,
    pub licenses: Vec<String>,
}

/// What a file lists, and what could not be read in it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Listed {
    pub packages: Vec<Locked>,
    pub problems: Vec<String>,
}

/// The fields read of a package entry; the wrong type counts as absent.
/// Only what is read of each is kept ([`Lean`]).
#[derive(Deserialize)]
struct Entry {
    name: Option<Lean>,
    version: Option<Lean>,
    license: Option<Lean>,
}

/// Composer 2's `installed.json`, or a `composer.lock`: at most
/// [`crate::MAX_PACKAGES`] entries of each list kept.
#[derive(Deserialize)]
struct Object {
    packages: Option<Capped<Vec<Entry>>>,
    #[serde(rename = "packages-dev")]
    packages_dev: Option<Capped<Vec<Entry>>>,
}

fn text(v: Option<&Lean>) -> Option<&str> {
    v.and_then(Lean::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Parses an `installed.json` (Composer 1 or 2) or a `composer.lock`.
pub fn parse(bytes: &[u8]) -> Listed {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut listed = Listed::default();
    let starts_array = bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'[');
    let entries = if starts_array {
        serde_json::from_slice::<Capped<Vec<Entry>>>(bytes).map(|c| (c.kept, c.more))
    } else {
        serde_json::from_slice::<Object>(bytes).map(|o| {
            let (mut all, mut more) = (Vec::new(), 0);
            for list in [o.packages, o.packages_dev].into_iter().flatten() {
                all.extend(list.kept);
                more += list.more;
            }
            (all, more)
        })
    };
    let entries = match entries {
        Ok((entries, more)) => {
            if more > 0 {
                listed.problems.push(format!(
                    "more than {} packages in one list: {more} more are not read",
                    crate::MAX_PACKAGES
                ));
            }
            entries
        }
        Err(e) => {
            listed
                .problems
                .push(format!("not a Composer package list: {e}"));
            return listed;
        }
    };
    for (i, entry) in entries.into_iter().enumerate() {
        let Some(name) = text(entry.name.as_ref()) else {
            listed.problems.push(format!("package {i} has no name"));
            continue;
        };
        let name = name.to_lowercase();
        if !matches!(name.split_once('/'), Some((v, n)) if !v.is_empty() && !n.is_empty() && !n.contains('/'))
        {
            listed
                .problems
                .push(format!("package `{name}`: name is not vendor/package"));
            continue;
        }
        let Some(version) = text(entry.version.as_ref()) else {
            listed
                .problems
                .push(format!("package `{name}` has no version"));
            continue;
        };
        let licenses = match &entry.license {
            Some(Lean::Str(s)) => vec![s.as_str()],
            Some(Lean::List(items)) => items.iter().filter_map(Lean::as_str).collect(),
            _ => Vec::new(),
        };
        listed.packages.push(Locked {
            version: version.to_string(),
            licenses: licenses
                .into_iter()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect(),
            name,
        });
    }
    listed
}

/// Condenses a file [`condenses`] accepted.
pub fn condense(bytes: &[u8]) -> Listed {
    let mut listed = parse(bytes);
    crate::bound(&mut listed.packages, &mut listed.problems);
    listed
}

/// The packages of a condensed file found at `found`.
pub fn add(listed: Listed, found: &Found, inventory: &mut Inventory) {
    for why in listed.problems {
        inventory.problems.push(format!("{}: {why}", found.path));
    }
    for p in listed.packages {
        let (vendor, bare) = p.name.split_once('/').unwrap_or(("", &p.name));
        inventory.packages.push(Package {
            purl: purl::build("composer", Some(vendor), bare, &p.version, &[]),
            name: p.name.clone(),
            version: p.version,
            ecosystem: "composer",
            arch: None,
            source_name: None,
            source_version: None,
            licenses: p.licenses,
            found: found.clone(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installed_json_and_lock_files_only() {
        for path in [
            "var/www/html/vendor/composer/installed.json",
            "vendor/composer/installed.json",
            "var/www/html/composer.lock",
            "composer.lock",
        ] {
            assert!(condenses(path), "{path}");
        }
        for path in [
            "var/www/html/composer.json",
            "var/www/html/vendor/composer/installed.php",
            "var/www/html/composer/installed.json",
            "var/www/html/vendor/installed.json",
            "var/www/html/vendor/acme/lib/composer.lock",
            "var/www/html/composer.lock.bak",
            "installed.json",
        ] {
            assert!(!condenses(path), "{path}");
        }
    }

    #[test]
    fn names_are_lower_cased_and_versions_kept() {
        let listed = parse(
            br#"[{"name":"Symfony/Console","version":"v5.4.0","license":"MIT"},
                 {"name":"a/b","version":"dev-main"}]"#,
        );
        assert_eq!(
            listed.packages,
            [
                Locked {
                    name: "symfony/console".into(),
                    version: "v5.4.0".into(),
                    licenses: vec!["MIT".into()],
                },
                Locked {
                    name: "a/b".into(),
                    version: "dev-main".into(),
                    licenses: vec![],
                },
            ]
        );
        assert!(listed.problems.is_empty());
    }

    #[test]
    fn broken_entries_are_problems() {
        let listed = parse(
            br#"{"packages":[{"version":"1.0"},{"name":"nosuffix","version":"1"},
                 {"name":"a/b/c","version":"1"},{"name":"a/b","version":7},{"name":"ok/ok","version":"1"}]}"#,
        );
        assert_eq!(listed.packages.len(), 1);
        assert_eq!(
            listed.problems,
            [
                "package 0 has no name",
                "package `nosuffix`: name is not vendor/package",
                "package `a/b/c`: name is not vendor/package",
                "package `a/b` has no version",
            ]
        );
        for bytes in [&b""[..], b"3", b"{\"packages\": {}}", b"[1]"] {
            let listed = parse(bytes);
            assert!(listed.packages.is_empty());
            assert_eq!(listed.problems.len(), 1, "{listed:?}");
        }
    }
}
