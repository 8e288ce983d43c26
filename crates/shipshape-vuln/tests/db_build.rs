//! Building and opening the advisory database: replacement by id and
//! `modified`, adding to an existing database, the atomic swap, and bad
//! input (broken files, hostile archives, files that are not ours).

#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::path::{Path, PathBuf};

use shipshape_vuln::db::{Db, SCHEMA_VERSION};
use shipshape_vuln::import::{Builder, Limits};

fn record(id: &str, modified: &str, package: &str, fixed: &str) -> String {
    format!(
        r#"{{"id": "{id}", "modified": "{modified}", "aliases": ["CVE-2024-0001"],
            "summary": "summary of {id} at {modified}",
            "affected": [{{"package": {{"ecosystem": "PyPI", "name": "{package}"}},
              "ranges": [{{"type": "ECOSYSTEM", "events": [{{"introduced": "0"}}, {{"fixed": "{fixed}"}}]}}]}}]}}"#
    )
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, text).unwrap();
    path
}

fn zip_of(path: &Path, entries: &[(&str, &[u8])]) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap();
}

/// Builds a database at `target` from `inputs`.
fn build(target: &Path, keep: bool, inputs: &[&Path]) {
    let mut builder = Builder::create(target, keep).unwrap();
    for input in inputs {
        builder.import_path(input).unwrap();
    }
    builder.finish().unwrap();
}

fn fixed_of(db: &Db, package: &str) -> Vec<(String, String)> {
    db.candidates("PyPI", package)
        .unwrap()
        .into_iter()
        .map(|c| {
            let fixed = c.affected.ranges[0].events[1].version().to_string();
            (c.advisory, fixed)
        })
        .collect()
}

/// Files in `dir` other than `keep`: temporary files left behind.
fn leftovers(dir: &Path, keep: &[&str]) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !keep.contains(&n.as_str()))
        .collect()
}

#[test]
fn a_newer_record_replaces_the_stored_one_and_an_older_one_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("advisories.db");
    let v1 = write(
        dir.path(),
        "v1/PYSEC-1.json",
        &record("PYSEC-1", "2024-01-01T00:00:00Z", "demo", "1.0"),
    );
    let v2 = write(
        dir.path(),
        "v2/PYSEC-1.json",
        &record("PYSEC-1", "2024-02-01T00:00:00.5Z", "Demo_Pkg", "2.0"),
    );
    let v0 = write(
        dir.path(),
        "v0/PYSEC-1.json",
        &record("PYSEC-1", "2023-12-31T23:00:00-02:00", "demo", "0.5"),
    );

    let mut builder = Builder::create(&target, false).unwrap();
    assert_eq!(builder.import_path(&v1).unwrap().records, 1);
    assert_eq!(builder.import_path(&v2).unwrap().records, 1);
    let older = builder.import_path(&v0).unwrap();
    assert_eq!(older.records, 0);
    assert_eq!(older.skipped.len(), 1);
    assert!(
        older.skipped[0].starts_with(&format!(
            "{}: PYSEC-1: modified 2023-12-31T23:00:00-02:00, older than",
            v0.display()
        )),
        "{older:?}"
    );
    builder.finish().unwrap();

    let db = Db::open(&target).unwrap();
    // v2 moved the record to another package: the old entry is gone.
    assert!(db.candidates("PyPI", "demo").unwrap().is_empty());
    assert_eq!(
        fixed_of(&db, "demo-pkg"),
        [("PYSEC-1".to_string(), "2.0".to_string())]
    );
    assert_eq!(
        fixed_of(&db, "DEMO.pkg"),
        [("PYSEC-1".to_string(), "2.0".to_string())]
    );
    let stored = db.candidates("PyPI", "demo-pkg").unwrap();
    assert_eq!(
        stored[0].affected.package.as_ref().unwrap().name,
        "Demo_Pkg",
        "the record's own spelling is kept"
    );
    let advisory = db.advisory("PYSEC-1").unwrap().unwrap();
    assert_eq!(advisory.modified.as_deref(), Some("2024-02-01T00:00:00.5Z"));
    assert_eq!(
        advisory.summary.as_deref(),
        Some("summary of PYSEC-1 at 2024-02-01T00:00:00.5Z")
    );
}

