//! Whether a version is affected according to one `affected` entry of an
//! OSV record, following the evaluation algorithm of the OSV schema
//! (`IsVulnerable`, `IncludedInVersions`, `IncludedInRanges`,
//! `BeforeLimits`).
//!
//! Versions are compared by a comparator the caller passes, one per
//! ecosystem; it is used for `SEMVER` and `ECOSYSTEM` ranges alike. Two
//! values never reach it:
//!
//! - `"0"` as `introduced` or `fixed` sorts before every version (the schema
//!   defines it for `introduced`; feeds also write `fixed: "0"`, so
//!   `introduced 0, fixed 0` affects nothing);
//! - a `limit` containing `"*"` is above every version.
//!
//! The algorithm walks a range's events sorted by version; events with the
//! same version keep `introduced` before the others, so a range that
//! introduces and fixes at the same version is empty. Ranges are OR'd;
//! `GIT` ranges (and types this version does not know) are not evaluated
//! and are counted instead. The explicit `versions` list matches by exact
//! string equality, as the schema's algorithm says.
//!
//! A version the comparator cannot compare is never taken as not affected:
//! it is an error unless another range or the version list already shows
//! the version affected.

use std::cmp::Ordering;
use std::fmt;

use crate::osv::{Affected, Event, Range};

/// The outcome of evaluating one `affected` entry for an installed version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The version is listed or inside an evaluated range.
    Affected(Remedy),
    /// The version is outside every evaluated range and not listed.
    /// `skipped` ranges (`GIT` or unknown types) were not evaluated.
    NotAffected { skipped: usize },
    /// Nothing could be evaluated: no version list and no `SEMVER` or
    /// `ECOSYSTEM` range (`skipped` ranges of other types). The answer is
    /// not known.
    NotEvaluated { skipped: usize },
}

impl Verdict {
    /// Whether the version is affected.
    pub fn is_affected(&self) -> bool {
        matches!(self, Verdict::Affected(_))
    }
}

/// What would move an affected version out of the ranges that matched it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Remedy {
    /// For each matching range, its smallest `fixed` version above the
    /// installed one; ascending, without repeats.
    pub fixed: Vec<String>,
    /// For each matching range bounded by `last_affected` instead, that
    /// version: anything above it is outside the range; ascending, without
    /// repeats.
    pub last_affected: Vec<String>,
    /// A matching range has neither a `fixed` above the installed version
    /// nor a `last_affected` at or above it: no fix yet.
    pub unfixed: bool,
    /// The installed version is in the `versions` list.
    pub listed: bool,
    /// Comparison failures in ranges that did not decide the verdict; the
    /// remedy may miss what those ranges would add.
    pub incomplete: Vec<String>,
}

impl Remedy {
    /// The fix to report: `Some(versions)` when every matching range names
    /// a fixed version, `None` when a range has no fix yet or no range gave
    /// one (the version matched through the list only).
    pub fn fixed_versions(&self) -> Option<&[String]> {
        (!self.unfixed && !self.fixed.is_empty() && self.last_affected.is_empty())
            .then_some(self.fixed.as_slice())
    }
}

/// A comparison the comparator refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompareError<E> {
    /// Index of the range in the entry's `ranges`.
    pub range: usize,
    /// The two versions that were compared.
    pub left: String,
    pub right: String,
    /// The comparator's error.
    pub source: E,
}

impl<E: fmt::Display> fmt::Display for CompareError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "range {}: cannot compare `{}` with `{}`: {}",
            self.range, self.left, self.right, self.source
        )
    }
}

impl<E: std::error::Error + 'static> std::error::Error for CompareError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Evaluates `affected` for the `installed` version with the ecosystem
/// comparator `cmp` (`cmp(a, b)` orders version `a` against version `b`).
pub fn affected<E: fmt::Display>(
    affected: &Affected,
    installed: &str,
    cmp: &dyn Fn(&str, &str) -> Result<Ordering, E>,
) -> Result<Verdict, CompareError<E>> {
    let ranges: Vec<RangeRef<'_>> = affected.ranges.iter().map(RangeRef::of).collect();
    let versions = affected.versions.iter().map(String::as_str);
    evaluate(&ranges, versions, installed, cmp)
}

