//! Orderings each ecosystem documents (specifications, reference test
//! suites), and the osv.dev apk validity vectors from the shared data.

use std::cmp::Ordering;
use std::path::PathBuf;

use shipshape_versions::{Ecosystem, compare, golang, parse};

/// Asserts `versions` strictly increase, comparing every pair both ways.
fn ascending(eco: Ecosystem, versions: &[&str]) {
    for (i, a) in versions.iter().enumerate() {
        for b in &versions[i + 1..] {
            assert_eq!(compare(eco, a, b), Ok(Ordering::Less), "{eco}: {a} < {b}");
            assert_eq!(
                compare(eco, b, a),
                Ok(Ordering::Greater),
                "{eco}: {b} > {a}"
            );
        }
    }
}

fn equal(eco: Ecosystem, a: &str, b: &str) {
    assert_eq!(compare(eco, a, b), Ok(Ordering::Equal), "{eco}: {a} = {b}");
    assert_eq!(compare(eco, b, a), Ok(Ordering::Equal), "{eco}: {b} = {a}");
}

fn invalid(eco: Ecosystem, versions: &[&str]) {
    for v in versions {
        assert!(parse(eco, v).is_err(), "{eco}: {v:?} must be refused");
    }
}

// ------------------------------------------------------------------ apk

/// `../shared/data/<sub>` when present. Skips with a message otherwise, and
/// fails under `SHIPSHAPE_REQUIRE_SHARED=1`.
fn shared_data(sub: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(sub);
    if p.exists() {
        return Some(p);
    }
    if std::env::var("SHIPSHAPE_REQUIRE_SHARED").is_ok_and(|v| v == "1") {
        panic!("SHIPSHAPE_REQUIRE_SHARED=1 but {} is missing", p.display());
    }
    eprintln!(
        "skipping: {} not found (shared test data is not in this checkout)",
        p.display()
    );
    None
}

fn vector_lines(name: &str) -> Option<Vec<String>> {
    let path = shared_data(&format!("native/version-vectors/osv.dev/{name}"))?;
    let text = std::fs::read_to_string(&path).expect("read vectors");
    Some(
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_owned)
            .collect(),
    )
}

#[test]
fn apk_refuses_every_osv_dev_invalid_version() {
    let Some(lines) = vector_lines("apk_invalid_versions.txt") else {
        return;
    };
    assert!(lines.len() >= 10);
    for v in &lines {
        let e = parse(Ecosystem::Apk, v).expect_err(v);
        assert!(!e.reason.is_empty());
    }
}

/// osv.dev's list is checked with a regular expression looser than
/// apk-tools in two shapes, which apk-tools refuses: digits after the
/// letter (`6.6.2p1`) and `.rN` for the revision (`10.2.22.r0`).
#[test]
fn apk_accepts_osv_dev_valid_versions_that_apk_tools_accepts() {
    let Some(lines) = vector_lines("apk_valid_versions.txt") else {
        return;
    };
    assert!(lines.len() >= 150);
    let looser = |v: &str| {
        let b = v.as_bytes();
        let letter_digit = b
            .windows(3)
            .any(|w| w[0].is_ascii_digit() && w[1].is_ascii_lowercase() && w[2].is_ascii_digit());
        letter_digit || v.contains(".r")
    };
    let mut refused = 0;
    for v in &lines {
        match parse(Ecosystem::Apk, v) {
            Ok(_) => assert!(!looser(v), "{v} should be refused as apk-tools does"),
            Err(e) => {
                assert!(looser(v), "{v} refused: {e}");
                refused += 1;
            }
        }
    }
    assert_eq!(
        refused, 8,
        "the two looser shapes occur 8 times in the list"
    );
    // The accepted ones form a total order.
    let mut parsed: Vec<_> = lines
        .iter()
        .filter_map(|v| parse(Ecosystem::Apk, v).ok())
        .collect();
    parsed.sort_by(|a, b| a.compare(b).expect("same ecosystem"));
    for w in parsed.windows(2) {
        assert_ne!(w[0].compare(&w[1]), Some(Ordering::Greater));
    }
}

