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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::{alpine_secdb, alpine_secdb_yaml, ecosystem_of};
    use crate::osv::Event;

    #[test]
    fn distroversions_map_to_osv_ecosystems() {
        assert_eq!(ecosystem_of("v3.20").as_deref(), Some("Alpine:v3.20"));
        assert_eq!(ecosystem_of("3.9").as_deref(), Some("Alpine:v3.9"));
        assert_eq!(ecosystem_of("edge").as_deref(), Some("Alpine:edge"));
        for bad in ["", "v3", "v3.x", "3.20.1", "../v3.20", "v3.20/main"] {
            assert_eq!(ecosystem_of(bad), None, "{bad}");
        }
    }

    #[test]
    fn yaml_keys_that_look_like_numbers_stay_versions() {
        let yaml = "distroversion: v3.15\npackages:\n- pkg:\n    name: zlib\n    secfixes:\n      0:\n      - CVE-2000-0001\n      1.2.12-r2:\n      - CVE-2022-37434\n";
        let converted = alpine_secdb_yaml(yaml, "main.yaml").unwrap();
        let ids: Vec<&str> = converted.records.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["CVE-2022-37434"]);
        assert_eq!(
            converted.skipped,
            ["main.yaml: 1 ids under fixed version 0 (never affected), not stored"]
        );
    }

    #[test]
    fn an_id_fixed_twice_stays_affected_until_the_later_fix() {
        let json =
            br#"{"distroversion": "v3.20", "packages": [{"pkg": {"name": "openssl", "secfixes": {
            "0": ["CVE-1"], "3.3.1-r1": ["CVE-1 CVE-2", "not an id"], "3.3.2-r0": ["CVE-1"]}}}]}"#;
        let converted = alpine_secdb(json, "main.json").unwrap();
        let cve1 = &converted.records[0];
        assert_eq!(cve1.id, "CVE-1");
        let fixes: Vec<&Event> = cve1.affected[0]
            .ranges
            .iter()
            .map(|r| &r.events[1])
            .collect();
        assert_eq!(
            fixes,
            [
                &Event::Fixed("3.3.1-r1".into()),
                &Event::Fixed("3.3.2-r0".into())
            ]
        );
        assert_eq!(converted.records[1].id, "CVE-2");
        assert!(
            converted
                .skipped
                .iter()
                .any(|s| s == "main.json: openssl 3.3.1-r1: \"not\" is not an advisory id"),
            "{:?}",
            converted.skipped
        );
    }
}
