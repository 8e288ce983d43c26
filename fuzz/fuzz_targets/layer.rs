//! Any bytes as a layer blob (plain tar, gzip or zstd by magic): reading
//! never panics, stays within its limits, and never yields a path with
//! `..` or a leading `/`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shipshape_image::layer::{Change, Limits, read_layer};

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_layer_bytes: 16 << 20,
        max_ratio: 1000,
        max_entries: 10_000,
        max_content: 64 << 10,
        scan_secrets: true,
        ..Limits::default()
    };
    if let Ok(read) = read_layer(data, 0, limits, &|_: &str| true) {
        for change in read.changes {
            let path = match &change {
                Change::Put(p, _) | Change::Delete(p) | Change::Opaque(p) => p,
            };
            assert!(!path.starts_with('/'));
            assert!(!path.split('/').any(|part| part == ".."));
        }
    }
});
