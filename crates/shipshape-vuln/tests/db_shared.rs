//! The advisory database built from the shared real data: every OSV
//! record, the Debian tracker excerpts and Alpine's secdb, then read back
//! as the records say.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use shipshape_vuln::db::{Candidate, Db};
use shipshape_vuln::import::Builder;
use shipshape_vuln::osv::{Event, RangeKind};

fn build(
    inputs: &[&Path],
) -> (
    tempfile::TempDir,
    Db,
    Vec<shipshape_vuln::import::ImportSummary>,
) {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("advisories.db");
    let mut builder = Builder::create(&target, false).unwrap();
    let summaries = inputs
        .iter()
        .map(|p| builder.import_path(p).unwrap())
        .collect();
    builder.finish().unwrap();
    let db = Db::open(&target).unwrap();
    (dir, db, summaries)
}

fn ids(candidates: &[Candidate]) -> Vec<&str> {
    candidates.iter().map(|c| c.advisory.as_str()).collect()
}

fn events(c: &Candidate) -> Vec<(RangeKind, Vec<Event>)> {
    c.affected
        .ranges
        .iter()
        .map(|r| (r.kind.clone(), r.events.clone()))
        .collect()
}

fn one<'a>(candidates: &'a [Candidate], id: &str) -> &'a Candidate {
    let found: Vec<&Candidate> = candidates.iter().filter(|c| c.advisory == id).collect();
    assert_eq!(found.len(), 1, "{id} in {:?}", ids(candidates));
    found[0]
}

fn intro(v: &str) -> Event {
    Event::Introduced(v.to_string())
}

fn fixed(v: &str) -> Event {
    Event::Fixed(v.to_string())
}

#[test]
fn every_shared_osv_record_is_stored_and_read_back() {
    let Some(osv) = common::shared_osv() else {
        return;
    };
    let (_dir, db, summaries) = build(&[&osv]);
    let summary = &summaries[0];
    assert_eq!(summary.source, "osv");
    // Every shared record names a package; none is skipped.
    assert_eq!(summary.records, 1877, "{:#?}", summary.skipped);
    assert!(summary.skipped.is_empty(), "{:#?}", summary.skipped);

    // requests in PyPI: the GitHub advisory and the PyPA one for the same
    // CVE are both candidates, any spelling of the name finds them.
    let requests = db.candidates("PyPI", "requests").unwrap();
    assert_eq!(db.candidates("PyPI", "Requests").unwrap(), requests);
    let ghsa = one(&requests, "GHSA-j8r2-6x86-q33q");
    assert_eq!(
        events(ghsa),
        vec![(RangeKind::Ecosystem, vec![intro("2.3.0"), fixed("2.31.0")])]
    );
    let pysec = one(&requests, "PYSEC-2023-74");
    assert_eq!(pysec.affected.ranges.len(), 2, "GIT and ECOSYSTEM ranges");
    assert!(
        requests
            .iter()
            .all(|c| c.affected.package.as_ref().unwrap().name == "requests")
    );
    assert!(requests.len() > 2);

    let advisory = db.advisory("GHSA-j8r2-6x86-q33q").unwrap().unwrap();
    assert_eq!(advisory.aliases, ["CVE-2023-32681"]);
    assert_eq!(advisory.distro_severity.as_deref(), Some("MODERATE"));
    assert_eq!(advisory.severity.len(), 1);
    assert!(
        advisory.severity[0]
            .score
            .starts_with("CVSS:3.1/AV:N/AC:H/")
    );
    assert_eq!(advisory.source, "osv");
    assert_eq!(advisory.modified.as_deref(), Some("2023-09-20T19:19:30Z"));
    assert!(advisory.summary.unwrap().contains("Proxy-Authorization"));
    assert!(!advisory.references.is_empty());
    assert_eq!(advisory.withdrawn, None);
    let pysec = db.advisory("PYSEC-2023-74").unwrap().unwrap();
    assert_eq!(pysec.aliases, ["CVE-2023-32681", "GHSA-j8r2-6x86-q33q"]);

    // Withdrawn records are kept, flagged, and still candidates.
    let withdrawn = db.advisory("PYSEC-2022-43059").unwrap().unwrap();
    assert!(withdrawn.withdrawn.is_some());
    let rust = db.advisory("RUSTSEC-2019-0031").unwrap().unwrap();
    assert!(rust.withdrawn.is_some());

    // Exact ecosystems, including suffixed ones.
    let glibc = db.candidates("Ubuntu:22.04:LTS", "glibc").unwrap();
    // The CVE record and the USN that fixed it.
    assert_eq!(ids(&glibc), ["UBUNTU-CVE-2023-4911", "USN-6409-1"]);
    assert_eq!(
        ids(&db.candidates("Ubuntu:24.04:LTS", "glibc").unwrap()),
        ["UBUNTU-CVE-2023-4911"]
    );
    let ubuntu = db.advisory("UBUNTU-CVE-2025-38094").unwrap().unwrap();
    assert_eq!(ubuntu.distro_severity.as_deref(), Some("medium"));
    assert_eq!(
        ids(&db.candidates("Ubuntu:Pro:14.04:LTS", "linux").unwrap()),
        ["UBUNTU-CVE-2025-38094"]
    );
    assert_eq!(
        ids(&db.candidates("Debian:7", "nginx").unwrap()),
        ["DSA-3029-1"]
    );
    assert_eq!(
        ids(&db.candidates("AlmaLinux:8", "python3-requests").unwrap()),
        ["ALSA-2023:4520"]
    );
    assert!(
        db.candidates("AlmaLinux:9", "python3-requests")
            .unwrap()
            .is_empty()
    );
    assert!(db.candidates("Go", "stdlib").unwrap().len() > 50);
    assert!(!db.candidates("crates.io", "openssl").unwrap().is_empty());
    assert_eq!(db.candidates("npm", "lodash").unwrap().len(), 4);

    // Must not find: wrong ecosystem spelling, other ecosystems, unknown names.
    assert!(db.candidates("pypi", "requests").unwrap().is_empty());
    assert!(db.candidates("npm", "requests").unwrap().is_empty());
    assert!(db.candidates("Ubuntu:22.04", "glibc").unwrap().is_empty());
    assert!(db.candidates("PyPI", "no-such-package").unwrap().is_empty());
    assert_eq!(db.advisory("GHSA-0000-0000-0000").unwrap(), None);

    let status = db.status().unwrap();
    assert_eq!(status.sources.len(), 1);
    assert_eq!(status.sources[0].name, "osv");
    assert_eq!(status.sources[0].records, 1877);
    assert!(status.sources[0].origin.ends_with("osv"));
    assert!(status.built > 1_700_000_000);
    assert_eq!(status.schema_version, shipshape_vuln::db::SCHEMA_VERSION);
}

