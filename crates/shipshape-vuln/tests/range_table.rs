//! OSV range evaluation, case by case, with expectations worked out by
//! hand from the schema's algorithm. Versions are dotted numbers compared
//! number by number (`1.10 > 1.9`, `1.0 == 1.0.0`).

mod common;

use common::dotted;
use shipshape_vuln::osv::{Affected, Event, Range, RangeKind};
use shipshape_vuln::range::{Remedy, Verdict, affected};

fn event(kind: &str, v: &str) -> Event {
    let v = v.to_string();
    match kind {
        "introduced" => Event::Introduced(v),
        "fixed" => Event::Fixed(v),
        "last_affected" => Event::LastAffected(v),
        "limit" => Event::Limit(v),
        other => panic!("event kind {other}"),
    }
}

fn range(kind: RangeKind, events: &[(&str, &str)]) -> Range {
    Range {
        kind,
        repo: None,
        events: events.iter().map(|(k, v)| event(k, v)).collect(),
        database_specific: None,
    }
}

fn ecosystem(events: &[(&str, &str)]) -> Range {
    range(RangeKind::Ecosystem, events)
}

fn entry(ranges: Vec<Range>, versions: &[&str]) -> Affected {
    Affected {
        package: None,
        severity: Vec::new(),
        ranges,
        versions: versions.iter().map(|v| v.to_string()).collect(),
        ecosystem_specific: None,
        database_specific: None,
    }
}

fn eval(a: &Affected, installed: &str) -> Verdict {
    affected(a, installed, &dotted).unwrap_or_else(|e| panic!("{installed}: {e}"))
}

fn fixed_in(versions: &[&str]) -> Verdict {
    Verdict::Affected(Remedy {
        fixed: versions.iter().map(|v| v.to_string()).collect(),
        ..Remedy::default()
    })
}

fn unfixed() -> Verdict {
    Verdict::Affected(Remedy {
        unfixed: true,
        ..Remedy::default()
    })
}

const NOT: Verdict = Verdict::NotAffected { skipped: 0 };

/// Checks each `(installed, expected)` pair.
fn table(a: &Affected, cases: &[(&str, Verdict)]) {
    for (installed, want) in cases {
        assert_eq!(&eval(a, installed), want, "installed {installed}");
    }
}

#[test]
fn introduced_and_fixed() {
    let a = entry(
        vec![ecosystem(&[("introduced", "1.0"), ("fixed", "2.0")])],
        &[],
    );
    table(
        &a,
        &[
            ("0.9", NOT),
            ("1.0", fixed_in(&["2.0"])),
            ("1.0.0", fixed_in(&["2.0"])),
            ("1.9.9", fixed_in(&["2.0"])),
            ("2.0", NOT),
            ("2.0.1", NOT),
            ("10.0", NOT),
        ],
    );
}

#[test]
fn introduced_zero_is_below_every_version() {
    let a = entry(
        vec![ecosystem(&[("introduced", "0"), ("fixed", "1.5")])],
        &[],
    );
    table(
        &a,
        &[
            ("0", fixed_in(&["1.5"])),
            ("0.0.1", fixed_in(&["1.5"])),
            ("1.4", fixed_in(&["1.5"])),
            ("1.5", NOT),
        ],
    );
    let every = entry(vec![ecosystem(&[("introduced", "0")])], &[]);
    table(&every, &[("0", unfixed()), ("99.1", unfixed())]);
}

/// Some feeds write `fixed: "0"` for "never affected".
#[test]
fn introduced_zero_fixed_zero_affects_nothing() {
    let a = entry(vec![ecosystem(&[("introduced", "0"), ("fixed", "0")])], &[]);
    table(&a, &[("0", NOT), ("0.1", NOT), ("1.0", NOT), ("100", NOT)]);
    let reversed = entry(vec![ecosystem(&[("fixed", "0"), ("introduced", "0")])], &[]);
    table(&reversed, &[("0", NOT), ("3.2", NOT)]);
}

#[test]
fn introduced_and_fixed_at_the_same_version_is_empty() {
    let a = entry(
        vec![ecosystem(&[("fixed", "1.2"), ("introduced", "1.2")])],
        &[],
    );
    table(&a, &[("1.1", NOT), ("1.2", NOT), ("1.3", NOT)]);
}

/// The schema's `last_affected` example: up to and including 2.1.214.
#[test]
fn last_affected_is_inclusive() {
    let a = entry(
        vec![ecosystem(&[
            ("introduced", "0"),
            ("last_affected", "2.1.214"),
        ])],
        &[],
    );
    let bounded = Verdict::Affected(Remedy {
        last_affected: vec!["2.1.214".into()],
        ..Remedy::default()
    });
    table(
        &a,
        &[
            ("1.0", bounded.clone()),
            ("2.1.214", bounded.clone()),
            ("2.1.215", NOT),
            ("3", NOT),
        ],
    );
    let Verdict::Affected(remedy) = bounded else {
        unreachable!()
    };
    assert_eq!(remedy.fixed_versions(), None, "last_affected names no fix");
}

