//! The one registry of every rule: each id once, with the aliases that
//! answer to it; a group alias (a benchmark number, a peer's id, a former
//! id now split in two) names several rules on purpose.

use shipshape_core::RuleMeta;

/// Every rule of every area: Dockerfile, runtime, image, CIS. A rule
/// checked on several sources is listed once, by the area whose rule it is.
pub fn all() -> Vec<&'static RuleMeta> {
    crate::dockerfile::RULES
        .iter()
        .map(|r| r.meta)
        .chain(crate::runtime::metas())
        .chain(crate::image::metas())
        .chain(crate::cis::CHECKS.iter().map(|c| &c.meta))
        .collect()
}

/// Aliases that name several rules on purpose: a benchmark number or a
/// peer's id covering checks that shipshape makes on several sources or
/// splits in two (`CIS-4.1` is the Dockerfile's, the image's and the
/// host's "runs as root"; trivy's `DS001` is both "no tag" and "latest").
/// `shipshape rule` of such an alias lists every rule it names, and
/// `--ignore` of it leaves them all out.
pub const GROUP_ALIAS_PREFIXES: &[&str] = &["CIS-", "DKL-DI-", "DS", "AVD-DS-"];

/// Former ids (and names) that now name more than one rule: IM001 and
/// RT006, the image and runtime rules for "runs as root", are both "no
/// USER" (DF021) and "USER root" (DF020); IM002 and IM010, credentials in
/// the image's environment and build arguments, are both "a credential's
/// name" (DF030) and "a credential's shape" (DF031).
pub const GROUP_ALIASES: &[&str] = &[
    "IM001",
    "RT006",
    "runs-as-root",
    "IM002",
    "secret-in-image-env",
    "IM010",
    "history-build-arg-secret",
];

/// Whether `alias` is a declared group alias.
pub fn is_group_alias(alias: &str) -> bool {
    GROUP_ALIASES.iter().any(|g| g.eq_ignore_ascii_case(alias))
        || GROUP_ALIAS_PREFIXES.iter().any(|p| {
            alias
                .get(..p.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(p))
        })
}

/// The rules `id` names: the rule whose own id it is, else every rule
/// that answers to it (by name or alias; a group alias names several).
pub fn named(id: &str) -> Vec<&'static RuleMeta> {
    let rules = all();
    if let Some(own) = rules.iter().find(|r| r.id.eq_ignore_ascii_case(id))
        && !is_group_alias(id)
    {
        return vec![own];
    }
    rules.into_iter().filter(|r| r.answers_to(id)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use shipshape_core::Policy;
    use std::collections::{BTreeMap, BTreeSet};

    /// Every id and name belongs to one rule and is no other rule's alias;
    /// an alias shared by several rules is a declared group.
    #[test]
    fn ids_are_unique_and_shared_aliases_are_declared_groups() {
        let rules = all();
        let mut own: BTreeMap<String, &str> = BTreeMap::new();
        for r in &rules {
            let prior = own.insert(r.id.to_ascii_uppercase(), r.id);
            assert!(prior.is_none(), "id {} is taken twice", r.id);
        }
        let mut holders: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
        for r in &rules {
            holders
                .entry(r.name.to_ascii_uppercase())
                .or_default()
                .insert(r.id);
            for a in r.aliases {
                holders
                    .entry(a.to_ascii_uppercase())
                    .or_default()
                    .insert(r.id);
            }
        }
        let mut undeclared = Vec::new();
        for (alias, ids) in &mut holders {
            if let Some(id) = own.get(alias) {
                assert!(
                    !ids.contains(id),
                    "{alias} is {id}'s id and its own alias or name"
                );
                ids.insert(id);
            }
            if ids.len() > 1 && !is_group_alias(alias) {
                undeclared.push(format!("{alias} is shared by {ids:?}"));
            }
        }
        assert!(undeclared.is_empty(), "{}", undeclared.join("\n"));
    }

    /// `--ignore CIS-x.y` leaves out what the check reports: its own
    /// finding and those of every rule it runs.
    #[test]
    fn every_cis_number_names_its_check_and_the_rules_it_runs() {
        for check in crate::cis::CHECKS {
            let alias = format!("CIS-{}", check.number);
            let listed: BTreeSet<&str> = named(&alias).iter().map(|r| r.id).collect();
            assert!(
                listed.contains(check.meta.id),
                "{alias} misses {}",
                check.meta.id
            );
            for id in crate::cis::s5_containers::rules_of(check.number) {
                assert!(
                    listed.contains(id),
                    "{alias} misses {id}, which the check runs"
                );
            }
            let policy = Policy {
                ignore: vec![alias.clone()],
                ..Policy::default()
            };
            for r in named(&alias) {
                assert!(policy.ignores(r), "--ignore {alias} keeps {}", r.id);
            }
        }
    }

    /// A rule id written in any doc names a rule that exists (by its id, or
    /// by the alias a merged rule left).
    #[test]
    fn docs_cite_only_rules_that_exist() {
        let rules = all();
        let known: BTreeSet<&str> = rules
            .iter()
            .flat_map(|r| std::iter::once(r.id).chain(r.aliases.iter().copied()))
            .collect();
        let mut unknown = Vec::new();
        for r in &rules {
            for word in r.doc.split(|c: char| !c.is_ascii_alphanumeric()) {
                let cited = word.len() == 5
                    && ["DF", "IM", "RT", "DH"].iter().any(|p| word.starts_with(p))
                    && word[2..].bytes().all(|b| b.is_ascii_digit());
                if cited && !known.contains(word) {
                    unknown.push(format!("{} cites {word}", r.id));
                }
            }
        }
        assert!(unknown.is_empty(), "{}", unknown.join("\n"));
    }
}
