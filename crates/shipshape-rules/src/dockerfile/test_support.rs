//! Helpers for rule tests.

use shipshape_core::Finding;

use super::{RULES, Rule};
use crate::dockerfile::lint::{Options, lint_with};
use shipshape_dockerfile::syntax::parser::parse;

/// Lints `src` with one rule and returns the 1-based lines it fired on:
/// for a finding about several places, the line of each.
pub fn lines(rule: &'static Rule, src: &str) -> Vec<u32> {
    lines_given(rule, src, &Options::default())
}

/// [`lines`] with these options.
pub fn lines_given(rule: &'static Rule, src: &str, options: &Options) -> Vec<u32> {
    marked(rule, src, options).into_iter().flatten().collect()
}

/// Per finding, the lines it marks: its own start line, or the line of
/// each place for a finding about several.
pub fn marked(rule: &'static Rule, src: &str, options: &Options) -> Vec<Vec<u32>> {
    findings_with(rule, src, options)
        .iter()
        .map(|f| match f.marks.as_slice() {
            [] => f
                .location
                .region()
                .map(|r| r.start.line)
                .into_iter()
                .collect(),
            marks => marks.iter().map(|m| m.start.line).collect(),
        })
        .collect()
}

/// The messages of the findings of one rule on `src`.
pub fn messages(rule: &'static Rule, src: &str) -> Vec<String> {
    findings_with(rule, src, &Options::default())
        .into_iter()
        .map(|f| f.message)
        .collect()
}

pub fn findings_with(rule: &'static Rule, src: &str, options: &Options) -> Vec<Finding> {
    let file = parse(src).unwrap_or_else(|e| panic!("test Dockerfile does not parse: {e}\n{src}"));
    lint_with(&file, "Dockerfile", options, &[rule])
}

/// Asserts the rule fires on `src`.
pub fn assert_fires(rule: &'static Rule, src: &str) {
    assert!(
        !lines(rule, src).is_empty(),
        "{} should fire on:\n{src}",
        rule.meta.id
    );
}

/// Asserts the rule does not fire on `src`.
pub fn assert_silent(rule: &'static Rule, src: &str) {
    let found = findings_with(rule, src, &Options::default());
    assert!(
        found.is_empty(),
        "{} should not fire on:\n{src}\nbut found: {:?}",
        rule.meta.id,
        found.iter().map(|f| &f.message).collect::<Vec<_>>()
    );
}

/// Options the doc examples are checked with: only Docker Hub is trusted,
/// the build context has no `.dockerignore`, and a strict label schema
/// asks for a source URL and a semantic version.
pub fn doc_options() -> Options {
    Options {
        trusted_registries: vec!["docker.io".to_string()],
        dockerignore: Some(false),
        label_schema: label_schema(),
        strict_labels: true,
    }
}

/// Options with [`label_schema`], strict or not.
pub fn schema_options(strict: bool) -> Options {
    Options {
        label_schema: label_schema(),
        strict_labels: strict,
        ..Options::default()
    }
}

/// The schema of the label rules' tests and examples.
pub fn label_schema() -> Vec<(String, shipshape_dockerfile::labels::LabelType)> {
    use shipshape_dockerfile::labels::LabelType::{Semver, Url};
    vec![
        ("org.opencontainers.image.source".to_string(), Url),
        ("org.opencontainers.image.version".to_string(), Semver),
    ]
}

#[test]
fn every_rule_is_documented_and_its_examples_behave() {
    let problems: Vec<String> = RULES
        .iter()
        .flat_map(|rule| {
            rule.meta
                .doc_problems(|code| !findings_with(rule, code, &doc_options()).is_empty())
        })
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn ids_names_and_aliases_are_unique() {
    let mut seen = std::collections::HashSet::new();
    for rule in RULES {
        assert!(
            seen.insert(rule.meta.id.to_string()),
            "duplicate id {}",
            rule.meta.id
        );
        assert!(
            seen.insert(rule.meta.name.to_string()),
            "duplicate name {}",
            rule.meta.name
        );
        assert!(
            rule.meta.id.starts_with("DF") && rule.meta.id.len() == 5,
            "bad id {}",
            rule.meta.id
        );
    }
    let ids: Vec<&str> = RULES.iter().map(|r| r.meta.id).collect();
    let sorted = {
        let mut s = ids.clone();
        s.sort_unstable();
        s
    };
    assert_eq!(ids, sorted, "the registry lists rules in id order");
}

/// `src` after the fixes of `rule` alone, applied until none is left; the
/// applicability of each fix applied, in order. Panics when a round leaves
/// a file that does not parse, or when the rule still fires with a fix.
pub fn fixed(rule: &'static Rule, src: &str) -> (String, Vec<shipshape_core::Applicability>) {
    let mut text = src.to_string();
    let mut kinds = Vec::new();
    for _ in 0..10 {
        let found = findings_with(rule, &text, &Options::default());
        let fixes: Vec<&shipshape_core::Fix> =
            found.iter().filter_map(|f| f.fix.as_ref()).collect();
        if fixes.is_empty() {
            return (text, kinds);
        }
        let (next, n) = shipshape_core::fix::apply(&text, fixes.iter().copied());
        assert!(n > 0, "fixes that never apply on:\n{text}");
        kinds.extend(fixes.iter().take(n).map(|f| f.applicability));
        parse(&next).unwrap_or_else(|e| panic!("the fixed file does not parse: {e}\n{next}"));
        text = next;
    }
    panic!("the fixes of {} do not converge on:\n{src}", rule.meta.id)
}
