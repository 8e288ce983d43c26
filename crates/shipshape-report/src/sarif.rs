//! SARIF 2.1.0 output for GitHub code scanning and other SARIF viewers.
//!
//! The types below are the subset of the SARIF 2.1.0 schema we write. (The
//! serde-sarif crate, generated from the same schema, does not build with
//! current serde and typed-builder releases.) Tests validate the output
//! against the official schema.

use std::collections::{HashMap, HashSet};
use std::io::{self, Write};

use serde::Serialize;
use shipshape_core::vuln::Vulnerability;
use shipshape_core::{Finding, Location, Report, RuleMeta, Severity, Target};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Serialize)]
struct Sarif<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    results: Results<'a>,
    invocations: Vec<Invocation>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    name: &'a str,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties<'a>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties<'a> {
    tags: Vec<&'a str>,
    /// GitHub ranks alerts by this CVSS-like score.
    #[serde(rename = "security-severity")]
    security_severity: String,
    precision: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<SarifLocation<'a>>,
    /// Each place a finding about several is about (each unpinned package).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation<'a>>,
    #[serde(skip_serializing_if = "HashMap::is_empty")]
    partial_fingerprints: HashMap<&'static str, String>,
    /// The edits that resolve it, where its rule knows them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix<'a> {
    description: Text,
    artifact_changes: Vec<ArtifactChange<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange<'a> {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement<'a> {
    /// Empty for an insertion.
    deleted_region: Region<'a>,
    inserted_content: InsertedContent<'a>,
}

#[derive(Serialize)]
struct InsertedContent<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation<'a> {
    physical_location: PhysicalLocation<'a>,
    /// What the artifact is in: an image and its layer, a container, the
    /// host.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    fully_qualified_name: String,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region<'a>>,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region<'a> {
    start_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Snippet<'a>>,
}

#[derive(Serialize)]
struct Snippet<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
}

fn level(sev: Severity) -> &'static str {
    match sev {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

fn security_severity(sev: Severity) -> &'static str {
    match sev {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.5",
    }
}

fn rule(meta: &RuleMeta) -> Rule<'_> {
    let md = meta.markdown();
    let doc = shipshape_core::RuleDoc::parse(&md);
    let full = if doc.what_it_does.is_empty() {
        meta.title.to_string()
    } else {
        format!("{} {}", doc.what_it_does, doc.why_bad)
            .trim()
            .to_string()
    };
    let mut tags = vec!["security"];
    tags.extend(meta.aliases.iter().copied());
    Rule {
        id: meta.id,
        name: meta.name,
        short_description: Text {
            text: meta.title.to_string(),
        },
        full_description: Text { text: full },
        help: Help {
            text: md.clone(),
            markdown: md,
        },
        default_configuration: Configuration {
            level: level(meta.severity),
        },
        properties: RuleProperties {
            tags,
            security_severity: security_severity(meta.severity).to_string(),
            precision: "high",
        },
    }
}

/// A vulnerability as a SARIF rule: its id, title, the advisory text and
/// links, and its CVSS score for GitHub's ranking.
fn vulnerability_rule(v: &Vulnerability) -> Rule<'_> {
    let sev = v.effective_severity();
    let mut md = format!("**{}** {}\n\n", v.id, v.title);
    if !v.aliases.is_empty() {
        md.push_str(&format!("Also known as: {}\n\n", v.aliases.join(", ")));
    }
    for c in &v.cvss {
        md.push_str(&c.vector);
        if let Some(score) = c.score {
            md.push_str(&format!(" (base score {score:.1})"));
        }
        md.push_str("\n\n");
    }
    for r in &v.references {
        md.push_str(&format!("- <{r}>\n"));
    }
    let mut tags = vec!["security", "vulnerability"];
    tags.extend(v.aliases.iter().map(String::as_str));
    Rule {
        id: &v.id,
        name: &v.id,
        short_description: Text {
            text: v.title.clone(),
        },
        full_description: Text {
            text: v.title.clone(),
        },
        help: Help {
            text: md.clone(),
            markdown: md,
        },
        default_configuration: Configuration { level: level(sev) },
        properties: RuleProperties {
            tags,
            security_severity: v
                .score()
                .map(|s| format!("{s:.1}"))
                .unwrap_or_else(|| security_severity(sev).to_string()),
            precision: "high",
        },
    }
}

