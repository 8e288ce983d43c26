use crate::{Report, RuleMeta, Severity};

/// What the user asked to leave out or re-rate: `--ignore`, config
/// `ignored:` and severity overrides, `--severity`. Applied once to a
/// report, whatever produced it.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// Rule ids or aliases to drop.
    pub ignore: Vec<String>,
    /// (rule id or alias, new severity).
    pub overrides: Vec<(String, Severity)>,
    /// Only keep findings of these severities (after overrides); empty: all.
    pub severities: Vec<Severity>,
    /// Drop vulnerabilities that have no fixed version yet.
    pub ignore_unfixed: bool,
}

/// Whether `id` looks like a vulnerability id (which names no rule).
pub fn is_vulnerability_id(id: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "CVE-", "GHSA-", "PYSEC-", "RUSTSEC-", "GO-", "DSA-", "DLA-", "DTSA-", "USN-", "UBUNTU-",
        "ALSA-", "ALBA-", "ALEA-", "RLSA-", "OSV-", "MAL-", "BIT-", "RSEC-", "TEMP-",
    ];
    let upper = id.to_ascii_uppercase();
    PREFIXES.iter().any(|p| upper.starts_with(p))
}

impl Policy {
    /// Whether `--ignore` (or the config) leaves out the findings of `rule`.
    pub fn ignores(&self, rule: &RuleMeta) -> bool {
        self.ignore.iter().any(|id| rule.answers_to(id))
    }

    /// How many findings, not ignored, the severity filter will leave out
    /// (their severity after overrides is not one asked for).
    pub fn hidden_by_severity(&self, report: &Report) -> usize {
        if self.severities.is_empty() {
            return 0;
        }
        report
            .findings()
            .filter(|f| !self.ignores(f.rule))
            .filter(|f| !self.severities.contains(&self.severity_of(f)))
            .count()
    }

    /// A finding's severity once the overrides are applied.
    fn severity_of(&self, f: &crate::Finding) -> crate::Severity {
        self.overrides
            .iter()
            .rev()
            .find(|(id, _)| f.rule.answers_to(id))
            .map_or(f.severity, |(_, sev)| *sev)
    }

    /// Drops the findings of ignored rules and gives the rest their
    /// overridden severities.
    pub fn settle(&self, findings: &mut Vec<crate::Finding>) {
        findings.retain(|f| !self.ignores(f.rule));
        for f in findings.iter_mut() {
            f.severity = self.severity_of(f);
        }
    }

    /// [`Policy::settle`], then only the findings of the severities asked
    /// for.
    pub fn keep(&self, findings: &mut Vec<crate::Finding>) {
        self.settle(findings);
        if !self.severities.is_empty() {
            findings.retain(|f| self.severities.contains(&f.severity));
        }
    }

    /// Applies the policy in place.
    pub fn apply(&self, report: &mut Report) {
        for target in &mut report.targets {
            self.keep(&mut target.findings);
            target.vulnerabilities.retain(|v| {
                let ignored = self.ignore.iter().any(|id| v.is_named(id));
                let unfixed = self.ignore_unfixed && v.fixed.is_none();
                !ignored
                    && !unfixed
                    && (self.severities.is_empty()
                        || self.severities.contains(&v.effective_severity()))
            });
        }
        report.checks.retain(|c| !self.ignores(c.rule));
    }

    /// Entries of `ignore` and `overrides` that name no rule in `rules`.
    pub fn unknown_ids<'a>(&'a self, rules: &[&RuleMeta]) -> Vec<&'a str> {
        self.ignore
            .iter()
            .chain(self.overrides.iter().map(|(id, _)| id))
            .filter(|id| !rules.iter().any(|r| r.answers_to(id)) && !is_vulnerability_id(id))
            .map(String::as_str)
            .collect()
    }
}
