//! Running the benchmark: every selected check on the host, section 5 as
//! the runtime rules on each container.

use shipshape_core::{CheckResult, Finding, Location, Status};

use crate::cis::{Check, s5_containers, section_of};
use shipshape_core::host::Host;

/// Which checks to run: `--section 2,3` and `--check 2.2,5.10` (numbers or
/// check ids); empty runs everything.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub sections: Vec<String>,
    pub checks: Vec<String>,
}

impl Selection {
    pub fn wants(&self, number: &str, id: &str) -> bool {
        if self.sections.is_empty() && self.checks.is_empty() {
            return true;
        }
        let section = number.split('.').next().unwrap_or(number);
        self.sections.iter().any(|s| s == section)
            || self.checks.iter().any(|c| names(c, number, id))
    }

    /// The sections and checks the selection asks for that none of
    /// `checks` is: a typo is an error, not an empty run.
    pub fn unknown(&self, checks: &[&'static Check]) -> Vec<String> {
        let sections = self
            .sections
            .iter()
            .filter(|s| {
                !checks
                    .iter()
                    .any(|c| c.number.split('.').next() == Some(s.as_str()))
            })
            .map(|s| format!("section {s}"));
        let named = self
            .checks
            .iter()
            .filter(|n| !checks.iter().any(|c| names(n, c.number, c.meta.id)))
            .map(|n| format!("check {n}"));
        sections.chain(named).collect()
    }
}

/// Whether `--check` value `c` names the check `number` (`id`): its number,
/// its id, or a group of numbers (`2` for 2.x, `5.2` for 5.2.x).
fn names(c: &str, number: &str, id: &str) -> bool {
    c == number || c.eq_ignore_ascii_case(id) || number.starts_with(&format!("{c}."))
}

/// Runs the checks of `checks` that `selection` wants. A WARN also gives
/// a finding on the host, so policies and exit codes treat it as any
/// other finding.
pub fn run(
    host: &Host,
    checks: &[&'static Check],
    selection: &Selection,
) -> (Vec<CheckResult>, Vec<Finding>) {
    let mut results = Vec::new();
    let mut findings = Vec::new();
    for check in checks {
        if !selection.wants(check.number, check.meta.id) {
            continue;
        }
        let outcome = (check.run)(host);
        let rules = s5_containers::rules_of(check.number);
        let by_rules = if outcome.status == Status::Warn && !rules.is_empty() {
            s5_containers::findings_of(host, &rules)
        } else {
            Vec::new()
        };
        if !by_rules.is_empty() {
            // The runtime rules' findings, on each container and field.
            findings.extend(by_rules);
        } else if outcome.status == Status::Warn {
            let subject = if outcome.subject.is_empty() {
                format!("CIS {}", check.number)
            } else {
                outcome.subject.clone()
            };
            findings.push(Finding::new(
                &check.meta,
                outcome.evidence.join("; "),
                Location::Host { subject },
            ));
        }
        results.push(CheckResult {
            number: check.number,
            section: section_of(check.number),
            rule: &check.meta,
            title: check.meta.title,
            status: outcome.status,
            scored: check.scored,
            evidence: outcome.evidence,
            fix: check.fix,
        });
    }
    (results, findings)
}