#[test]
fn debian_tracker_bookworm_subset() {
    let Some(native) = common::shared_data("native") else {
        return;
    };
    let (_dir, db, summaries) = build(&[&native.join("debian-tracker/bookworm-subset.json")]);
    let summary = &summaries[0];
    assert_eq!(summary.source, "debian-tracker");
    // 39 (package, CVE) entries, 4 of them not affected (fixed_version 0).
    assert_eq!(summary.records, 35, "{:#?}", summary.skipped);
    assert_eq!(
        summary.skipped,
        [format!(
            "{}: 4 release entries not affected (fixed_version 0), not stored",
            native.join("debian-tracker/bookworm-subset.json").display()
        )]
    );

    let glibc = db.candidates("Debian:12", "glibc").unwrap();
    assert_eq!(
        ids(&glibc),
        ["CVE-2019-1010022", "CVE-2025-0395", "CVE-2025-4802"]
    );
    // Resolved with a fixed version.
    let fixed_entry = one(&glibc, "CVE-2025-0395");
    assert_eq!(
        events(fixed_entry),
        vec![(
            RangeKind::Ecosystem,
            vec![intro("0"), fixed("2.36-9+deb12u10")]
        )]
    );
    let facts = fixed_entry.affected.database_specific.as_ref().unwrap();
    assert_eq!(facts["status"], "resolved");
    assert_eq!(facts["release"], "bookworm");
    // Open: affected from 0, no fix.
    let open = one(&glibc, "CVE-2019-1010022");
    assert_eq!(events(open), vec![(RangeKind::Ecosystem, vec![intro("0")])]);
    assert_eq!(
        open.affected.database_specific.as_ref().unwrap()["urgency"],
        "unimportant"
    );
    // nodsa facts are kept.
    let coreutils = db.candidates("Debian:12", "coreutils").unwrap();
    let nodsa = one(&coreutils, "CVE-2016-2781");
    let facts = nodsa.affected.database_specific.as_ref().unwrap();
    assert_eq!(facts["nodsa"], "Minor issue");
    assert_eq!(facts["nodsa_reason"], "ignored");
    let advisory = db.advisory("CVE-2016-2781").unwrap().unwrap();
    assert_eq!(advisory.source, "debian-tracker");
    assert_eq!(advisory.distro_severity.as_deref(), Some("low"));
    assert_eq!(
        advisory.summary.as_deref(),
        Some("(chroot in GNU coreutils, when used with --userspec, allows local users ...)")
    );
    assert!(
        advisory
            .references
            .iter()
            .any(|r| r == "https://bugs.debian.org/816320")
    );
    assert!(
        advisory
            .references
            .iter()
            .any(|r| r == "https://security-tracker.debian.org/tracker/CVE-2016-2781")
    );

    // fixed_version "0": never affected, not stored.
    let sudo = db.candidates("Debian:12", "sudo").unwrap();
    assert_eq!(ids(&sudo), ["CVE-2023-22809"]);
    assert!(db.candidates("Debian:12", "libssh2").unwrap().is_empty());
    assert_eq!(
        ids(&db.candidates("Debian:12", "openssh").unwrap()),
        ["CVE-2023-48795", "CVE-2023-51767", "CVE-2024-6387"]
    );
    assert_eq!(db.advisory("CVE-2025-32463").unwrap(), None);
    // Only bookworm is in the subset.
    assert!(db.candidates("Debian:11", "glibc").unwrap().is_empty());
    // Debian names are not normalized.
    assert!(db.candidates("Debian:12", "GLIBC").unwrap().is_empty());
}

