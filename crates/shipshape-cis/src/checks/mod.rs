//! The benchmark's checks, by section. Each check is declared once with
//! [`check!`]: its doc (the only documentation, read by `shipshape rule`),
//! its ids and its test on the [`Host`].

use shipshape_core::{RuleMeta, Status};

use crate::host::Host;

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
        pub static $name: $crate::checks::Check = $crate::checks::Check {
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

#[cfg(test)]
mod tests {
    use shipshape_core::RuleDoc;

    use crate::CHECKS;

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
