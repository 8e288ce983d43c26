//! Any text as a dpkg status file, an apk installed database and an
//! os-release file: the parsers never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for record in shipshape_packages::dpkg::parse(text, false) {
        assert!(
            !record.name.is_empty() || !record.version.is_empty() || text.contains("Package:")
        );
    }
    let _ = shipshape_packages::apk::parse(text);
    let _ = shipshape_packages::os::parse_os_release(text);
});
