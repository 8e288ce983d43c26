//! CVSS parsing, validation and base scores against published scores, an
//! exact-arithmetic table of every base vector, and the vectors of the
//! shared OSV records.

mod common;

use shipshape_vuln::cvss::{Cvss2, Cvss3, Cvss4, Rating, Vector};

/// Published v3 scores: the examples of FIRST's "CVSS v3.1: Examples"
/// document and NVD's scores of well-known CVEs.
const V3_PUBLISHED: &[(&str, &str, &str)] = &[
    // FIRST v3.1 examples.
    (
        "CVE-2013-1937 phpMyAdmin reflected XSS",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N",
        "6.1",
    ),
    (
        "CVE-2013-0375 MySQL stored SQL injection",
        "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N",
        "6.4",
    ),
    (
        "CVE-2014-3566 SSLv3 POODLE",
        "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N",
        "3.1",
    ),
    (
        "CVE-2012-1516 VMware guest to host escape",
        "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H",
        "9.9",
    ),
    (
        "CVE-2009-0783 Apache Tomcat XML parser",
        "CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L",
        "4.2",
    ),
    (
        "CVE-2012-0384 Cisco IOS command execution",
        "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H",
        "8.8",
    ),
    (
        "CVE-2015-1098 Apple iWork denial of service",
        "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H",
        "7.8",
    ),
    (
        "CVE-2014-0160 OpenSSL Heartbleed",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
        "7.5",
    ),
    (
        "CVE-2014-6271 GNU Bash Shellshock",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "9.8",
    ),
    (
        "CVE-2008-1447 DNS Kaminsky bug",
        "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N",
        "6.8",
    ),
    (
        "CVE-2014-2005 Sophos login screen bypass",
        "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "6.8",
    ),
    (
        "CVE-2010-0467 Joomla directory traversal",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N",
        "5.8",
    ),
    (
        "CVE-2012-1342 Cisco ACL bypass",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:L/A:N",
        "5.8",
    ),
    (
        "CVE-2013-6014 Juniper proxy ARP denial of service",
        "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:H",
        "9.3",
    ),
    (
        "CVE-2014-9253 DokuWiki reflected XSS",
        "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N",
        "5.4",
    ),
    (
        "CVE-2011-1265 Windows Bluetooth RCE",
        "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "8.8",
    ),
    (
        "CVE-2014-2019 Apple iOS security control bypass",
        "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N",
        "4.6",
    ),
    (
        "CVE-2015-0970 SearchBlox CSRF",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H",
        "8.8",
    ),
    (
        "CVE-2014-0224 OpenSSL CCS injection",
        "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N",
        "7.4",
    ),
    (
        "CVE-2012-5376 Chrome sandbox bypass",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H",
        "9.6",
    ),
    (
        "CVE-2016-1645 Chrome PDFium JPEG 2000",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H",
        "8.8",
    ),
    (
        "CVE-2016-0128 Samba Badlock",
        "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:N",
        "6.8",
    ),
    (
        "CVE-2016-5729 Lenovo BIOS",
        "CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H",
        "8.2",
    ),
    // The vector-string example of the v3.1 specification, section 6.
    (
        "specification section 6 example",
        "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:N",
        "3.8",
    ),
    // NVD.
    (
        "CVE-2021-44228 Log4Shell",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H",
        "10.0",
    ),
    (
        "CVE-2023-4911 glibc Looney Tunables",
        "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H",
        "7.8",
    ),
    (
        "CVE-2021-3156 sudo Baron Samedit",
        "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H",
        "7.8",
    ),
    (
        "CVE-2022-22965 Spring4Shell",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "9.8",
    ),
    (
        "CVE-2023-32681 requests proxy credentials",
        "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N",
        "6.1",
    ),
    (
        "a vector with no impact",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N",
        "0.0",
    ),
    (
        "a vector with no impact, scope changed",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:N/A:N",
        "0.0",
    ),
    (
        "CVE-2014-0160 as v3.0",
        "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
        "7.5",
    ),
    (
        "CVE-2021-44228 as v3.0",
        "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H",
        "10.0",
    ),
];