/// The schema's multiple-range example: [1.0.0, 1.0.2) or [3.0.0, 3.2.5).
#[test]
fn several_introduced_fixed_pairs_in_one_range() {
    let a = entry(
        vec![range(
            RangeKind::Semver,
            &[
                ("introduced", "1.0.0"),
                ("fixed", "1.0.2"),
                ("introduced", "3.0.0"),
                ("fixed", "3.2.5"),
            ],
        )],
        &[],
    );
    table(
        &a,
        &[
            ("0.9.9", NOT),
            ("1.0.0", fixed_in(&["1.0.2"])),
            ("1.0.1", fixed_in(&["1.0.2"])),
            ("1.0.2", NOT),
            ("2.5.0", NOT),
            ("3.0.0", fixed_in(&["3.2.5"])),
            ("3.2.4", fixed_in(&["3.2.5"])),
            ("3.2.5", NOT),
            ("4.0.0", NOT),
        ],
    );
}

#[test]
fn events_in_any_order() {
    let a = entry(
        vec![ecosystem(&[
            ("fixed", "3.2.5"),
            ("introduced", "3.0.0"),
            ("fixed", "1.0.2"),
            ("introduced", "1.0.0"),
        ])],
        &[],
    );
    table(
        &a,
        &[
            ("1.0.1", fixed_in(&["1.0.2"])),
            ("2.0", NOT),
            ("3.1", fixed_in(&["3.2.5"])),
        ],
    );
}

#[test]
fn reintroduced_without_a_fix() {
    let a = entry(
        vec![ecosystem(&[
            ("introduced", "0"),
            ("fixed", "1.0"),
            ("introduced", "2.0"),
        ])],
        &[],
    );
    table(
        &a,
        &[
            ("0.5", fixed_in(&["1.0"])),
            ("1.5", NOT),
            ("2.0", unfixed()),
            ("7", unfixed()),
        ],
    );
}

/// Two introduced before one fixed: the fix is the next fixed above.
#[test]
fn the_fix_is_the_smallest_fixed_above_the_version() {
    let a = entry(
        vec![ecosystem(&[
            ("introduced", "1.0"),
            ("introduced", "1.5"),
            ("fixed", "3.0"),
            ("fixed", "2.0"),
        ])],
        &[],
    );
    table(
        &a,
        &[
            ("1.2", fixed_in(&["2.0"])),
            ("1.7", fixed_in(&["2.0"])),
            ("2.0", NOT),
            ("2.5", NOT),
        ],
    );
}

#[test]
fn ranges_are_ored_and_fixes_collected() {
    let a = entry(
        vec![
            ecosystem(&[("introduced", "1.0"), ("fixed", "2.0")]),
            ecosystem(&[("introduced", "1.5"), ("fixed", "3.0")]),
            ecosystem(&[("introduced", "5.0")]),
        ],
        &[],
    );
    table(
        &a,
        &[
            ("0.5", NOT),
            ("1.2", fixed_in(&["2.0"])),
            ("1.7", fixed_in(&["2.0", "3.0"])),
            ("2.5", fixed_in(&["3.0"])),
            ("3.0", NOT),
            ("5.1", unfixed()),
        ],
    );
    let Verdict::Affected(remedy) = eval(&a, "1.7") else {
        panic!("1.7 is affected")
    };
    assert_eq!(
        remedy.fixed_versions(),
        Some(&["2.0".to_string(), "3.0".to_string()][..])
    );
}

/// Versions at or above a limit are outside the range, for any range type.
#[test]
fn limit_bounds_the_range() {
    let a = entry(
        vec![ecosystem(&[("introduced", "1.0"), ("limit", "2.0")])],
        &[],
    );
    table(
        &a,
        &[("0.5", NOT), ("1.5", unfixed()), ("2.0", NOT), ("3.0", NOT)],
    );
    let with_fix = entry(
        vec![ecosystem(&[
            ("introduced", "1.0"),
            ("fixed", "3.0"),
            ("limit", "2.0"),
        ])],
        &[],
    );
    table(
        &with_fix,
        &[("1.5", fixed_in(&["3.0"])), ("2.5", NOT), ("3.5", NOT)],
    );
    let two_limits = entry(
        vec![ecosystem(&[
            ("introduced", "0"),
            ("limit", "1.0"),
            ("limit", "3.0"),
        ])],
        &[],
    );
    table(
        &two_limits,
        &[("0.5", unfixed()), ("2.0", unfixed()), ("3.0", NOT)],
    );
    let star = entry(
        vec![ecosystem(&[("introduced", "1.0"), ("limit", "*")])],
        &[],
    );
    table(
        &star,
        &[("0.1", NOT), ("1.0", unfixed()), ("999", unfixed())],
    );
}

