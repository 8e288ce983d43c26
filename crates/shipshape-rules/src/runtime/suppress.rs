//! Suppression comments in manifests: `# shipshape ignore=RT001,KSV017` on
//! the line of the finding or on the comment lines directly above it, and
//! `# shipshape global ignore=RT021` anywhere for the whole file. Ids are
//! rule ids or any alias; the comment is read by the parser Dockerfiles
//! use too ([`shipshape_core::pragma`]).

use shipshape_core::Finding;

/// The suppression comments of one YAML text.
#[derive(Debug, Default)]
pub struct Suppressions {
    /// (1-based line, ids) for each `ignore=` comment.
    local: Vec<(u32, Vec<String>)>,
    global: Vec<String>,
    /// Lines that hold only a comment.
    comment_lines: Vec<u32>,
}

impl Suppressions {
    pub fn parse(text: &str) -> Suppressions {
        let mut out = Suppressions::default();
        for (i, line) in text.lines().enumerate() {
            let number = i as u32 + 1;
            if line.trim_start().starts_with('#') {
                out.comment_lines.push(number);
            }
            let Some(pragma) = line
                .find("# shipshape ")
                .and_then(|at| line.get(at + 1..))
                .and_then(shipshape_core::pragma::parse)
            else {
                continue;
            };
            if pragma.global {
                out.global.extend(pragma.ids);
            } else {
                out.local.push((number, pragma.ids));
            }
        }
        out
    }

    /// Whether a comment silences `finding`.
    pub fn silences(&self, finding: &Finding) -> bool {
        let rule = finding.rule;
        if self.global.iter().any(|id| rule.answers_to(id)) {
            return true;
        }
        let Some(mut line) = finding.location.region().map(|r| r.start.line) else {
            return false;
        };
        let names = |line: u32| {
            self.local
                .iter()
                .any(|(l, ids)| *l == line && ids.iter().any(|id| rule.answers_to(id)))
        };
        if names(line) {
            return true;
        }
        while line > 1 {
            line -= 1;
            if !self.comment_lines.contains(&line) {
                return false;
            }
            if names(line) {
                return true;
            }
        }
        false
    }

    /// Drops the findings a comment silences.
    pub fn apply(&self, findings: &mut Vec<Finding>) {
        if !self.local.is_empty() || !self.global.is_empty() {
            findings.retain(|f| !self.silences(f));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::Suppressions;
    use crate::runtime::{RULES, check};

    fn remaining(yaml: &str) -> Vec<(&'static str, u32)> {
        let manifest =
            shipshape_runtime::read(yaml, "compose.yaml", &HashMap::new()).expect("reads");
        let mut found = check(&manifest.specs, RULES);
        Suppressions::parse(yaml).apply(&mut found);
        let mut ids: Vec<(&'static str, u32)> = found
            .iter()
            .filter(|f| matches!(f.rule.id, "RT001" | "RT008" | "RT013"))
            .map(|f| (f.rule.id, f.location.region().map_or(0, |r| r.start.line)))
            .collect();
        ids.sort_unstable();
        ids
    }

    #[test]
    fn comments_silence_their_line_and_the_next() {
        let yaml = "services:\n  a:\n    image: a:1\n    privileged: true # shipshape ignore=RT001\n    # the agent needs the host network\n    # shipshape ignore=HostNetwork,CIS-5.1\n    network_mode: host\n    volumes: [\"/var/run/docker.sock:/s\"]\n";
        assert_eq!(remaining(yaml), [("RT013", 8)]);
    }

    #[test]
    fn other_ids_and_distant_comments_do_not_silence() {
        let yaml = "services:\n  a:\n    image: a:1\n    # shipshape ignore=RT001\n    network_mode: host\n    privileged: true # shipshape ignore=RT008\n    pid: host # shipshape ignore=RT013\n    volumes: [\"/var/run/docker.sock:/s\"]\n";
        assert_eq!(remaining(yaml), [("RT001", 6), ("RT008", 5), ("RT013", 8)]);
    }

    #[test]
    fn global_comments_silence_the_whole_file() {
        let yaml = "# shipshape global ignore=DockerSock\nservices:\n  a:\n    image: a:1\n    volumes: [\"/var/run/docker.sock:/s\"]\n  b:\n    image: b:1\n    volumes: [\"/run/docker.sock:/s\"]\n";
        assert_eq!(remaining(yaml), []);
    }
}
