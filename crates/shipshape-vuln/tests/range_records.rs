//! Range evaluation on real records of the shared OSV data, with
//! expectations worked out by hand from each record's text.

mod common;

use std::cmp::Ordering;

use common::dotted;
use shipshape_vuln::osv::Record;
use shipshape_vuln::range::{Remedy, Verdict, affected};

/// SemVer 2.0 precedence, enough for the crates.io records: `MAJOR.MINOR.PATCH`
/// with an optional pre-release, which sorts before the release.
fn semver(a: &str, b: &str) -> Result<Ordering, String> {
    fn split(v: &str) -> Result<([u64; 3], Option<&str>), String> {
        let v = v.split_once('+').map_or(v, |(v, _)| v);
        let (core, pre) = match v.split_once('-') {
            Some((core, pre)) => (core, Some(pre)),
            None => (v, None),
        };
        let parts: Vec<u64> = core
            .split('.')
            .map(|p| p.parse().map_err(|_| format!("`{v}` is not SemVer")))
            .collect::<Result<_, _>>()?;
        let [x, y, z] = parts[..] else {
            return Err(format!("`{v}` is not SemVer"));
        };
        Ok(([x, y, z], pre))
    }
    let ((ca, pa), (cb, pb)) = (split(a)?, split(b)?);
    Ok(ca.cmp(&cb).then_with(|| match (pa, pb) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(x), Some(y)) => {
            let mut xs = x.split('.');
            let mut ys = y.split('.');
            loop {
                match (xs.next(), ys.next()) {
                    (None, None) => return Ordering::Equal,
                    (None, Some(_)) => return Ordering::Less,
                    (Some(_), None) => return Ordering::Greater,
                    (Some(p), Some(q)) => {
                        let o = match (p.parse::<u64>(), q.parse::<u64>()) {
                            (Ok(m), Ok(n)) => m.cmp(&n),
                            (Ok(_), Err(_)) => Ordering::Less,
                            (Err(_), Ok(_)) => Ordering::Greater,
                            (Err(_), Err(_)) => p.cmp(q),
                        };
                        if o != Ordering::Equal {
                            return o;
                        }
                    }
                }
            }
        }
    }))
}

/// The verdict for `package` in `record`, from its first entry for it.
fn verdict(
    record: &Record,
    package: &str,
    installed: &str,
    cmp: &dyn Fn(&str, &str) -> Result<Ordering, String>,
) -> Verdict {
    let entry = record
        .affected
        .iter()
        .find(|a| a.package.as_ref().is_some_and(|p| p.name == package))
        .unwrap_or_else(|| panic!("{} has no entry for {package}", record.id));
    affected(entry, installed, cmp).unwrap_or_else(|e| panic!("{}: {e}", record.id))
}

fn fixed_in(v: &str, listed: bool) -> Verdict {
    Verdict::Affected(Remedy {
        fixed: vec![v.to_string()],
        listed,
        ..Remedy::default()
    })
}

/// requests CVE-2023-32681: GitHub's record has one ECOSYSTEM range
/// [2.3.0, 2.31.0); PyPA's has the same range, a GIT range and the list of
/// affected releases. Both agree wherever the ECOSYSTEM range decides.
#[test]
fn requests_ghsa_and_pysec_agree() {
    let (Some(ghsa), Some(pysec)) = (
        common::shared_record("pypi/GHSA-j8r2-6x86-q33q.json"),
        common::shared_record("pypi/PYSEC-2023-74.json"),
    ) else {
        return;
    };
    assert!(pysec.aliases.iter().any(|a| a == "CVE-2023-32681"));
    assert!(ghsa.aliases.iter().any(|a| a == "CVE-2023-32681"));
    let cases = [
        ("2.2.1", None),
        ("2.3.0", Some(true)),
        ("2.10.0", Some(true)),
        ("2.30.0", Some(true)),
        ("2.30.1", Some(false)),
        ("2.31.0", None),
        ("2.32.3", None),
    ];
    for (installed, affected_listed) in cases {
        let g = verdict(&ghsa, "requests", installed, &dotted);
        let p = verdict(&pysec, "requests", installed, &dotted);
        match affected_listed {
            None => {
                assert_eq!(g, Verdict::NotAffected { skipped: 0 }, "GHSA {installed}");
                assert_eq!(p, Verdict::NotAffected { skipped: 1 }, "PYSEC {installed}");
            }
            Some(listed) => {
                assert_eq!(g, fixed_in("2.31.0", false), "GHSA {installed}");
                assert_eq!(p, fixed_in("2.31.0", listed), "PYSEC {installed}");
            }
        }
    }
}

