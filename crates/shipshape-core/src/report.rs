use serde::Serialize;

use crate::{Finding, Location, RuleMeta, Severity};

/// The result of one run: every target that was checked, with its findings
/// and the problems that kept parts of it from being checked.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub targets: Vec<Target>,
    /// Every rule that ran, for writers that describe rules (SARIF, JUnit).
    #[serde(skip)]
    pub rules: Vec<&'static RuleMeta>,
    /// For a benchmark run: the benchmark and the result of each of its
    /// checks, passed ones included. Failed checks also have findings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub benchmark: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<CheckResult>,
}

/// The outcome of one benchmark check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Status {
    /// Checked and compliant.
    Pass,
    /// Checked and not compliant.
    Warn,
    /// Checked; something to know, not a failure (or nothing to check).
    Info,
    /// Cannot be checked automatically: review by hand.
    Note,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Warn => "WARN",
            Status::Info => "INFO",
            Status::Note => "NOTE",
        }
    }
}

/// One benchmark check's result, with what was seen.
#[derive(Debug, Clone, Serialize)]
pub struct CheckResult {
    /// The benchmark's own number for the check (`2.2`).
    pub number: &'static str,
    /// The title of the benchmark section the check is in.
    pub section: &'static str,
    #[serde(rename = "rule", serialize_with = "crate::finding::rule_id")]
    pub rule: &'static RuleMeta,
    pub title: &'static str,
    pub status: Status,
    /// Counted in the score (automated checks).
    pub scored: bool,
    /// What was looked at and found, one line each.
    pub evidence: Vec<String>,
    /// How to comply, in one line; shown with WARN results.
    pub fix: &'static str,
}

/// What kind of thing a target is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetKind {
    Dockerfile,
    Compose,
    Kubernetes,
    /// A live or described container.
    Container,
    /// The Docker host and daemon.
    Host,
    /// A container image.
    Image,
    /// A root file system directory.
    Filesystem,
}

/// One checked input.
#[derive(Debug, Serialize)]
pub struct Target {
    pub name: String,
    pub kind: TargetKind,
    /// The text the findings point into, for writers that show snippets.
    #[serde(skip)]
    pub source: Option<String>,
    pub findings: Vec<Finding>,
    /// Input that could not be read or parsed. A target with problems was
    /// not (fully) checked, which is never reported as clean.
    pub problems: Vec<Problem>,
    /// What is installed, for targets that are images or file systems.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inventory: Option<crate::inventory::Inventory>,
    /// Known vulnerabilities of the installed packages.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub vulnerabilities: Vec<crate::vuln::Vulnerability>,
}

impl Target {
    /// A target with nothing found yet.
    pub fn new(name: impl Into<String>, kind: TargetKind) -> Target {
        Target {
            name: name.into(),
            kind,
            source: None,
            findings: Vec::new(),
            problems: Vec::new(),
            inventory: None,
            vulnerabilities: Vec::new(),
        }
    }

    /// A target that could not be read: `message` says why.
    pub fn failed(
        name: impl Into<String>,
        kind: TargetKind,
        message: impl Into<String>,
        location: Option<Location>,
    ) -> Target {
        let mut target = Target::new(name, kind);
        target.problems.push(Problem {
            message: message.into(),
            location,
        });
        target
    }
}

/// An input error: the file and what was wrong with it.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

impl Report {
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.targets.iter().flat_map(|t| t.findings.iter())
    }

    pub fn problems(&self) -> impl Iterator<Item = &Problem> {
        self.targets.iter().flat_map(|t| t.problems.iter())
    }

    pub fn vulnerabilities(&self) -> impl Iterator<Item = &crate::vuln::Vulnerability> {
        self.targets.iter().flat_map(|t| t.vulnerabilities.iter())
    }

    /// Findings and vulnerabilities at or above `min`.
    pub fn count_at_least(&self, min: Severity) -> usize {
        self.findings().filter(|f| f.severity >= min).count()
            + self
                .vulnerabilities()
                .filter(|v| v.effective_severity() >= min)
                .count()
    }
}