#[test]
fn apk_orders_as_apk_tools() {
    ascending(
        Ecosystem::Apk,
        &[
            "0.9",
            "1.0_alpha",
            "1.0_alpha2",
            "1.0_beta1",
            "1.0_pre1",
            "1.0_rc1",
            "1.0_rc1-r1",
            "1.0",
            "1.0-r1",
            "1.0-r10",
            "1.0~1a2b",
            "1.0_cvs20240101",
            "1.0_svn1",
            "1.0_git20240101",
            "1.0_hg1",
            "1.0_p1",
            "1.0_p2",
            "1.0a",
            "1.0b",
            "1.0.1",
            "1.1",
            "1.10",
            "2",
        ],
    );
    // A leading zero makes the part compare as a string.
    ascending(Ecosystem::Apk, &["1.001", "1.01", "1.010", "1.1"]);
    equal(Ecosystem::Apk, "01.2", "1.2");
    invalid(
        Ecosystem::Apk,
        &[
            "1.0-r",
            "1.0-r1-r2",
            "1.0_rc1_",
            "1.0.",
            "v1.0",
            "1.0 ",
            "1.0~",
            "1.0~ABC",
            "1.0-1",
        ],
    );
}

// --------------------------------------------------------------- semver

#[test]
fn semver_specification_precedence() {
    // The example list of SemVer 2.0.0, section 11.
    ascending(
        Ecosystem::Semver,
        &[
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "2.0.0",
            "2.1.0",
            "2.1.1",
        ],
    );
    equal(
        Ecosystem::Semver,
        "1.0.0+20130313144700",
        "1.0.0+exp.sha.5114f85",
    );
    equal(Ecosystem::Semver, "v1.2.3", "=1.2.3");
    ascending(
        Ecosystem::Semver,
        &["1.0.0-9", "1.0.0-10", "1.0.0-a", "1.0.0-a.0"],
    );
    ascending(
        Ecosystem::Semver,
        &["1.0.0-A", "1.0.0-Z", "1.0.0-a", "1.0.0-z"],
    );
    let big = "99999999999999999999999.0.0";
    assert_eq!(
        compare(Ecosystem::Semver, big, "1.0.0"),
        Ok(Ordering::Greater)
    );
    invalid(
        Ecosystem::Semver,
        &[
            "1", "1.0", "1.0.0.0", "01.0.0", "1.0.0-01", "1.0.0-", "1.0.0+",
        ],
    );
}

// ------------------------------------------------------------------- Go

#[test]
fn go_pseudo_versions_sort_between_releases() {
    ascending(
        Ecosystem::Go,
        &[
            "v0.0.0-20191109021931-daa7c04131f5",
            "v0.0.0-20200101000000-000000000000",
            "v0.0.0",
            "v0.1.0",
            "v1.2.3",
            "v1.2.4-0.20191109021931-daa7c04131f5",
            "v1.2.4-pre",
            "v1.2.4-pre.0.20191109021931-daa7c04131f5",
            "v1.2.4-pre.1",
            "v1.2.4",
            "v2.0.0+incompatible",
            "v2.0.1-0.20200101000000-abcdef123456+incompatible",
            "v2.0.1",
        ],
    );
    equal(Ecosystem::Go, "v2.0.0+incompatible", "v2.0.0");
    equal(Ecosystem::Go, "v1", "v1.0.0");
    equal(Ecosystem::Go, "v1.2", "v1.2.0");
    equal(Ecosystem::Go, "1.2.3", "v1.2.3");
    invalid(
        Ecosystem::Go,
        &[
            "v1.2.3.4",
            "v01.2.3",
            "v1.2.3-",
            "v1-pre",
            "v1.2-pre",
            "v1.2.3-01",
            "x1.2.3",
            "",
        ],
    );
    let p = golang::parse("v1.2.4-0.20191109021931-daa7c04131f5").expect("valid");
    let pseudo = p.pseudo().expect("pseudo-version");
    assert_eq!(pseudo.timestamp, "20191109021931");
    assert_eq!(pseudo.revision, "daa7c04131f5");
    assert!(
        golang::parse("v2.0.0+incompatible")
            .expect("valid")
            .is_incompatible()
    );
}