#[test]
fn debian_tracker_excerpts_map_codenames_and_strip_urgency_marks() {
    let Some(native) = common::shared_data("native") else {
        return;
    };
    let vunnel = native.join("debian-tracker/vunnel/debian.json");
    let mock = native.join("debian-tracker/osv.dev/debian_security_tracker_mock.json");
    let (_dir, db, summaries) = build(&[&vunnel, &mock]);
    let skipped = summaries[0].skipped.join("\n");
    assert!(
        skipped.contains("releases without a Debian version (sid) left out"),
        "{skipped}"
    );
    assert!(
        skipped.contains("not affected (fixed_version 0)"),
        "{skipped}"
    );
    // chromium-browser's entry has `"releases": []`: read, nothing stored.
    assert!(!skipped.contains("chromium-browser"), "{skipped}");

    // `high**` is stored as `high`; stretch is Debian 9, jessie Debian 8.
    let stretch = db.candidates("Debian:9", "prototypejs").unwrap();
    assert_eq!(ids(&stretch), ["CVE-2008-7220"]);
    let facts = stretch[0].affected.database_specific.as_ref().unwrap();
    assert_eq!(facts["urgency"], "high");
    assert_eq!(facts["scope"], "remote");
    assert_eq!(
        ids(&db.candidates("Debian:8", "prototypejs").unwrap()),
        ["CVE-2008-7220"]
    );
    assert_eq!(
        db.advisory("CVE-2008-7220")
            .unwrap()
            .unwrap()
            .distro_severity
            .as_deref(),
        Some("high")
    );
    let bookworm = db.candidates("Debian:12", "chromium").unwrap();
    assert_eq!(
        events(one(&bookworm, "CVE-2022-0456")),
        vec![(
            RangeKind::Ecosystem,
            vec![intro("0"), fixed("98.0.4758.80-1")]
        )]
    );
    let bullseye = db.candidates("Debian:11", "chromium").unwrap();
    assert_eq!(
        events(one(&bullseye, "CVE-2022-0456")),
        vec![(
            RangeKind::Ecosystem,
            vec![intro("0"), fixed("98.0.4758.80-1~deb11u1")]
        )]
    );
    assert_eq!(
        ids(&db.candidates("Debian:13", "sope").unwrap()),
        ["CVE-2025-53603"]
    );

    // The osv.dev excerpt: apparmor, open in bookworm, fixed in trixie,
    // never affected by CVE-2014-1424.
    let apparmor12 = db.candidates("Debian:12", "apparmor").unwrap();
    assert_eq!(ids(&apparmor12), ["CVE-2016-1585", "CVE-2017-6507"]);
    assert_eq!(
        events(one(&apparmor12, "CVE-2016-1585")),
        vec![(RangeKind::Ecosystem, vec![intro("0")])]
    );
    let apparmor13 = db.candidates("Debian:13", "apparmor").unwrap();
    assert_eq!(
        events(one(&apparmor13, "CVE-2016-1585")),
        vec![(RangeKind::Ecosystem, vec![intro("0"), fixed("3.0.12-1")])]
    );
    assert!(
        db.candidates("Debian:10", "apparmor")
            .unwrap()
            .iter()
            .all(|c| c.advisory != "CVE-2014-1424")
    );
}

