//! Helpers for rule tests: an image config in, findings out.

use shipshape_core::{Finding, RuleDoc};

use super::{RULES, Rule, check};
use crate::{Image, ImageSpec};

/// An image named `example/app:1.0` with the config `json`.
pub fn image(json: &str) -> Image {
    image_named("example/app:1.0", json)
}

pub fn image_named(name: &str, json: &str) -> Image {
    let config: serde_json::Value = serde_json::from_str(json)
        .unwrap_or_else(|e| panic!("test config is not JSON: {e}\n{json}"));
    let mut spec = ImageSpec::from_config(&config);
    spec.reference = Some(name.to_string());
    Image {
        name: name.to_string(),
        spec,
        layers: Vec::new(),
    }
}

pub fn findings(rule: &'static Rule, json: &str) -> Vec<Finding> {
    check(&image(json), &[rule])
}

pub fn assert_silent(rule: &'static Rule, json: &str) {
    let found = findings(rule, json);
    assert!(
        found.is_empty(),
        "{} should not fire on:\n{json}\nbut found: {:?}",
        rule.meta.id,
        found.iter().map(|f| &f.message).collect::<Vec<_>>()
    );
}

#[test]
fn every_rule_is_documented_and_its_examples_behave() {
    let mut problems = Vec::new();
    for rule in RULES {
        let meta = &rule.meta;
        let md = meta.markdown();
        let doc = RuleDoc::parse(&md);
        for (name, section) in [
            ("What it does", doc.what_it_does),
            ("Why is this bad?", doc.why_bad),
            ("Example", doc.example),
            ("Use instead", doc.use_instead),
            ("References", doc.references),
        ] {
            if section.is_empty() {
                problems.push(format!("{}: doc has no `## {name}` section", meta.id));
            }
        }
        let fires = |code: &str| !findings(rule, code).is_empty();
        match RuleDoc::code_block(doc.example) {
            Some(code) if fires(code) => {}
            Some(_) => problems.push(format!("{}: the Example does not fire", meta.id)),
            None => problems.push(format!("{}: the Example has no code block", meta.id)),
        }
        match RuleDoc::code_block(doc.use_instead) {
            Some(code) if !fires(code) => {}
            Some(_) => problems.push(format!("{}: the `Use instead` example fires", meta.id)),
            None => problems.push(format!("{}: `Use instead` has no code block", meta.id)),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn ids_and_names_are_unique_and_in_order() {
    let ids: Vec<&str> = RULES.iter().map(|r| r.meta.id).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(ids, sorted, "rule ids must be unique and listed in order");
    let mut names = std::collections::HashSet::new();
    for rule in RULES {
        assert!(
            rule.meta.id.starts_with("IM") && rule.meta.id.len() == 5,
            "{}",
            rule.meta.id
        );
        let name = rule.meta.name;
        assert!(
            name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{name}"
        );
        assert!(names.insert(name), "duplicate name {name}");
    }
}
