//! Package databases larger than a cataloger reads, or holding more than
//! it keeps: skipped or cut short with a problem that names the file and
//! the limit, never read into memory whole, never dropped silently.

mod common;

use std::time::{Duration, Instant};

use common::*;
use shipshape_packages::{MAX_PACKAGES, MAX_RECORD_BYTES, apk, dpkg};

const STANZA: &str = "Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl (3.0.15-1~deb12u1)\nVersion: 3.0.15-1~deb12u1\nDescription: x\n more\n\n";

/// A sparse file of `len` bytes at `rel` under `root`: large, but nothing
/// written.
fn sparse(root: &std::path::Path, rel: &str, len: u64) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::File::create(&path)
        .and_then(|f| f.set_len(len))
        .expect("sparse file");
}

#[test]
fn a_huge_sparse_dpkg_status_is_skipped_with_a_problem_naming_it() {
    let dir = tempfile::tempdir().expect("tmp");
    sparse(dir.path(), "var/lib/dpkg/status", 2 << 30);
    sparse(dir.path(), "lib/apk/db/installed", 2 << 30);
    let started = Instant::now();
    let inventory = inventory_of(dir.path());
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(inventory.packages.is_empty());
    assert_eq!(
        inventory.problems,
        [
            "/lib/apk/db/installed: not read: 2147483648 bytes, over the limit of 67108864 bytes for a file read whole",
            "/var/lib/dpkg/status: not read: 2147483648 bytes, over the limit of 67108864 bytes for a file read whole",
        ]
    );
}

#[test]
fn a_dpkg_status_within_the_limit_is_read_as_before() {
    let dir = tempfile::tempdir().expect("tmp");
    put(
        dir.path(),
        "var/lib/dpkg/status",
        format!("{STANZA}Package: gone\nStatus: deinstall ok config-files\nVersion: 1\n\r\nPackage: bash\r\nStatus: install ok installed\r\nVersion: 5.2.15-2+b7\r\n").as_bytes(),
        0o644,
    );
    let inventory = inventory_of(dir.path());
    assert!(inventory.problems.is_empty(), "{:?}", inventory.problems);
    let found: Vec<_> = inventory
        .packages
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.version.as_str(),
                p.source_name.as_deref(),
                p.source_version.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("bash", "5.2.15-2+b7", Some("bash"), Some("5.2.15-2")),
            (
                "libssl3",
                "3.0.15-1~deb12u1",
                Some("openssl"),
                Some("3.0.15-1~deb12u1")
            ),
        ]
    );
}

#[test]
fn a_status_of_repeated_stanzas_stops_at_the_package_limit() {
    let stanza = "Package:a\nVersion:1\nStatus:installed\n\n";
    let text = stanza.repeat(MAX_PACKAGES + 10);
    let status = dpkg::read(text.as_bytes(), true);
    assert_eq!(status.records.len(), MAX_PACKAGES);
    assert_eq!(
        status.problems,
        ["more than 100000 packages: the rest are not read"]
    );
    let apk_text = "P:a\nV:1\n\n".repeat(MAX_PACKAGES + 10);
    let installed = apk::read(apk_text.as_bytes());
    assert_eq!(installed.records.len(), MAX_PACKAGES);
    assert_eq!(
        installed.problems,
        ["more than 100000 packages: the rest are not read"]
    );
}

#[test]
fn records_stop_at_the_limit_of_their_text() {
    // Records of about 8 KiB of kept text each.
    let long = "n".repeat(dpkg::MAX_FIELD_BYTES);
    let stanza = format!("Package:{long}\nVersion:{long}\nStatus:installed\nSource:s (1)\n\n");
    let count = MAX_RECORD_BYTES / (2 * long.len()) + 10;
    let status = dpkg::read(stanza.repeat(count).as_bytes(), true);
    assert!(status.records.len() < count);
    let text: usize = status
        .records
        .iter()
        .map(|r| r.name.len() + r.version.len() + 2)
        .sum();
    assert!(text <= MAX_RECORD_BYTES);
    assert_eq!(
        status.problems,
        ["more than 16777216 bytes of package records: the rest are not read"]
    );
}

