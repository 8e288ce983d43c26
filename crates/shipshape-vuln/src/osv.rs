//! The OSV record format (schema 1.0 to 1.7) as Rust types.
//!
//! Reading is as lenient as real feeds need: unknown fields are ignored,
//! optional fields may be missing or `null`, and open-ended strings (range
//! types, severity types, reference types) keep values this version does
//! not know. What would change the meaning of a record is an error that
//! names the file, the place in the record and the problem: a missing or
//! empty `id`, a field of the wrong JSON type, an event with no kind or two
//! kinds, a range without an `introduced` event.
//!
//! Timestamps are kept as the strings the record holds.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// A record that could not be read, with the file it came from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name}: {problem}")]
pub struct OsvError {
    /// The file or source name given to [`parse`].
    pub name: String,
    /// What is wrong, with the place in the record when known.
    pub problem: String,
}

/// Reads one OSV record (a JSON object). `name` is the file name or other
/// source label that errors mention.
pub fn parse(bytes: &[u8], name: &str) -> Result<Record, OsvError> {
    let fail = |problem: String| OsvError {
        name: name.to_string(),
        problem,
    };
    // Serde would also read a record from a JSON array; a record is an
    // object, so say so plainly.
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        None => return Err(fail("the file is empty".to_string())),
        Some(b'{') => {}
        Some(_) => return Err(fail("an OSV record is a JSON object".to_string())),
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let record: Record = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." || path.is_empty() {
            fail(inner.to_string())
        } else {
            fail(format!("at {path}: {inner}"))
        }
    })?;
    de.end().map_err(|e| fail(e.to_string()))?;
    record.check().map_err(fail)?;
    Ok(record)
}

/// One vulnerability record.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Record {
    /// The schema version the record was written for (1.0.0 when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_version: Option<String>,
    /// The record's identifier, `<DB>-<ENTRYID>` (`GHSA-…`, `RUSTSEC-…`).
    pub id: String,
    /// When the record was last changed (RFC 3339). The schema requires it;
    /// records without it are still read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    /// When the record was published (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// When the record was withdrawn (RFC 3339); see [`Record::withdrawn`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
    /// Ids of the same vulnerability in other databases.
    #[serde(
        default,
        deserialize_with = "null_as_empty",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub aliases: Vec<String>,
    /// Ids of closely related but different vulnerabilities.
    #[serde(
        default,
        deserialize_with = "null_as_empty",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub related: Vec<String>,
    /// Ids of the records this one was derived from.
    #[serde(
        default,
        deserialize_with = "null_as_empty",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub upstream: Vec<String>,
    /// One-line summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Longer description (CommonMark).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    /// Severity of the whole record; absent when given per package.
    #[serde(
        default,
        deserialize_with = "null_as_empty",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub severity: Vec<Severity>,
    /// The affected packages and their versions.
    #[serde(
        default,
        deserialize_with = "null_as_empty",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub affected: Vec<Affected>,
    /// Links to advisories, fixes and reports.
    #[serde(
        default,
        deserialize_with = "null_as_empty",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub references: Vec<Reference>,
    /// People and organizations credited.
    #[serde(
        default,
        deserialize_with = "null_as_empty",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub credits: Vec<Credit>,
    /// Database-defined data about the whole record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Value>,
}

impl Record {
    /// When the record was withdrawn, if it was. A withdrawn record no
    /// longer describes a vulnerability; matchers skip it but keep it
    /// identifiable (an alias may still point at it).
    pub fn withdrawn(&self) -> Option<&str> {
        self.withdrawn.as_deref()
    }

    /// Every severity given in the record: the record's own, then each
    /// affected package's.
    pub fn severities(&self) -> impl Iterator<Item = &Severity> {
        self.severity
            .iter()
            .chain(self.affected.iter().flat_map(|a| a.severity.iter()))
    }

    /// The structural rules serde cannot state.
    fn check(&self) -> Result<(), String> {
        if self.id.trim().is_empty() {
            return Err("`id` is empty".to_string());
        }
        for (a, affected) in self.affected.iter().enumerate() {
            if let Some(package) = &affected.package {
                if package.ecosystem.is_empty() {
                    return Err(format!("at affected[{a}].package: `ecosystem` is empty"));
                }
                if package.name.is_empty() {
                    return Err(format!("at affected[{a}].package: `name` is empty"));
                }
            }
            for (r, range) in affected.ranges.iter().enumerate() {
                if !range
                    .events
                    .iter()
                    .any(|e| matches!(e, Event::Introduced(_)))
                {
                    return Err(format!(
                        "at affected[{a}].ranges[{r}]: a range needs at least one `introduced` event"
                    ));
                }
            }
        }
        Ok(())
    }
}

/// One affected package and the versions of it that are affected.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Affected {
    /// The package; absent in records that only give commit ranges.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<Package>,
    /// Severity for this package only.
    #[serde(
        default,
        deserialize_with = "null_as_empty",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub severity: Vec<Severity>,
    /// Affected version ranges.
    #[serde(
        default,
        deserialize_with = "null_as_empty",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub ranges: Vec<Range>,
    /// Affected versions listed one by one, compared as exact strings.
    #[serde(
        default,
        deserialize_with = "null_as_empty",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub versions: Vec<String>,
    /// Ecosystem-defined data (Go symbols, Ubuntu binaries, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecosystem_specific: Option<Value>,
    /// Database-defined data about this package.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Value>,
}

/// A package in an ecosystem.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Package {
    /// The ecosystem, possibly with a suffix (`PyPI`, `Debian:12`,
    /// `Ubuntu:22.04:LTS`).
    pub ecosystem: String,
    /// The package name as the ecosystem spells it.
    pub name: String,
    /// The package URL, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
}

