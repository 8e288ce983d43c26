//! The benchmark's checks, by section. Each check is declared once with
//! [`check!`]: its doc (the only documentation, read by `shipshape rule`),
//! its ids and its test on the [`Host`].

use shipshape_core::{RuleMeta, Status};

use shipshape_core::host::Host;

/// What a check saw.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub status: Status,
    /// One line per thing looked at.
    pub evidence: Vec<String>,
    /// What a WARN is about (a file, a daemon option), for its finding.
    pub subject: String,
}

impl Outcome {
    fn new(status: Status, subject: impl Into<String>, evidence: Vec<String>) -> Self {
        Outcome {
            status,
            evidence,
            subject: subject.into(),
        }
    }

    pub fn pass(evidence: impl Into<String>) -> Self {
        Outcome::new(Status::Pass, "", vec![evidence.into()])
    }

    pub fn warn(subject: impl Into<String>, evidence: impl Into<String>) -> Self {
        Outcome::new(Status::Warn, subject, vec![evidence.into()])
    }

    pub fn warn_all(subject: impl Into<String>, evidence: Vec<String>) -> Self {
        Outcome::new(Status::Warn, subject, evidence)
    }

    pub fn info(evidence: impl Into<String>) -> Self {
        Outcome::new(Status::Info, "", vec![evidence.into()])
    }

    pub fn note(evidence: impl Into<String>) -> Self {
        Outcome::new(Status::Note, "", vec![evidence.into()])
    }
}

/// A benchmark check.
pub struct Check {
    pub meta: RuleMeta,
    /// The benchmark's number (`2.2`).
    pub number: &'static str,
    /// Automated and counted in the score.
    pub scored: bool,
    /// How to comply, in one line.
    pub fix: &'static str,
    pub run: fn(&Host) -> Outcome,
}