#[test]
fn alpine_secdb_json_and_yaml() {
    let Some(native) = common::shared_data("native") else {
        return;
    };
    let main = native.join("alpine-secdb/vuln-list/alpine/3.20/main");
    let yaml = native.join("alpine-secdb/vunnel/v3.15/main.yaml");
    let (_dir, db, summaries) = build(&[&main, &yaml]);
    assert_eq!(summaries[0].source, "alpine-secdb");
    assert_eq!(summaries[1].source, "alpine-secdb");
    assert!(
        summaries[0]
            .skipped
            .iter()
            .any(|s| s.contains("openssl.json: 5 ids under fixed version 0"))
    );

    let openssl = db.candidates("Alpine:v3.20", "openssl").unwrap();
    assert_eq!(
        events(one(&openssl, "CVE-2024-5535")),
        vec![(RangeKind::Ecosystem, vec![intro("0"), fixed("3.3.1-r1")])]
    );
    assert_eq!(
        events(one(&openssl, "CVE-2022-3602")),
        vec![(RangeKind::Ecosystem, vec![intro("0"), fixed("3.0.7-r0")])]
    );
    // Under the key "0": never affected, not stored.
    assert!(openssl.iter().all(|c| c.advisory != "CVE-2022-1292"));
    let facts = openssl[0].affected.database_specific.as_ref().unwrap();
    assert_eq!(facts["source"], "alpine-secdb");
    assert_eq!(facts["reponame"], "main");
    let advisory = db.advisory("CVE-2024-5535").unwrap().unwrap();
    assert_eq!(advisory.source, "alpine-secdb");
    assert_eq!(advisory.distro_severity, None);

    let busybox = db.candidates("Alpine:v3.20", "busybox").unwrap();
    assert!(busybox.iter().any(|c| c.advisory == "ALPINE-13661"));
    assert!(busybox.iter().all(|c| c.advisory != "CVE-2021-42373"));

    // YAML, v3.15.
    let zlib = db.candidates("Alpine:v3.15", "zlib").unwrap();
    assert_eq!(ids(&zlib), ["CVE-2018-25032", "CVE-2022-37434"]);
    assert_eq!(
        events(one(&zlib, "CVE-2022-37434")),
        vec![(RangeKind::Ecosystem, vec![intro("0"), fixed("1.2.12-r2")])]
    );
    assert!(db.candidates("Alpine:v3.20", "zlib").unwrap().is_empty());
    assert!(db.candidates("Alpine:3.15", "zlib").unwrap().is_empty());
}

#[test]
fn a_directory_of_mixed_feeds_imports_what_it_recognises() {
    let (Some(osv), Some(native)) = (common::shared_osv(), common::shared_data("native")) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("advisories.db");
    let mut builder = Builder::create(&target, false).unwrap();
    let osv_summary = builder.import_path(&osv).unwrap();
    let native_summary = builder.import_path(&native).unwrap();
    builder.finish().unwrap();
    assert_eq!(native_summary.source, "debian-tracker+alpine-secdb");
    // trivy's per-CVE files are not the tracker export; they are named.
    assert!(
        native_summary
            .skipped
            .iter()
            .any(|s| s.contains("CVE-2023-4911.json")
                && s.contains("not an OSV record, a Debian tracker JSON or an Alpine secdb")),
        "{:#?}",
        native_summary.skipped
    );
    // pypa's YAML OSV records are not read as secdb.
    assert!(
        native_summary
            .skipped
            .iter()
            .any(|s| s.contains("pypa-advisory-database") && s.contains("YAML other than"))
    );

    let db = Db::open(&target).unwrap();
    let status = db.status().unwrap();
    let names: Vec<&str> = status.sources.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["alpine-secdb", "debian-tracker", "osv"]);
    let records: u64 = status.sources.iter().map(|s| s.records).sum();
    assert_eq!(records, osv_summary.records + native_summary.records);
    // A CVE from both distro feeds: one advisory per source, the Debian
    // one first.
    assert!(!db.candidates("Debian:12", "zlib").unwrap().is_empty());
    assert!(!db.candidates("Alpine:v3.15", "zlib").unwrap().is_empty());
    let both = db.advisory("CVE-2022-37434").unwrap().unwrap();
    assert_eq!(both.source, "debian-tracker");
    let alpine = db
        .advisory_from("CVE-2022-37434", "alpine-secdb")
        .unwrap()
        .unwrap();
    assert_eq!(alpine.source, "alpine-secdb");
}
