//! Importing a directory walks the tree it was given and nothing else:
//! links back up the tree do not loop, links out of it are not followed,
//! a file reached twice is read once, and a FIFO or device named `.json`
//! is skipped, never waited on.

use std::os::unix::fs::symlink;
use std::path::Path;
use std::time::Duration;

use shipshape_vuln::import::{Builder, ImportSummary};

fn record(id: &str) -> String {
    format!(
        r#"{{"id": "{id}", "modified": "2024-01-01T00:00:00Z",
            "affected": [{{"package": {{"ecosystem": "PyPI", "name": "pkg-{id}"}},
              "ranges": [{{"type": "ECOSYSTEM", "events": [{{"introduced": "0"}}, {{"fixed": "2"}}]}}]}}]}}"#
    )
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// Imports `input` into a new database on another thread, so that a walk
/// that never ends fails the test instead of stopping it.
fn import_within(input: &Path, secs: u64) -> ImportSummary {
    let input = input.to_path_buf();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let out = tempfile::tempdir().expect("tmp");
        let mut builder = Builder::create(&out.path().join("db.sqlite"), false).expect("create");
        let summary = builder.import_path(&input).map_err(|e| e.to_string());
        let _ = tx.send(summary);
    });
    rx.recv_timeout(Duration::from_secs(secs))
        .expect("the import did not finish: it loops or hangs")
        .expect("imported")
}

#[test]
fn links_back_up_the_tree_do_not_loop() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path().join("advisories");
    write(&root, "a/GHSA-1.json", &record("GHSA-1"));
    write(&root, "b/c/GHSA-2.json", &record("GHSA-2"));
    symlink(".", root.join("self")).expect("symlink");
    symlink("..", root.join("a/up")).expect("symlink");
    symlink("../..", root.join("b/c/top")).expect("symlink");
    symlink("..", root.join("b/c/loop.json")).expect("symlink");
    // A link to a file of the tree: that file is read once, where it is.
    symlink("a/GHSA-1.json", root.join("alias.json")).expect("symlink");

    let summary = import_within(&root, 10);
    assert_eq!(summary.records, 2, "{summary:?}");
    assert!(summary.skipped.is_empty(), "{:?}", summary.skipped);
}

#[test]
fn links_out_of_the_tree_are_not_followed() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path().join("advisories");
    write(&root, "GHSA-1.json", &record("GHSA-1"));
    let elsewhere = dir.path().join("elsewhere");
    write(&elsewhere, "GHSA-9.json", &record("GHSA-9"));
    symlink(elsewhere.join("GHSA-9.json"), root.join("outside.json")).expect("symlink");
    symlink(&elsewhere, root.join("outside-dir")).expect("symlink");
    symlink("/dev/zero", root.join("zero.json")).expect("symlink");
    // A link out of the tree that no import would read: not worth a word.
    symlink("/etc/hostname", root.join("README")).expect("symlink");

    let summary = import_within(&root, 10);
    assert_eq!(summary.records, 1, "{summary:?}");
    let mut skipped = summary.skipped.clone();
    skipped.sort();
    let out_of = format!("a symbolic link out of {}: not followed", root.display());
    assert_eq!(
        skipped,
        [
            format!("{}: {out_of}", root.join("outside-dir").display()),
            format!("{}: {out_of}", root.join("outside.json").display()),
            format!("{}: {out_of}", root.join("zero.json").display()),
        ]
    );
}

#[test]
fn a_fifo_named_json_is_skipped_not_waited_on() {
    let dir = tempfile::tempdir().expect("tmp");
    write(dir.path(), "GHSA-1.json", &record("GHSA-1"));
    let fifo = dir.path().join("pipe.json");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());

    let summary = import_within(dir.path(), 10);
    assert_eq!(summary.records, 1, "{summary:?}");
    assert_eq!(
        summary.skipped,
        [format!("{}: not a regular file: not read", fifo.display())]
    );
    // Named alone, it is refused as well, not opened.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let out = tempfile::tempdir().expect("tmp");
        let mut builder = Builder::create(&out.path().join("db.sqlite"), false).expect("create");
        let _ = tx.send(builder.import_path(&fifo).map_err(|e| e.to_string()));
    });
    let e = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("hangs on the FIFO")
        .expect_err("refused");
    assert!(e.contains("not a regular file"), "{e}");
}