/// An event read in place: its kind and version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventRef<'a> {
    Introduced(&'a str),
    Fixed(&'a str),
    LastAffected(&'a str),
    Limit(&'a str),
}

impl<'a> EventRef<'a> {
    fn of(event: &'a Event) -> EventRef<'a> {
        match event {
            Event::Introduced(v) => EventRef::Introduced(v),
            Event::Fixed(v) => EventRef::Fixed(v),
            Event::LastAffected(v) => EventRef::LastAffected(v),
            Event::Limit(v) => EventRef::Limit(v),
        }
    }
}

/// A range read in place: whether its type is one this module evaluates
/// (`SEMVER`, `ECOSYSTEM`), and its events in any order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeRef<'a> {
    pub evaluated: bool,
    pub events: Vec<EventRef<'a>>,
}

impl<'a> RangeRef<'a> {
    /// The view of a decoded range.
    pub fn of(range: &'a Range) -> RangeRef<'a> {
        RangeRef {
            evaluated: evaluated(range.kind.as_str()),
            events: range.events.iter().map(EventRef::of).collect(),
        }
    }
}

/// Whether ranges of the type named `kind` are evaluated here (`SEMVER`,
/// `ECOSYSTEM`); others (`GIT`, unknown types) are counted as skipped.
pub(crate) fn evaluated(kind: &str) -> bool {
    matches!(kind, "SEMVER" | "ECOSYSTEM")
}

/// [`affected`] on an entry read in place: its `ranges` and its explicit
/// `versions`.
pub fn evaluate<'v, E: fmt::Display>(
    ranges: &[RangeRef<'_>],
    versions: impl Iterator<Item = &'v str>,
    installed: &str,
    cmp: &dyn Fn(&str, &str) -> Result<Ordering, E>,
) -> Result<Verdict, CompareError<E>> {
    let mut any_version = false;
    let mut listed = false;
    for v in versions {
        any_version = true;
        if v == installed {
            listed = true;
            break;
        }
    }
    let mut remedy = Remedy {
        listed,
        ..Remedy::default()
    };
    let mut hit = remedy.listed;
    let mut skipped = 0;
    let mut evaluated = any_version;
    let mut first_error = None;
    for (index, range) in ranges.iter().enumerate() {
        if !range.evaluated {
            skipped += 1;
            continue;
        }
        evaluated = true;
        let ranged = Ranged {
            range: index,
            installed,
            cmp,
        };
        match ranged.evaluate(range) {
            Ok(None) => {}
            Ok(Some(found)) => {
                hit = true;
                match found {
                    RangeFix::Fixed(v) => ranged.insert_sorted(&mut remedy.fixed, v),
                    RangeFix::LastAffected(v) => ranged.insert_sorted(&mut remedy.last_affected, v),
                    RangeFix::None => remedy.unfixed = true,
                }
            }
            Err(e) => {
                remedy.incomplete.push(e.to_string());
                first_error.get_or_insert(e);
            }
        }
    }
    if hit {
        return Ok(Verdict::Affected(remedy));
    }
    if let Some(e) = first_error {
        return Err(e);
    }
    if evaluated {
        Ok(Verdict::NotAffected { skipped })
    } else {
        Ok(Verdict::NotEvaluated { skipped })
    }
}

/// How one matching range can be left.
enum RangeFix<'a> {
    Fixed(&'a str),
    LastAffected(&'a str),
    None,
}

/// An event version as the algorithm orders it.
#[derive(Clone, Copy)]
enum Bound<'a> {
    /// `"0"` as introduced or fixed.
    Lowest,
    Version(&'a str),
    /// A limit containing `"*"`.
    Highest,
}

impl<'a> Bound<'a> {
    fn of(event: EventRef<'a>) -> Bound<'a> {
        match event {
            EventRef::Introduced("0") | EventRef::Fixed("0") => Bound::Lowest,
            EventRef::Limit(v) if v.contains('*') => Bound::Highest,
            EventRef::Introduced(v)
            | EventRef::Fixed(v)
            | EventRef::LastAffected(v)
            | EventRef::Limit(v) => Bound::Version(v),
        }
    }
}

/// Rank of an event among events of the same version: `introduced` first.
fn rank(event: EventRef<'_>) -> u8 {
    match event {
        EventRef::Introduced(_) => 0,
        _ => 1,
    }
}

/// One range's evaluation context.
struct Ranged<'a, 'c, E> {
    range: usize,
    installed: &'a str,
    cmp: &'c dyn Fn(&str, &str) -> Result<Ordering, E>,
}

impl<E> Ranged<'_, '_, E> {
    fn compare(&self, a: &str, b: &str) -> Result<Ordering, CompareError<E>> {
        (self.cmp)(a, b).map_err(|source| CompareError {
            range: self.range,
            left: a.to_string(),
            right: b.to_string(),
            source,
        })
    }

    /// The installed version against a bound.
    fn installed_vs(&self, bound: Bound<'_>) -> Result<Ordering, CompareError<E>> {
        match bound {
            Bound::Lowest => Ok(Ordering::Greater),
            Bound::Highest => Ok(Ordering::Less),
            Bound::Version(v) => self.compare(self.installed, v),
        }
    }

    /// Two bounds against each other.
    fn bounds(&self, a: Bound<'_>, b: Bound<'_>) -> Result<Ordering, CompareError<E>> {
        match (a, b) {
            (Bound::Lowest, Bound::Lowest) | (Bound::Highest, Bound::Highest) => {
                Ok(Ordering::Equal)
            }
            (Bound::Lowest, _) | (_, Bound::Highest) => Ok(Ordering::Less),
            (_, Bound::Lowest) | (Bound::Highest, _) => Ok(Ordering::Greater),
            (Bound::Version(x), Bound::Version(y)) => self.compare(x, y),
        }
    }

    /// Events in the algorithm's sort order.
    fn event_order(&self, a: EventRef<'_>, b: EventRef<'_>) -> Result<Ordering, CompareError<E>> {
        Ok(self
            .bounds(Bound::of(a), Bound::of(b))?
            .then(rank(a).cmp(&rank(b))))
    }

    /// `BeforeLimits`: without limit events every version is before them;
    /// otherwise the version must be below at least one.
    fn before_limits(&self, range: &RangeRef<'_>) -> Result<bool, CompareError<E>> {
        let mut limits = range
            .events
            .iter()
            .filter(|e| matches!(e, EventRef::Limit(_)))
            .peekable();
        if limits.peek().is_none() {
            return Ok(true);
        }
        for limit in limits {
            if self.installed_vs(Bound::of(*limit))? == Ordering::Less {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Whether the installed version is in the range and, if so, how to
    /// leave it.
    ///
    /// The schema's loop over sorted events ends in the state set by the
    /// last event that changed it; only events at or below the installed
    /// version change it, so the verdict is that of the greatest such
    /// event in sort order, found without sorting. The same pass, with the
    /// same comparisons, finds the way out: the smallest `fixed` above the
    /// installed version, else the smallest `last_affected` at or above it.
    fn evaluate<'r>(&self, range: &RangeRef<'r>) -> Result<Option<RangeFix<'r>>, CompareError<E>> {
        if !self.before_limits(range)? {
            return Ok(None);
        }
        let mut last: Option<EventRef<'r>> = None;
        let mut fixed: Option<&str> = None;
        let mut last_affected: Option<&str> = None;
        // Ordering two ways out can fail; that matters only if the range
        // turns out to hold the installed version.
        let mut way_out_error = None;
        for &event in &range.events {
            let at = match event {
                EventRef::Limit(_) => continue,
                _ => self.installed_vs(Bound::of(event))?,
            };
            let (triggers, way_out) = match event {
                EventRef::Introduced(_) => (at != Ordering::Less, None),
                EventRef::Fixed(v) => (
                    at != Ordering::Less,
                    (v != "0" && at == Ordering::Less).then_some((&mut fixed, v)),
                ),
                EventRef::LastAffected(v) => (
                    at == Ordering::Greater,
                    (at != Ordering::Greater).then_some((&mut last_affected, v)),
                ),
                EventRef::Limit(_) => (false, None),
            };
            if let Some((slot, v)) = way_out {
                *slot = match *slot {
                    Some(best) => match self.compare(best, v) {
                        Ok(Ordering::Greater) => Some(v),
                        Ok(_) => Some(best),
                        Err(e) => {
                            way_out_error.get_or_insert(e);
                            Some(best)
                        }
                    },
                    None => Some(v),
                };
            }
            if !triggers {
                continue;
            }
            last = match last {
                Some(prev) if self.event_order(event, prev)? != Ordering::Greater => Some(prev),
                _ => Some(event),
            };
        }
        if !matches!(last, Some(EventRef::Introduced(_))) {
            return Ok(None);
        }
        if let Some(e) = way_out_error {
            return Err(e);
        }
        Ok(Some(match (fixed, last_affected) {
            (Some(v), _) => RangeFix::Fixed(v),
            (None, Some(v)) => RangeFix::LastAffected(v),
            (None, None) => RangeFix::None,
        }))
    }

    /// Adds `v` to an ascending list without repeats.
    fn insert_sorted(&self, list: &mut Vec<String>, v: &str) {
        if list.iter().any(|x| x == v) {
            return;
        }
        let at = list
            .iter()
            .position(|x| matches!((self.cmp)(v, x), Ok(Ordering::Less)))
            .unwrap_or(list.len());
        list.insert(at, v.to_string());
    }
}
