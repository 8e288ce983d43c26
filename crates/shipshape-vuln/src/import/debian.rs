//! The Debian security tracker's JSON export
//! (`security-tracker.debian.org/tracker/data/json`) as OSV records.
//!
//! The export maps source package → vulnerability id → `{description,
//! debianbug, scope, releases: {codename: {status, fixed_version, urgency,
//! nodsa, nodsa_reason, repositories}}}`. Each (id, source package,
//! release) becomes one record in ecosystem `Debian:<version>`:
//!
//! - `resolved` with `fixed_version` V: affected from `0`, fixed in V;
//! - `resolved` with `fixed_version` `0`: never affected, not stored;
//! - `open` or `undetermined`: affected from `0`, no fix yet.
//!
//! Releases without a version number (`sid`, `experimental`) are left
//! out. The urgency (trailing `*` removed), status, `nodsa` and
//! `nodsa_reason` go in the entry's `database_specific`; the record's
//! summary is the description.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::Converted;
use crate::db::{DbError, SOURCE_DEBIAN_TRACKER};
use crate::osv::{Affected, Event, Package, Range, RangeKind, Record, Reference};

/// Debian release codenames and their version numbers.
const RELEASES: [(&str, &str); 9] = [
    ("wheezy", "7"),
    ("jessie", "8"),
    ("stretch", "9"),
    ("buster", "10"),
    ("bullseye", "11"),
    ("bookworm", "12"),
    ("trixie", "13"),
    ("forky", "14"),
    ("duke", "15"),
];

/// The OSV ecosystem of a release codename (`bookworm` → `Debian:12`).
pub fn ecosystem_of(codename: &str) -> Option<String> {
    RELEASES
        .iter()
        .find(|(name, _)| *name == codename)
        .map(|(_, version)| format!("Debian:{version}"))
}

#[derive(Deserialize)]
struct Entry {
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    debianbug: Option<Value>,
    #[serde(default)]
    scope: Option<String>,
    /// Codename → release facts; the export writes an entry without
    /// releases as `[]`.
    #[serde(default)]
    releases: Option<Value>,
}

impl Entry {
    fn releases(&self) -> Result<BTreeMap<String, Release>, String> {
        match &self.releases {
            None | Some(Value::Null) => Err("no `releases`".to_string()),
            Some(Value::Array(a)) if a.is_empty() => Ok(BTreeMap::new()),
            Some(v @ Value::Object(_)) => {
                BTreeMap::<String, Release>::deserialize(v).map_err(|e| format!("releases: {e}"))
            }
            Some(_) => Err("`releases` is not an object".to_string()),
        }
    }
}

#[derive(Deserialize)]
struct Release {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    fixed_version: Option<String>,
    #[serde(default)]
    urgency: Option<String>,
    #[serde(default)]
    nodsa: Option<String>,
    #[serde(default)]
    nodsa_reason: Option<String>,
}

/// Whether a JSON object's values look like the tracker's: some package
/// maps some id to an object with `releases`.
pub(crate) fn looks_like_tracker(top: &BTreeMap<String, &RawValue>) -> bool {
    #[derive(Deserialize)]
    struct Probe {
        releases: Option<Value>,
    }
    top.values().take(16).any(|raw| {
        serde_json::from_str::<BTreeMap<String, &RawValue>>(raw.get())
            .ok()
            .is_some_and(|cves| {
                cves.values().take(4).any(|e| {
                    serde_json::from_str::<Probe>(e.get())
                        .ok()
                        .is_some_and(|p| p.releases.is_some())
                })
            })
    })
}

/// Converts a tracker JSON export. `name` is the file name messages use.
/// Entries that cannot be read are skipped with the reason; a document
/// that is not the tracker's shape at all is an error.
pub fn debian_tracker(bytes: &[u8], name: &str) -> Result<Converted, DbError> {
    let mut records = Vec::new();
    let skipped = each_record(bytes, name, &mut |r| records.push(r))?;
    Ok(Converted {
        source: SOURCE_DEBIAN_TRACKER,
        records,
        skipped,
    })
}

/// [`debian_tracker`], handing each record to `sink` as it is made
/// (a whole export makes hundreds of thousands). Returns what was
/// skipped. When the document is not the tracker's shape, no record was
/// handed over.
pub(crate) fn each_record(
    bytes: &[u8],
    name: &str,
    sink: &mut dyn FnMut(Record),
) -> Result<Vec<String>, DbError> {
    let fail = |problem: String| DbError::new(name, problem);
    let top: BTreeMap<String, &RawValue> = serde_json::from_slice(bytes).map_err(|e| {
        fail(format!(
            "not a Debian tracker JSON (an object of source packages): {e}"
        ))
    })?;
    let mut skipped = Vec::new();
    let mut problems = Problems::default();
    let mut not_affected = 0u64;
    let mut no_version: BTreeMap<String, u64> = BTreeMap::new();
    let mut readable = 0usize;
    for (package, raw) in &top {
        let cves: BTreeMap<String, &RawValue> = match serde_json::from_str(raw.get()) {
            Ok(c) => c,
            Err(e) => {
                problems.add(format!("{package}: not an object of vulnerabilities: {e}"));
                continue;
            }
        };
        if package.trim().is_empty() {
            problems.add("a source package with an empty name".to_string());
            continue;
        }
        for (id, raw) in &cves {
            let entry: Entry = match serde_json::from_str(raw.get()) {
                Ok(e) => e,
                Err(e) => {
                    problems.add(format!("{package} {id}: {e}"));
                    continue;
                }
            };
            let releases = match entry.releases() {
                Ok(r) => r,
                Err(why) => {
                    problems.add(format!("{package} {id}: {why}"));
                    continue;
                }
            };
            readable += 1;
            if id.trim().is_empty() {
                problems.add(format!("{package}: a vulnerability with an empty id"));
                continue;
            }
            for (codename, release) in &releases {
                let Some(ecosystem) = ecosystem_of(codename) else {
                    *no_version.entry(codename.clone()).or_default() += 1;
                    continue;
                };
                let events = match events(release) {
                    Ok(Some(events)) => events,
                    Ok(None) => {
                        not_affected += 1;
                        continue;
                    }
                    Err(why) => {
                        problems.add(format!("{package} {id} {codename}: {why}"));
                        continue;
                    }
                };
                sink(record(
                    package, id, codename, ecosystem, &entry, release, events,
                ));
            }
        }
    }
    if readable == 0 && !top.is_empty() {
        let first = problems.first().unwrap_or("no entry has `releases`");
        return Err(fail(format!(
            "not a Debian tracker JSON (no readable vulnerability entry; {first})"
        )));
    }
    if not_affected > 0 {
        skipped.push(format!(
            "{name}: {not_affected} release entries not affected (fixed_version 0), not stored"
        ));
    }
    if !no_version.is_empty() {
        let total: u64 = no_version.values().sum();
        let names: Vec<&str> = no_version.keys().map(String::as_str).collect();
        skipped.push(format!(
            "{name}: {total} release entries for releases without a Debian version ({}) left out",
            names.join(", ")
        ));
    }
    problems.report(name, &mut skipped);
    Ok(skipped)
}

