//! Any text as an image config: ImageSpec reads any JSON shape, and the
//! configuration and history rules (which parse `created_by` as shell)
//! never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shipshape_rules::image::{RULES, check};
use shipshape_image::Image;

fuzz_target!(|data: &[u8]| {
    let Ok(config) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let image = Image {
        name: "fuzz".into(),
        spec: shipshape_image::spec::from_config(&config),
        ..Image::default()
    };
    let _ = check(&image, RULES);
});
