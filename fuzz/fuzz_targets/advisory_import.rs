//! Any bytes as a Debian security tracker export and as an Alpine secdb
//! (JSON and YAML), converted without touching disk: the converters never
//! panic, and every record they make is valid OSV that survives a round
//! trip, names a package in the feed's ecosystem, and never says `fixed 0`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shipshape_vuln::import::{Converted, alpine, debian};
use shipshape_vuln::osv::{self, Event};

fn check(converted: Converted, prefix: &str) {
    for record in &converted.records {
        assert!(!record.id.trim().is_empty());
        assert_eq!(record.affected.len(), 1);
        for entry in &record.affected {
            let package = entry.package.as_ref().expect("a package");
            assert!(package.ecosystem.starts_with(prefix), "{}", package.ecosystem);
            assert!(!package.name.trim().is_empty());
            assert!(!entry.ranges.is_empty());
            for range in &entry.ranges {
                assert!(
                    !range
                        .events
                        .iter()
                        .any(|e| matches!(e, Event::Fixed(v) if v.trim() == "0" || v.trim().is_empty()))
                );
            }
        }
        let json = serde_json::to_vec(record).expect("a record serializes");
        let again = osv::parse(&json, "round trip").expect("a converted record is valid OSV");
        assert_eq!(&again, record);
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(converted) = debian::debian_tracker(data, "fuzz.json") {
        check(converted, "Debian:");
    }
    if let Ok(converted) = alpine::alpine_secdb(data, "fuzz.json") {
        check(converted, "Alpine:");
    }
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(converted) = alpine::alpine_secdb_yaml(text, "fuzz.yaml")
    {
        check(converted, "Alpine:");
    }
});
