//! Any text: parsing never panics, and whatever parses lints without
//! panicking (model, variable expansion, shell parsing, every rule).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(file) = shipshape_dockerfile::parse(text) {
        let options = shipshape_rules::dockerfile::Options {
            trusted_registries: vec!["docker.io".into()],
            dockerignore: Some(false),
            label_schema: ["text", "url", "rfc3339", "spdx", "hash", "semver", "email"]
                .iter()
                .filter_map(|t| Some((format!("l.{t}"), t.parse().ok()?)))
                .collect(),
            strict_labels: true,
        };
        let findings = shipshape_rules::dockerfile::lint(&file, "Dockerfile", &options);
        for f in findings {
            if let Some(r) = f.location.region() {
                assert!(r.byte_start <= r.byte_end && r.byte_end <= text.len());
            }
        }
    }
});
