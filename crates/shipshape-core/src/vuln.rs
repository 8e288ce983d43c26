//! A known vulnerability of an installed package, as the matcher reports
//! it and the writers show it.

use std::sync::Arc;

use serde::Serialize;

use crate::Severity;
use crate::inventory::Found;

/// One vulnerability of one installed package. Advisories that are the
/// same vulnerability (a CVE, its Debian DSA, its GitHub GHSA) are merged
/// into one, listing every id. What identifies the package is shared by
/// all of its findings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Vulnerability {
    /// The id shown: the CVE when there is one.
    pub id: String,
    /// Every other id of the same vulnerability.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// The installed package.
    pub package: Arc<str>,
    pub version: Arc<str>,
    /// The package's purl type (`deb`, `apk`, `pypi`...).
    pub ecosystem: &'static str,
    pub purl: Arc<str>,
    /// The source package the advisory named, when it was matched by
    /// source (Debian, Ubuntu, Alpine origin).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_package: Option<String>,
    /// The version that fixes it; `None`: no fix yet.
    pub fixed: Option<String>,
    /// `None` when no source rates it.
    pub severity: Option<Severity>,
    /// Who rated it: `debian`, `ubuntu`, `CVSS:3.1`, `ghsa`...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity_source: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cvss: Vec<Cvss>,
    pub title: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    /// The advisory databases that list it (`osv:PyPI`, `debian-tracker`).
    pub sources: Vec<Arc<str>>,
    pub found: Arc<Found>,
}

/// A CVSS vector and, where computed, its base score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cvss {
    pub vector: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
}

impl Vulnerability {
    /// The severity thresholds compare with: an unrated vulnerability
    /// counts as low.
    pub fn effective_severity(&self) -> Severity {
        self.severity.unwrap_or(Severity::Low)
    }

    /// The highest CVSS base score, if any.
    pub fn score(&self) -> Option<f64> {
        self.cvss.iter().filter_map(|c| c.score).reduce(f64::max)
    }

    /// Whether `id` names this vulnerability (its id or an alias).
    pub fn is_named(&self, id: &str) -> bool {
        self.id.eq_ignore_ascii_case(id) || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(id))
    }
}
