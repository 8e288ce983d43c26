//! The Go cataloger on real Go build information (tests/data/go, made by
//! its make.sh with Go 1.19) and, when Go is installed, on every
//! executable of /usr/bin against `go version`.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use common::{data, inventory_of, of, put, row};
use shipshape_packages::golang;

fn hello_rows(path: &str) -> Vec<(String, String, String, String)> {
    vec![
        row(
            path,
            "example.com/hello",
            "(devel)",
            "pkg:golang/example.com/hello@%28devel%29",
        ),
        row(
            path,
            "example.com/uuid-fork",
            "v1.3.1",
            "pkg:golang/example.com/uuid-fork@v1.3.1",
        ),
        row(
            path,
            "github.com/pkg/errors",
            "(devel)",
            "pkg:golang/github.com/pkg/errors@%28devel%29",
        ),
        row(path, "stdlib", "1.19.8", "pkg:golang/stdlib@1.19.8"),
    ]
}

#[test]
fn modules_of_go_binaries_in_a_root_file_system() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    put(root, "usr/local/bin/hello", &data("go/hello.elf"), 0o755);
    put(
        root,
        "usr/local/bin/hello-pointers",
        &data("go/hello-pointers.elf"),
        0o755,
    );
    // Not executable: not read.
    put(root, "srv/hello.copy", &data("go/hello.elf"), 0o644);
    // Executables that are not Go binaries.
    put(
        root,
        "usr/bin/true",
        &std::fs::read("/bin/true").unwrap(),
        0o755,
    );
    put(
        root,
        "usr/bin/hello-rs",
        &data("rust/hello-auditable.elf"),
        0o755,
    );
    put(
        root,
        "usr/bin/script",
        b"#!/bin/sh\necho \xff Go buildinf:\n",
        0o755,
    );

    let inventory = inventory_of(root);
    assert!(inventory.problems.is_empty(), "{:?}", inventory.problems);
    let mut expected = hello_rows("/usr/local/bin/hello");
    expected.extend(hello_rows("/usr/local/bin/hello-pointers"));
    expected.sort();
    assert_eq!(of(&inventory, "golang"), expected);
}

#[test]
fn build_information_as_go_records_it() {
    let info = golang::condense(&data("go/hello.elf")).unwrap();
    assert_eq!(info.go_version, "go1.19.8");
    assert_eq!(info.path.as_deref(), Some("example.com/hello"));
    assert_eq!(info.problem, None);
    let deps: Vec<_> = info
        .deps
        .iter()
        .map(|d| {
            (
                d.path.as_str(),
                d.version.as_str(),
                d.replace.as_ref().map(|r| r.path.as_str()),
            )
        })
        .collect();
    assert_eq!(
        deps,
        [
            (
                "github.com/google/uuid",
                "v1.3.0",
                Some("example.com/uuid-fork")
            ),
            (
                "github.com/pkg/errors",
                "v0.9.1",
                Some("./third_party/errors")
            ),
        ]
    );
    assert!(
        info.settings
            .contains(&("GOARCH".to_string(), "amd64".to_string()))
    );
    assert!(
        info.settings
            .contains(&("-trimpath".to_string(), "true".to_string()))
    );
    // The pointer layout holds the same information.
    assert_eq!(golang::condense(&data("go/hello-pointers.elf")), Some(info));
}

#[test]
fn damaged_build_information_is_a_problem_and_no_package() {
    let bytes = data("go/hello.elf");
    let le64 = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap()) as usize;
    let shentsize = u16::from_le_bytes([bytes[0x3a], bytes[0x3b]]) as usize;
    // Section 1 is .go.buildinfo.
    let header = le64(0x28) + shentsize;
    let offset = le64(header + 0x18);

    // The module information's length (after the header and `\x08go1.19.8`)
    // made longer than the section.
    let mut long = bytes.clone();
    assert_eq!(&long[offset + 32..offset + 41], b"\x08go1.19.8");
    long[offset + 41] = 0xff;
    long[offset + 42] = 0x7f;
    let info = golang::condense(&long).unwrap();
    assert_eq!(
        info.problem.as_deref(),
        Some("module information truncated")
    );

    // The section reaching past the end of the file.
    let mut past = bytes.clone();
    past[header + 0x20..header + 0x28].copy_from_slice(&(1u64 << 40).to_le_bytes());
    let info = golang::condense(&past).unwrap();
    assert!(info.problem.is_some());

    let mut inventory = shipshape_packages::Inventory::default();
    let found = shipshape_packages::Found {
        layer: Some(0),
        path: "/bin/x".into(),
    };
    golang::catalog(&golang::condense(&long).unwrap(), &found, &mut inventory);
    assert!(inventory.packages.is_empty());
    assert_eq!(
        inventory.problems,
        ["/bin/x: Go build information unreadable: module information truncated"]
    );
}

