//! Any text as a packed list, entry or severity list (the forms the
//! advisory database keeps for the matcher): decoding never panics, and a
//! list that decodes encodes back to one that decodes to the same items.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shipshape_vuln::packed;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(items) = packed::strings(text) {
        let again = packed::list(items.iter().map(String::as_str));
        assert_eq!(packed::strings(&again).ok(), Some(items));
    }
    if let Ok((ranges, versions)) = packed::unpack_entry(text) {
        // Every event belongs to a range that came before it.
        assert!(ranges.iter().all(|r| r.events.len() <= text.len()));
        assert!(versions.len() <= text.len());
    }
    if let Ok(list) = packed::unpack_severities(text) {
        let again = packed::severities(&list);
        assert_eq!(packed::unpack_severities(&again).ok(), Some(list));
    }
});
