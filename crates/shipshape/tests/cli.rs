//! End-to-end tests of the `shipshape` binary.

use std::path::{Path, PathBuf};

mod common;

use common::*;

fn write_dockerfile(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("Dockerfile");
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    path
}

#[test]
fn insecure_example_fails_with_snippets() {
    let o = run(&["dockerfile", "--no-color", "examples/insecure/Dockerfile"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    // a finding is shown with its source line and the span underlined
    assert!(out.contains("examples/insecure/Dockerfile:"), "{out}");
    assert!(out.contains("│ FROM ubuntu:latest"), "{out}");
    assert!(out.contains("━━━"), "{out}");
    assert!(
        out.lines()
            .last()
            .is_some_and(|l| l.contains("findings in 1 file")),
        "{out}"
    );
}

#[test]
fn clean_example_passes() {
    let o = run(&["dockerfile", "examples/clean/Dockerfile"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("No findings"));
}

#[test]
fn fail_on_threshold_decides_the_exit_code() {
    let dir = tmp();
    let df = write_dockerfile(dir.path(), "FROM debian\nUSER 1000\n");
    let df = df.to_string_lossy();
    assert_eq!(run(&["dockerfile", &df]).status.code(), Some(1));
    assert_eq!(
        run(&["dockerfile", "--fail-on", "high", &df]).status.code(),
        Some(0)
    );
}

#[test]
fn ignore_accepts_ids_and_aliases() {
    let dir = tmp();
    let df = write_dockerfile(dir.path(), "FROM debian\n");
    let df = df.to_string_lossy();
    let o = run(&["dockerfile", "--format", "json", &df]);
    let before: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
    let rules = |v: &serde_json::Value| -> Vec<String> {
        v["targets"][0]["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f["rule"].as_str().map(str::to_string))
            .collect()
    };
    assert!(rules(&before).contains(&"DF001".to_string()));
    for id in ["DF001", "DL3006", "from-untagged"] {
        let o = run(&["dockerfile", "--format", "json", "--ignore", id, &df]);
        let after: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
        assert!(
            !rules(&after).contains(&"DF001".to_string()),
            "--ignore {id}"
        );
    }
}

#[test]
fn inline_suppressions_shipshape_and_hadolint() {
    let dir = tmp();
    for pragma in [
        "# shipshape ignore=DF001",
        "# hadolint ignore=DL3006,DL3007",
    ] {
        let df = write_dockerfile(dir.path(), &format!("{pragma}\nFROM debian\n"));
        let o = run(&["dockerfile", "--format", "json", &df.to_string_lossy()]);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
        let found = v["targets"][0]["findings"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(
            !found.iter().any(|f| f["rule"] == "DF001"),
            "{pragma}: {found:?}"
        );
    }
    // a pragma for another rule does not silence this one
    let df = write_dockerfile(dir.path(), "# hadolint ignore=DL3008\nFROM debian\n");
    let o = run(&["dockerfile", "--format", "json", &df.to_string_lossy()]);
    assert!(stdout(&o).contains("\"DF001\""));
}

#[test]
fn config_file_is_found_upward_and_applied() {
    let dir = tmp();
    std::fs::write(
        dir.path().join(".shipshape.yaml"),
        "ignored:\n  - DL3006\noverride:\n  DF999: low\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let sub = dir.path().join("svc");
    std::fs::create_dir(&sub).unwrap_or_else(|e| panic!("{e}"));
    let df = write_dockerfile(&sub, "FROM debian\n");
    let o = run(&["dockerfile", "--format", "json", &df.to_string_lossy()]);
    assert!(!stdout(&o).contains("\"DF001\""), "{}", stdout(&o));
    // an entry that names no rule is reported
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("`DF999`") && err.contains("does not name any rule"),
        "{err}"
    );

    std::fs::write(dir.path().join(".shipshape.yaml"), "ignored: [DL3006\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let o = run(&["dockerfile", &df.to_string_lossy()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains(".shipshape.yaml"));
}

/// hadolint's `label-schema` and `strict-labels` settings, under either
/// spelling, reach the label rules; a type that does not exist is an
/// error naming the file.
#[test]
fn label_schema_from_the_config_file() {
    let dir = tmp();
    std::fs::write(
        dir.path().join(".shipshape.yaml"),
        "label-schema:\n  org.opencontainers.image.version: semver\n  org.opencontainers.image.source: url\nstrictLabels: true\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let df = write_dockerfile(
        dir.path(),
        "FROM debian:12\nLABEL org.opencontainers.image.version=v2 team=ops\nUSER 1000\n",
    );
    let o = run(&["dockerfile", "--format", "json", &df.to_string_lossy()]);
    let report: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&o)));
    let mut rules: Vec<(String, u64)> = report["targets"][0]["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["location"]["region"]["start"]["line"]
                    .as_u64()
                    .unwrap_or(0),
            )
        })
        .filter(|(r, _)| ["DF104", "DF105", "DF106", "DF107"].contains(&r.as_str()))
        .collect();
    rules.sort();
    assert_eq!(
        rules,
        [
            ("DF104".to_string(), 1),
            ("DF105".to_string(), 2),
            ("DF107".to_string(), 2)
        ]
    );

    std::fs::write(
        dir.path().join(".shipshape.yaml"),
        "labelSchema:\n  version: number\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let o = run(&["dockerfile", &df.to_string_lossy()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(".shipshape.yaml") && err.contains("`number` is not a label type"),
        "{err}"
    );
}

#[test]
fn malformed_dockerfile_is_an_input_error_with_position() {
    let dir = tmp();
    let df = write_dockerfile(dir.path(), "FROM debian:12\nRUN <<EOF\necho never closed\n");
    let o = run(&["dockerfile", "--no-color", &df.to_string_lossy()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("unterminated heredoc"), "{err}");
    assert!(err.contains("Dockerfile:2:5"), "{err}");
    assert!(!stdout(&o).contains("unterminated heredoc"));
}

#[test]
fn missing_files_exit_2() {
    let o = run(&["dockerfile", "does/not/exist/Dockerfile"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("does/not/exist/Dockerfile") && err.contains("cannot read"),
        "{err}"
    );
    let o = run(&["db", "status", "--db", "does/not/exist/advisories.db"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("does/not/exist/advisories.db") && err.contains("no advisory database"),
        "{err}"
    );
}

#[test]
fn rules_and_rule_explain() {
    let o = run(&["rules"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.lines().count() > 50, "{out}");
    assert!(out.contains("DF001") && out.contains("DL3006"));
    let o = run(&["rule", "DL3006"]);
    let out = stdout(&o);
    for heading in [
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "## Use instead",
        "## References",
    ] {
        assert!(out.contains(heading), "{heading} in {out}");
    }
    assert_eq!(run(&["rule", "DL0000"]).status.code(), Some(2));
}

#[test]
fn each_command_offers_only_its_own_options() {
    let help = |args: &[&str]| {
        let o = run(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        stdout(&o)
    };
    for args in [
        &["db", "--help"][..],
        &["db", "import", "--help"],
        &["db", "status", "--help"],
    ] {
        let out = help(args);
        for foreign in [
            "cyclonedx",
            "--ignore-unfixed",
            "--fail-on",
            "--severity",
            "sarif",
        ] {
            assert!(!out.contains(foreign), "{args:?} offers {foreign}:\n{out}");
        }
    }
    let out = help(&["sbom", "--help"]);
    assert!(
        out.contains("cyclonedx") && out.contains("spdx-json"),
        "{out}"
    );
    for foreign in [
        "--fail-on",
        "--ignore-unfixed",
        "--severity",
        "sarif",
        "junit",
    ] {
        assert!(!out.contains(foreign), "sbom offers {foreign}:\n{out}");
    }
    for command in ["dockerfile", "config", "containers", "bench"] {
        let out = help(&[command, "--help"]);
        assert!(out.contains("--fail-on") && out.contains("sarif"), "{out}");
        for foreign in ["cyclonedx", "--ignore-unfixed", "--db"] {
            assert!(!out.contains(foreign), "{command} offers {foreign}:\n{out}");
        }
    }
    for command in ["image", "fs"] {
        let out = help(&[command, "--help"]);
        assert!(
            out.contains("--ignore-unfixed") && out.contains("--db"),
            "{out}"
        );
        assert!(
            !out.contains("cyclonedx"),
            "{command} offers cyclonedx:\n{out}"
        );
    }
    for args in [&["rules", "--help"][..], &["rule", "--help"]] {
        let out = help(args);
        for foreign in ["--fail-on", "--output", "sarif", "--ignore"] {
            assert!(!out.contains(foreign), "{args:?} offers {foreign}:\n{out}");
        }
    }
    // What a command does not take is refused, not ignored.
    assert_eq!(
        run(&["sbom", "--fail-on", "high", "."]).status.code(),
        Some(2)
    );
    assert_eq!(run(&["rules", "--format", "sarif"]).status.code(), Some(2));
}

#[test]
fn a_reader_that_goes_away_is_not_an_error() {
    use std::process::Stdio;
    for args in [
        &["rules"][..],
        &["rules", "--format", "json"],
        &["rule", "DF050"],
    ] {
        let mut child = bin()
            .args(args)
            .current_dir(root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run shipshape: {e}"));
        // Nobody reads: every write fails with a broken pipe.
        drop(child.stdout.take());
        let o = child
            .wait_with_output()
            .unwrap_or_else(|e| panic!("shipshape did not finish: {e}"));
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        assert!(
            o.stderr.is_empty(),
            "{args:?} printed: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

#[test]
fn sarif_output_validates_against_the_official_schema() {
    let Some(schema_path) = shared_data("schemas/sarif/sarif-schema-2.1.0.json") else {
        return;
    };
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap_or_default())
            .unwrap_or_default();
    let validator = jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("schema: {e}"));
    let o = run(&[
        "dockerfile",
        "--format",
        "sarif",
        "examples/insecure/Dockerfile",
    ]);
    let sarif: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON: {e}"));
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let run0 = &sarif["runs"][0];
    let results = run0["results"].as_array().cloned().unwrap_or_default();
    assert!(!results.is_empty());
    let rules = run0["tool"]["driver"]["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for r in &results {
        let idx = r["ruleIndex"].as_u64().unwrap_or(u64::MAX) as usize;
        assert_eq!(rules.get(idx).map(|rule| &rule["id"]), Some(&r["ruleId"]));
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().is_some_and(|l| l >= 1));
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "examples/insecure/Dockerfile"
        );
    }
    assert!(rules.iter().all(|r| {
        r["help"]["markdown"]
            .as_str()
            .is_some_and(|m| m.contains("## Why is this bad?"))
    }));

    // a parse error is a notification, and still valid SARIF
    let dir = tmp();
    let df = write_dockerfile(dir.path(), "FROM a\nBOGUS x\n");
    let o = run(&["dockerfile", "--format", "sarif", &df.to_string_lossy()]);
    let sarif: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
    assert!(validator.is_valid(&sarif));
    assert_eq!(
        sarif["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );
}

#[test]
fn json_output_has_the_documented_fields() {
    let o = run(&[
        "dockerfile",
        "--format",
        "json",
        "examples/insecure/Dockerfile",
    ]);
    let v: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON: {e}"));
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["tool"]["name"], "shipshape");
    let f = &v["targets"][0]["findings"][0];
    for key in [
        "rule", "title", "severity", "message", "aliases", "location",
    ] {
        assert!(!f[key].is_null(), "finding lacks {key}: {f}");
    }
    assert_eq!(f["location"]["kind"], "file");
    assert!(f["location"]["region"]["start"]["line"].as_u64().is_some());
    let total = v["summary"]["total"].as_u64().unwrap_or(0);
    assert_eq!(
        total as usize,
        v["targets"][0]["findings"].as_array().map_or(0, Vec::len)
    );
}

#[test]
fn junit_output_is_well_formed() {
    let o = run(&[
        "dockerfile",
        "--format",
        "junit",
        "examples/insecure/Dockerfile",
        "examples/clean/Dockerfile",
    ]);
    let xml = stdout(&o);
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut suites, mut failures, mut depth) = (0, 0, 0i32);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e)) => {
                depth += 1;
                match e.name().0 {
                    "testsuite" => suites += 1,
                    "failure" => failures += 1,
                    _ => {}
                }
            }
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("malformed XML: {e}\n{xml}"),
        }
    }
    assert_eq!(depth, 0);
    assert_eq!(suites, 2);
    assert!(failures > 5, "{xml}");
}

#[test]
fn output_file_and_directory_discovery() {
    let dir = tmp();
    std::fs::create_dir_all(dir.path().join("a/node_modules/x")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("a/Dockerfile.prod"), "FROM debian\n")
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.path().join("a/node_modules/x/Dockerfile"),
        "FROM debian\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("report.json");
    let o = run(&[
        "dockerfile",
        "--format",
        "json",
        "-o",
        &out.to_string_lossy(),
        &dir.path().to_string_lossy(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap_or_default())
            .unwrap_or_default();
    let targets = v["targets"].as_array().cloned().unwrap_or_default();
    assert_eq!(targets.len(), 1, "node_modules is skipped: {targets:?}");
    assert!(
        targets[0]["name"]
            .as_str()
            .is_some_and(|n| n.ends_with("Dockerfile.prod"))
    );
}

#[test]
fn fs_checks_a_root_file_system_directory() {
    let dir = tmp();
    let root = dir.path();
    let write = |path: &str, text: &str, mode: u32| {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap_or(root)).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode))
            .unwrap_or_else(|e| panic!("{e}"));
    };
    write("etc/passwd", "root:x:0:0::/root:/bin/sh\n", 0o644);
    write("etc/shadow", "root::19000:0:99999:7:::\n", 0o640);
    write("opt/tool", "#!/bin/sh\n", 0o4755);
    write(
        "app/config.py",
        "STRIPE = 'sk_live_0123456789abcdefABCD'\n",
        0o644,
    );
    let o = run(&["fs", "--format", "json", &root.display().to_string()]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let report: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}"));
    let rules: Vec<&str> = report["targets"][0]["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    for rule in ["IM105", "IM101", "IM201"] {
        assert!(rules.contains(&rule), "{rule} missing: {rules:?}");
    }
    // Configuration rules need an image config: not run on a directory.
    for rule in ["DF020", "DF021", "DF097"] {
        assert!(!rules.contains(&rule), "{rules:?}");
    }

    // SARIF and JUnit keep the file inside the tree and its line.
    let o = run(&["fs", "--format", "sarif", &root.display().to_string()]);
    let sarif: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}"));
    if let Some(errors) = sarif_schema_errors(&sarif) {
        assert!(errors.is_empty(), "{errors:?}");
    }
    let secret = sarif["runs"][0]["results"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["ruleId"] == "IM201")
        .unwrap_or_else(|| panic!("no IM201 result: {sarif}"));
    let location = &secret["locations"][0];
    assert_eq!(
        location["physicalLocation"]["artifactLocation"]["uri"],
        "app/config.py"
    );
    assert_eq!(location["physicalLocation"]["region"]["startLine"], 1);
    let logical = location["logicalLocations"][0]["fullyQualifiedName"]
        .as_str()
        .unwrap_or("");
    assert!(
        logical.contains(&root.display().to_string()) && logical.ends_with("app/config.py:1"),
        "{logical}"
    );
    let o = run(&["fs", "--format", "junit", &root.display().to_string()]);
    let junit = stdout(&o);
    assert!(
        junit.contains(r#"file="app/config.py" line="1""#),
        "{junit}"
    );

    let o = run(&["fs", "/nonexistent/rootfs"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn fail_on_none_never_fails_on_findings_and_ignore_splits_on_commas() {
    let example = "examples/insecure/Dockerfile";
    assert_eq!(run(&["dockerfile", example]).status.code(), Some(1));
    let o = run(&["dockerfile", "--fail-on", "none", example]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).contains("DF002"),
        "the findings are still reported"
    );
    // Input errors still fail.
    let o = run(&["dockerfile", "--fail-on", "none", "no/such/Dockerfile"]);
    assert_eq!(o.status.code(), Some(2));
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["dockerfile", "--format", "json"];
        all.extend(args);
        all.push(example);
        let o = run(&all);
        let report: serde_json::Value =
            serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}"));
        report["targets"][0]["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f["rule"].as_str().map(str::to_string))
            .collect()
    };
    let all = ids(&[]);
    assert!(all.iter().any(|id| id == "DF002") && all.iter().any(|id| id == "DF043"));
    let fewer = ids(&["--ignore", "DF002,DL3025"]);
    assert!(!fewer.iter().any(|id| id == "DF002"), "{fewer:?}");
    assert_eq!(ids(&["--ignore", "DF002", "--ignore", "DL3025"]), fewer);
    assert!(fewer.len() < all.len());
}

/// A credential a rule finds is masked in every output: the table's
/// excerpts, JSON, SARIF snippets and JUnit.
#[test]
fn secrets_are_masked_in_every_format() {
    let dir = tmp();
    let d = dir.path();
    let aws = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYZZSECRETKEY";
    let ghp = "ghp_R8x2Lq7Vn4Tk9Wp3Zc6Hd1Jf5Gb0Ms2Ya8Ue";
    let pass = "supersecret";
    std::fs::write(
        d.join("Dockerfile"),
        format!(
            "FROM debian:12\nENV AWS_SECRET_ACCESS_KEY={aws}\nARG NPM_TOKEN={ghp}\nLABEL token=\"{ghp}\"\nRUN echo {pass}\nUSER 10001\n"
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        d.join("compose.yaml"),
        format!("services:\n  web:\n    image: nginx:1.25\n    environment:\n      GITHUB_TOKEN: {ghp}\n"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        d.join("pod.yaml"),
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx:1.25\n    env:\n    - name: DB_PASSWORD\n      value: \"{pass}\"\n"
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let dockerfile = d.join("Dockerfile").display().to_string();
    let compose = d.join("compose.yaml").display().to_string();
    let pod = d.join("pod.yaml").display().to_string();
    for format in ["table", "json", "sarif", "junit"] {
        for (args, secrets) in [
            (vec!["dockerfile", dockerfile.as_str()], vec![aws, ghp]),
            (vec!["config", "--no-build", compose.as_str()], vec![ghp]),
            (vec!["config", pod.as_str()], vec![pass]),
        ] {
            let mut all = args.clone();
            all.extend(["--no-color", "--format", format]);
            let o = run(&all);
            assert_eq!(o.status.code(), Some(1), "{all:?}");
            let out = stdout(&o) + &String::from_utf8_lossy(&o.stderr);
            for secret in secrets {
                assert!(!out.contains(secret), "{all:?} shows {secret}:\n{out}");
            }
        }
    }
    // The masked text shows in the table's excerpt.
    let o = run(&["dockerfile", "--no-color", &dockerfile]);
    assert!(stdout(&o).contains("wJal*****"), "{}", stdout(&o));
}

#[test]
fn rule_as_json_and_severity_says_what_it_hid() {
    let o = run(&["rule", "DL3004", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let doc: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc["id"], "DF023");
    assert!(
        doc["doc"]
            .as_str()
            .is_some_and(|d| d.contains("## Why is this bad?"))
    );
    let o = run(&[
        "dockerfile",
        "--severity",
        "critical",
        "examples/insecure/Dockerfile",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--severity left out 22 findings"), "{err}");
    let o = run(&[
        "dockerfile",
        "-q",
        "--severity",
        "critical",
        "examples/insecure/Dockerfile",
    ]);
    assert!(String::from_utf8_lossy(&o.stderr).is_empty());
}

#[test]
fn completions_and_the_manual_page_are_well_formed() {
    let dir = tmp();
    let bash = run(&["completions", "bash"]);
    assert!(bash.status.success());
    let script = dir.path().join("shipshape.bash");
    std::fs::write(&script, &bash.stdout).unwrap_or_else(|e| panic!("{e}"));
    // bash itself reads it, and the script knows every command.
    let checked = std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(checked.status.success(), "{checked:?}");
    let text = stdout(&bash);
    for command in [
        "dockerfile",
        "image",
        "config",
        "watch",
        "authz",
        "completions",
    ] {
        assert!(
            text.contains(command),
            "no {command} in the bash completions"
        );
    }
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let out = run(&["completions", shell]);
        assert!(out.status.success() && !out.stdout.is_empty(), "{shell}");
    }
    assert_eq!(run(&["completions", "tcsh"]).status.code(), Some(2));

    let man = run(&["man"]);
    assert!(man.status.success());
    let page = stdout(&man);
    assert!(page.contains(".TH shipshape 1"), "{page}");
    // groff (Debian's groff-base, which .ci/run installs) renders it
    // without a warning.
    let page_file = dir.path().join("shipshape.1");
    std::fs::write(&page_file, &man.stdout).unwrap_or_else(|e| panic!("{e}"));
    let rendered = std::process::Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .arg(&page_file)
        .output()
        .unwrap_or_else(|e| panic!("groff is needed (apt-get install groff-base): {e}"));
    assert!(rendered.status.success(), "{rendered:?}");
    assert!(
        rendered.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&rendered.stderr)
    );
}
