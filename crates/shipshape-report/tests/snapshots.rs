//! Every writer on one report that has a bit of everything: a Dockerfile
//! finding with its source, one about several places (marks), one about a
//! credential (masked), findings in an image, a container and on the host,
//! an input problem, an inventory with a vulnerability, and CIS results.
//! The snapshots under `tests/snapshots/` are the reviewed output; a
//! change to a writer shows up as a diff (`cargo insta review`).

use std::sync::Arc;

use shipshape_core::inventory::{Found, Inventory, Os, Package};
use shipshape_core::vuln::{Cvss, Vulnerability};
use shipshape_core::{
    CheckResult, Finding, Location, Position, Problem, Region, Report, RuleMeta, Severity, Status,
    Target, TargetKind,
};
use shipshape_report::{Format, WriteOptions, cyclonedx, spdx, write};

const DOC: &str = " ## What it does\n Flags it.\n";

static FROM_LATEST: RuleMeta = RuleMeta {
    id: "DF002",
    name: "from-latest",
    title: "Base image uses the `latest` tag",
    severity: Severity::Medium,
    aliases: &["DL3007"],
    doc: DOC,
};
static UNPINNED: RuleMeta = RuleMeta {
    id: "DF050",
    name: "apt-get-install-unpinned",
    title: "apt-get install without package versions",
    severity: Severity::Low,
    aliases: &["DL3008"],
    doc: DOC,
};
static SECRET_ENV: RuleMeta = RuleMeta {
    id: "DF031",
    name: "secret-value-in-env-arg-label",
    title: "Credential value in ENV, ARG or LABEL",
    severity: Severity::Critical,
    aliases: &[],
    doc: DOC,
};
static SETUID: RuleMeta = RuleMeta {
    id: "IM101",
    name: "setuid-setgid-file",
    title: "File with setuid or setgid",
    severity: Severity::Info,
    aliases: &["CIS-4.8"],
    doc: DOC,
};
static PRIVILEGED: RuleMeta = RuleMeta {
    id: "RT001",
    name: "privileged",
    title: "Container runs privileged",
    severity: Severity::Critical,
    aliases: &["CIS-5.5"],
    doc: DOC,
};
static LOG_DRIVER: RuleMeta = RuleMeta {
    id: "DH213",
    name: "cis-2.13",
    title: "Centralized and remote logging is configured",
    severity: Severity::Low,
    aliases: &["CIS-2.13"],
    doc: DOC,
};

const DOCKERFILE: &str = "FROM debian:latest\nENV TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789\nRUN apt-get install -y curl \\\n  git\n";

/// The region of the `n`th (0-based) occurrence of `needle` in `source`.
fn region(source: &str, needle: &str, n: usize) -> Region {
    let start = source
        .match_indices(needle)
        .nth(n)
        .map(|(at, _)| at)
        .unwrap_or_else(|| panic!("{needle} not in the fixture"));
    let end = start + needle.len();
    let position = |at: usize| {
        let before = &source[..at];
        Position {
            line: 1 + before.matches('\n').count() as u32,
            column: 1 + before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32,
        }
    };
    Region {
        start: position(start),
        end: position(end),
        byte_start: start,
        byte_end: end,
    }
}

fn file(region: Region) -> Location {
    Location::File {
        path: "app/Dockerfile".to_string(),
        region,
    }
}

/// A target with these findings and nothing else.
fn target(name: &str, kind: TargetKind, findings: Vec<Finding>) -> Target {
    Target {
        name: name.to_string(),
        kind,
        source: None,
        findings,
        problems: Vec::new(),
        inventory: None,
        vulnerabilities: Vec::new(),
    }
}

