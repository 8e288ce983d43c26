//! Helpers for rule tests: an image config in, findings out.

use shipshape_core::Finding;

use super::{FILE_RULES, RULES, Rule, check};
use shipshape_image::{Image, ImageSpec};

/// An image named `example/app:1.0` with the config `json`.
/// An image with the config `json`, named by the config's `RepoTags[0]`
/// (as `docker image inspect` shows it) or else `example/app:1.0`.
pub fn image(json: &str) -> Image {
    let tag = serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|v| {
            v.pointer("/RepoTags/0")
                .and_then(|t| t.as_str())
                .map(str::to_string)
        });
    image_named(tag.as_deref().unwrap_or("example/app:1.0"), json)
}

pub fn image_named(name: &str, json: &str) -> Image {
    let config: serde_json::Value = serde_json::from_str(json)
        .unwrap_or_else(|e| panic!("test config is not JSON: {e}\n{json}"));
    let mut spec = shipshape_image::spec::from_config(&config);
    spec.reference = Some(name.to_string());
    // The outcome of a signature check, which no config holds: given in
    // the test input as `"signature": {"verified": .., "detail": ..}`.
    if let Some(sig) = config.get("signature") {
        spec.signature = Some(shipshape_image::spec::SignatureCheck {
            verified: sig["verified"].as_bool().unwrap_or(false),
            detail: sig["detail"].as_str().unwrap_or("").to_string(),
        });
    }
    Image {
        name: name.to_string(),
        spec,
        ..Image::default()
    }
}

/// An image whose files are given as a listing, one per line:
/// `MODE UID:GID PATH`, then optionally ` -> TARGET` (a symbolic link) or
/// ` = CONTENT` (a file's contents, `\n` for new lines). A path ending in
/// `/` is a directory.
pub fn files(listing: &str) -> Image {
    use shipshape_image::files::{Entry, FileIndex, Kind};
    let mut index = FileIndex::default();
    for line in listing.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (head, content) = match line.split_once(" = ") {
            Some((h, c)) => (h, Some(c.replace("\\n", "\n").into_bytes())),
            None => (line, None),
        };
        let (head, target) = match head.split_once(" -> ") {
            Some((h, t)) => (h, Some(t.to_string())),
            None => (head, None),
        };
        let mut parts = head.splitn(3, ' ');
        let mode = u32::from_str_radix(parts.next().unwrap_or("644"), 8)
            .unwrap_or_else(|e| panic!("bad mode in `{line}`: {e}"));
        let (uid, gid) = parts
            .next()
            .and_then(|o| o.split_once(':'))
            .unwrap_or_else(|| panic!("no UID:GID in `{line}`"));
        let path = parts
            .next()
            .unwrap_or_else(|| panic!("no path in `{line}`"));
        let kind = match (&target, path.ends_with('/')) {
            (Some(t), _) => Kind::Symlink(t.clone()),
            (None, true) => Kind::Dir,
            (None, false) => Kind::File,
        };
        index.insert(
            path.trim_end_matches('/').to_string(),
            Entry {
                kind,
                mode,
                uid: uid.parse().unwrap_or(0),
                gid: gid.parse().unwrap_or(0),
                size: content.as_ref().map_or(0, |c| c.len() as u64),
                layer: 0,
                content,
                condensed: None,
                unread: None,
            },
        );
    }
    let mut found = Vec::new();
    for (path, entry) in index.iter() {
        if let Some(content) = &entry.content
            && !shipshape_image::secrets::allowed(path)
        {
            found.extend(
                shipshape_image::secrets::scan_bytes(content)
                    .into_iter()
                    .map(|hit| shipshape_image::FoundSecret {
                        layer: None,
                        path: path.to_string(),
                        hit,
                    }),
            );
        }
    }
    Image {
        name: "example/app:1.0".to_string(),
        secrets: found,
        spec: ImageSpec {
            user: "10001".into(),
            healthcheck: Some(vec!["CMD".into(), "true".into()]),
            reference: Some("example/app:1.0".into()),
            ..ImageSpec::default()
        },
        files: index,
        ..Image::default()
    }
}

/// Runs one rule on an image given as a config (JSON, starting with `{`)
/// or as a file listing (see [`files`]).
pub fn findings(rule: &'static Rule, input: &str) -> Vec<Finding> {
    if input.trim_start().starts_with('{') {
        check(&image(input), &[rule])
    } else {
        check(&files(input), &[rule])
    }
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
    // The Dockerfile rules run here are documented and tested in theirs.
    let problems: Vec<String> = RULES
        .iter()
        .chain(FILE_RULES)
        .filter(|r| super::is_own(r))
        .flat_map(|rule| {
            rule.meta
                .doc_problems(|code| !findings(rule, code).is_empty())
        })
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn ids_and_names_are_unique_and_in_order() {
    let own = || RULES.iter().chain(FILE_RULES).filter(|r| super::is_own(r));
    let ids: Vec<&str> = own().map(|r| r.meta.id).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(ids, sorted, "rule ids must be unique and listed in order");
    let mut names = std::collections::HashSet::new();
    for rule in own() {
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