/// Published v2 scores: the examples of the CVSS v2 guide (section 3.3) and
/// NVD's v2 scores.
const V2_PUBLISHED: &[(&str, &str, &str)] = &[
    (
        "CVE-2002-0392 Apache chunked encoding",
        "AV:N/AC:L/Au:N/C:N/I:N/A:C",
        "7.8",
    ),
    (
        "CVE-2003-0818 Windows ASN.1",
        "AV:N/AC:L/Au:N/C:C/I:C/A:C",
        "10.0",
    ),
    (
        "CVE-2003-0062 NOD32 local overflow",
        "AV:L/AC:H/Au:N/C:C/I:C/A:C",
        "6.2",
    ),
    (
        "CVE-2014-0160 Heartbleed",
        "AV:N/AC:L/Au:N/C:P/I:N/A:N",
        "5.0",
    ),
    (
        "CVE-2021-44228 Log4Shell",
        "AV:N/AC:M/Au:N/C:C/I:C/A:C",
        "9.3",
    ),
    (
        "a typical reflected XSS",
        "AV:N/AC:M/Au:N/C:N/I:P/A:N",
        "4.3",
    ),
    ("no impact", "AV:N/AC:L/Au:N/C:N/I:N/A:N", "0.0"),
];

#[test]
fn published_v3_scores() {
    for (what, vector, score) in V3_PUBLISHED {
        let parsed = Cvss3::parse(vector).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(parsed.base_score().to_string(), *score, "{what}: {vector}");
    }
}

#[test]
fn published_v2_scores() {
    for (what, vector, score) in V2_PUBLISHED {
        let parsed = Cvss2::parse(vector).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(parsed.base_score().to_string(), *score, "{what}: {vector}");
    }
}

/// Every v3 base vector (2,592) and v2 base vector (729) against the table
/// that `tests/data/cvss_reference.py` computed with exact fractions.
#[test]
fn every_base_vector_matches_exact_arithmetic() {
    let table = include_str!("data/cvss3_base.txt");
    let mut n = 0;
    for line in table.lines() {
        let (body, want) = line.split_once(' ').expect("a table line");
        for prefix in ["CVSS:3.1/", "CVSS:3.0/"] {
            let vector = format!("{prefix}{body}");
            let got = Cvss3::parse(&vector).expect("parses").base_score();
            assert_eq!(got.to_string(), want, "{vector}");
            n += 1;
        }
    }
    assert_eq!(n, 2 * 2592);
    let table = include_str!("data/cvss2_base.txt");
    let mut n = 0;
    for line in table.lines() {
        let (vector, want) = line.split_once(' ').expect("a table line");
        assert_eq!(
            Cvss2::parse(vector)
                .expect("parses")
                .base_score()
                .to_string(),
            want,
            "{vector}"
        );
        n += 1;
    }
    assert_eq!(n, 729);
}

#[test]
fn metric_order_does_not_matter_in_v3() {
    let ordered = Cvss3::parse("CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N").expect("parses");
    let shuffled = Cvss3::parse("CVSS:3.1/A:N/S:C/C:H/AV:N/UI:R/I:N/PR:N/AC:H").expect("parses");
    assert_eq!(ordered.base_score(), shuffled.base_score());
    assert_eq!(shuffled.base_score().to_string(), "6.1");
    assert_eq!(shuffled.metric("AC"), Some("H"));
}

#[test]
fn temporal_and_environmental_metrics_are_accepted_but_do_not_change_the_base_score() {
    let v = Cvss3::parse(
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N/E:P/RL:W/RC:C/CR:H/IR:X/AR:L/MAV:L/MAC:H/MPR:H/MUI:N/MS:U/MC:N/MI:N/MA:N",
    )
    .expect("parses");
    assert_eq!(v.base_score().to_string(), "6.1");
    assert_eq!(v.metric("RL"), Some("W"));
    let v2 = Cvss2::parse("AV:N/AC:L/Au:N/C:P/I:P/A:P/E:POC/RL:OF/RC:C/CDP:LM/TD:H/CR:M/IR:M/AR:H")
        .expect("parses");
    assert_eq!(v2.base_score().to_string(), "7.5");
}

