//! The gem cataloger end to end: installed specifications written by
//! RubyGems, and every gem of this machine compared with what `gem list`
//! says about the same gem directories.

mod scan;

use std::collections::BTreeSet;
use std::path::Path;

use scan::{copy_tree, data, output, rows, scan};

#[test]
fn installed_specifications_with_licenses_and_platforms() {
    let inventory = scan(&data("gem"));
    let mut found = rows(&inventory, "gem");
    found.sort_by_key(|r| r.4);
    let expected = vec![
        (
            "json",
            "2.6.1",
            "pkg:gem/json@2.6.1",
            vec!["Ruby"],
            "/usr/lib/ruby/gems/3.1.0/specifications/default/json-2.6.1.gemspec",
        ),
        (
            "rexml",
            "3.2.5",
            "pkg:gem/rexml@3.2.5",
            vec!["BSD-2-Clause"],
            "/usr/lib/ruby/gems/3.1.0/specifications/rexml-3.2.5.gemspec",
        ),
        (
            "fixture-native",
            "1.16.0.rc1",
            "pkg:gem/fixture-native@1.16.0.rc1?platform=x86_64-linux",
            vec!["Apache-2.0"],
            "/usr/local/bundle/specifications/fixture-native-1.16.0.rc1-x86_64-linux.gemspec",
        ),
        (
            "fixture-pure",
            "0.4.1",
            "pkg:gem/fixture-pure@0.4.1",
            vec!["MIT", "Ruby"],
            "/usr/local/bundle/specifications/fixture-pure-0.4.1.gemspec",
        ),
        (
            "rack",
            "2.2.22",
            "pkg:gem/rack@2.2.22",
            vec!["MIT"],
            "/usr/share/rubygems-integration/all/specifications/rack-2.2.22.gemspec",
        ),
    ];
    // Neither the gemspec with a computed version nor the one outside a
    // specifications directory (opt/app/rack.gemspec) is a package.
    assert_eq!(found, expected);
    let native = inventory
        .packages
        .iter()
        .find(|p| p.name == "fixture-native")
        .expect("native gem");
    assert_eq!(native.arch.as_deref(), Some("x86_64-linux"));
    assert_eq!(
        inventory.problems,
        [
            "/var/lib/gems/3.1.0/specifications/computed-1.0.0.gemspec: not an installed gem specification: version is computed (`Computed::VERSION`), not written in the file"
        ]
    );
}

/// `(name, version)` of every gem `gem list --local` lists.
fn gem_list() -> Option<BTreeSet<(String, String)>> {
    let text = output("gem", &["list", "--local"], None)?;
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let Some((name, versions)) = line.split_once(" (") else {
            continue;
        };
        for v in versions.trim_end_matches(')').split(", ") {
            let v = v.trim_start_matches("default: ");
            // `1.16.0 x86_64-linux`: the platform is not the version.
            let v = v.split(' ').next().unwrap_or(v);
            out.insert((name.to_string(), v.to_string()));
        }
    }
    Some(out)
}

#[test]
fn every_gem_of_this_machine_matches_gem_list() {
    let (Some(expected), Some(paths)) = (gem_list(), output("gem", &["env", "gempath"], None))
    else {
        scan::missing_peer("RubyGems is not installed (apt-get install ruby)");
        return;
    };
    let root = tempfile::tempdir().expect("tmp");
    for dir in paths.trim().split(':') {
        let specs = Path::new(dir).join("specifications");
        if specs.is_dir() {
            let inside = root.path().join(dir.trim_start_matches('/'));
            copy_tree(&specs, &inside.join("specifications")).expect("copy");
        }
    }
    let inventory = scan(root.path());
    assert!(inventory.problems.is_empty(), "{:?}", inventory.problems);
    let found: BTreeSet<(String, String)> = inventory
        .packages
        .iter()
        .map(|p| (p.name.clone(), p.version.clone()))
        .collect();
    assert!(expected.len() > 20, "{}", expected.len());
    assert_eq!(found, expected);
}
