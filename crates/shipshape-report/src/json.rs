//! shipshape's JSON output. Field names are stable; new fields may be added.

use std::io::{self, Write};

use serde::Serialize;
use shipshape_core::inventory::{Os, Package};
use shipshape_core::vuln::Vulnerability;
use shipshape_core::{
    CheckResult, Finding, Location, Problem, Region, Report, Severity, Target, TargetKind,
};

/// Bumped only when a field changes meaning or goes away.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonReport<'a> {
    schema_version: u32,
    tool: Tool,
    summary: Summary,
    targets: Vec<JsonTarget<'a>>,
    /// Every input that could not be (fully) checked, over all targets:
    /// the same problems as the targets' `problems`, with the target named.
    errors: Vec<JsonError<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    benchmark: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<crate::Score>,
    #[serde(skip_serializing_if = "<[CheckResult]>::is_empty")]
    checks: &'a [CheckResult],
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize, Default)]
struct Summary {
    critical: usize,
    high: usize,
    medium: usize,
    low: usize,
    info: usize,
    total: usize,
    problems: usize,
    /// Vulnerabilities (not counted in the severities above, which are
    /// the findings').
    vulnerabilities: usize,
}

#[derive(Serialize)]
struct JsonTarget<'a> {
    name: &'a str,
    kind: TargetKind,
    findings: Findings<'a>,
    problems: &'a [Problem],
    #[serde(skip_serializing_if = "Option::is_none")]
    os: Option<&'a Os>,
    #[serde(skip_serializing_if = "Option::is_none")]
    packages: Option<&'a [Package]>,
    #[serde(skip_serializing_if = "<[Vulnerability]>::is_empty")]
    vulnerabilities: &'a [Vulnerability],
}

#[derive(Serialize)]
struct JsonError<'a> {
    target: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<&'a Location>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'static str,
    title: &'static str,
    severity: Severity,
    message: &'a str,
    aliases: &'static [&'static str],
    location: &'a Location,
    /// The places within the location a finding about several is about.
    #[serde(skip_serializing_if = "<[Region]>::is_empty")]
    marks: &'a [Region],
    /// The edits that resolve it, and whether they are safe.
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<&'a shipshape_core::Fix>,
}

/// A target's findings, put in JSON form one at a time as they are written.
struct Findings<'a>(&'a [Finding]);

impl Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(finding))
    }
}

fn finding(f: &Finding) -> JsonFinding<'_> {
    JsonFinding {
        rule: f.rule.id,
        title: f.rule.title,
        severity: f.severity,
        message: &f.message,
        aliases: f.rule.aliases,
        location: &f.location,
        marks: &f.marks,
        fix: f.fix.as_ref(),
    }
}

fn target(t: &Target) -> JsonTarget<'_> {
    JsonTarget {
        name: &t.name,
        kind: t.kind,
        findings: Findings(&t.findings),
        problems: &t.problems,
        os: t.inventory.as_ref().and_then(|i| i.os.as_ref()),
        packages: t.inventory.as_ref().map(|i| i.packages.as_slice()),
        vulnerabilities: &t.vulnerabilities,
    }
}

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut summary = Summary::default();
    for f in report.findings() {
        summary.total += 1;
        *match f.severity {
            Severity::Critical => &mut summary.critical,
            Severity::High => &mut summary.high,
            Severity::Medium => &mut summary.medium,
            Severity::Low => &mut summary.low,
            Severity::Info => &mut summary.info,
        } += 1;
    }
    summary.problems = report.problems().count();
    summary.vulnerabilities = report.vulnerabilities().count();
    let doc = JsonReport {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: crate::TOOL_NAME,
            version: crate::TOOL_VERSION,
        },
        summary,
        targets: report.targets.iter().map(target).collect(),
        errors: report
            .targets
            .iter()
            .flat_map(|t| {
                t.problems.iter().map(|p| JsonError {
                    target: &t.name,
                    message: &p.message,
                    location: p.location.as_ref(),
                })
            })
            .collect(),
        benchmark: report.benchmark.as_deref(),
        score: report.benchmark.is_some().then(|| crate::Score::of(report)),
        checks: &report.checks,
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
