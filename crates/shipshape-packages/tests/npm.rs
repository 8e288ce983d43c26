//! The npm cataloger end to end: a project installed by npm (its
//! node_modules tree and lock files in the three lockfile versions), and
//! npm's own installed tree compared with what `npm query` says about it.

mod scan;

use std::collections::BTreeSet;

use scan::{copy_tree, data, output, rows, scan};

#[test]
fn installed_packages_of_node_modules() {
    let inventory = scan(&data("npm"));
    assert!(inventory.problems.is_empty(), "{:?}", inventory.problems);
    let mut installed: Vec<_> = rows(&inventory, "npm")
        .into_iter()
        .filter(|r| r.4.ends_with("/package.json"))
        .collect();
    installed.sort_by_key(|r| r.4);
    let m = "/app/node_modules";
    let expected: Vec<(&str, &str, &str, Vec<&str>, String)> = vec![
        (
            "@demo/scoped",
            "0.3.0",
            "pkg:npm/%40demo/scoped@0.3.0",
            vec!["(MIT OR Apache-2.0)"],
            format!("{m}/@demo/scoped/package.json"),
        ),
        // Installed under an alias: the package is the one it names.
        (
            "left-pad-demo",
            "2.0.0",
            "pkg:npm/left-pad-demo@2.0.0",
            vec!["ISC"],
            format!("{m}/aliased/package.json"),
        ),
        (
            "alpha-demo",
            "1.0.0",
            "pkg:npm/alpha-demo@1.0.0",
            vec!["MIT"],
            format!("{m}/alpha-demo/package.json"),
        ),
        (
            "left-pad-demo",
            "2.0.0",
            "pkg:npm/left-pad-demo@2.0.0",
            vec!["ISC"],
            format!("{m}/beta-demo/node_modules/left-pad-demo/package.json"),
        ),
        (
            "beta-demo",
            "1.2.0",
            "pkg:npm/beta-demo@1.2.0",
            vec!["Apache-2.0"],
            format!("{m}/beta-demo/package.json"),
        ),
        // A development dependency is still installed.
        (
            "devtool-demo",
            "4.5.6",
            "pkg:npm/devtool-demo@4.5.6",
            vec!["BSD-3-Clause"],
            format!("{m}/devtool-demo/package.json"),
        ),
        (
            "left-pad-demo",
            "1.0.0",
            "pkg:npm/left-pad-demo@1.0.0",
            vec!["MIT"],
            format!("{m}/left-pad-demo/package.json"),
        ),
        (
            "old-license-object",
            "0.1.0",
            "pkg:npm/old-license-object@0.1.0",
            vec!["BSD-2-Clause"],
            format!("{m}/old-license-object/package.json"),
        ),
        (
            "old-licenses-array",
            "0.2.0",
            "pkg:npm/old-licenses-array@0.2.0",
            vec!["MIT", "GPL-2.0"],
            format!("{m}/old-licenses-array/package.json"),
        ),
    ];
    let expected: Vec<_> = expected
        .iter()
        .map(|(n, v, p, l, path)| (*n, *v, *p, l.clone(), path.as_str()))
        .collect();
    // Neither the project's package.json, nor its workspace's, nor the
    // linked workspace under node_modules is an installed package.
    assert_eq!(installed, expected);
}

/// The packages every lock file of the fixture project lists.
const LOCKED: [(&str, &str); 9] = [
    ("@demo/scoped", "0.3.0"),
    ("alpha-demo", "1.0.0"),
    ("beta-demo", "1.2.0"),
    ("devtool-demo", "4.5.6"),
    ("left-pad-demo", "1.0.0"),
    ("left-pad-demo", "2.0.0"),
    ("left-pad-demo", "2.0.0"),
    ("old-license-object", "0.1.0"),
    ("old-licenses-array", "0.2.0"),
];