fn fixture() -> Report {
    let mut source = DOCKERFILE.to_string();
    let secret = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
    let mut unpinned = Finding::new(
        &UNPINNED,
        "2 packages are not pinned: `curl`, `git`; pin each as `name=<version>`",
        file({
            let mut r = region(DOCKERFILE, "curl", 0);
            r.end = region(DOCKERFILE, "git", 0).end;
            r.byte_end = region(DOCKERFILE, "git", 0).byte_end;
            r
        }),
    );
    unpinned.marks = vec![region(DOCKERFILE, "curl", 0), region(DOCKERFILE, "git", 0)];
    let findings = vec![
        Finding::new(
            &FROM_LATEST,
            "`debian:latest` uses the moving `latest` tag",
            file(region(DOCKERFILE, "debian:latest", 0)),
        ),
        Finding::new(
            &SECRET_ENV,
            "`TOKEN` holds a GitHub token (ghp_****)",
            file(region(
                DOCKERFILE,
                "TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789",
                0,
            )),
        )
        .with_secret(secret),
        unpinned,
    ];
    shipshape_core::mask_secrets(&mut source, &findings);
    let dockerfile = Target {
        source: Some(source),
        ..target("app/Dockerfile", TargetKind::Dockerfile, findings)
    };
    let found = Found {
        layer: Some(1),
        path: "/var/lib/dpkg/status".to_string(),
    };
    let inventory = Inventory {
        os: Some(Os {
            id: "debian".to_string(),
            version: Some("12".to_string()),
            codename: Some("bookworm".to_string()),
            pretty_name: Some("Debian GNU/Linux 12 (bookworm)".to_string()),
        }),
        packages: vec![Package {
            name: "libssl3".to_string(),
            version: "3.0.11-1~deb12u1".to_string(),
            ecosystem: "deb",
            arch: Some("amd64".to_string()),
            source_name: Some("openssl".to_string()),
            source_version: Some("3.0.11-1~deb12u1".to_string()),
            purl: "pkg:deb/debian/libssl3@3.0.11-1~deb12u1?arch=amd64&distro=debian-12".to_string(),
            licenses: vec!["Apache-2.0".to_string()],
            found: found.clone(),
        }],
        problems: Vec::new(),
    };
    let image = Target {
        name: "app:1".to_string(),
        kind: TargetKind::Image,
        source: None,
        findings: vec![Finding::new(
            &SETUID,
            "/usr/bin/passwd is setuid root",
            Location::Image {
                image: "app:1".to_string(),
                layer: Some("1 sha256:5f70bf18a086".to_string()),
                path: Some("/usr/bin/passwd".to_string()),
                field: None,
                line: None,
            },
        )],
        problems: vec![Problem {
            message: "/usr/lib/sysimage/rpm/rpmdb.sqlite: not a database".to_string(),
            location: None,
        }],
        vulnerabilities: vec![Vulnerability {
            id: "CVE-2024-0727".to_string(),
            aliases: vec!["DSA-5621-1".to_string()],
            package: Arc::from("libssl3"),
            version: Arc::from("3.0.11-1~deb12u1"),
            ecosystem: "deb",
            purl: Arc::from(inventory.packages[0].purl.as_str()),
            source_package: Some("openssl".to_string()),
            fixed: Some("3.0.13-1~deb12u1".to_string()),
            severity: Some(Severity::Medium),
            severity_source: Some("Debian".to_string()),
            cvss: vec![Cvss {
                vector: "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H".to_string(),
                score: Some(5.5),
            }],
            title: "PKCS12 decoding crashes".to_string(),
            references: vec!["https://www.openssl.org/news/secadv/20240125.txt".to_string()],
            sources: vec![Arc::from("debian-tracker")],
            found: Arc::new(found),
        }],
        inventory: Some(inventory),
    };
    let container = target(
        "web",
        TargetKind::Container,
        vec![Finding::new(
            &PRIVILEGED,
            "container `web` runs privileged",
            Location::Container {
                container: "web".to_string(),
                field: "HostConfig.Privileged".to_string(),
            },
        )],
    );
    let host = target(
        "host",
        TargetKind::Host,
        vec![Finding::new(
            &LOG_DRIVER,
            "the logging driver is json-file: logs stay on the host",
            Location::Host {
                subject: "dockerd log-driver json-file".to_string(),
            },
        )],
    );
    Report {
        targets: vec![dockerfile, image, container, host],
        rules: vec![
            &FROM_LATEST,
            &UNPINNED,
            &SECRET_ENV,
            &SETUID,
            &PRIVILEGED,
            &LOG_DRIVER,
        ],
        benchmark: Some("CIS Docker Benchmark v1.6.0".to_string()),
        checks: vec![
            CheckResult {
                number: "2.13",
                section: "2 Docker daemon configuration",
                rule: &LOG_DRIVER,
                title: LOG_DRIVER.title,
                status: Status::Warn,
                scored: true,
                evidence: vec!["the logging driver is json-file".to_string()],
                fix: "set `log-driver` in daemon.json",
            },
            CheckResult {
                number: "5.5",
                section: "5 Container runtime",
                rule: &PRIVILEGED,
                title: "Privileged containers are not used",
                status: Status::Pass,
                scored: true,
                evidence: vec!["none of the 1 containers examined (RT001)".to_string()],
                fix: "do not run with `--privileged`",
            },
        ],
    }
}

