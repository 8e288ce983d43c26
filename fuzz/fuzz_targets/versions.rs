//! Version strings of every ecosystem: parsing never panics, and what
//! parses is ordered reflexively and antisymmetrically, and transitively
//! except in Maven (whose `ComparableVersion` is not transitive for some
//! odd strings). The first byte picks the ecosystem; the rest holds up to
//! three strings separated by 0xff bytes.
#![no_main]

use std::cmp::Ordering;

use libfuzzer_sys::fuzz_target;
use shipshape_versions::{Ecosystem, Version, compare, parse, pep440};

fn cmp(a: &Version, b: &Version) -> Ordering {
    a.compare(b).expect("same ecosystem")
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let eco = Ecosystem::ALL[usize::from(first) % Ecosystem::ALL.len()];
    let strings: Vec<&str> = rest
        .split(|&b| b == 0xff)
        .take(3)
        .filter_map(|s| std::str::from_utf8(s).ok())
        .collect();
    let parsed: Vec<Version> = strings.iter().filter_map(|s| parse(eco, s).ok()).collect();
    for v in &parsed {
        assert_eq!(cmp(v, v), Ordering::Equal, "{eco}: {v} != itself");
        assert_eq!(v.ecosystem(), eco);
        if let Version::Pep440(p) = v {
            let n = pep440::parse(&p.normalized()).expect("normalized form parses");
            assert_eq!(n.cmp(p), Ordering::Equal, "{p} vs normalized {}", p.normalized());
        }
        if let Version::GoToolchain(t) = v {
            assert!(parse(Ecosystem::Go, &t.to_semver()).is_ok(), "{t}");
        }
    }
    for a in &parsed {
        for b in &parsed {
            let ab = cmp(a, b);
            assert_eq!(ab, cmp(b, a).reverse(), "{eco}: {a} vs {b}");
            assert_eq!(compare(eco, a.as_str(), b.as_str()), Ok(ab));
            if eco == Ecosystem::Maven {
                continue;
            }
            for c in &parsed {
                let (bc, ac) = (cmp(b, c), cmp(a, c));
                if ab != Ordering::Greater && bc != Ordering::Greater {
                    assert_ne!(ac, Ordering::Greater, "{eco}: {a} <= {b} <= {c}");
                }
                if ab == Ordering::Equal && bc == Ordering::Equal {
                    assert_eq!(ac, Ordering::Equal, "{eco}: {a} = {b} = {c}");
                }
            }
        }
    }
});
