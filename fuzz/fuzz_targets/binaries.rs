//! Any bytes as an executable: the Go build information and the
//! cargo-auditable dependency list readers never panic, and what they
//! condense turns into packages without panicking either. The same bytes
//! also go to the module-information and dependency-list parsers directly,
//! and to the version-string classifiers under each program's file name.
//!
//! Seeds: the real binaries of the cataloger's tests,
//! `cargo fuzz run binaries corpus/binaries ../crates/shipshape-packages/tests/data/go ../crates/shipshape-packages/tests/data/rust`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shipshape_packages::{Found, Inventory, binary, golang, rust_audit};

fuzz_target!(|data: &[u8]| {
    let found = Found {
        layer: Some(0),
        path: "/bin/x".into(),
    };
    let mut inventory = Inventory::default();
    if let Some(info) = golang::condense(data) {
        golang::catalog(&info, &found, &mut inventory);
    }
    if let Some(audit) = rust_audit::condense(data) {
        rust_audit::catalog(&audit, &found, &mut inventory);
    }
    let text = String::from_utf8_lossy(data);
    let info = golang::parse_modinfo(&text);
    golang::catalog(&info, &found, &mut inventory);
    let _ = golang::go_semver(&text);
    let _ = rust_audit::decode(data);
    for path in [
        "bin/busybox",
        "usr/bin/openssl",
        "usr/lib/libssl.so.3",
        "usr/bin/curl",
        "usr/sbin/nginx",
        "usr/lib/postgresql/16/bin/postgres",
        "usr/local/bin/node",
        "usr/local/bin/python3.12",
    ] {
        if let Some(found) = binary::classify(path, data) {
            assert!(found.version.len() <= 40, "{found:?}");
        }
    }
    let _ = binary::java_release(&text);
});
