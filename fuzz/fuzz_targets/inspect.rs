//! Any text as a saved `docker inspect`: reading never panics, and every
//! runtime rule runs on whatever containers were read.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shipshape_runtime::inspect;
use shipshape_rules::runtime::{RULES, check};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(specs) = inspect::read_file(text) {
        let _ = check(&specs, RULES);
    }
});
