//! Any bytes as a Java archive: the reader never panics, and what it finds
//! turns into packages.
//!
//! Seeds: the war of the cataloger's tests (real Debian jars nested),
//! `cargo fuzz run java_archive corpus/java_archive ../crates/shipshape-packages/tests/data/java`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shipshape_packages::{Found, Inventory, java};

fuzz_target!(|data: &[u8]| {
    let Some(archive) = java::condense("opt/app.war", data) else {
        return;
    };
    let found = Found {
        layer: Some(0),
        path: "/opt/app.war".into(),
    };
    let mut inventory = Inventory::default();
    java::catalog(&archive, &found, &mut inventory);
});