/// Declares a check. The doc comment has the headings *What it does*,
/// *Why is this bad?*, *Use instead* and *References* (a test checks them).
macro_rules! check {
    (
        $(#[doc = $doc:literal])*
        $name:ident: $number:literal,
        title: $title:literal,
        severity: $sev:ident,
        scored: $scored:literal,
        fix: $fix:literal,
        run: $run:expr $(,)?
    ) => {
        $(#[doc = $doc])*
        pub static $name: $crate::cis::Check = $crate::cis::Check {
            meta: shipshape_core::RuleMeta {
                id: stringify!($name),
                name: concat!("cis-", $number),
                title: $title,
                severity: shipshape_core::Severity::$sev,
                aliases: &[concat!("CIS-", $number)],
                doc: concat!($($doc, "\n"),*),
            },
            number: $number,
            scored: $scored,
            fix: $fix,
            run: $run,
        };
    };
}

pub mod run;
pub mod s1_host;
pub mod s2_daemon;
pub mod s3_files;
pub mod s4_images;
pub mod s5_containers;
pub mod s6_operations;
pub mod s7_swarm;

/// The benchmark's sections, by their first number.
pub const SECTIONS: &[(&str, &str)] = &[
    ("1", "1 Host configuration"),
    ("2", "2 Docker daemon configuration"),
    ("3", "3 Docker daemon configuration files"),
    ("4", "4 Container images and build file"),
    ("5", "5 Container runtime"),
    ("6", "6 Docker security operations"),
    ("7", "7 Docker Swarm configuration"),
];

/// The title of the section a check number is in.
pub fn section_of(number: &str) -> &'static str {
    let first = number.split('.').next().unwrap_or(number);
    SECTIONS
        .iter()
        .find(|(n, _)| *n == first)
        .map_or("", |(_, title)| title)
}

pub use run::{Selection, run};

/// The benchmark version the checks follow.
pub const BENCHMARK: &str = "CIS Docker Benchmark v1.6.0";

/// Every check, in benchmark order.
pub static CHECKS: &[&Check] = &[
    &s1_host::DH101,
    &s1_host::DH102,
    &s1_host::DH103,
    &s1_host::DH104,
    &s1_host::DH105,
    &s1_host::DH106,
    &s1_host::DH107,
    &s1_host::DH108,
    &s1_host::DH109,
    &s1_host::DH110,
    &s1_host::DH111,
    &s1_host::DH112,
    &s1_host::DH113,
    &s1_host::DH114,
    &s1_host::DH115,
    &s1_host::DH116,
    &s1_host::DH117,
    &s1_host::DH118,
    &s1_host::DH121,
    &s1_host::DH122,
    &s2_daemon::DH201,
    &s2_daemon::DH202,
    &s2_daemon::DH203,
    &s2_daemon::DH204,
    &s2_daemon::DH205,
    &s2_daemon::DH206,
    &s2_daemon::DH207,
    &s2_daemon::DH208,
    &s2_daemon::DH209,
    &s2_daemon::DH210,
    &s2_daemon::DH211,
    &s2_daemon::DH212,
    &s2_daemon::DH213,
    &s2_daemon::DH214,
    &s2_daemon::DH215,
    &s2_daemon::DH216,
    &s2_daemon::DH217,
    &s2_daemon::DH218,
    &s3_files::DH301,
    &s3_files::DH302,
    &s3_files::DH303,
    &s3_files::DH304,
    &s3_files::DH305,
    &s3_files::DH306,
    &s3_files::DH307,
    &s3_files::DH308,
    &s3_files::DH309,
    &s3_files::DH310,
    &s3_files::DH311,
    &s3_files::DH312,
    &s3_files::DH313,
    &s3_files::DH314,
    &s3_files::DH315,
    &s3_files::DH316,
    &s3_files::DH317,
    &s3_files::DH318,
    &s3_files::DH319,
    &s3_files::DH320,
    &s3_files::DH321,
    &s3_files::DH322,
    &s3_files::DH323,
    &s3_files::DH324,
    &s4_images::DH401,
    &s4_images::DH402,
    &s4_images::DH403,
    &s4_images::DH404,
    &s4_images::DH405,
    &s4_images::DH406,
    &s4_images::DH407,
    &s4_images::DH408,
    &s4_images::DH409,
    &s4_images::DH410,
    &s4_images::DH411,
    &s4_images::DH412,
    &s5_containers::DH501,
    &s5_containers::DH502,
    &s5_containers::DH503,
    &s5_containers::DH504,
    &s5_containers::DH505,
    &s5_containers::DH506,
    &s5_containers::DH507,
    &s5_containers::DH508,
    &s5_containers::DH509,
    &s5_containers::DH510,
    &s5_containers::DH511,
    &s5_containers::DH512,
    &s5_containers::DH513,
    &s5_containers::DH514,
    &s5_containers::DH515,
    &s5_containers::DH516,
    &s5_containers::DH517,
    &s5_containers::DH518,
    &s5_containers::DH519,
    &s5_containers::DH520,
    &s5_containers::DH521,
    &s5_containers::DH522,
    &s5_containers::DH523,
    &s5_containers::DH524,
    &s5_containers::DH525,
    &s5_containers::DH526,
    &s5_containers::DH527,
    &s5_containers::DH528,
    &s5_containers::DH529,
    &s5_containers::DH530,
    &s5_containers::DH531,
    &s5_containers::DH532,
    &s6_operations::DH601,
    &s6_operations::DH602,
    &s7_swarm::DH701,
    &s7_swarm::DH702,
    &s7_swarm::DH703,
    &s7_swarm::DH704,
    &s7_swarm::DH705,
    &s7_swarm::DH706,
    &s7_swarm::DH707,
    &s7_swarm::DH708,
    &s7_swarm::DH709,
];

#[cfg(test)]
mod tests {
    use shipshape_core::RuleDoc;

    use crate::cis::CHECKS;

    #[test]
    fn every_check_is_documented_and_numbered_in_order() {
        let mut problems = Vec::new();
        let mut last: Vec<u32> = Vec::new();
        for check in CHECKS {
            let md = check.meta.markdown();
            let doc = RuleDoc::parse(&md);
            for (name, section) in [
                ("What it does", doc.what_it_does),
                ("Why is this bad?", doc.why_bad),
                ("Use instead", doc.use_instead),
                ("References", doc.references),
            ] {
                if section.is_empty() {
                    problems.push(format!("{}: doc has no `## {name}`", check.meta.id));
                }
            }
            let number: Vec<u32> = check
                .number
                .split('.')
                .filter_map(|n| n.parse().ok())
                .collect();
            if number <= last {
                problems.push(format!("{} is out of order", check.number));
            }
            last = number;
            if check.fix.is_empty() {
                problems.push(format!("{}: no fix", check.meta.id));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    /// No two checks share a doc: each says what it looks at and why.
    #[test]
    fn every_check_has_its_own_doc() {
        let mut seen: std::collections::BTreeMap<String, Vec<&str>> = Default::default();
        for check in CHECKS {
            let md = check.meta.markdown();
            let doc = RuleDoc::parse(&md);
            for section in [doc.what_it_does, doc.why_bad] {
                seen.entry(section.to_string())
                    .or_default()
                    .push(check.meta.id);
            }
        }
        let shared: Vec<String> = seen
            .into_iter()
            .filter(|(_, ids)| ids.len() > 1)
            .map(|(text, ids)| format!("{ids:?} share: {text}"))
            .collect();
        assert!(shared.is_empty(), "{}", shared.join("\n"));
    }
}
