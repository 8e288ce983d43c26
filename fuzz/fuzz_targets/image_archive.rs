//! Any bytes as a `docker save` tarball or OCI layout tar: the manifest,
//! index and config JSON, the outer tar and the layers are read without
//! panicking, and every image rule runs on whatever was read.
#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;
use shipshape_image::archive::{ReadOptions, read_image};
use shipshape_image::layer::Limits;
use shipshape_rules::image::{FILE_RULES, RULES, check, wants};

fuzz_target!(|data: &[u8]| {
    let Ok(mut file) = tempfile::NamedTempFile::new() else {
        return;
    };
    if file.write_all(data).is_err() {
        return;
    }
    let options = ReadOptions {
        platform: None,
        limits: Limits {
            max_layer_bytes: 16 << 20,
            max_ratio: 1000,
            max_entries: 10_000,
            max_content: 64 << 10,
            scan_secrets: true,
            ..Limits::default()
        },
        wants: &wants,
    };
    if let Ok(read) = read_image(file.path(), "fuzz", &options) {
        let _ = check(&read.image, RULES);
        let _ = check(&read.image, FILE_RULES);
    }
});
