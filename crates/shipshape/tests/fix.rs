//! `shipshape dockerfile --fix`, `--diff` and `--unsafe-fixes` as a user
//! runs them: on the bundled example, and on every Dockerfile of the
//! shared corpus, where fixing twice must change nothing the second time
//! and no fixed file may fail to parse.

use std::path::Path;

mod common;
use common::{bin, docker_in, root, shared_data, stdout, tmp};

fn fix(args: &[&str], dir: &Path) -> std::process::Output {
    bin()
        .arg("dockerfile")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_example_is_fixed_safely_then_unsafely_and_settles() {
    let dir = tmp();
    let file = dir.path().join("Dockerfile");
    std::fs::copy(root().join("examples/insecure/Dockerfile"), &file)
        .unwrap_or_else(|e| panic!("{e}"));
    let before = std::fs::read_to_string(&file).unwrap_or_default();

    // SARIF carries the fixes, valid against the schema.
    let sarif = fix(&["--format", "sarif", "Dockerfile"], dir.path());
    let sarif: serde_json::Value =
        serde_json::from_slice(&sarif.stdout).unwrap_or_else(|e| panic!("{e}"));
    if let Some(errors) = common::sarif_schema_errors(&sarif) {
        assert!(errors.is_empty(), "{errors:#?}");
    }
    let results = sarif["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let maintainer = results
        .iter()
        .find(|r| r["ruleId"] == "DF092")
        .unwrap_or_else(|| panic!("no DF092"));
    let change = &maintainer["fixes"][0]["artifactChanges"][0];
    assert_eq!(change["artifactLocation"]["uri"], "Dockerfile");
    assert_eq!(
        change["replacements"][0]["insertedContent"]["text"],
        "LABEL org.opencontainers.image.authors=\"ops@example.com\""
    );
    assert_eq!(change["replacements"][0]["deletedRegion"]["startLine"], 3);

    // --diff shows and writes nothing.
    let diff = fix(&["--diff", "Dockerfile"], dir.path());
    assert_eq!(diff.status.code(), Some(1));
    let shown = stdout(&diff);
    assert!(
        shown.starts_with("--- a/Dockerfile\n+++ b/Dockerfile\n"),
        "{shown}"
    );
    assert!(shown.contains("+COPY config.json /etc/app/"), "{shown}");
    assert!(
        !shown.contains("--no-install-recommends"),
        "unsafe in a safe diff: {shown}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap_or_default(), before);

    // --fix writes the safe fixes and reports what is left.
    let fixed = fix(&["--fix", "--format", "json", "Dockerfile"], dir.path());
    let after = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(after.contains("LABEL org.opencontainers.image.authors=\"ops@example.com\""));
    assert!(after.contains("COPY config.json /etc/app/"));
    assert!(!after.contains("MAINTAINER"));
    let report: serde_json::Value =
        serde_json::from_slice(&fixed.stdout).unwrap_or_else(|e| panic!("{e}"));
    let left: Vec<&str> = report["targets"][0]["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(
        !left.contains(&"DF092") && !left.contains(&"DF045"),
        "{left:?}"
    );
    // The secrets are still reported: no fix hides them.
    assert!(
        left.contains(&"DF030") || left.contains(&"DF031"),
        "{left:?}"
    );
    // What is left that has an unsafe fix says so in JSON.
    assert!(
        report["targets"][0]["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|f| f["fix"]["applicability"] == "unsafe"),
        "{report:#}"
    );

    let unsafe_fixed = fix(&["--fix", "--unsafe-fixes", "-q", "Dockerfile"], dir.path());
    assert!(matches!(unsafe_fixed.status.code(), Some(0 | 1)));
    let last = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(last.contains("CMD [\"python3\", \"app.py\"]"), "{last}");
    assert!(last.contains("WORKDIR /app"), "{last}");
    // Settled: nothing more to do.
    let again = fix(&["--diff", "--unsafe-fixes", "Dockerfile"], dir.path());
    assert_eq!(again.status.code(), Some(0), "{}", stdout(&again));
    assert!(again.stdout.is_empty());
}

#[test]
fn a_file_that_does_not_parse_is_an_error_under_diff_and_fix() {
    let dir = tmp();
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM a:1\nMAINTAINER me\nFROM\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let diff = fix(&["--diff", "Dockerfile"], dir.path());
    assert_eq!(diff.status.code(), Some(2));
    let said = String::from_utf8_lossy(&diff.stderr);
    assert!(
        said.contains("Dockerfile") && said.contains("cannot parse"),
        "{said}"
    );
    assert!(diff.stdout.is_empty());
    let fixed = fix(&["--fix", "Dockerfile"], dir.path());
    assert_eq!(fixed.status.code(), Some(2));
    // Left as it was.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap_or_default(),
        "FROM a:1\nMAINTAINER me\nFROM\n"
    );
}

#[test]
fn fix_refuses_standard_input() {
    let dir = tmp();
    let out = fix(&["--fix", "-"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("name them"));
}

#[test]
fn fixing_the_corpus_twice_changes_nothing_the_second_time() {
    let Some(corpus) = shared_data("dockerfiles") else {
        return;
    };
    let dir = tmp();
    let copy = dir.path().join("corpus");
    let status = std::process::Command::new("cp")
        .arg("-r")
        .arg(&corpus)
        .arg(&copy)
        .status()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(status.success());
    let parse_problems = |out: &std::process::Output| -> usize {
        let report: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
        report["targets"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|t| {
                t["problems"].as_array().is_some_and(|p| {
                    p.iter()
                        .any(|p| p["message"].as_str().unwrap_or("").contains("cannot parse"))
                })
            })
            .count()
    };
    let before = fix(&["--format", "json", "-q", "corpus"], dir.path());
    let first = fix(
        &["--fix", "--unsafe-fixes", "--format", "json", "corpus"],
        dir.path(),
    );
    let notes = String::from_utf8_lossy(&first.stderr);
    eprintln!("{notes}");
    assert!(notes.contains("fixed "), "{notes}");
    // No file the fixes touched stopped parsing.
    assert_eq!(parse_problems(&first), parse_problems(&before));
    let second = fix(&["--diff", "--unsafe-fixes", "corpus"], dir.path());
    assert_eq!(
        second.status.code(),
        Some(0),
        "the second pass still changes:\n{}",
        stdout(&second)
    );
}

/// The images a test makes, removed on drop.
struct Images(Vec<String>);

impl Drop for Images {
    fn drop(&mut self) {
        for image in &self.0 {
            let _ = std::process::Command::new("docker")
                .args(["rmi", "-f", image])
                .output();
        }
    }
}

#[test]
fn a_fixed_dockerfile_builds_and_runs_on_the_daemon() {
    if !common::docker_answers() {
        return;
    }
    let dir = tmp();
    let tag = |name: &str| format!("shipshape-test/fix-{name}:{}", std::process::id());
    let images = Images(vec![tag("base"), tag("fixed"), tag("unfixed")]);
    // The base image: busybox-static, imported.
    let root = dir.path().join("rootfs");
    common::busybox_root(&root, &["sh", "cat", "echo"]).unwrap_or_else(|e| panic!("{e}"));
    let tar = dir.path().join("rootfs.tar").display().to_string();
    common::sh(
        "tar",
        &["-C", &root.display().to_string(), "-cf", &tar, "."],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    docker_in(dir.path(), &["import", &tar, &images.0[0]]).unwrap_or_else(|e| panic!("{e}"));

    let context = dir.path().join("context");
    std::fs::create_dir_all(&context).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(context.join("hello.txt"), "hello\n").unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(context.join("other.txt"), "other\n").unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(context.join(".dockerignore"), "Dockerfile\n").unwrap_or_else(|e| panic!("{e}"));
    let dockerfile = format!(
        "FROM {}\nMAINTAINER Jane Doe <jane@example.com>\nADD hello.txt /srv/\nWORKDIR app\n\
         COPY hello.txt other.txt /srv/copied\nCMD echo never\nCMD cat /srv/hello.txt /srv/copied/other.txt\n",
        images.0[0]
    );
    std::fs::write(context.join("Dockerfile"), &dockerfile).unwrap_or_else(|e| panic!("{e}"));
    // As written it does not build: a multi-source COPY needs a `/`.
    let unfixed = docker_in(&context, &["build", "-q", "-t", &images.0[2], "."]);
    assert!(unfixed.is_err(), "the unfixed file built");

    let out = fix(&["--fix", "--unsafe-fixes", "-q", "Dockerfile"], &context);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
    let fixed = std::fs::read_to_string(context.join("Dockerfile")).unwrap_or_default();
    for want in [
        "LABEL org.opencontainers.image.authors=\"Jane Doe <jane@example.com>\"",
        "COPY hello.txt /srv/",
        "WORKDIR /app",
        "/srv/copied/\n",
        "CMD [\"cat\", \"/srv/hello.txt\", \"/srv/copied/other.txt\"]",
    ] {
        assert!(fixed.contains(want), "no `{want}` in:\n{fixed}");
    }
    assert!(!fixed.contains("never"), "{fixed}");
    docker_in(&context, &["build", "-q", "-t", &images.0[1], "."])
        .unwrap_or_else(|e| panic!("the fixed file does not build: {e}\n{fixed}"));
    let ran = docker_in(
        &context,
        &["run", "--rm", "--network", "none", &images.0[1]],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ran, "hello\nother");
    let label = docker_in(
        &context,
        &[
            "inspect",
            "--format",
            "{{index .Config.Labels \"org.opencontainers.image.authors\"}} {{.Config.WorkingDir}}",
            &images.0[1],
        ],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(label, "Jane Doe <jane@example.com> /app");
}
