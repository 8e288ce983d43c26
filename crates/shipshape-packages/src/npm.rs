//! JavaScript packages of npm:
//!
//! - installed ones, from `node_modules/NAME/package.json` and
//!   `node_modules/@SCOPE/NAME/package.json` at any depth (nested
//!   `node_modules`, global `/usr/lib/node_modules`, pnpm's
//!   `node_modules/.pnpm/*/node_modules`). A `package.json` anywhere else
//!   is not an installed package: a project's own root manifest, a
//!   workspace's, or a marker inside a package (`dist/esm/package.json`);
//! - locked ones, from `package-lock.json` and `npm-shrinkwrap.json`
//!   outside `node_modules`: lockfile version 1 (the nested
//!   `dependencies` tree) and versions 2 and 3 (`packages` keyed by
//!   `node_modules/...` paths). The project itself (the `""` entry),
//!   workspace directories and links are not dependencies and are left
//!   out, and so are local `file:` dependencies, which have no registry
//!   version. `node_modules/.package-lock.json`, npm's cache of the tree
//!   it installed, is not read: the tree itself is.
//!
//! Development dependencies are included: a [`Package`] has no field to
//! say so. A project scanned with both its lock file and its installed
//! `node_modules` lists a package once for each place it was found.
//! Lock files can be large, so they are condensed as they stream past.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::IgnoredAny;
use shipshape_core::files::{FileIndex, Kind};

use crate::json::{Capped, Lean};
use crate::{Found, Inventory, Package, purl};

/// Whether `path` is the manifest of a package installed in a
/// `node_modules` directory.
pub fn wants(path: &str) -> bool {
    let mut parts = path.rsplit('/');
    let (Some("package.json"), Some(name)) = (parts.next(), parts.next()) else {
        return false;
    };
    if name.is_empty() || name.starts_with(['.', '@']) {
        return false;
    }
    match parts.next() {
        Some("node_modules") => true,
        Some(scope) if scope.len() > 1 && scope.starts_with('@') => {
            parts.next() == Some("node_modules")
        }
        _ => false,
    }
}

/// Largest lock file read (a large monorepo's is tens of MB); a larger
/// one is reported, not read.
pub const MAX_LOCK_BYTES: u64 = 64 << 20;

/// Whether `path` is a lock file this cataloger reads.
pub fn condenses(path: &str) -> bool {
    let (dir, file) = path.rsplit_once('/').unwrap_or(("", path));
    matches!(file, "package-lock.json" | "npm-shrinkwrap.json")
        && !dir.split('/').any(|part| part == "node_modules")
}

/// A package's name (`@scope/name` for a scoped one), version and
/// declared licenses.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Locked {
    pub name: String,
    pub version: String,
    pub licenses: Vec<String>,
}

/// What a lock file lists, and what could not be read in it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Lock {
    pub packages: Vec<Locked>,
    pub problems: Vec<String>,
}

/// The fields read of a `package.json` or of a version 2/3 lock entry.
/// Any JSON is accepted for each; the wrong type counts as absent.
/// Only what is read of each field is kept ([`Lean`]).
#[derive(Deserialize)]
struct Fields {
    name: Option<Lean>,
    version: Option<Lean>,
    license: Option<Lean>,
    licenses: Option<Lean>,
    link: Option<Lean>,
}

/// A lock file: at most [`crate::MAX_PACKAGES`] entries of each map kept.
#[derive(Deserialize)]
struct LockFile {
    #[serde(rename = "lockfileVersion")]
    lockfile_version: Option<IgnoredAny>,
    packages: Option<Capped<BTreeMap<String, Fields>>>,
    dependencies: Option<Capped<BTreeMap<String, V1Entry>>>,
}

/// A lockfile version 1 dependency, with the ones nested under it.
#[derive(Deserialize)]
struct V1Entry {
    version: Option<Lean>,
    dependencies: Option<Capped<BTreeMap<String, V1Entry>>>,
}

