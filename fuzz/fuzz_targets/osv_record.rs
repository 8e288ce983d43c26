//! Any bytes as an OSV record: the parser never panics, a record it
//! accepts survives a round trip, and range evaluation never panics, even
//! with a comparator that is not a total order. With a consistent
//! comparator every fix it reports is above the installed version.
#![no_main]

use std::cmp::Ordering;

use libfuzzer_sys::fuzz_target;
use shipshape_vuln::osv::{self, RangeKind};
use shipshape_vuln::range::{Verdict, affected};

/// Dotted numbers; anything else is an error.
fn dotted(a: &str, b: &str) -> Result<Ordering, String> {
    let parse = |v: &str| -> Result<Vec<u64>, String> {
        v.split('.')
            .map(|p| p.parse::<u64>().map_err(|_| format!("not a number: {v}")))
            .collect()
    };
    let (a, b) = (parse(a)?, parse(b)?);
    for i in 0..a.len().max(b.len()) {
        let (x, y) = (a.get(i).unwrap_or(&0), b.get(i).unwrap_or(&0));
        if x != y {
            return Ok(x.cmp(y));
        }
    }
    Ok(Ordering::Equal)
}

/// Not an order at all: the answer depends on the lengths' parity.
fn chaotic(a: &str, b: &str) -> Result<Ordering, String> {
    match (a.len() + 2 * b.len()) % 4 {
        0 => Ok(Ordering::Less),
        1 => Ok(Ordering::Equal),
        2 => Ok(Ordering::Greater),
        _ => Err("refused".to_string()),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(record) = osv::parse(data, "fuzz.json") else {
        return;
    };
    let json = serde_json::to_vec(&record).expect("a parsed record serializes");
    let again = osv::parse(&json, "round trip").expect("a written record parses");
    assert_eq!(again, record);

    for entry in record.affected.iter().take(8) {
        let mut installed: Vec<&str> = vec!["0", "1.0", "2.5.1"];
        installed.extend(entry.ranges.iter().flat_map(|r| r.events.iter().map(|e| e.version())).take(16));
        installed.extend(entry.versions.iter().map(String::as_str).take(4));
        for v in installed {
            let _ = affected(entry, v, &chaotic);
            match affected(entry, v, &dotted) {
                Ok(Verdict::Affected(remedy)) => {
                    for f in &remedy.fixed {
                        assert_eq!(dotted(v, f), Ok(Ordering::Less), "fix {f} for {v}");
                    }
                    for l in &remedy.last_affected {
                        assert_ne!(dotted(v, l), Ok(Ordering::Greater), "bound {l} for {v}");
                    }
                }
                Ok(Verdict::NotEvaluated { .. }) => {
                    assert!(entry.versions.is_empty());
                    assert!(
                        !entry
                            .ranges
                            .iter()
                            .any(|r| matches!(r.kind, RangeKind::Semver | RangeKind::Ecosystem))
                    );
                }
                Ok(Verdict::NotAffected { .. }) | Err(_) => {}
            }
        }
    }
});