#[test]
fn lock_files_of_each_version() {
    let inventory = scan(&data("npm"));
    for path in [
        "/lock-v1/package-lock.json",
        "/lock-v2/package-lock.json",
        "/app/package-lock.json",
    ] {
        let mut locked: Vec<(&str, &str)> = rows(&inventory, "npm")
            .into_iter()
            .filter(|r| r.4 == path)
            .map(|r| (r.0, r.1))
            .collect();
        locked.sort();
        assert_eq!(locked, LOCKED, "{path}");
    }
    // Versions 2 and 3 record licenses (npm writes the old object form as
    // its type, and leaves out the old array); version 1 does not.
    let licenses = |path: &str| -> BTreeSet<(String, Vec<String>)> {
        inventory
            .packages
            .iter()
            .filter(|p| p.found.path == path)
            .map(|p| (p.name.clone(), p.licenses.clone()))
            .collect()
    };
    let v3 = licenses("/app/package-lock.json");
    assert!(v3.contains(&("@demo/scoped".into(), vec!["(MIT OR Apache-2.0)".into()])));
    assert!(v3.contains(&("old-license-object".into(), vec!["BSD-2-Clause".into()])));
    assert!(v3.contains(&("old-licenses-array".into(), vec![])));
    assert_eq!(v3, licenses("/lock-v2/package-lock.json"));
    assert!(
        licenses("/lock-v1/package-lock.json")
            .iter()
            .all(|(_, l)| l.is_empty())
    );
    let purls: BTreeSet<&str> = inventory
        .packages
        .iter()
        .filter(|p| p.found.path == "/lock-v1/package-lock.json")
        .map(|p| p.purl.as_str())
        .collect();
    assert!(purls.contains("pkg:npm/%40demo/scoped@0.3.0"));
    assert!(purls.contains("pkg:npm/left-pad-demo@2.0.0"));
    // The hidden lock file in node_modules is not read, nor the project.
    assert!(inventory.packages.iter().all(|p| {
        !p.found.path.contains(".package-lock.json")
            && p.name != "demo-app"
            && p.name != "local-lib"
    }));
    assert_eq!(inventory.packages.len(), 9 + 3 * 9);
}

#[test]
fn a_lock_file_larger_than_the_content_limit_is_condensed() {
    // The content limit is 1 MiB; lock files are condensed whatever their
    // size, so a large one is not lost.
    let root = tempfile::tempdir().expect("tmp");
    let mut packages = serde_json::Map::new();
    for i in 0..12_000 {
        packages.insert(
            format!("node_modules/pkg-{i:05}"),
            serde_json::json!({
                "version": "1.0.0",
                "resolved": format!("https://registry.npmjs.org/pkg-{i:05}/-/pkg-{i:05}-1.0.0.tgz"),
                "integrity": "sha512-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",
                "license": "MIT"
            }),
        );
    }
    let lock = serde_json::json!({"name": "big", "lockfileVersion": 3, "packages": packages});
    let bytes = serde_json::to_vec_pretty(&lock).expect("json");
    assert!(bytes.len() > 2 << 20, "{}", bytes.len());
    std::fs::write(root.path().join("package-lock.json"), bytes).expect("write");
    let inventory = scan(root.path());
    assert!(inventory.problems.is_empty(), "{:?}", inventory.problems);
    assert_eq!(inventory.packages.len(), 12_000);
}

#[test]
fn npm_own_tree_matches_npm_query() {
    let Some(npm_root) = output("npm", &["root", "-g"], None) else {
        scan::missing_peer("npm is not installed (apt-get install npm)");
        return;
    };
    let npm_dir = std::path::Path::new(npm_root.trim()).join("npm");
    let Some(query) = output("npm", &["query", "*"], Some(&npm_dir)) else {
        scan::missing_peer("npm query does not run here");
        return;
    };
    let listed: Vec<serde_json::Value> = serde_json::from_str(&query).expect("npm query json");
    let expected: BTreeSet<(String, String)> = listed
        .iter()
        .filter_map(|p| {
            Some((
                p["name"].as_str()?.to_string(),
                p["version"].as_str()?.to_string(),
            ))
        })
        .collect();
    assert!(expected.len() > 100, "{}", expected.len());

    let root = tempfile::tempdir().expect("tmp");
    copy_tree(&npm_dir, &root.path().join("usr/lib/node_modules/npm")).expect("copy");
    let inventory = scan(root.path());
    assert!(inventory.problems.is_empty(), "{:?}", inventory.problems);
    let found: BTreeSet<(String, String)> = inventory
        .packages
        .iter()
        .map(|p| (p.name.clone(), p.version.clone()))
        .collect();
    assert_eq!(found, expected);
    assert_eq!(inventory.packages.len(), listed.len(), "one entry each");
}
