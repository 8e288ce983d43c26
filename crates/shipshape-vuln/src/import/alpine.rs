//! Alpine's security database (secdb, `secdb.alpinelinux.org/v3.20/main.json`)
//! as OSV records.
//!
//! A secdb file is `{distroversion: "v3.20", reponame, packages: [{pkg:
//! {name, secfixes: {"1.2.3-r0": ["CVE-…"]}}}]}`; the one-package form
//! (`{name, secfixes, distroversion, …}`, as mirrors split it) is read
//! too, and both in YAML as well as JSON. Each (vulnerability, package)
//! becomes one record in ecosystem `Alpine:v3.20`, affected from `0` and
//! fixed in the secfixes key. The key `0` means the package was never
//! affected: not stored. A vulnerability listed under several fixed
//! versions of one package gets one range per version, so a version stays
//! affected until the last of them.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::Converted;
use super::debian::Problems;
use crate::db::{DbError, SOURCE_ALPINE_SECDB};
use crate::osv::{Affected, Event, Package, Range, RangeKind, Record, Reference};

/// Whether YAML text looks like a secdb document (cheap, textual).
pub(crate) fn looks_like_secdb_yaml(text: &str) -> bool {
    let top_key = |k: &str| text.lines().any(|l| l.starts_with(k));
    top_key("distroversion:") && (top_key("packages:") || top_key("secfixes:"))
}

/// Converts a secdb JSON document. `name` is the file name messages use.
pub fn alpine_secdb(bytes: &[u8], name: &str) -> Result<Converted, DbError> {
    let doc: Value = serde_json::from_slice(bytes)
        .map_err(|e| DbError::new(name, format!("not an Alpine secdb: {e}")))?;
    convert(&doc, name)
}

/// Converts a secdb YAML document (as secdb once published and as vunnel
/// keeps its fixtures).
pub fn alpine_secdb_yaml(text: &str, name: &str) -> Result<Converted, DbError> {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = 64;
    budget.max_nodes = 5_000_000;
    budget.max_aliases = 0;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    let doc: Value = serde_saphyr::from_str_with_options(text, options)
        .map_err(|e| DbError::new(name, format!("not an Alpine secdb: {e}")))?;
    convert(&doc, name)
}

/// The OSV ecosystem of a secdb `distroversion` (`v3.20` → `Alpine:v3.20`).
pub fn ecosystem_of(distroversion: &str) -> Option<String> {
    let v = distroversion.trim();
    if v == "edge" {
        return Some("Alpine:edge".to_string());
    }
    let digits = v.strip_prefix('v').unwrap_or(v);
    let (major, minor) = digits.split_once('.')?;
    let number = |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    (number(major) && number(minor)).then(|| format!("Alpine:v{major}.{minor}"))
}