/// `libssl3 3.0.11-1~deb12u2 is affected by CVE-...: title; fixed in X`.
fn vulnerability_message(v: &Vulnerability) -> String {
    let via = v
        .source_package
        .as_deref()
        .map(|s| format!(" (source package {s})"))
        .unwrap_or_default();
    let fix = match &v.fixed {
        Some(f) => format!("fixed in {f}"),
        None => "no fix yet".to_string(),
    };
    format!(
        "{} {}{via} is affected by {}: {}; {fix}",
        v.package, v.version, v.id, v.title
    )
}

/// Regions longer than this (a generated RUN of megabytes) are written
/// without their snippet, which every finding in them would repeat.
const MAX_SNIPPET: usize = 2048;

fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    path.strip_prefix("./").map(str::to_string).unwrap_or(path)
}

fn location<'a>(f: &'a Finding, source: Option<&'a str>) -> SarifLocation<'a> {
    let (uri, region) = match &f.location {
        Location::File { path, region } => (uri(path), Some(file_region(region, source))),
        // A file inside an image is the artifact; the image holds it.
        Location::Image {
            path: Some(path),
            line,
            ..
        } => (
            uri(path),
            line.map(|start_line| Region {
                start_line,
                start_column: None,
                end_line: None,
                end_column: None,
                snippet: None,
            }),
        ),
        other => (uri(other.path()), None),
    };
    let logical_locations = match &f.location {
        Location::File { .. } => Vec::new(),
        other => vec![LogicalLocation {
            fully_qualified_name: other.describe(),
            kind: "resource",
        }],
    };
    SarifLocation {
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation { uri },
            region,
        },
        logical_locations,
    }
}

/// A region of a text file, with its text as the snippet where short.
fn file_region<'a>(region: &shipshape_core::Region, source: Option<&'a str>) -> Region<'a> {
    let snippet = source
        .and_then(|s| s.get(region.byte_start..region.byte_end))
        .filter(|text| text.len() <= MAX_SNIPPET)
        .map(|text| Snippet { text });
    Region {
        start_line: region.start.line,
        start_column: Some(region.start.column),
        end_line: Some(region.end.line),
        end_column: Some(region.end.column.max(1)),
        snippet,
    }
}

/// The marked places of a finding about several, as related locations.
fn related<'a>(f: &'a Finding, source: Option<&'a str>) -> Vec<SarifLocation<'a>> {
    let Location::File { path, .. } = &f.location else {
        return Vec::new();
    };
    f.marks
        .iter()
        .map(|mark| SarifLocation {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation { uri: uri(path) },
                region: Some(file_region(mark, source)),
            },
            logical_locations: Vec::new(),
        })
        .collect()
}

/// The line of `text` that holds byte `offset`, found from the offset
/// (not by counting lines from the top, which made many findings in a
/// large file quadratic).
fn line_at(text: &str, offset: usize) -> &str {
    let offset = offset.min(text.len());
    let start = text
        .get(..offset)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |i| i + 1);
    let rest = text.get(start..).unwrap_or("");
    rest.split('\n').next().unwrap_or("")
}

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut rules: Vec<&RuleMeta> = report.rules.clone();
    for f in report.findings() {
        if !rules.iter().any(|r| r.id == f.rule.id) {
            rules.push(f.rule);
        }
    }
    let mut sarif_rules: Vec<Rule<'_>> = rules.into_iter().map(rule).collect();
    let mut described: HashSet<&str> = sarif_rules.iter().map(|r| r.id).collect();
    for v in report.vulnerabilities() {
        if described.insert(&v.id) {
            sarif_rules.push(vulnerability_rule(v));
        }
    }
    let index: HashMap<&str, usize> = sarif_rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id, i))
        .collect();
    let notifications: Vec<Notification> = report
        .targets
        .iter()
        .flat_map(|t| {
            t.problems.iter().map(move |p| Notification {
                level: "error",
                message: Text {
                    text: match p.location.as_ref().and_then(Location::region) {
                        Some(r) => format!(
                            "{}:{}:{}: {}",
                            t.name, r.start.line, r.start.column, p.message
                        ),
                        None => format!("{}: {}", t.name, p.message),
                    },
                },
            })
        })
        .collect();
    let sarif = Sarif {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: crate::TOOL_NAME,
                    version: crate::TOOL_VERSION,
                    semantic_version: crate::TOOL_VERSION,
                    information_uri: crate::TOOL_URI,
                    rules: sarif_rules,
                },
            },
            results: Results {
                report,
                index: &index,
            },
            invocations: vec![Invocation {
                execution_successful: notifications.is_empty(),
                tool_execution_notifications: notifications,
            }],
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &sarif)?;
    writeln!(out)
}

