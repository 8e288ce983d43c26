//! Matching fixture package lists against a database imported from the
//! real advisory records of `../shared/data`. Each expectation below was
//! worked out by hand from the record it names.

use std::path::{Path, PathBuf};

use shipshape_core::Severity;
use shipshape_core::inventory::{Found, Inventory, Os, Package};
use shipshape_core::vuln::Vulnerability;
use shipshape_vuln::db::Db;
use shipshape_vuln::import::Builder;
use shipshape_vuln::matcher::{match_inventory, match_inventory_parallel};

fn shared(sub: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(sub);
    if p.exists() {
        return Some(p);
    }
    if std::env::var("SHIPSHAPE_REQUIRE_SHARED").is_ok_and(|v| v == "1") {
        panic!("SHIPSHAPE_REQUIRE_SHARED=1 but {} is missing", p.display());
    }
    eprintln!("skipping: {} not found", p.display());
    None
}

fn database(dir: &Path) -> Option<Db> {
    let sources = [
        shared("osv")?,
        shared("native/debian-tracker/bookworm-subset.json")?,
        shared("native/alpine-secdb/vuln-list/alpine/3.20/main")?,
    ];
    let path = dir.join("advisories.db");
    let mut builder = Builder::create(&path, false).expect("create");
    for s in &sources {
        builder.import_path(s).expect("import");
    }
    builder.finish().expect("finish");
    Some(Db::open(&path).expect("open"))
}

fn package(
    ecosystem: &'static str,
    name: &str,
    version: &str,
    source: Option<(&str, &str)>,
) -> Package {
    Package {
        name: name.into(),
        version: version.into(),
        ecosystem,
        arch: None,
        source_name: source.map(|s| s.0.to_string()),
        source_version: source.map(|s| s.1.to_string()),
        purl: format!("pkg:{ecosystem}/{name}@{version}"),
        licenses: Vec::new(),
        found: Found {
            layer: Some(0),
            path: "/fixture".into(),
        },
    }
}

fn os(id: &str, version: &str) -> Option<Os> {
    Some(Os {
        id: id.into(),
        version: Some(version.into()),
        codename: None,
        pretty_name: None,
    })
}

fn get<'a>(found: &'a [Vulnerability], package: &str, id: &str) -> Option<&'a Vulnerability> {
    found
        .iter()
        .find(|v| &*v.package == package && v.is_named(id))
}

