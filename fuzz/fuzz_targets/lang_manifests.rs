//! Any bytes as the manifests of the language catalogers: Python core
//! metadata, an npm package.json and package-lock.json, a Ruby gemspec,
//! and a Composer installed.json or composer.lock. The parsers never
//! panic, and what they accept has a name and a version.
//!
//! Seed it with the fixtures: copy the files under
//! `crates/shipshape-packages/tests/data/` into `corpus/lang_manifests/`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shipshape_packages::{composer, gem, npm, python};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);

    if let Ok(dist) = python::parse(&text) {
        assert!(!dist.name.is_empty() && !dist.version.is_empty());
        let name = shipshape_core::inventory::pep503(&dist.name);
        assert_eq!(shipshape_core::inventory::pep503(&name), name);
    }
    if let Ok(spec) = gem::parse(&text) {
        assert!(!spec.name.is_empty() && !spec.version.is_empty());
    }
    if let Ok(manifest) = npm::parse_manifest(data) {
        assert!(!manifest.name.is_empty() && !manifest.version.is_empty());
    }
    let lock = npm::parse_lock(data);
    assert!(
        lock.packages
            .iter()
            .all(|p| !p.name.is_empty() && !p.version.is_empty())
    );
    let listed = composer::parse(data);
    assert!(
        listed
            .packages
            .iter()
            .all(|p| p.name.contains('/') && !p.version.is_empty())
    );

    // The same bytes as a path: the path tests never panic either.
    let _ = python::wants(&text)
        || npm::wants(&text)
        || gem::wants(&text)
        || npm::condenses(&text)
        || composer::condenses(&text);
});