#[test]
fn records_without_packages_and_invalid_records_are_skipped_with_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    write(
        &input,
        "good.json",
        &record("PYSEC-2", "2024-01-01T00:00:00Z", "demo", "1.0"),
    );
    write(
        &input,
        "git-only.json",
        r#"{"id": "OSV-1", "modified": "2024-01-01T00:00:00Z", "affected": [{"ranges": [{"type": "GIT", "repo": "https://example.org/r", "events": [{"introduced": "0"}]}]}]}"#,
    );
    write(
        &input,
        "no-id.json",
        r#"{"modified": "2024-01-01T00:00:00Z", "summary": "x", "id": ""}"#,
    );
    write(
        &input,
        "bad-event.json",
        r#"{"id": "OSV-3", "affected": [{"package": {"ecosystem": "PyPI", "name": "x"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"fixed": "1"}]}]}]}"#,
    );
    write(&input, "not-json.json", "this is not JSON");
    write(&input, "array.json", "[1, 2]");
    write(&input, "notes.txt", "not read at all");
    let target = dir.path().join("advisories.db");
    let mut builder = Builder::create(&target, false).unwrap();
    let summary = builder.import_path(&input).unwrap();
    builder.finish().unwrap();
    assert_eq!(summary.records, 1);
    assert_eq!(summary.source, "osv");
    let skipped = |file: &str, why: &str| {
        let path = input.join(file).display().to_string();
        assert!(
            summary
                .skipped
                .iter()
                .any(|s| s.starts_with(&path) && s.contains(why)),
            "{file}: {why} in {:#?}",
            summary.skipped
        );
    };
    skipped("git-only.json", "OSV-1: no affected entry names a package");
    skipped("no-id.json", "`id` is empty");
    skipped(
        "bad-event.json",
        "a range needs at least one `introduced` event",
    );
    skipped("not-json.json", "not an OSV record");
    skipped("array.json", "not a JSON object");
    assert_eq!(summary.skipped.len(), 5, "{:#?}", summary.skipped);
    let db = Db::open(&target).unwrap();
    assert_eq!(fixed_of(&db, "demo").len(), 1);
    assert_eq!(db.advisory("OSV-1").unwrap(), None);
}

#[test]
fn a_single_file_of_no_known_kind_is_an_error_that_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("advisories.db");
    let bad = write(
        dir.path(),
        "package.json",
        r#"{"name": "x", "version": "1.0.0"}"#,
    );
    let truncated_zip = dir.path().join("all.zip");
    zip_of(
        &truncated_zip,
        &[(
            "A.json",
            record("A", "2024-01-01T00:00:00Z", "a", "1").as_bytes(),
        )],
    );
    let bytes = std::fs::read(&truncated_zip).unwrap();
    std::fs::write(&truncated_zip, &bytes[..bytes.len() / 2]).unwrap();
    let mut builder = Builder::create(&target, false).unwrap();
    let e = builder.import_path(&bad).unwrap_err();
    assert_eq!(e.subject, bad.display().to_string());
    assert!(
        e.problem
            .contains("not an OSV record, a Debian tracker JSON or an Alpine secdb"),
        "{e}"
    );
    let e = builder.import_path(&truncated_zip).unwrap_err();
    assert_eq!(e.subject, truncated_zip.display().to_string());
    assert!(e.problem.contains("not a readable zip archive"), "{e}");
    let e = builder
        .import_path(&dir.path().join("missing.json"))
        .unwrap_err();
    assert!(e.to_string().contains("missing.json: cannot read"), "{e}");
}

