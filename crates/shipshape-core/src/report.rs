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
}

/// What kind of thing a target is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetKind {
    Dockerfile,
    Compose,
    Kubernetes,
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

    pub fn count_at_least(&self, min: Severity) -> usize {
        self.findings().filter(|f| f.severity >= min).count()
    }
}
