//! Hostile and malformed input: every kind of input the CLI reads, broken
//! in the ways an attacker or a bad pipeline breaks it. Each must end with
//! exit 2 (or a report), a message on standard error that names the file,
//! and a report on standard output that is still valid JSON.

mod common;

use std::path::Path;

use common::*;

/// Runs `args` with `--format json` and checks the contract for a broken
/// input: exit 2, standard error naming `name`, standard output a JSON
/// report whose `errors` name it too.
fn assert_input_error(args: &[&str], name: &str) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let o = run(&all);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{args:?}\nstderr: {err}");
    assert!(
        err.contains(name),
        "{args:?}: stderr does not name {name}:\n{err}"
    );
    let report: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: standard output is not JSON ({e})"));
    let errors = report["errors"].as_array().cloned().unwrap_or_default();
    assert!(
        errors.iter().any(|e| e.to_string().contains(name)),
        "{args:?}: no error names {name}: {report}"
    );
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{e}"));
    path.to_string_lossy().into_owned()
}

#[test]
fn malformed_dockerfiles_are_input_errors_on_standard_error() {
    let dir = tmp();
    let d = dir.path();
    let cases: &[(&str, &[u8])] = &[
        (
            "invalid-utf8.Dockerfile",
            b"FROM debian:12\nRUN echo \xff\xfe\n",
        ),
        ("nul.Dockerfile", b"FROM debian:12\nRUN echo \0\n"),
        ("empty.Dockerfile", b""),
        ("comments-only.Dockerfile", b"# nothing here\n"),
        (
            "heredoc.Dockerfile",
            b"FROM debian:12\nRUN <<EOF\necho never closed\n",
        ),
        ("unknown.Dockerfile", b"FROM debian:12\nFROOM x\n"),
        (
            "onbuild.Dockerfile",
            b"FROM debian:12\nONBUILD ONBUILD ONBUILD RUN true\n",
        ),
        (
            "garbage.Dockerfile",
            &[0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0xff],
        ),
    ];
    for (name, bytes) in cases {
        let path = write(d, name, bytes);
        assert_input_error(&["dockerfile", &path], name);
    }
    let sub = d.join("a-directory.Dockerfile");
    std::fs::create_dir(&sub).unwrap_or_else(|e| panic!("{e}"));
    assert_input_error(
        &["dockerfile", &sub.to_string_lossy()],
        "a-directory.Dockerfile",
    );
    assert_input_error(&["dockerfile", "no/such/Dockerfile"], "no/such/Dockerfile");
    assert_input_error(&["dockerfile", "/dev/zero"], "/dev/zero");
}

#[test]
fn malformed_manifests_are_input_errors_on_standard_error() {
    let dir = tmp();
    let d = dir.path();
    let mut bomb = String::from("apiVersion: v1\nkind: Pod\na0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        bomb.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "invalid-utf8.yaml",
            b"apiVersion: v1\nkind: Pod\nx: \xff\n".to_vec(),
        ),
        ("nul.yaml", b"apiVersion: v1\nkind: Pod\n\0\n".to_vec()),
        ("empty.yaml", Vec::new()),
        ("bomb.yaml", bomb.into_bytes()),
        (
            "recursive-alias.yaml",
            b"apiVersion: v1\nkind: Pod\na: &a [*a]\n".to_vec(),
        ),
        (
            "undefined-alias.yaml",
            b"apiVersion: v1\nkind: Pod\nspec: *nope\n".to_vec(),
        ),
        (
            "wrong-type.yaml",
            b"apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: 5\n".to_vec(),
        ),
        (
            "deep.yaml",
            format!(
                "apiVersion: v1\nkind: Pod\nspec: {}{}\n",
                "[".repeat(5000),
                "]".repeat(5000)
            )
            .into_bytes(),
        ),
        (
            "compose.yaml",
            b"services:\n  web:\n    image: [1, 2\n".to_vec(),
        ),
        (
            "truncated.json",
            b"{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"spec\": {".to_vec(),
        ),
    ];
    for (name, bytes) in &cases {
        let path = write(d, name, bytes);
        assert_input_error(&["config", &path], name);
    }
    assert_input_error(&["config", "no/such/deploy.yaml"], "no/such/deploy.yaml");
}