#[test]
fn a_field_longer_than_the_limit_is_a_problem_not_a_package() {
    let long = "v".repeat(dpkg::MAX_FIELD_BYTES + 1);
    let text = format!(
        "Package: big\nStatus: install ok installed\nVersion: {long}\n\n{STANZA}Package: cont\nStatus: install ok installed\nVersion: 1\nSource: s\n {long}\n\n"
    );
    let status = dpkg::read(text.as_bytes(), true);
    let names: Vec<&str> = status.records.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["libssl3"]);
    assert_eq!(
        status.problems,
        [
            "paragraph 1: field Version is longer than 4096 bytes: not read",
            "paragraph 3: field Source is longer than 4096 bytes: not read",
        ]
    );
    // A line far longer than any field, without a newline: read in bounded
    // pieces, as a field too long.
    let huge = format!(
        "Package: x\nStatus: install ok installed\nVersion: {}",
        "9".repeat(8 << 20)
    );
    let status = dpkg::read(huge.as_bytes(), true);
    assert!(status.records.is_empty());
    assert_eq!(
        status.problems,
        ["paragraph 1: field Version is longer than 4096 bytes: not read"]
    );
    let apk_text = format!("P:big\nV:{long}\n\nP:ok\nV:1\n\n");
    let installed = apk::read(apk_text.as_bytes());
    assert_eq!(installed.records.len(), 1);
    assert_eq!(
        installed.problems,
        ["record 1: field V is longer than 4096 bytes: not read"]
    );
}

#[test]
fn an_executable_too_large_to_read_is_a_problem_and_a_large_script_is_not() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut elf = b"\x7fELF\x02\x01\x01".to_vec();
    elf.resize(4096, 0);
    put(dir.path(), "usr/bin/tool", &elf, 0o755);
    let mut script = b"#!/bin/sh\nexit 0\n".to_vec();
    script.resize(4096, b'#');
    put(dir.path(), "opt/installer.run", &script, 0o755);
    let limits = shipshape_image::layer::Limits {
        scan_secrets: false,
        max_condensed: 1024,
        ..shipshape_image::layer::Limits::default()
    };
    let (files, _, _) = shipshape_image::rootfs::read_dir(
        dir.path(),
        limits,
        &shipshape_packages::Catalogers::default(),
    )
    .expect("read");
    let inventory = shipshape_packages::catalog(&files);
    assert_eq!(
        inventory.problems,
        ["/usr/bin/tool: not read: 4096 bytes, over the limit of 1024 bytes for a file read whole"]
    );
}

#[test]
fn a_package_database_that_is_a_link_or_a_fifo_is_a_problem_not_read() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    for d in ["var/lib/dpkg", "lib/apk/db", "usr/lib/sysimage/rpm"] {
        std::fs::create_dir_all(root.join(d)).expect("mkdir");
    }
    std::os::unix::fs::symlink("/etc/shadow", root.join("var/lib/dpkg/status")).expect("symlink");
    std::os::unix::fs::symlink("/proc/self/mem", root.join("lib/apk/db/installed"))
        .expect("symlink");
    let made = std::process::Command::new("mkfifo")
        .arg(root.join("usr/lib/sysimage/rpm/rpmdb.sqlite"))
        .status()
        .expect("mkfifo");
    assert!(made.success());

    let inventory = inventory_of(root);
    assert!(inventory.packages.is_empty());
    assert_eq!(
        inventory.problems,
        [
            "/lib/apk/db/installed: a symbolic link to \"/proc/self/mem\" (links are not followed): not read",
            "/usr/lib/sysimage/rpm/rpmdb.sqlite: not a regular file: not read",
            "/var/lib/dpkg/status: a symbolic link to \"/etc/shadow\" (links are not followed): not read",
        ]
    );
}

#[test]
fn a_lock_file_keeps_only_what_it_reads_and_at_most_the_package_limit() {
    use shipshape_packages::{composer, npm};
    // A license of many numbers, and more entries than are kept.
    let numbers = vec!["0"; 200_000].join(",");
    let mut json = format!(
        r#"{{"lockfileVersion":3,"packages":{{"node_modules/big":{{"version":"1.0.0","license":"MIT","licenses":[{numbers}]}}"#
    );
    for i in 0..MAX_PACKAGES + 5 {
        json.push_str(&format!(r#","node_modules/p{i}":{{"version":"1"}}"#));
    }
    json.push_str("}}");
    let lock = npm::condense(json.as_bytes());
    assert_eq!(lock.packages.len(), MAX_PACKAGES);
    assert_eq!(
        lock.problems,
        ["more than 100000 entries in one map: 6 more are not read"]
    );
    let big = lock.packages.iter().find(|p| p.name == "big").expect("big");
    assert_eq!(big.licenses, ["MIT"]);

    let entries: Vec<String> = (0..MAX_PACKAGES + 2)
        .map(|i| format!(r#"{{"name":"v/p{i}","version":"1","license":[{numbers}]}}"#))
        .take(3)
        .chain((3..MAX_PACKAGES + 2).map(|i| format!(r#"{{"name":"v/p{i}","version":"1"}}"#)))
        .collect();
    let listed = composer::condense(format!("[{}]", entries.join(",")).as_bytes());
    assert_eq!(listed.packages.len(), MAX_PACKAGES);
    assert_eq!(
        listed.problems,
        ["more than 100000 packages in one list: 2 more are not read"]
    );
    assert!(listed.packages[0].licenses.is_empty());
}