#[test]
fn invalid_v3_vectors_are_rejected_with_the_reason() {
    let cases = [
        (
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",
            "missing base metric A",
        ),
        (
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H",
            "missing base metric S",
        ),
        (
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AV:L",
            "AV is given more than once",
        ),
        (
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:X/E:U",
            "E is given more than once",
        ),
        (
            "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "`X` is not a value of AV",
        ),
        (
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/Q:1",
            "unknown metric `Q`",
        ),
        (
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/",
            "`` is not METRIC:VALUE",
        ),
        (
            "CVSS:3.1/av:n/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "unknown metric `av`",
        ),
        (
            "CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "starts with CVSS:3.0/ or CVSS:3.1/",
        ),
        (
            "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "starts with CVSS:3.0/ or CVSS:3.1/",
        ),
        ("CVSS:3.1", "starts with CVSS:3.0/ or CVSS:3.1/"),
        ("CVSS:3.1/", "`` is not METRIC:VALUE"),
        (
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/MPR:Z",
            "`Z` is not a value of MPR",
        ),
    ];
    for (vector, reason) in cases {
        let err = Cvss3::parse(vector).expect_err(vector);
        assert!(err.to_string().contains(reason), "{vector}: {err}");
        assert!(err.to_string().contains(vector), "{err} names the vector");
    }
}

#[test]
fn invalid_v2_vectors_are_rejected() {
    for vector in [
        "AV:N/AC:L/Au:N/C:P/I:P",
        "AV:N/AC:L/Au:N/C:P/I:P/A:P/A:N",
        "AV:N/AC:L/Au:X/C:P/I:P/A:P",
        "(AV:N/AC:L/Au:N/C:P/I:P/A:P)",
        "AV:N/AC:L/PR:N/C:P/I:P/A:P",
        "",
    ] {
        assert!(Cvss2::parse(vector).is_err(), "{vector}");
    }
}

#[test]
fn v4_vectors_are_parsed_and_validated() {
    let v = Cvss4::parse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")
        .expect("parses");
    assert_eq!(v.metric("VC"), Some("H"));
    assert_eq!(v.metrics().count(), 11);
    let full = "CVSS:4.0/AV:L/AC:H/AT:P/PR:L/UI:A/VC:L/VI:N/VA:N/SC:L/SI:H/SA:N/E:P/CR:M/IR:X/AR:L/MAV:A/MAC:H/MAT:P/MPR:H/MUI:P/MVC:N/MVI:L/MVA:H/MSC:L/MSI:S/MSA:S/S:P/AU:Y/R:I/V:C/RE:H/U:Amber";
    assert_eq!(
        Cvss4::parse(full).expect("parses").metric("U"),
        Some("Amber")
    );
    for (vector, reason) in [
        (
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N",
            "missing base metric SA",
        ),
        (
            "CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
            "out of the specification's order",
        ),
        (
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:R/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
            "`R` is not a value of UI",
        ),
        (
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MSI:S/MSI:S",
            "MSI is given more than once",
        ),
        (
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:S",
            "`S` is not a value of SA",
        ),
        (
            "CVSS:4.1/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
            "starts with CVSS:4.0/",
        ),
    ] {
        let err = Cvss4::parse(vector).expect_err(vector);
        assert!(err.to_string().contains(reason), "{vector}: {err}");
    }
}

/// v4.0 scores against FIRST's calculator (`tests/data/cvss4_first.txt`).
#[test]
fn v4_scores_match_the_first_calculator() {
    let mut n = 0;
    for line in include_str!("data/cvss4_first.txt").lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (vector, want) = line.split_once(' ').expect("a table line");
        let v = Cvss4::parse(vector).unwrap_or_else(|e| panic!("{e}"));
        let got = v.score().expect("scored");
        assert_eq!(got.to_string(), want, "{vector}");
        // The base score is the score of the base metrics alone.
        let base: Vec<String> = v
            .metrics()
            .take(11)
            .map(|(name, value)| format!("{name}:{value}"))
            .collect();
        let base_only = Cvss4::parse(&format!("CVSS:4.0/{}", base.join("/"))).expect("parses");
        assert_eq!(v.base_score(), base_only.score(), "{vector}");
        n += 1;
    }
    assert_eq!(n, 76);
}

#[test]
fn v4_nomenclature_and_base_score() {
    let base = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";
    let v = Cvss4::parse(base).expect("parses");
    assert_eq!(v.nomenclature(), "CVSS-B");
    assert_eq!(v.base_score().expect("scored").to_string(), "9.3");
    let threat = Cvss4::parse(&format!("{base}/E:U")).expect("parses");
    assert_eq!(threat.nomenclature(), "CVSS-BT");
    assert_eq!(threat.base_score().expect("scored").to_string(), "9.3");
    assert!(
        threat.score() < threat.base_score(),
        "unreported exploits lower the score"
    );
    let unset = Cvss4::parse(&format!("{base}/E:X/CR:X/S:P")).expect("parses");
    assert_eq!(unset.nomenclature(), "CVSS-B");
    assert_eq!(unset.score(), v.score());
    let env = Cvss4::parse(&format!("{base}/MVC:N/MVI:N/MVA:N")).expect("parses");
    assert_eq!(env.nomenclature(), "CVSS-BE");
    assert_eq!(env.score().expect("scored").to_string(), "0.0");
    assert_eq!(env.base_score().expect("scored").to_string(), "9.3");
    assert_eq!(v.base_score().expect("scored").rating(), Rating::Critical);
}

