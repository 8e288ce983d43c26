//! End-to-end tests of `shipshape config`: compose files and Kubernetes
//! manifests.

use std::collections::BTreeMap;
use std::path::Path;

mod common;

use common::*;

fn json(o: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", stdout(o)))
}

/// (rule, line) of every finding of every target.
fn rule_lines(report: &serde_json::Value) -> Vec<(String, u64)> {
    let mut found = Vec::new();
    for target in report["targets"].as_array().into_iter().flatten() {
        for f in target["findings"].as_array().into_iter().flatten() {
            let line = f["location"]["region"]["start"]["line"]
                .as_u64()
                .unwrap_or(0);
            found.push((f["rule"].as_str().unwrap_or("").to_string(), line));
        }
    }
    found
}

fn problems(report: &serde_json::Value) -> Vec<String> {
    report["targets"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|t| t["problems"].as_array().cloned().unwrap_or_default())
        .map(|p| p["message"].as_str().unwrap_or("").to_string())
        .collect()
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

#[test]
fn insecure_compose_example_fails_with_snippets() {
    let o = run(&[
        "config",
        "--no-color",
        "examples/manifests/compose-insecure.yaml",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(
        out.contains("examples/manifests/compose-insecure.yaml:5:5"),
        "{out}"
    );
    assert!(out.contains("│     privileged: true"), "{out}");
    assert!(out.contains("RT001"), "{out}");
}

#[test]
fn hardened_examples_pass_and_an_unset_required_variable_is_noted() {
    let o = bin()
        .args([
            "config",
            "examples/manifests/compose-hardened.yaml",
            "examples/manifests/k8s-hardened.yaml",
        ])
        .env("GITHUB_TOKEN", "from-the-ci-secret-store")
        .current_dir(root())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("No findings"), "{}", stdout(&o));

    let o = bin()
        .args([
            "config",
            "--format",
            "json",
            "examples/manifests/compose-hardened.yaml",
        ])
        .env_remove("GITHUB_TOKEN")
        .current_dir(root())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    // Unset, it stands for itself and the file is still checked.
    assert_eq!(o.status.code(), Some(0));
    assert!(problems(&json(&o)).is_empty());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("compose-hardened.yaml:20: required variable `GITHUB_TOKEN` is not set"),
        "{err}"
    );
}

#[test]
fn kubernetes_from_standard_input() {
    let text = std::fs::read_to_string(root().join("examples/manifests/k8s-insecure.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let o = run_with_stdin(&["config", "--format", "json", "-"], &text);
    assert_eq!(o.status.code(), Some(1));
    let report = json(&o);
    assert_eq!(report["targets"][0]["name"], "-");
    assert_eq!(report["targets"][0]["kind"], "kubernetes");
    let found = rule_lines(&report);
    assert!(found.contains(&("RT001".to_string(), 32)), "{found:?}");
    assert!(found.contains(&("RT034".to_string(), 14)), "{found:?}");
}

#[test]
fn directories_are_searched_and_build_dockerfiles_linted() {
    let dir = tmp();
    let d = dir.path();
    write(
        d,
        "compose.yaml",
        "services:\n  app:\n    build: ./app\n    privileged: true\n  db:\n    image: postgres:${PG:-16}\n",
    );
    write(
        d,
        "app/Dockerfile",
        "FROM debian\nRUN apt-get install curl\n",
    );
    write(
        d,
        "deploy/pod.yml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostPID: true\n  containers: [{name: c, image: c:1}]\n",
    );
    // Not manifests: passed over in a directory search.
    write(
        d,
        ".github/workflows/ci.yaml",
        "name: CI\non: [push]\njobs: {}\n",
    );
    write(
        d,
        "chart/templates/deploy.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n",
    );
    write(d, ".git/config.yaml", "services: {x: {privileged: true}}\n");

    let o = run(&["config", "--format", "json", &d.display().to_string()]);
    let report = json(&o);
    let targets: BTreeMap<String, String> = report["targets"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| {
            let name = t["name"].as_str().unwrap_or("");
            let short = name.strip_prefix(&d.display().to_string()).unwrap_or(name);
            (
                short.to_string(),
                t["kind"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let expected: BTreeMap<String, String> = [
        ("/compose.yaml", "compose"),
        ("/deploy/pod.yml", "kubernetes"),
        ("/./app/Dockerfile", "dockerfile"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(targets, expected);
    let found = rule_lines(&report);
    assert!(found.contains(&("RT001".to_string(), 4)), "{found:?}");
    assert!(found.contains(&("RT009".to_string(), 5)), "{found:?}");
    // The built Dockerfile was linted: untagged base image.
    assert!(found.iter().any(|(r, _)| r == "DF001"), "{found:?}");

    let o = run(&[
        "config",
        "--no-build",
        "--format",
        "json",
        &d.display().to_string(),
    ]);
    let report = json(&o);
    assert_eq!(report["targets"].as_array().map(Vec::len), Some(2));
}

#[test]
fn a_missing_build_context_is_a_problem_at_the_build_key() {
    let dir = tmp();
    write(
        dir.path(),
        "compose.yaml",
        "services:\n  app:\n    image: a:1\n    build:\n      context: ./nowhere\n",
    );
    let o = run(&[
        "config",
        "--format",
        "json",
        &dir.path().join("compose.yaml").display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let report = json(&o);
    let problem = &report["targets"][0]["problems"][0];
    let message = problem["message"].as_str().unwrap_or("");
    assert!(
        message.starts_with("service `app` builds from "),
        "{message}"
    );
    assert_eq!(problem["location"]["region"]["start"]["line"], 4);
}

/// `helm template` of a large chart: thousands of documents in one stream
/// are all read, each finding on its own document's line.
#[test]
fn a_stream_of_thousands_of_documents_is_read_whole() {
    let pod = |i: usize| {
        format!(
            "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p{i}\nspec:\n  containers:\n  - name: c\n    image: c:1\n    securityContext:\n      privileged: true\n"
        )
    };
    let text: String = (0..3000).map(pod).collect();
    let o = run_with_stdin(&["config", "--format", "json", "-"], &text);
    let report = json(&o);
    assert!(problems(&report).is_empty(), "{:?}", problems(&report));
    let privileged: Vec<u64> = rule_lines(&report)
        .into_iter()
        .filter(|(r, _)| r == "RT001")
        .map(|(_, line)| line)
        .collect();
    assert_eq!(privileged.len(), 3000);
    // Each document is 11 lines; `privileged` is the 11th of each.
    assert_eq!(privileged.last(), Some(&(2999 * 11 + 11)));
}

/// A directory search reads JSON manifests (`kubectl get -o json`) too,
/// and passes over JSON files that are not manifests.
#[test]
fn json_manifests_are_found_in_directories() {
    let dir = tmp();
    let d = dir.path();
    write(
        d,
        "deploy/pod.json",
        r#"{
  "apiVersion": "v1",
  "kind": "Pod",
  "metadata": {"name": "p"},
  "spec": {"hostNetwork": true, "containers": [{"name": "c", "image": "c:1"}]}
}
"#,
    );
    write(d, "package.json", r#"{"name": "app", "version": "1.0.0"}"#);
    let o = run(&["config", "--format", "json", &d.display().to_string()]);
    let report = json(&o);
    let targets: Vec<&str> = report["targets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["name"].as_str())
        .collect();
    assert_eq!(targets.len(), 1, "{targets:?}");
    assert!(targets[0].ends_with("deploy/pod.json"), "{targets:?}");
    assert!(
        rule_lines(&report).contains(&("RT008".to_string(), 5)),
        "{:?}",
        rule_lines(&report)
    );
}

#[test]
fn hostile_yaml_is_an_input_error_not_a_hang() {
    let dir = tmp();
    let d = dir.path();
    let mut bomb =
        String::from("services:\n  a:\n    image: a:1\nx0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..14 {
        let p = i - 1;
        bomb.push_str(&format!(
            "x{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    write(d, "bomb.yaml", &bomb);
    let deep = format!("services: {}{}\n", "[".repeat(5000), "]".repeat(5000));
    write(d, "deep.yaml", &deep);
    write(
        d,
        "broken.yaml",
        "services:\n  a:\n    image: [a\n    user: root\n",
    );
    write(d, "plain.yaml", "just: a map\n");
    for (file, expected) in [
        ("bomb.yaml", "cannot parse YAML: "),
        ("deep.yaml", "cannot parse YAML: "),
        ("broken.yaml", "cannot parse YAML: "),
        ("plain.yaml", "neither a compose file"),
    ] {
        let o = run(&[
            "config",
            "--format",
            "json",
            &d.join(file).display().to_string(),
        ]);
        assert_eq!(o.status.code(), Some(2), "{file}");
        let found = problems(&json(&o));
        assert!(
            found.len() == 1 && found[0].starts_with(expected),
            "{file}: {found:?}"
        );
    }
}

#[test]
fn ignore_flag_and_config_file_apply_to_runtime_rules() {
    let dir = tmp();
    let d = dir.path();
    write(
        d,
        "compose.yaml",
        "services:\n  a:\n    image: a:1\n    privileged: true\n    network_mode: host\n",
    );
    write(d, ".shipshape.yaml", "ignored: [HostNetwork]\n");
    let path = d.join("compose.yaml").display().to_string();
    let o = run(&["config", "--format", "json", "--ignore", "KSV017", &path]);
    let rules: Vec<String> = rule_lines(&json(&o)).into_iter().map(|(r, _)| r).collect();
    assert!(
        !rules.iter().any(|r| r == "RT001" || r == "RT008"),
        "{rules:?}"
    );
    assert!(rules.iter().any(|r| r == "RT021"), "{rules:?}");
}

#[test]
fn sarif_for_manifests_validates_against_the_official_schema() {
    let o = run(&[
        "config",
        "--format",
        "sarif",
        "examples/manifests/k8s-insecure.yaml",
    ]);
    let sarif = json(&o);
    let Some(errors) = sarif_schema_errors(&sarif) else {
        return;
    };
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let results = sarif["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(results.len(), 29);
    let first = &results[0]["locations"][0]["physicalLocation"];
    assert_eq!(
        first["artifactLocation"]["uri"],
        "examples/manifests/k8s-insecure.yaml"
    );
}

#[test]
fn rules_lists_runtime_rules_and_explains_them() {
    let o = run(&["rules"]);
    let out = stdout(&o);
    assert!(out.contains("RT013"), "{out}");
    let o = run(&["rule", "DockerSock"]);
    let out = stdout(&o);
    assert!(out.contains("RT013"), "{out}");
    assert!(
        out.contains("## Use instead") || out.contains("Use instead"),
        "{out}"
    );
}

/// The public manifests under ../shared/data all read; the only problems
/// are real duplicate keys, and every file that declares containers gets
/// findings.
#[test]
fn real_world_manifests_all_read() {
    let (Some(k8s), Some(compose)) = (shared_data("k8s"), shared_data("compose")) else {
        return;
    };
    let o = run(&[
        "config",
        "--no-build",
        "--format",
        "json",
        &k8s.display().to_string(),
        &compose.display().to_string(),
    ]);
    let report = json(&o);
    let targets = report["targets"].as_array().cloned().unwrap_or_default();
    assert!(targets.len() >= 300, "{}", targets.len());
    for t in &targets {
        for p in t["problems"].as_array().into_iter().flatten() {
            let message = p["message"].as_str().unwrap_or("");
            assert!(
                message.starts_with("duplicate mapping key: "),
                "{}: {message}",
                t["name"]
            );
        }
    }
    let found = rule_lines(&report);
    assert!(found.len() > 2000, "{}", found.len());
    assert!(found.iter().any(|(r, _)| r == "RT013"));
}

/// Directory searches leave out templates and what `--exclude` or the
/// config's `exclude` name; hadolint's and trivy's settings files are read
/// where a project has them.
#[test]
fn exclusions_templates_and_the_settings_of_other_tools() {
    let dir = tmp();
    let d = dir.path();
    let write = |rel: &str, text: &str| {
        let path = d.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
    };
    write("Dockerfile", "FROM debian:12.7\nUSER 10001\nEXPOSE 22\n");
    // A jq template of the kind official images keep: not a Dockerfile.
    write(
        "Dockerfile-linux.template",
        "FROM {{ env.from }}\n{{ include \"x\" }}\n",
    );
    write("testdata/Dockerfile", "FROM debian:12.7\nUSER 10001\n");
    let names = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["dockerfile", "--format", "json"];
        all.extend(args);
        let o = bin()
            .args(&all)
            .current_dir(d)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_ne!(
            o.status.code(),
            Some(2),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let report = json(&o);
        report["targets"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| {
                t["name"]
                    .as_str()
                    .map(|n| n.trim_start_matches("./").to_string())
            })
            .collect()
    };
    assert_eq!(names(&["."]), ["Dockerfile", "testdata/Dockerfile"]);
    assert_eq!(names(&["--exclude", "testdata", "."]), ["Dockerfile"]);
    write(".shipshape.yaml", "exclude: [\"**/testdata/**\"]\n");
    assert_eq!(names(&["."]), ["Dockerfile"]);
    std::fs::remove_file(d.join(".shipshape.yaml")).unwrap_or_else(|e| panic!("{e}"));

    // hadolint's file: ignored rules and a failure threshold.
    let ids = |args: &[&str]| -> (Option<i32>, Vec<String>) {
        let mut all = vec!["dockerfile", "--format", "json"];
        all.extend(args);
        all.push("Dockerfile");
        let o = bin()
            .args(&all)
            .current_dir(d)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        let ids = json(&o)["targets"][0]["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f["rule"].as_str().map(str::to_string))
            .collect();
        (o.status.code(), ids)
    };
    let (code, before) = ids(&[]);
    assert_eq!(code, Some(1));
    assert!(before.iter().any(|id| id == "DF040"), "{before:?}");
    write(
        ".hadolint.yaml",
        "ignored: [DS004]\nfailure-threshold: error\nno-color: true\n",
    );
    let (code, after) = ids(&[]);
    assert!(!after.iter().any(|id| id == "DF040"), "{after:?}");
    // Nothing left at hadolint's `error` (high) or above.
    assert_eq!(code, Some(0), "{after:?}");
}

#[test]
fn a_trivyignore_is_read_where_there_is_no_shipshapeignore() {
    let dir = tmp();
    let d = dir.path();
    std::fs::write(
        d.join("Dockerfile"),
        "FROM debian:12.7\nUSER 10001\nEXPOSE 22\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(d.join(".trivyignore"), "# accepted\nDS004 exp:2999-01-01\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let o = bin()
        .args(["dockerfile", "--format", "json", "Dockerfile"])
        .current_dir(d)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let report = json(&o);
    let text = report.to_string();
    assert!(!text.contains("DF040"), "{text}");
    std::fs::write(d.join(".trivyignore"), "DS004 exp:2001-01-01\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let o = bin()
        .args(["dockerfile", "--format", "json", "Dockerfile"])
        .current_dir(d)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(json(&o).to_string().contains("DF040"));
    assert!(String::from_utf8_lossy(&o.stderr).contains("expired"));
}
