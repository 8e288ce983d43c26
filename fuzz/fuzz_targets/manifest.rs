//! Any text as a manifest: reading never panics or hangs (the YAML budget
//! bounds aliases, depth and size), compose interpolation and both readers
//! cope with any shape, and every rule runs on whatever was read, with
//! findings inside the text.
#![no_main]

use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;
use shipshape_rules::runtime::{RULES, check};
use shipshape_rules::runtime::suppress::Suppressions;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let vars = HashMap::from([("TAG".to_string(), "1".to_string())]);
    for name in ["compose.yaml", "deploy.yaml"] {
        let Ok(manifest) = shipshape_runtime::read(text, name, &vars) else {
            continue;
        };
        let mut findings = check(&manifest.specs, RULES);
        Suppressions::parse(text).apply(&mut findings);
        for f in findings {
            if let Some(r) = f.location.region() {
                assert!(r.byte_start <= r.byte_end && r.byte_end <= text.len());
            }
        }
        for issue in manifest.issues {
            if let Some(r) = issue.at {
                assert!(r.byte_end <= text.len());
            }
        }
    }
});