#[test]
fn malformed_inspect_files_and_archives_are_input_errors() {
    let dir = tmp();
    let d = dir.path();
    for (name, bytes) in [
        ("empty.json", &b""[..]),
        ("not-a-container.json", b"[{\"Id\": 5}]"),
        ("binary.json", b"\x1f\x8b\x08\0\0\0"),
    ] {
        let path = write(d, name, bytes);
        assert_input_error(&["containers", "--input", &path], name);
    }
    // Binary garbage, an empty file, a tar cut short, a gzip cut short.
    let garbage: Vec<u8> = (0u32..5000)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    for (name, bytes) in [
        ("garbage.tar", garbage.as_slice()),
        ("empty.tar", b""),
        (
            "short.tar.gz",
            b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\x4b\x4c",
        ),
    ] {
        let path = write(d, name, bytes);
        assert_input_error(&["image", "--input", &path], name);
        let o = run(&["image", "--input", &path]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            !err.contains(char::REPLACEMENT_CHARACTER)
                && !err.chars().any(|c| c.is_control() && c != '\n'),
            "raw bytes in the message: {err}"
        );
    }
}

/// Dockerfiles built to exhaust the linter: each is read, reported with
/// DF108 where a limit cut the analysis short, and never crashes.
#[test]
fn dockerfiles_past_the_analysis_limits_are_reported_not_fatal() {
    let dir = tmp();
    let d = dir.path();
    let n = 5000;
    let mut doubling = String::from("FROM debian:12\nARG a0=xx\n");
    for i in 1..=40 {
        doubling.push_str(&format!("ARG a{i}=$a{}$a{}\n", i - 1, i - 1));
    }
    doubling.push_str("ENV b0=xx\n");
    for i in 1..=40 {
        doubling.push_str(&format!("ENV b{i}=$b{}$b{}\n", i - 1, i - 1));
    }
    doubling.push_str("RUN echo $a40 $b40\n");
    let cases = [
        ("doubling.Dockerfile", doubling),
        (
            "subst.Dockerfile",
            format!(
                "FROM debian:12\nRUN {}x{}\n",
                "echo $( ".repeat(n),
                " )".repeat(n)
            ),
        ),
        (
            "if.Dockerfile",
            format!(
                "FROM debian:12\nRUN {}true{}\n",
                "if true; then ".repeat(n),
                "; fi".repeat(n)
            ),
        ),
        (
            "subshell.Dockerfile",
            format!(
                "FROM debian:12\nRUN {}true{}\n",
                "( ".repeat(n),
                " )".repeat(n)
            ),
        ),
        (
            "param.Dockerfile",
            format!(
                "FROM debian:12\nRUN echo {}x{}\n",
                "${a:-".repeat(n),
                "}".repeat(n)
            ),
        ),
    ];
    for (name, text) in &cases {
        let path = write(d, name, text.as_bytes());
        let o = run(&["dockerfile", "--format", "json", &path]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{name}: {err}");
        let report: serde_json::Value =
            serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{name}: {e}"));
        let ids: Vec<String> = report["targets"][0]["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| f["rule"].as_str().unwrap_or("").to_string())
            .collect();
        if *name != "param.Dockerfile" {
            assert!(ids.iter().any(|id| id == "DF108"), "{name}: {ids:?}");
            assert!(
                err.contains(name) && err.contains("warning"),
                "{name}: {err}"
            );
        }
    }
    // One RUN of 200,000 words: every finding is shown with a bounded
    // excerpt of its line, not the whole line.
    let words: Vec<String> = (0..200_000).map(|i| format!("p{i}")).collect();
    let path = write(
        d,
        "words.Dockerfile",
        format!(
            "FROM debian:12\nRUN apt-get install -y {}\n",
            words.join(" ")
        )
        .as_bytes(),
    );
    let o = run(&["dockerfile", "--no-color", &path]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.lines().all(|l| l.len() < 1200),
        "an excerpt line is unbounded"
    );
}

#[test]
fn directory_searches_stop_at_symlink_cycles() {
    let dir = tmp();
    let d = dir.path();
    std::fs::write(d.join("Dockerfile"), "FROM debian:12\nUSER 10001\n")
        .unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(".", d.join("loop")).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink("..", d.join("up")).unwrap_or_else(|e| panic!("{e}"));
    let o = run(&["dockerfile", "--format", "json", &d.to_string_lossy()]);
    let report: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        report["targets"].as_array().map(Vec::len),
        Some(1),
        "{report}"
    );
    let o = run(&["config", &d.to_string_lossy()]);
    assert_eq!(o.status.code(), Some(2));
}

/// A stream of many documents is read a document at a time: each of its
/// pods is checked, and findings point at their own document's lines.
#[test]
fn a_long_manifest_stream_is_read_document_by_document() {
    let dir = tmp();
    let pods: Vec<String> = (0..5000)
        .map(|i| {
            format!(
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p{i}\nspec:\n  containers:\n  - name: c\n    image: nginx:1.25\n    securityContext:\n      privileged: true\n"
            )
        })
        .collect();
    let path = write(dir.path(), "pods.yaml", pods.join("---\n").as_bytes());
    let o = run(&[
        "config",
        "--format",
        "json",
        "--severity",
        "critical,high",
        &path,
    ]);
    let report: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}"));
    let privileged: Vec<u64> = report["targets"][0]["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| {
            f["message"]
                .as_str()
                .is_some_and(|m| m.contains("privileged"))
        })
        .filter_map(|f| f["location"]["region"]["start"]["line"].as_u64())
        .collect();
    assert_eq!(privileged.len(), 5000);
    assert_eq!(privileged.first(), Some(&10));
    assert_eq!(privileged.last(), Some(&(4999 * 11 + 10)));
}

