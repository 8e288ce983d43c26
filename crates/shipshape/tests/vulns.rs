//! End-to-end vulnerability matching: a database imported from the real
//! advisory records of `../shared/data` (OSV records, the Debian security
//! tracker subset for bookworm, Alpine secdb files), matched against a
//! real Debian bookworm root file system made by debootstrap. The expected
//! matches below were worked out by hand from the tracker entries and the
//! source versions `dpkg-query` lists for the tree.

mod common;

use std::path::Path;

use common::*;

/// Imports the shared advisories into a database under `dir`.
fn database(dir: &Path) -> Option<String> {
    let osv = shared_data("osv")?;
    let tracker = shared_data("native/debian-tracker/bookworm-subset.json")?;
    let alpine = shared_data("native/alpine-secdb/vuln-list/alpine/3.20/main")?;
    let db = dir.join("advisories.db").display().to_string();
    let o = run(&[
        "db",
        "import",
        "--db",
        &db,
        &osv.display().to_string(),
        &tracker.display().to_string(),
        &alpine.display().to_string(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    Some(db)
}

fn vulns(report: &serde_json::Value) -> Vec<serde_json::Value> {
    report["targets"][0]["vulnerabilities"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn find<'a>(
    list: &'a [serde_json::Value],
    package: &str,
    id: &str,
) -> Option<&'a serde_json::Value> {
    list.iter().find(|v| {
        v["package"] == package
            && (v["id"] == id
                || v["aliases"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|x| x == id)))
    })
}

#[test]
fn database_status_lists_its_sources() {
    let dir = tmp();
    let Some(db) = database(dir.path()) else {
        return;
    };
    let o = run(&["db", "status", "--db", &db, "--format", "json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let status: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(status["stale"], false);
    let sources = status["sources"].as_array().cloned().unwrap_or_default();
    let names: Vec<&str> = sources.iter().filter_map(|s| s["name"].as_str()).collect();
    for want in ["osv", "debian-tracker", "alpine-secdb"] {
        assert!(names.contains(&want), "{names:?}");
    }
    // A database named with --db or SHIPSHAPE_DB that is not there is an
    // error: a typo must not turn vulnerability matching off.
    let root = dir.path().join("empty-root");
    std::fs::create_dir_all(&root).unwrap_or_else(|e| panic!("{e}"));
    let missing = dir.path().join("missing.db").display().to_string();
    let o = run(&["fs", "--db", &missing, &root.display().to_string()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(&missing) && err.contains("--db"), "{err}");
    let o = bin()
        .args(["fs", &root.display().to_string()])
        .env("SHIPSHAPE_DB", &missing)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.status.code(), Some(2));
    // Without a database of its own choosing, fs says so and still runs.
    let o = bin()
        .args(["fs", &root.display().to_string()])
        .env_remove("SHIPSHAPE_DB")
        .env("XDG_CACHE_HOME", dir.path().join("no-cache"))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("no vulnerability database"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn a_debian_root_file_system_has_the_vulnerabilities_worked_out_by_hand() {
    let dir = tmp();
    let Some(db) = database(dir.path()) else {
        return;
    };
    let Some(tree) = bookworm_rootfs() else {
        return;
    };
    let tree = tree.display().to_string();
    let o = run(&["fs", "--db", &db, "--format", "json", &tree]);
    // Vulnerabilities (and findings) of medium and above: the run fails.
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}"));
    let list = vulns(&report);

    // Matched through the source package: libssl3 is built from openssl,
    // whose two bookworm entries are open (no fix yet).
    let v = find(&list, "libssl3", "CVE-2024-13176").unwrap_or_else(|| panic!("libssl3"));
    assert_eq!(v["source_package"], "openssl");
    assert!(v["fixed"].is_null(), "{v}");
    assert!(find(&list, "libssl3", "CVE-2024-5535").is_some());
    // zlib1g from zlib: CVE-2023-45853 open; CVE-2022-37434 fixed in
    // 1:1.2.11.dfsg-4.1, older than the installed 1:1.2.13.dfsg-1.
    assert!(find(&list, "zlib1g", "CVE-2023-45853").is_some());
    assert!(find(&list, "zlib1g", "CVE-2022-37434").is_none());
    // coreutils: urgency low.
    let v = find(&list, "coreutils", "CVE-2016-2781").unwrap_or_else(|| panic!("coreutils"));
    assert_eq!(v["severity"], "low");
    assert_eq!(v["severity_source"], "debian-tracker");
    // glibc: fixed in 2.36-9+deb12u10, installed u14: not affected; an open
    // one is.
    assert!(find(&list, "libc6", "CVE-2025-0395").is_none());
    assert!(find(&list, "libc6", "CVE-2025-4802").is_some());
    // perl: fixed in exactly the installed version.
    assert!(find(&list, "perl-base", "CVE-2023-31484").is_none());
    // xz-utils: fixed_version "0", never affected; CVE-2025-31115 fixed in
    // 5.4.1-1, below the installed 5.4.1-1+deb12u1.
    assert!(!list.iter().any(|v| v["id"] == "CVE-2024-3094"));
    assert!(!list.iter().any(|v| v["id"] == "CVE-2025-31115"));
    // openssh: one open, two fixed before the installed deb12u10.
    assert!(find(&list, "openssh-server", "CVE-2023-51767").is_some());
    assert!(find(&list, "openssh-server", "CVE-2024-6387").is_none());
    assert!(find(&list, "openssh-server", "CVE-2023-48795").is_none());

    // --ignore-unfixed leaves out the open ones; .shipshapeignore entries
    // apply until their date.
    let o = run(&[
        "fs",
        "--db",
        &db,
        "--format",
        "json",
        "--ignore-unfixed",
        &tree,
    ]);
    let report: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert!(vulns(&report).iter().all(|v| !v["fixed"].is_null()));

    let work = dir.path().join("project");
    std::fs::create_dir_all(&work).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        work.join(".shipshapeignore"),
        "CVE-2024-13176 until=2999-01-01 # reviewed\nCVE-2023-45853 until=2020-01-01 # old decision\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let o = bin()
        .args(["fs", "--db", &db, "--format", "json", &tree])
        .current_dir(&work)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let report: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}"));
    let list = vulns(&report);
    assert!(find(&list, "libssl3", "CVE-2024-13176").is_none());
    assert!(find(&list, "zlib1g", "CVE-2023-45853").is_some());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("`CVE-2023-45853` expired on 2020-01-01"),
        "{stderr}"
    );

    // SARIF carries them as results, valid against the schema.
    let o = run(&["fs", "--db", &db, "--format", "sarif", &tree]);
    let sarif: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}"));
    let results = sarif["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        results.iter().any(|r| r["ruleId"] == "CVE-2024-13176"
            && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                == "var/lib/dpkg/status"),
        "{results:?}"
    );
    if let Some(errors) = sarif_schema_errors(&sarif) {
        assert!(errors.is_empty(), "{}", errors.join("\n"));
    }
}