#[test]
fn vector_dispatches_on_the_prefix() {
    let v = Vector::parse("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N").expect("parses");
    assert_eq!(v.version(), "3.0");
    assert_eq!(v.base_score().expect("scored").to_string(), "7.5");
    let v = Vector::parse("AV:N/AC:L/Au:N/C:P/I:N/A:N").expect("parses");
    assert_eq!(v.version(), "2.0");
    assert_eq!(v.base_score().expect("scored").to_string(), "5.0");
    let v = Vector::parse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")
        .expect("parses");
    assert_eq!(v.version(), "4.0");
    assert_eq!(v.base_score().expect("scored").to_string(), "9.3");
    assert!(Vector::parse("CVSS:5.0/AV:N").is_err());
    assert!(Vector::parse("not a vector").is_err());
}

#[test]
fn ratings_follow_the_specification_scale() {
    let rating = |v: &str| Cvss3::parse(v).expect("parses").base_score().rating();
    assert_eq!(
        rating("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N"),
        Rating::None
    );
    assert_eq!(
        rating("CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N"),
        Rating::Low
    ); // 3.1
    assert_eq!(
        rating("CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:N"),
        Rating::Low
    ); // 3.8
    assert_eq!(
        rating("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:N/A:N"),
        Rating::Medium
    ); // 4.3
    assert_eq!(
        rating("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"),
        Rating::Medium
    ); // 6.1
    assert_eq!(
        rating("CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H"),
        Rating::High
    ); // 7.2
    assert_eq!(
        rating("CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H"),
        Rating::High
    ); // 8.2
    assert_eq!(
        rating("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H"),
        Rating::Critical
    ); // 9.1
    assert_eq!(
        Cvss2::parse("AV:N/AC:L/Au:N/C:P/I:N/A:N")
            .expect("parses")
            .rating(),
        Rating::Medium
    );
    assert_eq!(
        Cvss2::parse("AV:N/AC:M/Au:N/C:C/I:C/A:C")
            .expect("parses")
            .rating(),
        Rating::High
    );
}

/// Every CVSS vector in the shared OSV records parses; every v3 vector
/// scores in range, and where a record also rates the vulnerability
/// (GitHub's `database_specific.severity`), the rating agrees.
#[test]
fn vectors_of_the_shared_osv_records() {
    let Some(records) = common::shared_records() else {
        return;
    };
    let (mut v3, mut v4, mut rated) = (0, 0, 0);
    for (path, record) in &records {
        for severity in record.severities() {
            match severity.kind.as_str() {
                "CVSS_V3" => {
                    let v = Cvss3::parse(&severity.score)
                        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                    let score = v.base_score();
                    assert!(
                        score.value() > 0.0 && score.value() <= 10.0,
                        "{}",
                        severity.score
                    );
                    v3 += 1;
                    let github = record
                        .database_specific
                        .as_ref()
                        .and_then(|d| d.get("severity"))
                        .and_then(|s| s.as_str());
                    if let Some(github) = github {
                        let want = match github {
                            "LOW" => Rating::Low,
                            "MODERATE" => Rating::Medium,
                            "HIGH" => Rating::High,
                            "CRITICAL" => Rating::Critical,
                            other => panic!("{}: rating {other}", path.display()),
                        };
                        assert_eq!(
                            score.rating(),
                            want,
                            "{}: {}",
                            path.display(),
                            severity.score
                        );
                        rated += 1;
                    }
                }
                "CVSS_V4" => {
                    let v = Cvss4::parse(&severity.score)
                        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                    let score = v.base_score().expect("scored");
                    assert!(score.value() <= 10.0, "{}", severity.score);
                    v4 += 1;
                }
                "CVSS_V2" => {
                    Cvss2::parse(&severity.score)
                        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                }
                _ => {}
            }
        }
    }
    eprintln!("{v3} v3 vectors ({rated} rated by the record), {v4} v4 vectors");
    assert!(v3 >= 384, "{v3}");
    assert!(v4 >= 57, "{v4}");
    assert!(rated >= 7, "{rated}");
}