fn text(v: Option<&Lean>) -> Option<&str> {
    v.and_then(Lean::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// `license` as a string (`MIT`, `(MIT OR Apache-2.0)`) or the old
/// `{"type": ...}` object; else the old `licenses` array (of objects or
/// strings).
fn licenses(license: Option<&Lean>, licenses: Option<&Lean>) -> Vec<String> {
    fn one(v: &Lean) -> Option<&str> {
        match v {
            Lean::Str(s) => Some(s.as_str()),
            Lean::Object(kind) => kind.as_deref(),
            _ => None,
        }
    }
    fn all(v: &Lean) -> Vec<&str> {
        match v {
            Lean::List(items) => items.iter().filter_map(one).collect(),
            other => one(other).into_iter().collect(),
        }
    }
    let mut out = license.map(all).unwrap_or_default();
    if out.iter().all(|l| l.trim().is_empty()) {
        out = licenses.map(all).unwrap_or_default();
    }
    out.into_iter()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// Parses an installed package's `package.json`.
pub fn parse_manifest(bytes: &[u8]) -> Result<Locked, String> {
    let fields: Fields =
        serde_json::from_slice(strip_bom(bytes)).map_err(|e| format!("not a JSON object: {e}"))?;
    let name = text(fields.name.as_ref()).ok_or("no name")?;
    let version = text(fields.version.as_ref()).ok_or("no version")?;
    Ok(Locked {
        name: name.to_string(),
        version: version.to_string(),
        licenses: licenses(fields.license.as_ref(), fields.licenses.as_ref()),
    })
}

/// A local dependency (`file:../lib`, `link:`) has no registry version.
fn is_local(version: &str) -> bool {
    version.starts_with("file:") || version.starts_with("link:")
}

/// Parses a `package-lock.json` or `npm-shrinkwrap.json`.
pub fn parse_lock(bytes: &[u8]) -> Lock {
    let mut lock = Lock::default();
    let file: LockFile = match serde_json::from_slice(strip_bom(bytes)) {
        Ok(file) => file,
        Err(e) => {
            lock.problems.push(format!("not an npm lock file: {e}"));
            return lock;
        }
    };
    let passed_over = |lock: &mut Lock, more: usize| {
        if more > 0 {
            lock.problems.push(format!(
                "more than {} entries in one map: {more} more are not read",
                crate::MAX_PACKAGES
            ));
        }
    };
    if let Some(packages) = file.packages {
        passed_over(&mut lock, packages.more);
        for (key, entry) in packages.kept {
            // "" is the project; "packages/x" a workspace of it.
            let Some(at) = key.rfind("node_modules/") else {
                continue;
            };
            if entry.link.as_ref().and_then(Lean::as_bool) == Some(true) {
                continue;
            }
            let dir_name = key.get(at + "node_modules/".len()..).unwrap_or_default();
            let Some(name) = text(entry.name.as_ref()).or(Some(dir_name).filter(|n| !n.is_empty()))
            else {
                lock.problems.push(format!("entry `{key}` has no name"));
                continue;
            };
            let Some(version) = text(entry.version.as_ref()) else {
                lock.problems.push(format!("entry `{key}` has no version"));
                continue;
            };
            if is_local(version) {
                continue;
            }
            lock.packages.push(Locked {
                name: name.to_string(),
                version: version.to_string(),
                licenses: licenses(entry.license.as_ref(), entry.licenses.as_ref()),
            });
        }
    } else if let Some(dependencies) = file.dependencies {
        let mut stack = vec![dependencies];
        while let Some(level) = stack.pop() {
            passed_over(&mut lock, level.more);
            for (key, entry) in level.kept {
                if let Some(nested) = entry.dependencies {
                    stack.push(nested);
                }
                let Some(version) = text(entry.version.as_ref()) else {
                    lock.problems
                        .push(format!("dependency `{key}` has no version"));
                    continue;
                };
                if is_local(version) {
                    continue;
                }
                // An alias: `"version": "npm:real-name@1.2.3"`.
                let (name, version) = match version
                    .strip_prefix("npm:")
                    .and_then(|spec| spec.rsplit_once('@'))
                {
                    Some((real, v)) if !real.is_empty() && !v.is_empty() => (real, v),
                    _ => (key.as_str(), version),
                };
                lock.packages.push(Locked {
                    name: name.to_string(),
                    version: version.to_string(),
                    licenses: Vec::new(),
                });
            }
        }
    } else if file.lockfile_version.is_none() {
        lock.problems
            .push("not an npm lock file: no lockfileVersion, packages or dependencies".into());
    }
    lock
}

/// Condenses a lock file [`condenses`] accepted.
pub fn condense(bytes: &[u8]) -> Lock {
    let mut lock = parse_lock(bytes);
    crate::bound(&mut lock.packages, &mut lock.problems);
    lock
}

/// `pkg:npm/%40scope/name@version`, or `pkg:npm/name@version`.
fn npm_purl(name: &str, version: &str) -> String {
    match name.split_once('/') {
        Some((scope, bare)) if scope.len() > 1 && scope.starts_with('@') => {
            purl::build("npm", Some(scope), bare, version, &[])
        }
        _ => purl::build("npm", None, name, version, &[]),
    }
}

fn package(p: Locked, found: Found) -> Package {
    Package {
        purl: npm_purl(&p.name, &p.version),
        name: p.name,
        version: p.version,
        ecosystem: "npm",
        arch: None,
        source_name: None,
        source_version: None,
        licenses: p.licenses,
        found,
    }
}

/// The packages installed in `node_modules` directories.
pub fn catalog(files: &FileIndex, inventory: &mut Inventory) {
    for (path, entry) in files.iter() {
        if entry.kind != Kind::File || !wants(path) {
            continue;
        }
        let Some(content) = &entry.content else {
            inventory
                .problems
                .push(crate::not_read(path, entry, "package.json"));
            continue;
        };
        match parse_manifest(content) {
            Ok(p) => inventory.packages.push(package(
                p,
                Found {
                    layer: Some(entry.layer),
                    path: format!("/{path}"),
                },
            )),
            Err(why) => inventory
                .problems
                .push(format!("/{path}: not an installed npm package: {why}")),
        }
    }
}

/// The packages of a condensed lock file found at `found`.
pub fn add_lock(lock: Lock, found: &Found, inventory: &mut Inventory) {
    for why in lock.problems {
        inventory.problems.push(format!("{}: {why}", found.path));
    }
    for p in lock.packages {
        inventory.packages.push(package(p, found.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installed_manifests_are_wanted_and_nothing_else() {
        for path in [
            "app/node_modules/express/package.json",
            "node_modules/express/package.json",
            "app/node_modules/@babel/core/package.json",
            "app/node_modules/a/node_modules/b/package.json",
            "app/node_modules/a/node_modules/@s/b/package.json",
            "usr/lib/node_modules/npm/package.json",
            "app/node_modules/.pnpm/left-pad@1.3.0/node_modules/left-pad/package.json",
        ] {
            assert!(wants(path), "{path}");
        }
        for path in [
            "app/package.json",
            "package.json",
            "app/packages/lib/package.json",
            "app/node_modules/package.json",
            "app/node_modules/glob/dist/esm/package.json",
            "app/node_modules/@babel/package.json",
            "app/node_modules/.bin/package.json",
            "app/node_modules/@/x/package.json",
            "app/node_modules/@s/@t/package.json",
            "app/node_modules/express/package.json.bak",
            "app/node_modules/express/index.js",
        ] {
            assert!(!wants(path), "{path}");
        }
    }

    #[test]
    fn lock_files_are_condensed_outside_node_modules_only() {
        assert!(condenses("app/package-lock.json"));
        assert!(condenses("package-lock.json"));
        assert!(condenses("srv/npm-shrinkwrap.json"));
        assert!(!condenses("app/node_modules/.package-lock.json"));
        assert!(!condenses("app/node_modules/x/package-lock.json"));
        assert!(!condenses("app/package.json"));
        assert!(!condenses("app/yarn.lock"));
    }

    #[test]
    fn old_license_forms() {
        let m =
            parse_manifest(br#"{"name":"a","version":"1.0.0","license":{"type":"MIT","url":"x"}}"#)
                .expect("test input");
        assert_eq!(m.licenses, ["MIT"]);
        let m = parse_manifest(
            br#"{"name":"a","version":"1.0.0","licenses":[{"type":"MIT"},"GPL-2.0",{"url":"x"}]}"#,
        )
        .expect("test input");
        assert_eq!(m.licenses, ["MIT", "GPL-2.0"]);
        let m = parse_manifest(b"\xEF\xBB\xBF{\"name\":\"a\",\"version\":\"1\",\"license\":7}")
            .expect("test input");
        assert!(m.licenses.is_empty());
    }

    #[test]
    fn manifests_without_name_or_version_are_refused() {
        assert_eq!(
            parse_manifest(br#"{"name":"a"}"#),
            Err("no version".to_string())
        );
        assert_eq!(
            parse_manifest(br#"{"version":"1.0.0","name":""}"#),
            Err("no name".to_string())
        );
        assert!(parse_manifest(b"[1]").is_err());
        assert!(parse_manifest(b"").is_err());
    }

    #[test]
    fn purls_put_the_scope_in_the_namespace() {
        assert_eq!(
            npm_purl("@babel/core", "7.24.0"),
            "pkg:npm/%40babel/core@7.24.0"
        );
        assert_eq!(npm_purl("express", "4.19.2"), "pkg:npm/express@4.19.2");
        assert_eq!(npm_purl("JSONStream", "1.3.5"), "pkg:npm/JSONStream@1.3.5");
    }

    #[test]
    fn lock_v1_aliases_local_and_broken_entries() {
        let lock = parse_lock(
            br#"{"lockfileVersion":1,"dependencies":{
                "al":{"version":"npm:@s/real@2.0.0"},
                "loc":{"version":"file:../loc"},
                "git":{"version":"git+https://example.org/x.git#abc"},
                "nov":{"resolved":"x"}}}"#,
        );
        let got: Vec<(&str, &str)> = lock
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("@s/real", "2.0.0"),
                ("git", "git+https://example.org/x.git#abc")
            ]
        );
        assert_eq!(lock.problems, ["dependency `nov` has no version"]);
    }

    #[test]
    fn lock_v3_entries_without_version_are_problems() {
        let lock = parse_lock(
            br#"{"lockfileVersion":3,"packages":{"":{"name":"root","version":"1.0.0"},
                "node_modules/x":{},"node_modules/":{"version":"1.0.0"},
                "node_modules/ok":{"version":"1.0.0","license":"MIT"}}}"#,
        );
        assert_eq!(lock.packages.len(), 1);
        assert_eq!(lock.packages[0].licenses, ["MIT"]);
        assert_eq!(
            lock.problems,
            [
                "entry `node_modules/` has no name",
                "entry `node_modules/x` has no version"
            ]
        );
    }

    #[test]
    fn what_is_not_a_lock_file_is_a_problem() {
        for bytes in [&b"[]"[..], b"{}", b"{\"packages\": 3}", b"not json"] {
            let lock = parse_lock(bytes);
            assert!(lock.packages.is_empty());
            assert_eq!(lock.problems.len(), 1, "{lock:?}");
        }
        // A lock of a project without dependencies lists nothing.
        assert_eq!(parse_lock(br#"{"lockfileVersion":1}"#), Lock::default());
    }
}