/// RUSTSEC-2020-0071 (time): one SEMVER range of eight introduced/fixed
/// pairs. Below 0.2.0 is affected; 0.2.1 to 0.2.6 are fixed releases
/// (each pair only covers that release's pre-releases); from 0.2.7 the fix
/// is 0.2.23.
#[test]
fn time_rustsec_2020_0071() {
    let Some(r) = common::shared_record("crates.io/RUSTSEC-2020-0071.json") else {
        return;
    };
    let not = Verdict::NotAffected { skipped: 0 };
    let cases = [
        ("0.1.0", fixed_in("0.2.0", false)),
        ("0.1.43", fixed_in("0.2.0", false)),
        ("0.2.0-alpha.1", fixed_in("0.2.0", false)),
        ("0.2.0", not.clone()),
        ("0.2.1-alpha.1", fixed_in("0.2.1", false)),
        ("0.2.1", not.clone()),
        ("0.2.4", not.clone()),
        ("0.2.6", not.clone()),
        ("0.2.7", fixed_in("0.2.23", false)),
        ("0.2.22", fixed_in("0.2.23", false)),
        ("0.2.23", not.clone()),
        ("0.3.17", not),
    ];
    for (installed, want) in cases {
        assert_eq!(
            verdict(&r, "time", installed, &semver),
            want,
            "time {installed}"
        );
    }
    // The dotted comparator cannot read `0.0.0-0`: an error, not a verdict.
    let entry = &r.affected[0];
    assert!(affected(entry, "0.1.43", &dotted).is_err());
}

/// GHSA-29mw-wpgm-hmr9: lodash is fixed in 4.17.21, lodash.trim has only a
/// `last_affected` of 4.5.1.
#[test]
fn lodash_fixed_and_last_affected() {
    let Some(r) = common::shared_record("npm/GHSA-29mw-wpgm-hmr9.json") else {
        return;
    };
    assert_eq!(
        verdict(&r, "lodash", "4.17.20", &dotted),
        fixed_in("4.17.21", false)
    );
    assert_eq!(
        verdict(&r, "lodash", "4.17.21", &dotted),
        Verdict::NotAffected { skipped: 0 }
    );
    let bounded = Verdict::Affected(Remedy {
        last_affected: vec!["4.5.1".into()],
        ..Remedy::default()
    });
    assert_eq!(verdict(&r, "lodash.trim", "4.5.1", &dotted), bounded);
    assert_eq!(verdict(&r, "lodash.trim", "3.0.0", &dotted), bounded);
    assert_eq!(
        verdict(&r, "lodash.trim", "4.5.2", &dotted),
        Verdict::NotAffected { skipped: 0 }
    );
}

/// Every SEMVER range of every crates.io record evaluates without an error
/// under a SemVer comparator, at each of its own event versions.
#[test]
fn every_crates_io_range_evaluates() {
    let Some(records) = common::shared_records() else {
        return;
    };
    let mut evaluated = 0;
    for (path, record) in &records {
        if !path.to_string_lossy().contains("crates.io") {
            continue;
        }
        for entry in &record.affected {
            for range in &entry.ranges {
                for event in &range.events {
                    let v = event.version();
                    if v == "0" {
                        continue;
                    }
                    affected(entry, v, &semver)
                        .unwrap_or_else(|e| panic!("{}: {v}: {e}", record.id));
                    evaluated += 1;
                }
            }
        }
    }
    assert!(evaluated > 2000, "{evaluated}");
}