/// The results, built one at a time as they are written: a report of
/// hundreds of thousands of findings never has all of them in SARIF form.
struct Results<'a> {
    report: &'a Report,
    index: &'a HashMap<&'a str, usize>,
}

impl Serialize for Results<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let index = self.index;
        serializer.collect_seq(self.report.targets.iter().flat_map(|target| {
            let findings = target
                .findings
                .iter()
                .map(move |f| finding_result(target, f, index));
            let vulnerabilities = target
                .vulnerabilities
                .iter()
                .map(move |v| vulnerability_result(target, v, index));
            findings.chain(vulnerabilities)
        }))
    }
}

fn finding_result<'a>(
    target: &'a Target,
    f: &'a Finding,
    index: &HashMap<&str, usize>,
) -> SarifResult<'a> {
    let mut fingerprints = HashMap::new();
    if let Some(region) = f.location.region() {
        let line_text = target
            .source
            .as_deref()
            .map_or("", |s| line_at(s, region.byte_start))
            .trim();
        fingerprints.insert(
            "primaryLocationLineHash",
            format!("{:016x}:{}", fnv1a(line_text.as_bytes()), 1),
        );
    }
    SarifResult {
        rule_id: f.rule.id,
        rule_index: index.get(f.rule.id).copied().unwrap_or(0),
        level: level(f.severity),
        message: Text {
            text: f.message.clone(),
        },
        locations: vec![location(f, target.source.as_deref())],
        related_locations: related(f, target.source.as_deref()),
        partial_fingerprints: fingerprints,
        fixes: fixes(f),
    }
}

/// A finding's fix as SARIF `fixes`: one change to the file it is in.
fn fixes(f: &Finding) -> Vec<SarifFix<'_>> {
    let (Some(fix), Location::File { path, .. }) = (&f.fix, &f.location) else {
        return Vec::new();
    };
    let replacements = fix
        .edits
        .iter()
        .map(|e| Replacement {
            deleted_region: Region {
                start_line: e.region.start.line,
                start_column: Some(e.region.start.column),
                end_line: Some(e.region.end.line),
                end_column: Some(e.region.end.column),
                snippet: None,
            },
            inserted_content: InsertedContent {
                text: &e.replacement,
            },
        })
        .collect();
    vec![SarifFix {
        description: Text {
            text: format!("{} ({})", fix.description, fix.applicability),
        },
        artifact_changes: vec![ArtifactChange {
            artifact_location: ArtifactLocation { uri: uri(path) },
            replacements,
        }],
    }]
}

fn vulnerability_result<'a>(
    target: &'a Target,
    v: &'a Vulnerability,
    index: &HashMap<&str, usize>,
) -> SarifResult<'a> {
    let mut fingerprints = HashMap::new();
    fingerprints.insert(
        "shipshapeVulnerability/v1",
        format!(
            "{:016x}",
            fnv1a(format!("{}|{}|{}|{}", target.name, v.id, v.package, v.version).as_bytes())
        ),
    );
    SarifResult {
        rule_id: &v.id,
        rule_index: index.get(v.id.as_str()).copied().unwrap_or(0),
        level: level(v.effective_severity()),
        message: Text {
            text: vulnerability_message(v),
        },
        locations: vec![SarifLocation {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: uri(v.found.path.trim_start_matches('/')),
                },
                region: None,
            },
            logical_locations: vec![LogicalLocation {
                fully_qualified_name: target.name.clone(),
                kind: "resource",
            }],
        }],
        related_locations: Vec::new(),
        partial_fingerprints: fingerprints,
        fixes: Vec::new(),
    }
}

/// FNV-1a, a stable hash for fingerprints (std's hasher may change).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
