//! Helpers for rule tests: manifests in, findings out.

use std::collections::HashMap;

use shipshape_core::Finding;

use super::{RULES, Rule, check};

/// Reads `yaml` (compose or Kubernetes, told apart by content, or
/// `docker inspect` JSON) and runs one rule on it.
pub fn findings(rule: &'static Rule, yaml: &str) -> Vec<Finding> {
    // Container rules document themselves with `docker inspect` JSON.
    if yaml.trim_start().starts_with(['{', '[']) {
        let specs = shipshape_runtime::inspect::read_file(yaml)
            .unwrap_or_else(|e| panic!("test inspect JSON does not read: {e}\n{yaml}"));
        return check(&specs, &[rule]);
    }
    let manifest = shipshape_runtime::read(yaml, "manifest.yaml", &HashMap::new())
        .unwrap_or_else(|e| panic!("test manifest does not parse: {e}\n{yaml}"));
    assert!(
        manifest.kind.is_some(),
        "neither compose nor Kubernetes:\n{yaml}"
    );
    assert!(manifest.issues.is_empty(), "{:?}", manifest.issues);
    check(&manifest.specs, &[rule])
}

/// The 1-based lines the rule fired on.
pub fn lines(rule: &'static Rule, yaml: &str) -> Vec<u32> {
    findings(rule, yaml)
        .iter()
        .filter_map(|f| f.location.region().map(|r| r.start.line))
        .collect()
}

pub fn assert_silent(rule: &'static Rule, yaml: &str) {
    let found = findings(rule, yaml);
    assert!(
        found.is_empty(),
        "{} should not fire on:\n{yaml}\nbut found: {:?}",
        rule.meta.id,
        found.iter().map(|f| &f.message).collect::<Vec<_>>()
    );
}

#[test]
fn every_rule_is_documented_and_its_examples_behave() {
    // The Dockerfile rules run here are documented and tested in theirs.
    let problems: Vec<String> = RULES
        .iter()
        .filter(|r| super::is_own(r))
        .flat_map(|rule| {
            rule.meta
                .doc_problems(|code| !findings(rule, code).is_empty())
        })
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn ids_are_unique_and_in_order() {
    let ids: Vec<&str> = RULES
        .iter()
        .filter(|r| super::is_own(r))
        .map(|r| r.meta.id)
        .collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(ids, sorted, "rule ids must be unique and listed in order");
    for id in ids {
        assert!(id.starts_with("RT") && id.len() == 5, "{id}");
    }
    let mut names = std::collections::HashSet::new();
    for rule in RULES.iter().filter(|r| super::is_own(r)) {
        let name = rule.meta.name;
        assert!(
            name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{}: name `{name}` is not kebab-case",
            rule.meta.id
        );
        assert!(names.insert(name), "duplicate name {name}");
    }
}
