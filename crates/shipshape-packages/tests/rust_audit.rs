//! The cargo-auditable cataloger on a real `cargo auditable build`
//! (tests/data/rust, made by its make.sh).

#![allow(clippy::unwrap_used)]

mod common;

use std::io::Write;

use common::{data, inventory_of, of, put, row};
use object::{Object, ObjectSection};
use shipshape_packages::rust_audit;

#[test]
fn crates_io_crates_of_auditable_binaries_in_a_root_file_system() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    put(
        root,
        "usr/local/bin/hello",
        &data("rust/hello-auditable.elf"),
        0o755,
    );
    // Not executable: not read.
    put(
        root,
        "srv/hello.copy",
        &data("rust/hello-auditable.elf"),
        0o644,
    );
    // Executables without a dependency list.
    put(
        root,
        "usr/local/bin/plain",
        &data("rust/hello-plain.elf"),
        0o755,
    );
    put(
        root,
        "usr/bin/true",
        &std::fs::read("/bin/true").unwrap(),
        0o755,
    );
    put(root, "usr/bin/hello-go", &data("go/hello.elf"), 0o755);

    let inventory = inventory_of(root);
    assert!(inventory.problems.is_empty(), "{:?}", inventory.problems);
    let path = "/usr/local/bin/hello";
    assert_eq!(
        of(&inventory, "cargo"),
        [
            row(path, "autocfg", "1.3.0", "pkg:cargo/autocfg@1.3.0"),
            row(path, "hex", "0.4.3", "pkg:cargo/hex@0.4.3"),
            row(path, "itoa", "1.0.11", "pkg:cargo/itoa@1.0.11"),
        ]
    );
}

#[test]
fn the_list_keeps_local_crates_and_the_root() {
    let audit = rust_audit::condense(&data("rust/hello-auditable.elf")).unwrap();
    assert_eq!(audit.problem, None);
    let crates: Vec<_> = audit
        .crates
        .iter()
        .map(|c| {
            (
                c.name.as_str(),
                c.source.as_str(),
                c.kind.as_deref(),
                c.root,
            )
        })
        .collect();
    assert_eq!(
        crates,
        [
            ("autocfg", "crates.io", Some("build"), false),
            ("greeting", "local", None, false),
            ("hello", "local", None, true),
            ("hex", "crates.io", None, false),
            ("itoa", "crates.io", None, false),
        ]
    );
    assert_eq!(rust_audit::condense(&data("rust/hello-plain.elf")), None);
}

/// The fixture with its `.dep-v0` contents replaced (same length).
fn with_section(contents: &[u8]) -> Vec<u8> {
    let mut bytes = data("rust/hello-auditable.elf");
    let file = object::File::parse(bytes.as_slice()).unwrap();
    let (offset, size) = file
        .section_by_name(".dep-v0")
        .unwrap()
        .file_range()
        .unwrap();
    let (offset, size) = (offset as usize, size as usize);
    assert!(contents.len() <= size);
    bytes[offset..offset + size].fill(0);
    bytes[offset..offset + contents.len()].copy_from_slice(contents);
    bytes
}

#[test]
fn a_damaged_list_is_a_problem_and_no_package() {
    let cases: [(&[u8], &str); 2] = [
        (b"garbage", "does not inflate"),
        (
            &zlib(b"{\"version\":1}"),
            "no cargo-auditable dependency list",
        ),
    ];
    for (contents, why) in cases {
        let audit = rust_audit::condense(&with_section(contents)).unwrap();
        assert!(
            audit.problem.as_deref().is_some_and(|p| p.contains(why)),
            "{audit:?}"
        );
        let mut inventory = shipshape_packages::Inventory::default();
        let found = shipshape_packages::Found {
            layer: Some(0),
            path: "/bin/x".into(),
        };
        rust_audit::catalog(&audit, &found, &mut inventory);
        assert!(inventory.packages.is_empty());
        assert_eq!(inventory.problems.len(), 1);
        assert!(inventory.problems[0].starts_with("/bin/x: .dep-v0 "));
    }
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(data).unwrap();
    z.finish().unwrap()
}

#[test]
fn truncated_and_corrupted_binaries_do_not_panic() {
    let bytes = data("rust/hello-auditable.elf");
    for len in 0..bytes.len() {
        let _ = rust_audit::condense(&bytes[..len]);
    }
    let mut flipped = bytes.clone();
    for i in 0..bytes.len() {
        for x in [0xff, 0x01, 0x80] {
            flipped[i] ^= x;
            let _ = rust_audit::condense(&flipped);
            flipped[i] = bytes[i];
        }
    }
}