#[test]
fn zip_archives_are_bounded_and_their_names_never_become_paths() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir(&work).unwrap();
    let archive = work.join("all.zip");
    let good = record("GHSA-aaaa-bbbb-cccc", "2024-01-01T00:00:00Z", "demo", "1.0");
    let escape = record("GHSA-escape", "2024-01-01T00:00:00Z", "escape", "1.0");
    let big = format!(
        "{}{}",
        " ".repeat(5000),
        record("GHSA-big", "2024-01-01T00:00:00Z", "big", "1.0")
    );
    zip_of(
        &archive,
        &[
            ("GHSA-aaaa-bbbb-cccc.json", good.as_bytes()),
            ("../../escape.json", escape.as_bytes()),
            ("big.json", big.as_bytes()),
            ("broken.json", b"{\"id\": "),
            ("README.md", b"not a record"),
        ],
    );
    let target = work.join("advisories.db");
    let mut builder = Builder::create(&target, false).unwrap();
    builder.set_limits(Limits {
        max_entry_bytes: 4096,
        ..Limits::default()
    });
    let summary = builder.import_path(&archive).unwrap();
    builder.finish().unwrap();
    let at = |entry: &str| format!("{}:{entry}", archive.display());
    assert_eq!(summary.records, 2, "{:#?}", summary.skipped);
    assert!(
        summary
            .skipped
            .iter()
            .any(|s| s.starts_with(&at("big.json")) && s.contains("over the limit of 4096")),
        "{:#?}",
        summary.skipped
    );
    assert!(
        summary
            .skipped
            .iter()
            .any(|s| s.starts_with(&at("broken.json"))),
        "{:#?}",
        summary.skipped
    );
    assert!(
        summary
            .skipped
            .iter()
            .any(|s| s == &format!("{}: not a .json entry", at("README.md"))),
        "{:#?}",
        summary.skipped
    );
    assert_eq!(summary.skipped.len(), 3);
    // The entry named ../../escape.json was read as a record, never written.
    assert!(!dir.path().join("escape.json").exists());
    assert!(!work.join("escape.json").exists());
    let db = Db::open(&target).unwrap();
    assert_eq!(fixed_of(&db, "escape").len(), 1);

    // Too many entries, or too many bytes in all: the archive is refused.
    let mut builder = Builder::create(&target, true).unwrap();
    builder.set_limits(Limits {
        max_zip_entries: 4,
        ..Limits::default()
    });
    let e = builder.import_path(&archive).unwrap_err();
    assert!(e.problem.contains("5 entries, over the limit of 4"), "{e}");
    builder.set_limits(Limits {
        max_zip_bytes: 600,
        ..Limits::default()
    });
    let summary = builder.import_path(&archive);
    let e = summary.unwrap_err();
    assert_eq!(e.subject, archive.display().to_string());
    assert!(e.problem.contains("past the limit of 600 bytes"), "{e}");
}

#[test]
fn importing_adds_to_a_kept_database_and_replaces_a_fresh_one() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("advisories.db");
    let a = write(
        dir.path(),
        "a.json",
        &record("PYSEC-A", "2024-01-01T00:00:00Z", "alpha", "1.0"),
    );
    let b = write(
        dir.path(),
        "b.json",
        &record("PYSEC-B", "2024-01-01T00:00:00Z", "beta", "1.0"),
    );
    build(&target, false, &[&a]);
    build(&target, true, &[&b]);
    let db = Db::open(&target).unwrap();
    assert_eq!(fixed_of(&db, "alpha").len(), 1);
    assert_eq!(fixed_of(&db, "beta").len(), 1);
    let origins: Vec<String> = db
        .status()
        .unwrap()
        .sources
        .into_iter()
        .map(|s| s.origin)
        .collect();
    assert_eq!(origins.len(), 2);
    drop(db);
    build(&target, false, &[&b]);
    let db = Db::open(&target).unwrap();
    assert!(fixed_of(&db, "alpha").is_empty());
    assert_eq!(fixed_of(&db, "beta").len(), 1);
    assert_eq!(
        leftovers(dir.path(), &["advisories.db", "a.json", "b.json"]),
        Vec::<String>::new()
    );
}