#[test]
fn truncated_and_corrupted_binaries_do_not_panic() {
    for fixture in ["go/hello.elf", "go/hello-pointers.elf"] {
        let bytes = data(fixture);
        for len in 0..bytes.len() {
            let _ = golang::condense(&bytes[..len]);
        }
        let mut flipped = bytes.clone();
        for (i, &original) in bytes.iter().enumerate() {
            flipped[i] = original ^ 0xff;
            let _ = golang::condense(&flipped);
            flipped[i] = original;
        }
    }
}

#[test]
fn a_go_version_that_is_no_release_is_a_problem() {
    let mut inventory = shipshape_packages::Inventory::default();
    let found = shipshape_packages::Found {
        layer: Some(1),
        path: "/bin/x".into(),
    };
    let info = golang::BuildInfo {
        go_version: "devel go1.22-abc123".into(),
        ..Default::default()
    };
    golang::catalog(&info, &found, &mut inventory);
    assert!(inventory.packages.is_empty());
    assert_eq!(
        inventory.problems,
        ["/bin/x: Go binary of unknown Go version (\"devel go1.22-abc123\")"]
    );
}

/// The packages `go version -m` lists for each Go binary under `dir`
/// (symbolic links left out, as an image reader does not follow them):
/// main module, dependencies as linked, and the standard library (none
/// when the Go version is no release).
fn go_version_m(dir: &str) -> Option<BTreeMap<String, BTreeSet<(String, String)>>> {
    let out = Command::new("go")
        .args(["version", "-m", dir])
        .output()
        .ok()?;
    let mut all: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
    let mut current: Option<String> = None;
    let mut last_dep: Option<(String, String)> = None;
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        if let Some(fields) = line.strip_prefix('\t') {
            let Some(set) = current.as_ref().and_then(|c| all.get_mut(c)) else {
                continue;
            };
            let f: Vec<&str> = fields.split('\t').collect();
            let module = (
                f.get(1).unwrap_or(&"").to_string(),
                f.get(2).unwrap_or(&"").to_string(),
            );
            match f[0] {
                "mod" | "dep" => {
                    set.insert(module.clone());
                    last_dep = Some(module);
                }
                "=>" => {
                    let replaced = last_dep.take().unwrap();
                    set.remove(&replaced);
                    if module.0.starts_with("./")
                        || module.0.starts_with("../")
                        || module.0.starts_with('/')
                    {
                        set.insert((replaced.0, "(devel)".into()));
                    } else {
                        set.insert(module);
                    }
                }
                _ => {}
            }
            continue;
        }
        let Some((path, version)) = line.split_once(": ") else {
            continue;
        };
        let symlink = std::fs::symlink_metadata(path)
            .map(|m| m.is_symlink())
            .unwrap_or(true);
        current = None;
        if symlink {
            continue;
        }
        let mut set = BTreeSet::new();
        if let Some(v) = golang::go_semver(version) {
            set.insert(("stdlib".to_string(), v));
        }
        let rel = path.strip_prefix(dir)?.trim_start_matches('/').to_string();
        all.insert(rel.clone(), set);
        current = Some(rel);
    }
    Some(all)
}

/// Every Go binary installed where Debian and other packages put them,
/// against `go version -m`: the same binaries (and no other executable),
/// with the same modules, versions and Go version. Debian builds its Go
/// packages outside module mode (the standard library only); the Google
/// Cloud SDK's binaries, where installed, carry full module lists with
/// replacements.
#[test]
fn installed_go_binaries_against_go_version_m() {
    if !common::have("go") {
        common::missing_peer("go is not installed (apt-get install golang-go)");
        return;
    }
    let mut binaries = 0;
    for dir in [
        "/usr/bin",
        "/usr/local/bin",
        "/usr/lib/go-1.19/bin",
        "/usr/lib/google-cloud-sdk/bin",
    ] {
        if !std::path::Path::new(dir).is_dir() {
            continue;
        }
        let expected = go_version_m(dir).unwrap();
        binaries += expected.len();
        let inventory = inventory_of(std::path::Path::new(dir));
        let mut found: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
        for p in inventory
            .packages
            .iter()
            .filter(|p| p.ecosystem == "golang")
        {
            found
                .entry(p.found.path.trim_start_matches('/').to_string())
                .or_default()
                .insert((p.name.clone(), p.version.clone()));
        }
        // A binary with no package at all is absent from the inventory.
        let expected_found: BTreeMap<_, _> = expected
            .iter()
            .filter(|(_, set)| !set.is_empty())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        assert_eq!(found, expected_found, "{dir}");
        // A Go version that is no release is a problem naming the binary.
        let unknown: BTreeSet<String> = expected
            .iter()
            .filter(|(_, set)| !set.iter().any(|(name, _)| name == "stdlib"))
            .map(|(path, _)| format!("{dir}/{path}"))
            .collect();
        let problems: BTreeSet<String> = inventory
            .problems
            .iter()
            .filter(|p| p.contains("Go "))
            .map(|p| {
                p.split(':')
                    .next()
                    .unwrap()
                    .replacen('/', &format!("{dir}/"), 1)
            })
            .collect();
        assert_eq!(problems, unknown, "{:?}", inventory.problems);
    }
    eprintln!("{binaries} Go binaries compared");
}