#[test]
fn language_packages_with_merged_aliases_last_affected_and_withdrawn_records() {
    let dir = tempfile::tempdir().expect("tmp");
    let Some(db) = database(dir.path()) else {
        return;
    };
    let inventory = Inventory {
        os: os("debian", "12"),
        packages: vec![
            // GHSA-29mw-wpgm-hmr9 and GHSA-35jh-r3h4-6jhm: fixed 4.17.21.
            // GHSA-p6mc-m468-83gw: fixed 4.17.20, the installed version.
            // GHSA-jf85-cpcp-j695: fixed 4.17.12.
            package("npm", "lodash", "4.17.20", None),
            // GHSA-29mw-wpgm-hmr9: introduced 0, last_affected 4.5.1.
            package("npm", "lodash.trim", "4.5.1", None),
            package("npm", "lodash.trimend", "4.5.2", None),
            // GHSA-j8r2-6x86-q33q and PYSEC-2023-74, both CVE-2023-32681:
            // introduced 2.3.0, fixed 2.31.0. PYSEC-2018-28: fixed 2.20.0.
            package("pypi", "Requests", "2.28.1", None),
            // GHSA-c2qf-rxjj-qqgw lists semver twice: 7.0.0 to 7.5.2, and
            // 6.0.0 to 6.3.1; only the second entry covers 6.3.0.
            package("npm", "semver", "6.3.0", None),
            // RUSTSEC-2020-0053 (dirs, every version) is withdrawn.
            package("cargo", "dirs", "1.0.5", None),
        ],
        problems: Vec::new(),
    };
    let matched = match_inventory(&inventory, &db).expect("match");
    let found = &matched.vulnerabilities;

    let v = get(found, "lodash", "GHSA-29mw-wpgm-hmr9").expect("lodash 29mw");
    assert_eq!(v.id, "CVE-2020-28500");
    assert_eq!(v.fixed.as_deref(), Some("4.17.21"));
    // No distro rating for a language package: the CVSS vector decides
    // (AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L is 5.3, medium).
    assert_eq!(v.severity, Some(Severity::Medium));
    assert_eq!(v.cvss.first().and_then(|c| c.score), Some(5.3));
    assert!(get(found, "lodash", "GHSA-35jh-r3h4-6jhm").is_some());
    assert!(get(found, "lodash", "GHSA-p6mc-m468-83gw").is_none());
    assert!(get(found, "lodash", "GHSA-jf85-cpcp-j695").is_none());

    // last_affected: the version itself is affected, the next is not, and
    // there is no fixed version to report.
    let v = get(found, "lodash.trim", "CVE-2020-28500").expect("lodash.trim");
    assert_eq!(v.fixed, None);
    assert!(get(found, "lodash.trimend", "CVE-2020-28500").is_none());

    // One vulnerability for the GHSA and the PYSEC record, listing both.
    let requests: Vec<&Vulnerability> = found
        .iter()
        .filter(|v| &*v.package == "Requests" && v.is_named("CVE-2023-32681"))
        .collect();
    assert_eq!(requests.len(), 1, "{requests:?}");
    let v = requests[0];
    assert_eq!(v.id, "CVE-2023-32681");
    assert!(v.is_named("GHSA-j8r2-6x86-q33q") && v.is_named("PYSEC-2023-74"));
    assert_eq!(v.fixed.as_deref(), Some("2.31.0"));
    assert!(get(found, "Requests", "PYSEC-2018-28").is_none());

    let v = get(found, "semver", "GHSA-c2qf-rxjj-qqgw").expect("semver");
    assert_eq!(v.fixed.as_deref(), Some("6.3.1"));

    // Withdrawn: left out, and counted.
    assert!(!found.iter().any(|v| &*v.package == "dirs"));
    assert!(matched.withdrawn >= 1);

    // Spread over threads, each with its own connection: the same result.
    let path = dir.path().join("advisories.db");
    let parallel = match_inventory_parallel(&inventory, 3, || Db::open(&path)).expect("match");
    assert_eq!(parallel.vulnerabilities, matched.vulnerabilities);
    assert_eq!(parallel.withdrawn, matched.withdrawn);
}

#[test]
fn alpine_packages_by_origin() {
    let dir = tempfile::tempdir().expect("tmp");
    let Some(db) = database(dir.path()) else {
        return;
    };
    let inventory = Inventory {
        os: os("alpine", "3.20.3"),
        packages: vec![package(
            "apk",
            "libcrypto3",
            "3.3.2-r1",
            Some(("openssl", "3.3.2-r1")),
        )],
        problems: Vec::new(),
    };
    let found = match_inventory(&inventory, &db)
        .expect("match")
        .vulnerabilities;
    // secfixes 3.3.2-r2: CVE-2024-13176; 3.3.2-r1 (the installed one):
    // CVE-2024-9143; "0": CVE-2022-1292 (never affected).
    let v = get(&found, "libcrypto3", "CVE-2024-13176").expect("13176");
    assert_eq!(v.fixed.as_deref(), Some("3.3.2-r2"));
    assert_eq!(v.source_package.as_deref(), Some("openssl"));
    assert!(get(&found, "libcrypto3", "CVE-2024-12797").is_some());
    assert!(get(&found, "libcrypto3", "CVE-2024-9143").is_none());
    assert!(get(&found, "libcrypto3", "CVE-2022-1292").is_none());
    // Alpine gives no rating; these records carry no CVSS vector.
    assert!(found.iter().all(|v| v.severity.is_none()));
}