/// A root file system whose package database is a 2 GiB sparse file: not
/// read, and the message names the input and the file.
#[test]
fn an_oversized_package_database_is_named_not_read() {
    let dir = tmp();
    let root = dir.path().join("rootfs");
    std::fs::create_dir_all(root.join("var/lib/dpkg")).unwrap_or_else(|e| panic!("{e}"));
    let status =
        std::fs::File::create(root.join("var/lib/dpkg/status")).unwrap_or_else(|e| panic!("{e}"));
    status.set_len(2 << 30).unwrap_or_else(|e| panic!("{e}"));
    let root = root.display().to_string();
    let o = run(&["sbom", &root]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&root) && err.contains("/var/lib/dpkg/status") && err.contains("limit"),
        "{err}"
    );
    let o = run(&["fs", "--db", "/dev/null/none", &root]);
    assert_eq!(o.status.code(), Some(2), "a named database that is missing");
    let o = bin()
        .args(["fs", &root])
        .env_remove("SHIPSHAPE_DB")
        .env("XDG_CACHE_HOME", dir.path().join("cache"))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&root) && err.contains("/var/lib/dpkg/status"),
        "{err}"
    );
}

/// `db import` of a folder with nothing it can read stores nothing and
/// says so with exit 2, rather than leave an empty database behind.
#[test]
fn db_import_of_nothing_readable_is_an_error() {
    let dir = tmp();
    let feeds = dir.path().join("feeds");
    std::fs::create_dir(&feeds).unwrap_or_else(|e| panic!("{e}"));
    let fifo = feeds.join("fifo.json");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap_or_else(|e| panic!("mkfifo: {e}"));
    assert!(made.success());
    std::os::unix::fs::symlink("/dev/zero", feeds.join("zero.json"))
        .unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(".", feeds.join("self")).unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("adv.db");
    let o = run(&[
        "db",
        "import",
        "--db",
        &db.display().to_string(),
        &feeds.display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("no advisory was found") && err.contains("fifo.json"),
        "{err}"
    );
    assert!(!db.exists());
}