/// The versions list matches by exact string, as the schema's algorithm.
#[test]
fn explicit_versions_list() {
    let a = entry(Vec::new(), &["1.4", "2.0.1"]);
    let listed = Verdict::Affected(Remedy {
        listed: true,
        ..Remedy::default()
    });
    table(
        &a,
        &[
            ("1.4", listed.clone()),
            ("2.0.1", listed.clone()),
            ("1.4.0", NOT),
            ("2.0", NOT),
        ],
    );
    let Verdict::Affected(remedy) = eval(&a, "1.4") else {
        panic!("listed")
    };
    assert_eq!(remedy.fixed_versions(), None, "a list names no fix");

    let both = entry(
        vec![ecosystem(&[("introduced", "1.0"), ("fixed", "1.5")])],
        &["1.2", "9.0"],
    );
    table(
        &both,
        &[
            (
                "1.2",
                Verdict::Affected(Remedy {
                    fixed: vec!["1.5".into()],
                    listed: true,
                    ..Remedy::default()
                }),
            ),
            ("1.3", fixed_in(&["1.5"])),
            ("9.0", listed),
            ("9.1", NOT),
        ],
    );
}

#[test]
fn git_ranges_are_not_evaluated() {
    let git = || {
        let mut r = range(
            RangeKind::Git,
            &[
                ("introduced", "0"),
                ("fixed", "74ea7cf7a6a27a4eeb2ae24e162bcc942a6706d5"),
            ],
        );
        r.repo = Some("https://github.com/psf/requests".into());
        r
    };
    let only_git = entry(vec![git()], &[]);
    assert_eq!(eval(&only_git, "1.0"), Verdict::NotEvaluated { skipped: 1 });

    let git_and_list = entry(vec![git()], &["2.30.0"]);
    assert!(eval(&git_and_list, "2.30.0").is_affected());
    assert_eq!(
        eval(&git_and_list, "2.31.0"),
        Verdict::NotAffected { skipped: 1 }
    );

    let git_and_ecosystem = entry(
        vec![
            git(),
            ecosystem(&[("introduced", "2.3.0"), ("fixed", "2.31.0")]),
        ],
        &[],
    );
    assert_eq!(eval(&git_and_ecosystem, "2.30.0"), fixed_in(&["2.31.0"]));
    assert_eq!(
        eval(&git_and_ecosystem, "2.31.0"),
        Verdict::NotAffected { skipped: 1 }
    );

    let unknown = entry(
        vec![range(
            RangeKind::Other("NEW".into()),
            &[("introduced", "0")],
        )],
        &[],
    );
    assert_eq!(eval(&unknown, "1.0"), Verdict::NotEvaluated { skipped: 1 });
}

#[test]
fn an_empty_entry_cannot_be_evaluated() {
    assert_eq!(
        eval(&entry(Vec::new(), &[]), "1.0"),
        Verdict::NotEvaluated { skipped: 0 }
    );
}

/// A version the comparator rejects is an error, never "not affected".
#[test]
fn comparison_errors_surface() {
    let a = entry(
        vec![ecosystem(&[("introduced", "1.0"), ("fixed", "2.0")])],
        &[],
    );
    let err = affected(&a, "1.x", &dotted).expect_err("1.x cannot be compared");
    assert_eq!(err.range, 0);
    assert_eq!(err.left, "1.x");
    let message = err.to_string();
    assert!(
        message.contains("range 0: cannot compare `1.x` with"),
        "{message}"
    );
    assert!(
        message.contains("`1.x` is not a dotted number"),
        "{message}"
    );

    let bad_event = entry(
        vec![ecosystem(&[("introduced", "1.0"), ("fixed", "2.0-beta")])],
        &[],
    );
    let err = affected(&bad_event, "1.5", &dotted).expect_err("2.0-beta cannot be compared");
    assert!(err.to_string().contains("2.0-beta"), "{err}");
    // Not affected per the introduced event alone, but the unreadable fixed
    // event still makes it an error rather than a silent answer.
    let err = affected(&bad_event, "0.5", &dotted).expect_err("still an error below");
    assert!(err.to_string().contains("2.0-beta"), "{err}");

    let bad_limit = entry(
        vec![ecosystem(&[("introduced", "0"), ("limit", "v2")])],
        &[],
    );
    assert!(affected(&bad_limit, "1.0", &dotted).is_err());
}

/// When another range already shows the version affected, the verdict
/// stands and the failure is kept with it.
#[test]
fn a_comparison_error_does_not_hide_a_match() {
    let a = entry(
        vec![
            ecosystem(&[("introduced", "1.0"), ("fixed", "oops")]),
            ecosystem(&[("introduced", "1.0"), ("fixed", "2.0")]),
        ],
        &[],
    );
    let Verdict::Affected(remedy) = eval(&a, "1.5") else {
        panic!("affected by the second range")
    };
    assert_eq!(remedy.fixed, ["2.0"]);
    assert_eq!(remedy.incomplete.len(), 1);
    assert!(
        remedy.incomplete[0].contains("oops"),
        "{:?}",
        remedy.incomplete
    );
    // Outside the readable range the failure decides: an error.
    assert!(affected(&a, "2.5", &dotted).is_err());
}