/// The range events of a release entry; `None` when it was never
/// affected.
fn events(release: &Release) -> Result<Option<Vec<Event>>, String> {
    let status = release.status.as_deref().unwrap_or_default();
    match status {
        "resolved" => match release.fixed_version.as_deref().map(str::trim) {
            Some("0") => Ok(None),
            Some(v) if !v.is_empty() => Ok(Some(vec![
                Event::Introduced("0".to_string()),
                Event::Fixed(v.to_string()),
            ])),
            _ => Err("resolved without a fixed_version".to_string()),
        },
        "open" | "undetermined" => Ok(Some(vec![Event::Introduced("0".to_string())])),
        "" => Err("no status".to_string()),
        other => Err(format!("unknown status {other:?}")),
    }
}

fn record(
    package: &str,
    id: &str,
    codename: &str,
    ecosystem: String,
    entry: &Entry,
    release: &Release,
    events: Vec<Event>,
) -> Record {
    let mut facts = Map::new();
    facts.insert("source".into(), SOURCE_DEBIAN_TRACKER.into());
    facts.insert("release".into(), codename.into());
    if let Some(status) = &release.status {
        facts.insert("status".into(), status.as_str().into());
    }
    if let Some(u) = &release.urgency {
        facts.insert("urgency".into(), u.trim_end_matches('*').into());
    }
    if let Some(n) = &release.nodsa {
        facts.insert("nodsa".into(), n.as_str().into());
    }
    if let Some(n) = &release.nodsa_reason {
        facts.insert("nodsa_reason".into(), n.as_str().into());
    }
    if let Some(s) = &entry.scope {
        facts.insert("scope".into(), s.as_str().into());
    }
    let mut references = vec![Reference {
        kind: "ADVISORY".to_string(),
        url: format!("https://security-tracker.debian.org/tracker/{id}"),
    }];
    let bug = match &entry.debianbug {
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            Some(s.clone())
        }
        _ => None,
    };
    if let Some(bug) = bug {
        references.push(Reference {
            kind: "REPORT".to_string(),
            url: format!("https://bugs.debian.org/{bug}"),
        });
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
        summary: entry
            .description
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_string),
        details: None,
        severity: Vec::new(),
        affected: vec![Affected {
            package: Some(Package {
                ecosystem,
                name: package.to_string(),
                purl: None,
            }),
            severity: Vec::new(),
            ranges: vec![Range {
                kind: RangeKind::Ecosystem,
                repo: None,
                events,
                database_specific: None,
            }],
            versions: Vec::new(),
            ecosystem_specific: None,
            database_specific: Some(Value::Object(facts)),
        }],
        references,
        credits: Vec::new(),
        database_specific: None,
    }
}

/// Entry-level problems: the first hundred kept, the rest counted.
#[derive(Default)]
pub(crate) struct Problems {
    kept: Vec<String>,
    more: u64,
}

impl Problems {
    const KEPT: usize = 100;

    pub(crate) fn add(&mut self, problem: String) {
        if self.kept.len() < Self::KEPT {
            self.kept.push(problem);
        } else {
            self.more += 1;
        }
    }

    pub(crate) fn first(&self) -> Option<&str> {
        self.kept.first().map(String::as_str)
    }

    pub(crate) fn report(self, name: &str, out: &mut Vec<String>) {
        for p in self.kept {
            out.push(format!("{name}: {p}"));
        }
        if self.more > 0 {
            out.push(format!("{name}: {} more entries skipped", self.more));
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::ecosystem_of;

    #[test]
    fn codenames_map_to_debian_versions() {
        assert_eq!(ecosystem_of("buster").as_deref(), Some("Debian:10"));
        assert_eq!(ecosystem_of("bullseye").as_deref(), Some("Debian:11"));
        assert_eq!(ecosystem_of("bookworm").as_deref(), Some("Debian:12"));
        assert_eq!(ecosystem_of("trixie").as_deref(), Some("Debian:13"));
        assert_eq!(ecosystem_of("forky").as_deref(), Some("Debian:14"));
        for none in ["sid", "experimental", "Bookworm", ""] {
            assert_eq!(ecosystem_of(none), None, "{none}");
        }
    }
}
