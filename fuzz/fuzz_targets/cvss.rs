//! Any text as a CVSS vector, and valid v3 and v4 vectors built from the
//! input's bytes: parsing never panics, every score is 0.0 to 10.0, and
//! the order of v3 metrics does not change the score.
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

/// v4.0 metrics in the specification's order; the first 11 are required.
const V4: &[(&str, &[&str])] = &[
    ("AV", &["N", "A", "L", "P"]),
    ("AC", &["L", "H"]),
    ("AT", &["N", "P"]),
    ("PR", &["N", "L", "H"]),
    ("UI", &["N", "P", "A"]),
    ("VC", &["H", "L", "N"]),
    ("VI", &["H", "L", "N"]),
    ("VA", &["H", "L", "N"]),
    ("SC", &["H", "L", "N"]),
    ("SI", &["H", "L", "N"]),
    ("SA", &["H", "L", "N"]),
    ("E", &["X", "A", "P", "U"]),
    ("CR", &["X", "H", "M", "L"]),
    ("IR", &["X", "H", "M", "L"]),
    ("AR", &["X", "H", "M", "L"]),
    ("MAV", &["X", "N", "A", "L", "P"]),
    ("MAC", &["X", "L", "H"]),
    ("MAT", &["X", "N", "P"]),
    ("MPR", &["X", "N", "L", "H"]),
    ("MUI", &["X", "N", "P", "A"]),
    ("MVC", &["X", "H", "L", "N"]),
    ("MVI", &["X", "H", "L", "N"]),
    ("MVA", &["X", "H", "L", "N"]),
    ("MSC", &["X", "H", "L", "N"]),
    ("MSI", &["X", "S", "H", "L", "N"]),
    ("MSA", &["X", "S", "H", "L", "N"]),
];

fn in_range(score: Option<shipshape_vuln::cvss::Score>) {
    let score = score.expect("a valid v4 vector scores");
    assert!(score.tenths() <= 100, "{score}");
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(v) = Vector::parse(text) {
            if let Some(score) = v.base_score() {
                assert!((0.0..=10.0).contains(&score.value()), "{text}: {score}");
            }
        }
        let _ = Cvss2::parse(text);
        let _ = Cvss3::parse(text);
        if let Ok(v) = Cvss4::parse(text) {
            in_range(v.score());
            in_range(v.base_score());
        }
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

    // A valid v4 vector: a value for each metric from the bytes; optional
    // metrics left out when their byte is even.
    if data.len() < 16 + 2 * V4.len() {
        return;
    }
    let bytes = &data[16..];
    let mut parts = Vec::new();
    for (i, (name, values)) in V4.iter().enumerate() {
        let (pick, keep) = (bytes[2 * i], bytes[2 * i + 1]);
        if i >= 11 && keep % 2 == 0 {
            continue;
        }
        parts.push(format!("{name}:{}", values[usize::from(pick) % values.len()]));
    }
    let v4 = Cvss4::parse(&format!("CVSS:4.0/{}", parts.join("/"))).expect("valid v4");
    in_range(v4.score());
    in_range(v4.base_score());
});
