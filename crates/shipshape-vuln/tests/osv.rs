//! Reading OSV records: every shared record, lenient fields, and errors
//! that name the file and the problem.

mod common;

use std::collections::BTreeMap;

use shipshape_vuln::osv::{self, Event, RangeKind};

/// Every record under the shared OSV directory parses, and its id is its
/// file name (AlmaLinux files spell `:` as `_`).
#[test]
fn every_shared_record_parses() {
    let Some(dir) = common::shared_osv() else {
        return;
    };
    let mut per_dir: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for path in common::json_files(&dir) {
        let bytes = std::fs::read(&path).expect("readable");
        let name = path
            .strip_prefix(&dir)
            .expect("a file name")
            .display()
            .to_string();
        match osv::parse(&bytes, &name) {
            Ok(record) => {
                let stem = path
                    .file_stem()
                    .expect("a file name")
                    .to_str()
                    .expect("a file name");
                assert_eq!(record.id.replace(':', "_"), stem, "{name}");
                let eco = name.split('/').next().expect("a file name").to_string();
                *per_dir.entry(eco).or_default() += 1;
            }
            Err(e) => failures.push(e.to_string()),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    let expected = [
        ("almalinux", 5),
        ("crates.io", 1206),
        ("debian", 1),
        ("go", 398),
        ("npm", 6),
        ("pypi", 258),
        ("ubuntu", 3),
    ];
    for (eco, n) in expected {
        assert_eq!(per_dir.get(eco).copied(), Some(n), "{eco}: {per_dir:?}");
    }
}

/// The shared records, read and written back, read the same.
#[test]
fn shared_records_survive_a_round_trip() {
    let Some(records) = common::shared_records() else {
        return;
    };
    for (path, record) in records {
        let json = serde_json::to_vec(&record).expect("serializes");
        let again = osv::parse(&json, "round trip").expect("parses");
        assert_eq!(again, record, "{}", path.display());
    }
}

#[test]
fn fields_of_a_real_record_are_read() {
    let Some(r) = common::shared_record("pypi/GHSA-j8r2-6x86-q33q.json") else {
        return;
    };
    assert_eq!(r.id, "GHSA-j8r2-6x86-q33q");
    assert_eq!(r.aliases, ["CVE-2023-32681"]);
    assert_eq!(r.severity[0].kind, "CVSS_V3");
    assert_eq!(
        r.severity[0].score,
        "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N"
    );
    let a = &r.affected[0];
    let package = a.package.as_ref().expect("present");
    assert_eq!(
        (package.ecosystem.as_str(), package.name.as_str()),
        ("PyPI", "requests")
    );
    assert_eq!(a.ranges[0].kind, RangeKind::Ecosystem);
    assert_eq!(
        a.ranges[0].events,
        [
            Event::Introduced("2.3.0".into()),
            Event::Fixed("2.31.0".into())
        ]
    );
    assert!(r.references.iter().any(|x| x.kind == "ADVISORY"));
    assert_eq!(r.withdrawn(), None);

    let Some(u) = common::shared_record("ubuntu/USN-6409-1.json") else {
        return;
    };
    assert!(!u.upstream.is_empty(), "USN-6409-1 has upstream ids");
    let Some(u) = common::shared_record("ubuntu/UBUNTU-CVE-2023-4911.json") else {
        return;
    };
    let package = u.affected[0].package.as_ref().expect("present");
    assert_eq!(package.ecosystem, "Ubuntu:22.04:LTS");
    assert_eq!(package.ecosystem_name(), "Ubuntu");
}

/// Withdrawn records are read, not dropped, and say so.
#[test]
fn withdrawn_records_stay_identifiable() {
    let Some(records) = common::shared_records() else {
        return;
    };
    let withdrawn: Vec<&str> = records
        .iter()
        .filter(|(_, r)| r.withdrawn().is_some())
        .map(|(_, r)| r.id.as_str())
        .collect();
    assert_eq!(withdrawn.len(), 16, "{withdrawn:?}");
    assert!(withdrawn.contains(&"RUSTSEC-2020-0053"));
    assert!(withdrawn.contains(&"GO-2022-0617"));
    assert!(withdrawn.contains(&"PYSEC-2022-43059"));
    assert!(!withdrawn.contains(&"RUSTSEC-2020-0071"));
}

#[test]
fn lenient_where_feeds_are() {
    let text = r#"{
        "id": "OSV-2024-1",
        "aliases": null,
        "severity": null,
        "references": null,
        "some_future_field": {"x": [1, 2]},
        "affected": [{
            "package": {"ecosystem": "npm", "name": "left-pad", "unknown": 1},
            "ranges": [{"type": "NEW_KIND", "events": [{"introduced": "1", "note": "x"}]}],
            "versions": null
        }, {
            "ranges": [{"type": "GIT", "repo": "https://example.org/r", "events": [{"introduced": "0"}]}]
        }]
    }"#;
    let r = osv::parse(text.as_bytes(), "lenient.json").expect("parses");
    assert_eq!(r.modified, None);
    assert!(r.aliases.is_empty() && r.severity.is_empty() && r.references.is_empty());
    assert_eq!(
        r.affected[0].ranges[0].kind,
        RangeKind::Other("NEW_KIND".into())
    );
    assert!(r.affected[1].package.is_none());
}

#[test]
fn a_withdrawn_record_says_when() {
    let r = osv::parse(
        br#"{"id": "GHSA-xxxx", "modified": "2024-01-01T00:00:00Z", "withdrawn": "2024-02-01T00:00:00Z"}"#,
        "w.json",
    )
    .expect("parses");
    assert_eq!(r.withdrawn(), Some("2024-02-01T00:00:00Z"));
}

#[test]
fn malformed_records_are_errors_naming_the_file_and_the_problem() {
    let cases: &[(&str, &str)] = &[
        (
            r#"{"modified": "2024-01-01T00:00:00Z"}"#,
            "missing field `id`",
        ),
        (r#"{"id": "  "}"#, "`id` is empty"),
        (
            r#"{"id": 7}"#,
            "at id: invalid type: integer `7`, expected a string",
        ),
        (
            r#"{"id": "X-1", "aliases": "CVE-1"}"#,
            "at aliases: invalid type: string",
        ),
        (
            r#"{"id": "X-1", "affected": [{"ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"introduced": "1", "fixed": "2"}]}]}]}"#,
            "at affected[0].ranges[0].events[1]: an event has one kind only, this one has introduced and fixed",
        ),
        (
            r#"{"id": "X-1", "affected": [{"ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {}]}]}]}"#,
            "at affected[0].ranges[0].events[1]: an event needs one of",
        ),
        (
            r#"{"id": "X-1", "affected": [{"ranges": [{"type": "SEMVER", "events": [{"fixed": "2"}]}]}]}"#,
            "at affected[0].ranges[0]: a range needs at least one `introduced` event",
        ),
        (
            r#"{"id": "X-1", "affected": [{"ranges": [{"events": [{"introduced": "0"}]}]}]}"#,
            "missing field `type`",
        ),
        (
            r#"{"id": "X-1", "affected": [{"package": {"name": "x"}}]}"#,
            "at affected[0].package: missing field `ecosystem`",
        ),
        (
            r#"{"id": "X-1", "affected": [{"package": {"ecosystem": "npm", "name": ""}}]}"#,
            "at affected[0].package: `name` is empty",
        ),
        (
            r#"{"id": "X-1", "severity": [{"type": "CVSS_V3"}]}"#,
            "missing field `score`",
        ),
        (
            r#"{"id": "X-1", "affected": [{"ranges": [{"type": "SEMVER", "events": [{"introduced": 0}]}]}]}"#,
            "invalid type: integer `0`",
        ),
        (r#"[{"id": "X-1"}]"#, "an OSV record is a JSON object"),
        (r#"{"id": "X-1"} trailing"#, "trailing characters"),
        (" \n", "the file is empty"),
        (
            "\u{feff}{\"id\": \"X-1\"}",
            "an OSV record is a JSON object",
        ),
        ("{\"id\": \"X-1\"", "EOF while parsing"),
    ];
    for (text, problem) in cases {
        let err = osv::parse(text.as_bytes(), "feeds/bad.json").expect_err(text);
        let message = err.to_string();
        assert!(message.starts_with("feeds/bad.json: "), "{message}");
        assert!(
            message.contains(problem),
            "{text}\n  gave: {message}\n  want: {problem}"
        );
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let depth = 100_000;
    let text = format!(
        r#"{{"id": "X-1", "database_specific": {}{}}}"#,
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let err = osv::parse(text.as_bytes(), "deep.json").expect_err("too deep");
    assert!(err.to_string().contains("recursion limit"), "{err}");
}