impl Package {
    /// The ecosystem without its `:suffix` (`Ubuntu:22.04:LTS` → `Ubuntu`).
    pub fn ecosystem_name(&self) -> &str {
        self.ecosystem
            .split_once(':')
            .map_or(self.ecosystem.as_str(), |(base, _)| base)
    }
}

/// A range of affected versions described by events.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Range {
    /// How the event versions are ordered.
    #[serde(rename = "type")]
    pub kind: RangeKind,
    /// The repository of a `GIT` range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    /// The events, in any order.
    pub events: Vec<Event>,
    /// Database-defined data about the range; it never changes evaluation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Value>,
}

/// The `type` of a range.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub enum RangeKind {
    /// SemVer 2.0 versions.
    Semver,
    /// Versions ordered by the package ecosystem's own rules.
    Ecosystem,
    /// Git commit hashes; needs the repository's history to evaluate.
    Git,
    /// A type this version does not know; not evaluated.
    Other(String),
}

impl RangeKind {
    /// The type as written in records.
    pub fn as_str(&self) -> &str {
        match self {
            RangeKind::Semver => "SEMVER",
            RangeKind::Ecosystem => "ECOSYSTEM",
            RangeKind::Git => "GIT",
            RangeKind::Other(s) => s,
        }
    }
}

impl From<&str> for RangeKind {
    fn from(s: &str) -> Self {
        match s {
            "SEMVER" => RangeKind::Semver,
            "ECOSYSTEM" => RangeKind::Ecosystem,
            "GIT" => RangeKind::Git,
            _ => RangeKind::Other(s.to_string()),
        }
    }
}

impl<'de> Deserialize<'de> for RangeKind {
    /// Read without an allocation for the known types.
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        struct Kind;
        impl serde::de::Visitor<'_> for Kind {
            type Value = RangeKind;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a range type")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<RangeKind, E> {
                Ok(RangeKind::from(s))
            }
        }
        de.deserialize_str(Kind)
    }
}

impl From<RangeKind> for String {
    fn from(k: RangeKind) -> Self {
        k.as_str().to_string()
    }
}

impl fmt::Display for RangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One event of a range: a version where the status changes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(try_from = "RawEvent", into = "RawEvent")]
pub enum Event {
    /// The vulnerability appears in this version (`"0"`: before every version).
    Introduced(String),
    /// The vulnerability is fixed in this version.
    Fixed(String),
    /// The last version known to be affected; later ones are taken as not.
    LastAffected(String),
    /// An upper bound of the range (`"*"`: none).
    Limit(String),
}

impl Event {
    /// The event's version string.
    pub fn version(&self) -> &str {
        match self {
            Event::Introduced(v) | Event::Fixed(v) | Event::LastAffected(v) | Event::Limit(v) => v,
        }
    }

    /// The event's key as written in records (`introduced`, `fixed`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Introduced(_) => "introduced",
            Event::Fixed(_) => "fixed",
            Event::LastAffected(_) => "last_affected",
            Event::Limit(_) => "limit",
        }
    }
}

/// The JSON shape of an event, before the one-kind rule is checked.
#[derive(Deserialize, Serialize)]
struct RawEvent {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    introduced: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fixed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_affected: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    limit: Option<String>,
}

impl TryFrom<RawEvent> for Event {
    type Error = String;

    fn try_from(raw: RawEvent) -> Result<Self, String> {
        let RawEvent {
            introduced,
            fixed,
            last_affected,
            limit,
        } = raw;
        let mut found = [
            introduced.map(Event::Introduced),
            fixed.map(Event::Fixed),
            last_affected.map(Event::LastAffected),
            limit.map(Event::Limit),
        ];
        match found.iter().flatten().count() {
            0 => Err(
                "an event needs one of `introduced`, `fixed`, `last_affected`, `limit`".to_string(),
            ),
            1 => found
                .iter_mut()
                .find_map(Option::take)
                .ok_or_else(|| "an event needs a kind".to_string()),
            _ => {
                let kinds: Vec<&str> = found.iter().flatten().map(Event::kind).collect();
                Err(format!(
                    "an event has one kind only, this one has {}",
                    kinds.join(" and ")
                ))
            }
        }
    }
}

impl From<Event> for RawEvent {
    fn from(e: Event) -> Self {
        let mut raw = RawEvent {
            introduced: None,
            fixed: None,
            last_affected: None,
            limit: None,
        };
        match e {
            Event::Introduced(v) => raw.introduced = Some(v),
            Event::Fixed(v) => raw.fixed = Some(v),
            Event::LastAffected(v) => raw.last_affected = Some(v),
            Event::Limit(v) => raw.limit = Some(v),
        }
        raw
    }
}

/// A severity score of a given type.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Severity {
    /// The scoring system: `CVSS_V2`, `CVSS_V3`, `CVSS_V4`, `Ubuntu`, or
    /// another a newer schema defines.
    #[serde(rename = "type")]
    pub kind: String,
    /// The vector string (CVSS) or rating (Ubuntu).
    pub score: String,
}

/// A link about the vulnerability.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Reference {
    /// `ADVISORY`, `FIX`, `WEB`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// The link.
    pub url: String,
}

/// Someone credited for the vulnerability's discovery or fix.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Credit {
    /// Name, handle or organization.
    pub name: String,
    /// Contact URLs.
    #[serde(
        default,
        deserialize_with = "null_as_empty",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub contact: Vec<String>,
    /// `FINDER`, `REPORTER`, …
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// A list that may be written as `null`.
pub(crate) fn null_as_empty<'de, D, T>(de: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(de)?.unwrap_or_default())
}
