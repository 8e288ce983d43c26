//! Any text as a CVSS vector, and vectors built from the input's bytes:
//! parsing never panics, a scored vector scores 0.0 to 10.0, and the
//! order of v3 metrics does not change the score.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shipshape_vuln::cvss::{Cvss2, Cvss3, Cvss4, Vector};

const V3: &[(&str, &[&str])] = &[
    ("AV", &["N", "A", "L", "P"]),
    ("AC", &["L", "H"]),
    ("PR", &["N", "L", "H"]),
    ("UI", &["N", "R"]),
    ("S", &["U", "C"]),
    ("C", &["H", "L", "N"]),
    ("I", &["H", "L", "N"]),
    ("A", &["H", "L", "N"]),
];

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(v) = Vector::parse(text) {
            if let Some(score) = v.base_score() {
                assert!((0.0..=10.0).contains(&score.value()), "{text}: {score}");
            }
        }
        let _ = Cvss2::parse(text);
        let _ = Cvss3::parse(text);
        let _ = Cvss4::parse(text);
    }

    // A valid v3 vector chosen by the first bytes, in the order given by
    // the next ones.
    if data.len() < 16 {
        return;
    }
    let parts: Vec<String> = V3
        .iter()
        .zip(data)
        .map(|((name, values), b)| format!("{name}:{}", values[usize::from(*b) % values.len()]))
        .collect();
    let mut shuffled = parts.clone();
    for (i, b) in data[8..16].iter().enumerate() {
        shuffled.swap(i, usize::from(*b) % 8);
    }
    let ordered = Cvss3::parse(&format!("CVSS:3.1/{}", parts.join("/"))).expect("valid v3");
    let other = Cvss3::parse(&format!("CVSS:3.0/{}", shuffled.join("/"))).expect("valid v3");
    let score = ordered.base_score();
    assert!(score.tenths() <= 100);
    assert_eq!(score, other.base_score());
});