#[test]
fn the_new_database_replaces_the_old_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("advisories.db");
    let a = write(
        dir.path(),
        "a.json",
        &record("PYSEC-A", "2024-01-01T00:00:00Z", "alpha", "1.0"),
    );
    let b = write(
        dir.path(),
        "b.json",
        &record("PYSEC-B", "2024-01-01T00:00:00Z", "beta", "1.0"),
    );
    build(&target, false, &[&a]);
    let old = Db::open(&target).unwrap();
    // A new database is readable by all, like any new file; a rebuilt one
    // keeps the mode of the one it replaces.
    let mode = |p: &Path| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    };
    assert_eq!(mode(&target), 0o644);
    std::fs::set_permissions(&target, std::os::unix::fs::PermissionsExt::from_mode(0o640)).unwrap();

    // While a build is in progress the target is untouched; dropping the
    // builder removes its file and changes nothing.
    let mut builder = Builder::create(&target, false).unwrap();
    builder.import_path(&b).unwrap();
    assert_eq!(
        leftovers(dir.path(), &["advisories.db", "a.json", "b.json"]).len(),
        1
    );
    assert_eq!(fixed_of(&Db::open(&target).unwrap(), "alpha").len(), 1);
    drop(builder);
    assert_eq!(
        leftovers(dir.path(), &["advisories.db", "a.json", "b.json"]),
        Vec::<String>::new()
    );
    assert_eq!(fixed_of(&Db::open(&target).unwrap(), "alpha").len(), 1);

    // After the swap, a reader that had the old file open still reads it
    // whole; a new reader sees only the new one.
    build(&target, false, &[&b]);
    assert_eq!(fixed_of(&old, "alpha").len(), 1);
    assert!(fixed_of(&old, "beta").is_empty());
    let new = Db::open(&target).unwrap();
    assert_eq!(mode(&target), 0o640);
    assert!(fixed_of(&new, "alpha").is_empty());
    assert_eq!(fixed_of(&new, "beta").len(), 1);
    assert_eq!(
        leftovers(dir.path(), &["advisories.db", "a.json", "b.json"]),
        Vec::<String>::new()
    );
}

#[test]
fn opening_says_what_is_wrong_with_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.db");
    let e = Db::open(&missing).err().unwrap();
    assert_eq!(e.subject, missing.display().to_string());
    assert!(e.problem.contains("no advisory database here"), "{e}");

    let text = write(dir.path(), "text.db", "hello");
    let e = Db::open(&text).err().unwrap();
    assert!(e.problem.contains("not an SQLite file"), "{e}");
    let e = Db::open(dir.path()).err().unwrap();
    assert!(e.problem.contains("is a directory"), "{e}");

    let other = dir.path().join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    let e = Db::open(&other).err().unwrap();
    assert!(
        e.problem.contains("not a shipshape advisory database"),
        "{e}"
    );

    let old = dir.path().join("old.db");
    build(&old, false, &[]);
    rusqlite::Connection::open(&old)
        .unwrap()
        .execute(
            "UPDATE meta SET value = '0' WHERE key = 'schema_version'",
            [],
        )
        .unwrap();
    let e = Db::open(&old).err().unwrap();
    assert_eq!(
        e.problem,
        format!(
            "advisory database schema version 0, but this shipshape reads version {SCHEMA_VERSION}: rebuild it with `shipshape db update`"
        )
    );
    // Adding to it is refused too, and leaves it as it was.
    let e = Builder::create(&old, true).err().unwrap();
    assert!(e.problem.contains("schema version 0"), "{e}");
}

#[test]
fn hostile_native_feeds_are_refused_or_skipped_with_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("advisories.db");
    let huge = write(
        dir.path(),
        "huge.json",
        &format!(
            "{{\"distroversion\": \"v3.20\", \"packages\": [], \"pad\": \"{}\"}}",
            "x".repeat(10_000)
        ),
    );
    let bad_version = write(
        dir.path(),
        "bad.json",
        r#"{"distroversion": "../../etc", "packages": []}"#,
    );
    let tracker = write(
        dir.path(),
        "tracker.json",
        r#"{"pkg": {"CVE-2024-1": {"releases": {"bookworm": {"status": 7}}},
                     "CVE-2024-2": {"releases": {"bookworm": {"status": "resolved"}}},
                     "CVE-2024-3": {"releases": {"bookworm": {"status": "open", "urgency": "medium*"}}}},
            "": {"CVE-2024-4": {"releases": {}}}}"#,
    );
    let mut builder = Builder::create(&target, false).unwrap();
    builder.set_limits(Limits {
        max_file_bytes: 1000,
        ..Limits::default()
    });
    let e = builder.import_path(&huge).unwrap_err();
    assert!(
        e.to_string().starts_with(&format!(
            "{}: larger than the limit of 1000 bytes",
            huge.display()
        )),
        "{e}"
    );
    let e = builder.import_path(&bad_version).unwrap_err();
    assert!(e.problem.contains("is not an Alpine release"), "{e}");
    let summary = builder.import_path(&tracker).unwrap();
    assert_eq!(summary.records, 1);
    let name = tracker.display().to_string();
    assert!(
        summary
            .skipped
            .iter()
            .any(|s| s.starts_with(&format!("{name}: pkg CVE-2024-1: releases:"))),
        "{:#?}",
        summary.skipped
    );
    assert!(
        summary.skipped.contains(&format!(
            "{name}: pkg CVE-2024-2 bookworm: resolved without a fixed_version"
        )),
        "{:#?}",
        summary.skipped
    );
    assert!(
        summary
            .skipped
            .contains(&format!("{name}: a source package with an empty name")),
        "{:#?}",
        summary.skipped
    );
    builder.finish().unwrap();
    let db = Db::open(&target).unwrap();
    let open = db.candidates("Debian:12", "pkg").unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(
        open[0].affected.database_specific.as_ref().unwrap()["urgency"],
        "medium"
    );
}