#[test]
fn go_toolchain_versions_follow_go_version() {
    ascending(
        Ecosystem::GoToolchain,
        &[
            "go1.9",
            "go1.10",
            "go1.20rc1",
            "go1.20",
            "go1.20.1",
            "go1.21",
            "go1.21alpha1",
            "go1.21beta1",
            "go1.21rc1",
            "go1.21rc2",
            "go1.21.0",
            "go1.21.5",
            "go1.22rc1",
            "2",
        ],
    );
    equal(Ecosystem::GoToolchain, "go1.20", "go1.20.0");
    equal(Ecosystem::GoToolchain, "1.21rc2", "go1.21rc2");
    equal(Ecosystem::GoToolchain, "go1.21.5-bigcorp", "go1.21.5");
    equal(Ecosystem::GoToolchain, "go1", "go1.0.0");
    invalid(
        Ecosystem::GoToolchain,
        &[
            "go1.21.0rc1",
            "go01.2",
            "go1.",
            "1.21.x",
            "go1.21RC1",
            "go",
            "1.21.5-bigcorp",
        ],
    );
}

// ---------------------------------------------------------------- Maven

#[test]
fn maven_qualifier_order() {
    ascending(
        Ecosystem::Maven,
        &[
            "1-alpha",
            "1-beta",
            "1-milestone",
            "1-rc",
            "1-snapshot",
            "1",
            "1-sp",
            "1-abc",
            "1-def",
        ],
    );
    for same in [
        "1-ga",
        "1-final",
        "1-release",
        "1.0",
        "1.0.0",
        "1-0",
        "1.0-0",
        "1GA",
        "1.FINAL",
    ] {
        equal(Ecosystem::Maven, "1", same);
    }
    equal(Ecosystem::Maven, "1-rc", "1-cr");
    // ComparableVersionTest: VERSIONS_QUALIFIER and VERSIONS_NUMBER.
    ascending(
        Ecosystem::Maven,
        &[
            "1-alpha2snapshot",
            "1-alpha2",
            "1-alpha-123",
            "1-beta-2",
            "1-beta123",
            "1-m2",
            "1-m11",
            "1-rc",
            "1-cr2",
            "1-rc123",
            "1-SNAPSHOT",
            "1",
            "1-sp",
            "1-sp2",
            "1-sp123",
            "1-abc",
            "1-def",
            "1-pom-1",
            "1-1-snapshot",
            "1-1",
            "1-2",
            "1-123",
        ],
    );
    ascending(
        Ecosystem::Maven,
        &[
            "2.0", "2.0.a", "2-1", "2.0.2", "2.0.123", "2.1.0", "2.1-a", "2.1b", "2.1-c", "2.1-1",
            "2.1.0.1", "2.2", "2.123", "11.a2", "11.a11", "11.b2", "11.b11", "11.m2", "11.m11",
            "11", "11.a", "11b", "11c", "11m",
        ],
    );
}

