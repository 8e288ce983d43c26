//! Matching an inventory against the advisory database.
//!
//! Each package is looked up under the ecosystem and name its advisories
//! use: distro packages by the distro release (`Debian:12`,
//! `Alpine:v3.20`, `Ubuntu:22.04:LTS`) and, where the distro keys its
//! advisories so, by source package and source version; language packages
//! by their registry (`PyPI` with PEP 503 names, `npm`, `Go`, `crates.io`,
//! `Maven` as `group:artifact`, `RubyGems`, `Packagist`). Every stored
//! `affected` entry is evaluated with the OSV algorithm and the
//! ecosystem's own version order. Withdrawn advisories are skipped and
//! counted. Advisories that are one vulnerability (a CVE, its DSA, its
//! GHSA: one lists the other among its aliases) are merged into one
//! finding listing every id.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

use shipshape_core::Severity;
use shipshape_core::inventory::{Found, Inventory, Os, Package};
use shipshape_core::vuln::{Cvss, Vulnerability};
use shipshape_versions::{Ecosystem, Version};

use crate::cvss;
use crate::db::{Advisory, Db, DbError};
use crate::range::Verdict;

/// What matching found, and what it could not decide.
#[derive(Debug, Default)]
pub struct Matched {
    pub vulnerabilities: Vec<Vulnerability>,
    /// Withdrawn advisories that matched and were left out.
    pub withdrawn: usize,
    /// Packages of an ecosystem no advisory source covers (`rpm` on a
    /// distro without an OSV feed), by ecosystem: their count.
    pub uncovered: Vec<(String, usize)>,
    /// Entries that could not be evaluated, with why.
    pub notes: Vec<String>,
}

/// How one package is looked up and compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// The OSV ecosystem (`Debian:12`).
    pub ecosystem: String,
    /// The names advisories may use, in order (source package first for
    /// distros keyed by source).
    pub names: Vec<String>,
    /// The version advisories compare against.
    pub version: String,
    pub order: Ecosystem,
}

pub use crate::drivers::distro_ecosystem;

/// How to look `p` up, or `None` when no advisory ecosystem covers it:
/// the driver of its package type decides ([`crate::drivers`]).
pub fn key(p: &Package, os: Option<&Os>) -> Option<Key> {
    crate::drivers::driver_for(p.ecosystem)?.key(p, os)
}

/// Debian urgency, Ubuntu priority or GHSA rating as a severity; `None`
/// for "not yet assigned" and unknown words.
pub fn rating(word: &str) -> Option<Severity> {
    let word = word.trim().trim_end_matches('*');
    let is = |w: &str| word.eq_ignore_ascii_case(w);
    if is("critical") {
        Some(Severity::Critical)
    } else if is("high") || is("important") {
        Some(Severity::High)
    } else if is("medium") || is("moderate") {
        Some(Severity::Medium)
    } else if is("low") {
        Some(Severity::Low)
    } else if is("unimportant") || is("negligible") || is("end-of-life") {
        Some(Severity::Info)
    } else {
        None
    }
}

fn from_cvss_rating(r: cvss::Rating) -> Severity {
    match r {
        cvss::Rating::Critical => Severity::Critical,
        cvss::Rating::High => Severity::High,
        cvss::Rating::Medium => Severity::Medium,
        cvss::Rating::Low => Severity::Low,
        cvss::Rating::None => Severity::Info,
    }
}

/// One affected entry that matched, before merging.
struct Hit {
    advisory: Advisory,
    /// Which of the key's names the advisory used.
    name: usize,
    fixed: Option<String>,
    /// Per-package severities of the entry (`affected[].severity`).
    severity: Vec<crate::osv::Severity>,
    database_specific: Option<serde_json::Value>,
}

/// Matches every package of `inventory` against `source`.
pub fn match_inventory(inventory: &Inventory, source: &Db) -> Result<Matched, DbError> {
    let packages: Vec<&Package> = inventory.packages.iter().collect();
    let mut matched = match_packages(&packages, inventory.os.as_ref(), source)?;
    finish(&mut matched);
    Ok(matched)
}