#[test]
fn the_benchmark_database_is_deterministic_and_covers_its_packages() {
    use shipshape_vuln::{benchmark_package, generate_benchmark_db};
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.db"), dir.path().join("b.db"));
    generate_benchmark_db(&a, 2000, 200, 3).unwrap();
    generate_benchmark_db(&b, 2000, 200, 3).unwrap();
    let (a, b) = (Db::open(&a).unwrap(), Db::open(&b).unwrap());
    assert_eq!(a.status().unwrap().sources[0].records, 2000);
    let mut found = 0;
    for i in 0..200 {
        let (ecosystem, package) = benchmark_package(i);
        let ca = a.candidates(ecosystem, &package).unwrap();
        assert_eq!(
            ca,
            b.candidates(ecosystem, &package).unwrap(),
            "{ecosystem} {package}"
        );
        assert!(
            ca.iter()
                .all(|c| c.affected.package.as_ref().unwrap().ecosystem == ecosystem)
        );
        found += ca.len();
    }
    // Every record has one to three entries, all for packages 0..200.
    assert!((2000..=6000).contains(&found), "{found}");
    let (ecosystem, package) = benchmark_package(0);
    assert!(!a.candidates(ecosystem, &package).unwrap().is_empty());
    let (ecosystem, outside) = benchmark_package(200);
    assert!(a.candidates(ecosystem, &outside).unwrap().is_empty());
    let id = &a.candidates(ecosystem, &package).unwrap()[0].advisory;
    let advisory = a.advisory(id).unwrap().unwrap();
    assert_eq!(advisory.aliases.len(), 1);
    assert_eq!(advisory.severity[0].kind, "CVSS_V3");
}

/// `default_path` reads the environment, so each case runs this test
/// again in a child process with the environment it needs.
#[test]
fn default_path_follows_the_environment() {
    if let Ok(expected) = std::env::var("SHIPSHAPE_TEST_EXPECTED_DB_PATH") {
        assert_eq!(
            shipshape_vuln::import::default_path(),
            PathBuf::from(expected)
        );
        return;
    }
    let case = |env: &[(&str, &str)], expected: &str| {
        let mut child = std::process::Command::new(std::env::current_exe().unwrap());
        child.args([
            "--exact",
            "default_path_follows_the_environment",
            "--test-threads=1",
        ]);
        for var in ["SHIPSHAPE_DB", "XDG_CACHE_HOME", "HOME", "USERPROFILE"] {
            child.env_remove(var);
        }
        child.envs(env.iter().copied());
        child.env("SHIPSHAPE_TEST_EXPECTED_DB_PATH", expected);
        let out = child.output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stdout.contains("1 passed"),
            "{env:?}: {stdout}"
        );
    };
    case(
        &[
            ("SHIPSHAPE_DB", "/data/db.sqlite"),
            ("XDG_CACHE_HOME", "/c"),
            ("HOME", "/h"),
        ],
        "/data/db.sqlite",
    );
    case(
        &[("XDG_CACHE_HOME", "/c"), ("HOME", "/h")],
        "/c/shipshape/advisories.db",
    );
    // The XDG spec ignores relative paths.
    case(
        &[("XDG_CACHE_HOME", "cache"), ("HOME", "/h")],
        "/h/.cache/shipshape/advisories.db",
    );
    case(
        &[("SHIPSHAPE_DB", ""), ("HOME", "/h")],
        "/h/.cache/shipshape/advisories.db",
    );
}