#[test]
fn maven_reference_cases() {
    let m = Ecosystem::Maven;
    for (a, b) in [
        ("1a", "1-a"),
        ("1a", "1.0-a"),
        ("1a", "1.0.0-a"),
        ("1.0a", "1-a"),
        ("1x", "1.0.0-x"),
        ("1cr", "1rc"),
        ("1a1", "1-alpha-1"),
        ("1b2", "1-beta-2"),
        ("1m3", "1-milestone-3"),
        ("1X", "1x"),
        ("1m3", "1MILESTONE3"),
        (
            "1-abcdefghijklmnopqrstuvwxyz",
            "1-ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        ),
        ("1.0.0-alpha1", "1.0.0-ALPHA1"),
        ("0000000000000000001", "1"),
        ("0000000000000000000", "0"),
    ] {
        equal(m, a, b);
    }
    for w in [
        ["1", "2"],
        ["1.5", "2"],
        ["1.0.1", "1.1"],
        ["1.0-alpha-1", "1.0"],
        ["1.0-alpha-1", "1.0-beta-1"],
        ["1.0-SNAPSHOT", "1.0"],
        ["1.0-alpha-1-SNAPSHOT", "1.0-alpha-1"],
        ["1.0", "1.0-1"],
        ["1.0.0", "1.0-1"],
        ["2.0-1", "2.0.1"],
        ["2.0.1-klm", "2.0.1-lmn"],
        ["2.0.1", "2.0.1-xyz"],
        ["2.0.1-xyz", "2.0.1-123"],
        ["0.2", "1.0.7"],
        ["J", "7"],
        ["aardvark", "zebra"],
        // MNG-5568: transitivity with an odd version.
        ["6.1.0rc3", "6.1.0"],
        ["6.1.0rc3", "6.1H.5-beta"],
        ["6.1.0", "6.1H.5-beta"],
        // MNG-6572: long numbers.
        ["20190126.230843", "1234567890.12345"],
        [
            "123456789012345.1H.5-beta",
            "12345678901234567890.1H.5-beta",
        ],
        // MNG-6964.
        ["1-0.alpha", "1"],
        ["1-0.alpha", "1-0.beta"],
        // MNG-7714.
        ["1.0.final-redhat", "1.0-sp1-redhat"],
        ["1.0.final-redhat", "1.0-sp-1-redhat"],
        ["1.0.final-redhat", "1.0-sp.1-redhat"],
    ] {
        ascending(m, &w);
    }
    // MNG-7644: 1.0.0.X1 < 1.0.0-X2, and 2.0.X == 2-X == 2.0.0.X.
    for x in [
        "abc",
        "alpha",
        "a",
        "beta",
        "b",
        "def",
        "milestone",
        "m",
        "RC",
    ] {
        ascending(m, &[&format!("1.0.0.{x}1"), &format!("1.0.0-{x}2")]);
        equal(m, &format!("2-{x}"), &format!("2.0.{x}"));
        equal(m, &format!("2-{x}"), &format!("2.0.0.{x}"));
    }
    ascending(m, &["1.0.RC2", "1.0-RC3", "1.0.1"]);
    // ComparableVersion is not transitive here (a qualifier after '.' is
    // below any '-' list, yet above a release); we answer as Maven does.
    assert_eq!(
        compare(m, "1.p-nas0shot", "1.0.0-SNAPSHOT"),
        Ok(Ordering::Less)
    );
    assert_eq!(compare(m, "1.0.0-SNAPSHOT", "1.0"), Ok(Ordering::Less));
    assert_eq!(compare(m, "1.p-nas0shot", "1.0"), Ok(Ordering::Greater));
    invalid(m, &["", "1.0-é"]);
}

// ------------------------------------------------------------- RubyGems

#[test]
fn rubygems_orders_as_gem_version() {
    ascending(
        Ecosystem::RubyGems,
        &[
            "0.9", "1.0.a", "1.0.a.2", "1.0.b1", "1.0.pre", "1.0.rc1", "1.0", "1.0.0.1", "1.0.1",
            "1.1", "1.10", "2",
        ],
    );
    equal(Ecosystem::RubyGems, "1.0", "1");
    equal(Ecosystem::RubyGems, "1.0.0", "1");
    equal(Ecosystem::RubyGems, "1.a", "1.0.a");
    equal(Ecosystem::RubyGems, "1.0.a.0", "1.0.a");
    equal(Ecosystem::RubyGems, "1.0-1", "1.0.pre.1");
    equal(Ecosystem::RubyGems, " 1.0\n", "1.0");
    // Letters compare case-sensitively: upper case first.
    ascending(Ecosystem::RubyGems, &["1.0.B", "1.0.a"]);
    invalid(
        Ecosystem::RubyGems,
        &["", "1..0", "junk", "1a", ".1", "1.0-", "1.0 2", "1.0_1"],
    );
}