/// [`match_inventory`] on `threads` threads, each reading its own source
/// (`open` makes one; SQLite connections are not shared between threads).
/// The packages are dealt out in turn, so that a run of heavily advised
/// packages does not land on one thread.
pub fn match_inventory_parallel<F>(
    inventory: &Inventory,
    threads: usize,
    open: F,
) -> Result<Matched, DbError>
where
    F: Fn() -> Result<Db, DbError> + Sync,
{
    let threads = threads.clamp(1, inventory.packages.len().max(1));
    let shares: Vec<Vec<&Package>> = (0..threads)
        .map(|t| inventory.packages.iter().skip(t).step_by(threads).collect())
        .collect();
    let os = inventory.os.as_ref();
    let results: Vec<Result<Matched, DbError>> = std::thread::scope(|scope| {
        let running: Vec<_> = shares
            .iter()
            .map(|share| {
                scope.spawn(|| {
                    let mut part = match_packages(share, os, &open()?)?;
                    sort_vulnerabilities(&mut part.vulnerabilities);
                    Ok(part)
                })
            })
            .collect();
        running
            .into_iter()
            .map(|r| {
                r.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let mut matched = Matched::default();
    let mut uncovered: HashMap<String, usize> = HashMap::new();
    for part in results {
        let part = part?;
        matched.vulnerabilities.extend(part.vulnerabilities);
        matched.withdrawn += part.withdrawn;
        matched.notes.extend(part.notes);
        for (ecosystem, n) in part.uncovered {
            *uncovered.entry(ecosystem).or_default() += n;
        }
    }
    matched.uncovered = uncovered.into_iter().collect();
    // Each share came back sorted: the sort finds the runs and merges them.
    finish(&mut matched);
    Ok(matched)
}

/// Sorts what was found: uncovered ecosystems by name, vulnerabilities
/// in [`order`].
fn finish(matched: &mut Matched) {
    matched.uncovered.sort();
    sort_vulnerabilities(&mut matched.vulnerabilities);
}

/// The order findings are reported in: most severe first (unrated ones
/// after low and before info), then by package and id.
fn order(a: &Vulnerability, b: &Vulnerability) -> Ordering {
    let rank = |v: &Vulnerability| match v.severity {
        Some(Severity::Info) => 0,
        None => 1,
        Some(s) => 2 + s as u8,
    };
    rank(b)
        .cmp(&rank(a))
        .then_with(|| a.package.cmp(&b.package))
        .then_with(|| a.id.cmp(&b.id))
}

/// Sorts `found` in [`order`], working on indexes so that each (large)
/// finding moves once.
fn sort_vulnerabilities(found: &mut Vec<Vulnerability>) {
    let all = std::mem::take(found);
    let mut indexes: Vec<usize> = (0..all.len()).collect();
    indexes.sort_by(|&i, &j| order(&all[i], &all[j]));
    let mut slots: Vec<Option<Vulnerability>> = all.into_iter().map(Some).collect();
    *found = indexes.iter().filter_map(|&i| slots[i].take()).collect();
}

/// Matches `packages` of a system running `os` against `source`.
fn match_packages(packages: &[&Package], os: Option<&Os>, source: &Db) -> Result<Matched, DbError> {
    let mut matched = Matched::default();
    let mut scores: HashMap<String, Option<f64>> = HashMap::new();
    let mut uncovered: HashMap<String, usize> = HashMap::new();
    for &p in packages {
        let Some(key) = key(p, os) else {
            *uncovered.entry(p.ecosystem.to_string()).or_default() += 1;
            continue;
        };
        let installed = match shipshape_versions::parse(key.order, &key.version) {
            Ok(v) => v,
            Err(e) => {
                matched.notes.push(format!("{} {}: {e}", p.name, p.version));
                continue;
            }
        };
        // Versions parsed for the entry being evaluated, after the
        // installed one: an entry compares its versions more than once.
        let parsed: RefCell<Vec<Version>> = RefCell::new(vec![installed]);
        let cmp = |a: &str, b: &str| -> Result<Ordering, String> {
            let mut parsed = parsed.borrow_mut();
            let mut find = |s: &str| -> Result<usize, String> {
                if let Some(i) = parsed.iter().position(|v| v.as_str() == s) {
                    return Ok(i);
                }
                let v = shipshape_versions::parse(key.order, s).map_err(|e| e.to_string())?;
                parsed.push(v);
                Ok(parsed.len() - 1)
            };
            let (i, j) = (find(a)?, find(b)?);
            parsed[i]
                .compare(&parsed[j])
                .ok_or_else(|| format!("`{a}` and `{b}` are not ordered"))
        };
        let mut hits: Vec<Hit> = Vec::new();
        // Advisories matched so far, by key, sorted.
        let mut seen: Vec<i64> = Vec::new();
        for (name_index, name) in key.names.iter().enumerate() {
            source.each_candidate(&key.ecosystem, name, |row| {
                // An advisory may list a package in several entries (one per
                // vulnerable range): each is evaluated until one matches.
                let advisory_key = row.key()?;
                let Err(slot) = seen.binary_search(&advisory_key) else {
                    return Ok(());
                };
                let id = row.advisory_id()?;
                let entry = row.entry()?;
                parsed.borrow_mut().truncate(1);
                let verdict = match entry.verdict(&key.version, &cmp) {
                    Ok(v) => v,
                    Err(e) => {
                        matched
                            .notes
                            .push(format!("{} {} against {id}: {e}", p.name, key.version));
                        return Ok(());
                    }
                };
                let Verdict::Affected(remedy) = verdict else {
                    return Ok(());
                };
                seen.insert(slot, advisory_key);
                if row.withdrawn()? {
                    matched.withdrawn += 1;
                    return Ok(());
                }
                let (severity, database_specific) = row.extras()?;
                let advisory = row.advisory()?;
                hits.push(Hit {
                    advisory,
                    name: name_index,
                    fixed: remedy.fixed_versions().and_then(|f| f.last().cloned()),
                    severity,
                    database_specific,
                });
                Ok(())
            })?;
        }
        if hits.is_empty() {
            continue;
        }
        let mut shared = Shared {
            package: Arc::from(p.name.as_str()),
            version: Arc::from(p.version.as_str()),
            purl: Arc::from(p.purl.as_str()),
            found: Arc::new(p.found.clone()),
            sources: Vec::new(),
        };
        for group in merge(hits) {
            matched.vulnerabilities.push(vulnerability(
                p,
                &key,
                &mut shared,
                group,
                &cmp,
                &mut scores,
            ));
        }
    }
    matched.uncovered = uncovered.into_iter().collect();
    Ok(matched)
}

/// Groups hits that name each other (by id or alias) into one, keeping
/// the order in which each group first appeared.
fn merge(hits: Vec<Hit>) -> Vec<Vec<Hit>> {
    if hits.len() < 2 {
        return hits.into_iter().map(|h| vec![h]).collect();
    }
    // Union-find over hits; a group's root is its smallest index.
    let mut parent: Vec<usize> = (0..hits.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    // Hits sharing an id or alias are joined: every name, sorted, sits
    // next to the other hits that use it.
    let mut names: Vec<(&str, usize)> = Vec::new();
    for (i, hit) in hits.iter().enumerate() {
        names.push((&hit.advisory.id, i));
        names.extend(hit.advisory.aliases.iter().map(|a| (a.as_str(), i)));
    }
    names.sort_unstable();
    for pair in names.windows(2) {
        if let [(a, i), (b, j)] = pair
            && a == b
        {
            let (x, y) = (root(&mut parent, *i), root(&mut parent, *j));
            parent[x.max(y)] = x.min(y);
        }
    }
    // A group's root is its first hit, so groups come in first-hit order.
    let mut group_of: Vec<Option<usize>> = vec![None; hits.len()];
    let mut groups: Vec<Vec<Hit>> = Vec::new();
    for (i, hit) in hits.into_iter().enumerate() {
        let r = root(&mut parent, i);
        match group_of[r] {
            Some(g) => groups[g].push(hit),
            None => {
                group_of[r] = Some(groups.len());
                groups.push(vec![hit]);
            }
        }
    }
    groups
}

/// The CVSS version a vector is written in, as its prefix gives it
/// (`CVSS:3.1`); version 2 vectors have no prefix.
fn cvss_version(vector: &str) -> &str {
    match vector.split_once('/') {
        Some((prefix, _)) if prefix.starts_with("CVSS:") => prefix,
        _ => "CVSS:2.0",
    }
}

/// What every finding of one package shares.
struct Shared {
    package: Arc<str>,
    version: Arc<str>,
    purl: Arc<str>,
    found: Arc<Found>,
    /// `source (ecosystem)` labels made so far, by source.
    sources: Vec<(String, Arc<str>)>,
}

fn vulnerability(
    p: &Package,
    key: &Key,
    shared: &mut Shared,
    mut group: Vec<Hit>,
    cmp: &dyn Fn(&str, &str) -> Result<Ordering, String>,
    scores: &mut HashMap<String, Option<f64>>,
) -> Vulnerability {
    // The hits are taken apart: what the finding keeps moves into it.
    // Every id and alias once, in order.
    let mut aliases: Vec<String> = Vec::new();
    for h in &mut group {
        aliases.push(std::mem::take(&mut h.advisory.id));
        aliases.append(&mut h.advisory.aliases);
    }
    aliases.sort_unstable();
    aliases.dedup();
    // The id shown is a CVE when the group has one, else the first id;
    // the others are its aliases.
    let shown = aliases
        .iter()
        .position(|i| i.starts_with("CVE-"))
        .unwrap_or(0);
    let id = if shown < aliases.len() {
        aliases.remove(shown)
    } else {
        String::new()
    };

    // The fix: the highest version any source names (every source's fix is
    // then included); none when no source names one.
    let mut fixed: Option<String> = None;
    for f in group.iter().filter_map(|h| h.fixed.as_ref()) {
        fixed = match fixed {
            Some(current) if cmp(f, &current).is_ok_and(|o| o != Ordering::Greater) => {
                Some(current)
            }
            _ => Some(f.clone()),
        };
    }

    // Severity: the distro's rating for distro packages, else the highest
    // CVSS base score, else a rating the advisory carries (GHSA).
    let distro = matches!(p.ecosystem, "deb" | "apk" | "rpm");
    let distro_rating = group.iter().enumerate().find_map(|(i, h)| {
        let from_entry = h
            .severity
            .iter()
            .find(|s| !s.kind.starts_with("CVSS"))
            .and_then(|s| rating(&s.score));
        let from_advisory = h
            .advisory
            .severity
            .iter()
            .find(|s| s.kind == "Ubuntu")
            .and_then(|s| rating(&s.score));
        let from_db = h.advisory.distro_severity.as_deref().and_then(rating);
        // Debian's urgency is per package and release, on the entry.
        let from_specific = h.database_specific.as_ref().and_then(|d| {
            ["urgency", "severity"]
                .iter()
                .find_map(|k| d.get(*k).and_then(|s| s.as_str()).and_then(rating))
        });
        from_entry
            .or(from_specific)
            .or(from_advisory)
            .or(from_db)
            .map(|r| (r, i))
    });
    // CVSS vectors, record-level and per-package, scored.
    let mut cvss_list: Vec<Cvss> = Vec::new();
    for s in group
        .iter_mut()
        .flat_map(|h| h.advisory.severity.iter_mut().chain(h.severity.iter_mut()))
    {
        if !s.kind.starts_with("CVSS") || cvss_list.iter().any(|c| c.vector == s.score) {
            continue;
        }
        // Feeds repeat vectors: each is scored once per run.
        let score = match scores.get(&s.score) {
            Some(score) => *score,
            None => {
                let score = cvss::Vector::parse(&s.score)
                    .ok()
                    .and_then(|v| v.base_score())
                    .map(|s| s.value());
                scores.insert(s.score.clone(), score);
                score
            }
        };
        cvss_list.push(Cvss {
            vector: std::mem::take(&mut s.score),
            score,
        });
    }

    let best_cvss = cvss_list
        .iter()
        .filter_map(|c| Some((c.score?, c)))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let (severity, severity_source) = match (distro, &distro_rating, best_cvss) {
        (true, Some((r, i)), _) => (Some(*r), group.get(*i).map(|h| h.advisory.source.clone())),
        (_, _, Some((score, c))) => (
            cvss::Score::from_tenths((score * 10.0).round() as u8)
                .map(|s| from_cvss_rating(s.rating())),
            Some(cvss_version(&c.vector).to_string()),
        ),
        (false, Some((r, i)), None) => (Some(*r), group.get(*i).map(|h| h.advisory.source.clone())),
        (true, None, None) => (None, None),
        (false, None, None) => (None, None),
    };

    let title = group
        .iter_mut()
        .find_map(|h| h.advisory.summary.take().filter(|s| !s.trim().is_empty()))
        .or_else(|| {
            group.iter().find_map(|h| {
                h.advisory
                    .details
                    .as_deref()
                    .and_then(|d| d.lines().find(|l| !l.trim().is_empty()))
                    .map(|l| l.trim().chars().take(160).collect())
            })
        })
        .unwrap_or_else(|| id.clone());
    let mut references: Vec<String> = match group.first_mut() {
        Some(first) => std::mem::take(&mut first.advisory.references),
        None => Vec::new(),
    };
    for r in group
        .iter_mut()
        .skip(1)
        .flat_map(|h| h.advisory.references.drain(..))
    {
        if !references.contains(&r) {
            references.push(r);
        }
    }
    let mut sources: Vec<Arc<str>> = Vec::with_capacity(1);
    for h in &group {
        let label = match shared
            .sources
            .iter()
            .find(|(source, _)| *source == h.advisory.source)
        {
            Some((_, label)) => label.clone(),
            None => {
                let label: Arc<str> =
                    Arc::from(format!("{} ({})", h.advisory.source, key.ecosystem));
                shared
                    .sources
                    .push((h.advisory.source.clone(), label.clone()));
                label
            }
        };
        if !sources.contains(&label) {
            sources.push(label);
        }
    }
    let source_package = group
        .first()
        .and_then(|h| key.names.get(h.name))
        .filter(|n| **n != p.name)
        .cloned();
    Vulnerability {
        id,
        aliases,
        package: shared.package.clone(),
        version: shared.version.clone(),
        ecosystem: p.ecosystem,
        purl: shared.purl.clone(),
        source_package,
        fixed,
        severity,
        severity_source,
        cvss: cvss_list,
        title,
        references,
        sources,
        found: shared.found.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::cvss_version;

    #[test]
    fn severity_source_names_the_cvss_version() {
        assert_eq!(
            cvss_version("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
            "CVSS:3.1"
        );
        assert_eq!(
            cvss_version("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"),
            "CVSS:4.0"
        );
        assert_eq!(cvss_version("AV:N/AC:L/Au:N/C:P/I:P/A:P"), "CVSS:2.0");
    }
}
