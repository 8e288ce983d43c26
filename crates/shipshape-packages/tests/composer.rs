//! The Composer cataloger end to end: the files Composer 2 wrote for a
//! project (composer.lock, vendor/composer/installed.json) and a
//! Composer 1 installed.json.

mod scan;

use scan::{data, rows, scan};

#[test]
fn installed_and_locked_packages_of_composer_1_and_2() {
    let inventory = scan(&data("composer"));
    assert!(inventory.problems.is_empty(), "{:?}", inventory.problems);
    let mut found = rows(&inventory, "composer");
    found.sort_by(|a, b| (a.4, a.0).cmp(&(b.4, b.0)));
    let dual = (
        "acme/dual-licensed",
        "2.0.0",
        "pkg:composer/acme/dual-licensed@2.0.0",
        vec!["MIT", "GPL-2.0-or-later"],
    );
    let dev = (
        "acme/dev-tool",
        "0.9.0",
        "pkg:composer/acme/dev-tool@0.9.0",
        vec!["BSD-3-Clause"],
    );
    // The tag's `v` is kept as written.
    let client = (
        "acme/http-client",
        "v1.2.3",
        "pkg:composer/acme/http-client@v1.2.3",
        vec!["MIT"],
    );
    let mut expected = Vec::new();
    for path in [
        "/app/composer.lock",
        "/app/vendor/composer/installed.json",
        "/composer1/vendor/composer/installed.json",
    ] {
        for (name, version, purl, licenses) in [&dev, &dual, &client] {
            expected.push((*name, *version, *purl, licenses.clone(), path));
        }
    }
    // The project's own composer.json (acme/app) is not a dependency.
    assert_eq!(found, expected);
}

#[test]
fn a_broken_lock_file_is_a_problem_naming_it() {
    let root = tempfile::tempdir().expect("tmp");
    std::fs::write(root.path().join("composer.lock"), "{\"packages\": [").expect("write");
    let inventory = scan(root.path());
    assert!(inventory.packages.is_empty());
    assert_eq!(inventory.problems.len(), 1);
    assert!(
        inventory.problems[0].starts_with("/composer.lock: not a Composer package list"),
        "{:?}",
        inventory.problems
    );
}
