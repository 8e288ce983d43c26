//! Any bytes as an rpm header blob: the parser never panics, and every
//! value it hands out lies inside the blob.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shipshape_packages::rpm::{Record, header};

fuzz_target!(|data: &[u8]| {
    if let Ok(h) = header::parse(data) {
        // The tags the cataloger reads, and the first entry's own tag.
        let first = data
            .get(8..12)
            .map_or(0, |b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
        for tag in (1000..1050).chain([5096, first]) {
            let strings = h.strings(tag);
            assert!(strings.iter().map(|s| s.len() + 1).sum::<usize>() <= data.len());
            assert!(h.int32s(tag).len() * 4 <= data.len());
            assert_eq!(h.string(tag), strings.first().cloned());
            let _ = h.int32(tag);
        }
    }
    if let Ok(r) = Record::from_header(data) {
        assert!(!r.name.is_empty() && !r.version.is_empty() && !r.release.is_empty());
    }
});