fn convert(doc: &Value, name: &str) -> Result<Converted, DbError> {
    let fail = |problem: String| DbError::new(name, problem);
    let Some(top) = doc.as_object() else {
        return Err(fail("not an Alpine secdb (not an object)".to_string()));
    };
    let version = top
        .get("distroversion")
        .and_then(Value::as_str)
        .ok_or_else(|| fail("not an Alpine secdb (no `distroversion`)".to_string()))?;
    let ecosystem = ecosystem_of(version).ok_or_else(|| {
        fail(format!(
            "distroversion {version:?} is not an Alpine release (vMAJOR.MINOR or edge)"
        ))
    })?;
    let reponame = top.get("reponame").and_then(Value::as_str);
    let packages: Vec<&Map<String, Value>> = match top.get("packages") {
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|p| p.get("pkg").and_then(Value::as_object))
            .collect(),
        Some(Value::Null) => Vec::new(),
        Some(_) => return Err(fail("`packages` is not a list".to_string())),
        None if top.contains_key("secfixes") => vec![top],
        None => return Err(fail("not an Alpine secdb (no `packages`)".to_string())),
    };
    let mut out = Converted {
        source: SOURCE_ALPINE_SECDB,
        records: Vec::new(),
        skipped: Vec::new(),
    };
    if let Some(Value::Array(list)) = top.get("packages")
        && list.len() != packages.len()
    {
        out.skipped.push(format!(
            "{name}: {} package entries without a `pkg` object left out",
            list.len() - packages.len()
        ));
    }
    let mut problems = Problems::default();
    let mut not_affected = 0u64;
    for pkg in packages {
        let Some(package) = pkg
            .get("name")
            .and_then(Value::as_str)
            .filter(|n| !n.trim().is_empty())
        else {
            problems.add("a package without a name".to_string());
            continue;
        };
        let secfixes = match pkg.get("secfixes") {
            Some(Value::Object(m)) => m,
            None | Some(Value::Null) => continue,
            Some(_) => {
                problems.add(format!("{package}: `secfixes` is not an object"));
                continue;
            }
        };
        // Vulnerability id → the versions that fix it, in file order.
        let mut fixes: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (fixed, ids) in secfixes {
            let fixed = fixed.trim();
            let ids: Vec<&str> = match ids {
                Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
                Value::String(s) => vec![s.as_str()],
                Value::Null => Vec::new(),
                _ => {
                    problems.add(format!("{package} {fixed}: not a list of ids"));
                    continue;
                }
            };
            for token in ids.iter().flat_map(|s| s.split_whitespace()) {
                if !is_id(token) {
                    problems.add(format!(
                        "{package} {fixed}: {token:?} is not an advisory id"
                    ));
                    continue;
                }
                if fixed == "0" {
                    not_affected += 1;
                    continue;
                }
                if fixed.is_empty() {
                    problems.add(format!("{package}: {token} under an empty version"));
                    continue;
                }
                let versions = fixes.entry(token.to_string()).or_default();
                if !versions.iter().any(|v| v == fixed) {
                    versions.push(fixed.to_string());
                }
            }
        }
        for (id, versions) in fixes {
            out.records
                .push(record(&id, package, &ecosystem, reponame, &versions));
        }
    }
    if not_affected > 0 {
        out.skipped.push(format!(
            "{name}: {not_affected} ids under fixed version 0 (never affected), not stored"
        ));
    }
    problems.report(name, &mut out.skipped);
    Ok(out)
}

/// A plausible advisory id: `CVE-2024-1234`, `ALPINE-13661`, `XSA-1`.
fn is_id(s: &str) -> bool {
    s.len() <= 100
        && s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.contains('-')
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

fn record(
    id: &str,
    package: &str,
    ecosystem: &str,
    reponame: Option<&str>,
    fixed: &[String],
) -> Record {
    let mut facts = Map::new();
    facts.insert("source".into(), SOURCE_ALPINE_SECDB.into());
    if let Some(r) = reponame {
        facts.insert("reponame".into(), r.into());
    }
    Record {
        schema_version: None,
        id: id.to_string(),
        modified: None,
        published: None,
        withdrawn: None,
        aliases: Vec::new(),
        related: Vec::new(),
        upstream: Vec::new(),
        summary: None,
        details: None,
        severity: Vec::new(),
        affected: vec![Affected {
            package: Some(Package {
                ecosystem: ecosystem.to_string(),
                name: package.to_string(),
                purl: None,
            }),
            severity: Vec::new(),
            ranges: fixed
                .iter()
                .map(|v| Range {
                    kind: RangeKind::Ecosystem,
                    repo: None,
                    events: vec![Event::Introduced("0".to_string()), Event::Fixed(v.clone())],
                    database_specific: None,
                })
                .collect(),
            versions: Vec::new(),
            ecosystem_specific: None,
            database_specific: Some(Value::Object(facts)),
        }],
        references: vec![Reference {
            kind: "ADVISORY".to_string(),
            url: format!("https://security.alpinelinux.org/vuln/{id}"),
        }],
        credits: Vec::new(),
        database_specific: None,
    }
}