fn written(format: Format) -> String {
    written_of(&fixture(), format)
}

fn written_of(report: &Report, format: Format) -> String {
    let mut out = Vec::new();
    write(
        report,
        format,
        WriteOptions {
            color: false,
            quiet: false,
        },
        &mut out,
    )
    .unwrap_or_else(|e| panic!("{format:?}: {e}"));
    String::from_utf8(out).unwrap_or_else(|e| panic!("{format:?}: {e}"))
}

/// A report with CIS results is shown as the benchmark.
#[test]
fn table_of_a_benchmark() {
    insta::assert_snapshot!(written(Format::Table));
}

/// Otherwise, each finding with its source excerpt.
#[test]
fn table() {
    let mut report = fixture();
    report.checks.clear();
    report.benchmark = None;
    insta::assert_snapshot!(written_of(&report, Format::Table));
}

#[test]
fn json() {
    insta::assert_snapshot!(written(Format::Json));
}

#[test]
fn sarif() {
    insta::assert_snapshot!(written(Format::Sarif));
}

#[test]
fn junit() {
    insta::assert_snapshot!(written(Format::Junit));
}

#[test]
fn cyclonedx() {
    let report = fixture();
    let inventory = report.targets[1].inventory.as_ref().expect("inventory");
    let bom = cyclonedx::to_json(inventory, "app:1", "0.0.0-test");
    insta::assert_json_snapshot!(bom);
}

#[test]
fn spdx() {
    let report = fixture();
    let inventory = report.targets[1].inventory.as_ref().expect("inventory");
    insta::assert_json_snapshot!(spdx::to_json_at(
        inventory,
        "app:1",
        "0.0.0-test",
        1_767_225_600
    ));
}

#[test]
fn rule_listing() {
    let rules = [
        &FROM_LATEST,
        &UNPINNED,
        &SECRET_ENV,
        &SETUID,
        &PRIVILEGED,
        &LOG_DRIVER,
    ];
    for json in [false, true] {
        let mut out = Vec::new();
        shipshape_report::rules::write(&rules, json, &mut out).unwrap_or_else(|e| panic!("{e}"));
        let text = String::from_utf8(out).unwrap_or_else(|e| panic!("{e}"));
        insta::assert_snapshot!(if json { "rules_json" } else { "rules_table" }, text);
    }
}

#[test]
fn db_status() {
    use shipshape_report::db_status::{DbSource, DbStatus, write};
    let status = DbStatus {
        path: "/home/ci/.cache/shipshape/vuln.db".to_string(),
        schema_version: 3,
        built: 1_767_225_600,
        age_days: 2,
        stale: false,
        sources: vec![
            DbSource {
                name: "debian".to_string(),
                records: 51_234,
                imported: 1_767_225_600,
                origin: "https://security-tracker.debian.org/tracker/data/json".to_string(),
            },
            DbSource {
                name: "osv-PyPI".to_string(),
                records: 17_002,
                imported: 1_767_139_200,
                origin: "../shared/data/osv".to_string(),
            },
        ],
    };
    for json in [false, true] {
        let mut out = Vec::new();
        write(&status, json, &mut out).unwrap_or_else(|e| panic!("{e}"));
        let text = String::from_utf8(out).unwrap_or_else(|e| panic!("{e}"));
        insta::assert_snapshot!(
            if json {
                "db_status_json"
            } else {
                "db_status_table"
            },
            text
        );
    }
}

#[test]
fn no_writer_leaks_the_credential() {
    let secret = "abcdefghijklmnopqrstuvwxyz0123456789";
    let mut findings_only = fixture();
    findings_only.checks.clear();
    findings_only.benchmark = None;
    for format in [Format::Table, Format::Json, Format::Sarif, Format::Junit] {
        let out = written_of(&findings_only, format);
        assert!(
            !out.contains(secret),
            "{format:?} shows the credential:\n{out}"
        );
    }
}
