//! The Python cataloger end to end: fixture trees read as a root file
//! system, and this machine's installed distributions compared with what
//! `pip list` says about the same directories.

mod scan;

use std::collections::BTreeSet;
use std::path::Path;

use scan::{copy_tree, data, output, rows, scan};
use shipshape_core::inventory::pep503 as normalize;

#[test]
fn fixture_distributions_with_names_versions_licenses_and_purls() {
    let inventory = scan(&data("python"));
    let debian = "/usr/lib/python3/dist-packages";
    let pip = "/usr/local/lib/python3.11/site-packages";
    let mut found = rows(&inventory, "pypi");
    found.sort();
    let expected = [
        (
            "attrs",
            "25.3.0",
            "pkg:pypi/attrs@25.3.0",
            vec!["MIT"],
            format!("{pip}/attrs-25.3.0.dist-info/METADATA"),
        ),
        (
            "cryptography",
            "38.0.4",
            "pkg:pypi/cryptography@38.0.4",
            vec!["BSD-3-Clause OR Apache-2.0"],
            // The same distribution's egg-info beside it is not a second one.
            format!("{debian}/cryptography-38.0.4.dist-info/METADATA"),
        ),
        (
            "jaraco-functools",
            "4.1.0",
            "pkg:pypi/jaraco-functools@4.1.0",
            vec!["MIT License"],
            format!("{pip}/jaraco.functools-4.1.0.dist-info/METADATA"),
        ),
        (
            "packaging",
            "24.2",
            "pkg:pypi/packaging@24.2",
            vec!["Apache Software License", "BSD License"],
            format!("{pip}/packaging-24.2.dist-info/METADATA"),
        ),
        (
            "python-dateutil",
            "2.9.0.post0",
            "pkg:pypi/python-dateutil@2.9.0.post0",
            vec!["Dual License"],
            format!("{pip}/python_dateutil-2.9.0.post0.dist-info/METADATA"),
        ),
        (
            "pyyaml",
            "6.0",
            "pkg:pypi/pyyaml@6.0",
            vec!["MIT"],
            format!("{debian}/PyYAML-6.0.dist-info/METADATA"),
        ),
        (
            "rpm",
            "4.18.0",
            "pkg:pypi/rpm@4.18.0",
            vec!["GNU General Public License v2"],
            format!("{debian}/rpm-4.18.0.egg-info"),
        ),
        (
            "six",
            "1.16.0",
            "pkg:pypi/six@1.16.0",
            vec!["MIT"],
            format!("{debian}/six-1.16.0.egg-info/PKG-INFO"),
        ),
        (
            "six",
            "1.16.0",
            "pkg:pypi/six@1.16.0",
            vec!["MIT"],
            format!("{pip}/six-1.16.0.dist-info/METADATA"),
        ),
        (
            "traitlets",
            "5.15.0",
            "pkg:pypi/traitlets@5.15.0",
            // Its License header is the whole license text.
            vec!["BSD License"],
            format!("{pip}/traitlets-5.15.0.dist-info/METADATA"),
        ),
        (
            "typing-extensions",
            "4.13.2",
            "pkg:pypi/typing-extensions@4.13.2",
            vec!["PSF-2.0"],
            format!("{pip}/typing_extensions-4.13.2.dist-info/METADATA"),
        ),
    ];
    let expected: Vec<_> = expected
        .iter()
        .map(|(n, v, p, l, path)| (*n, *v, *p, l.clone(), path.as_str()))
        .collect();
    assert_eq!(found, expected);
    assert_eq!(
        inventory.problems,
        [
            "/opt/broken/site-packages/noversion-1.0.dist-info/METADATA: not Python package metadata: no Version header"
        ]
    );
    assert!(inventory.packages.iter().all(|p| p.ecosystem == "pypi"));
}

/// `(normalized name, version)` of every distribution `pip list` finds in
/// `dir`, or `None` when pip cannot be run.
fn pip_list(dir: &Path) -> Option<BTreeSet<(String, String)>> {
    let dir = dir.to_str()?;
    let json = output(
        "python3",
        &["-m", "pip", "list", "--path", dir, "--format", "json"],
        None,
    )?;
    let list: Vec<serde_json::Value> = serde_json::from_str(&json).ok()?;
    Some(
        list.iter()
            .filter_map(|d| {
                Some((
                    normalize(d["name"].as_str()?),
                    d["version"].as_str()?.to_string(),
                ))
            })
            .collect(),
    )
}

#[test]
fn every_distribution_of_this_machine_matches_pip_list() {
    let mut dirs = vec![std::path::PathBuf::from("/usr/lib/python3/dist-packages")];
    if let Some(purelib) = output(
        "python3",
        &[
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        ],
        None,
    ) {
        dirs.push(purelib.trim().into());
    }
    let mut compared = 0;
    for dir in dirs.iter().filter(|d| d.is_dir()) {
        let Some(expected) = pip_list(dir) else {
            continue;
        };
        // The metadata of each distribution, in a root file system of its own.
        let root = tempfile::tempdir().expect("tmp");
        let site = root.path().join("site-packages");
        std::fs::create_dir_all(&site).expect("mkdir");
        for entry in std::fs::read_dir(dir).expect("list").flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".dist-info") || name.ends_with(".egg-info") {
                let target = site.join(&name);
                if entry.path().is_dir() {
                    copy_tree(&entry.path(), &target).expect("copy");
                } else {
                    std::fs::copy(entry.path(), &target).expect("copy");
                }
            }
        }
        let inventory = scan(root.path());
        assert!(inventory.problems.is_empty(), "{:?}", inventory.problems);
        let found: BTreeSet<(String, String)> = inventory
            .packages
            .iter()
            .map(|p| (p.name.clone(), p.version.clone()))
            .collect();
        assert_eq!(found, expected, "{}", dir.display());
        assert_eq!(inventory.packages.len(), expected.len(), "one entry each");
        compared += expected.len();
    }
    if compared == 0 {
        scan::missing_peer("no pip, or pip lists no installed distribution here");
    }
}
