//! Maven versions, ordered as Maven 3.9's `ComparableVersion` orders them
//! (the POM reference's "Version Order Specification").
//!
//! The version is cut into items at `.` and `-` and where digits meet
//! letters; a `-` or such a transition opens a nested list. Numbers
//! compare by value; qualifiers in the order `alpha` (`a1`) < `beta`
//! (`b1`) < `milestone` (`m1`) < `rc` = `cr` < `snapshot` < `` = `ga` =
//! `final` = `release` < `sp` < any other (alphabetically), ignoring case.
//! Trailing zeros and empty qualifiers are trimmed, so `1.0.0` = `1` and
//! `1-ga` = `1`. A letters-then-digits item (`rc1`, `x-1`) is one
//! combination item: `1.0.RC2` < `1.0-RC3` < `1.0.1`.
//!
//! Like Maven's, this order is not transitive for some unusual strings
//! (see [`Version::compare`]), so it is a method, not `Ord`.
//!
//! Only ASCII is accepted: Java would also take Unicode digits and case
//! rules, which no published artifact uses.

use std::cmp::Ordering;

use crate::{Ecosystem, Span, VersionError, check_len, cmp_digits, is_zero};

/// A parsed Maven version.
#[derive(Debug, Clone)]
pub struct Version {
    text: Box<str>,
    /// The lower-cased text that the items' spans point into.
    lower: Box<str>,
    items: Vec<Item>,
}

impl Version {
    /// The string it was parsed from.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

#[derive(Debug, Clone)]
enum Item {
    /// Digits without leading zeros (empty for zero).
    Number(Span),
    Text(Qualifier),
    /// Letters followed by a number, like `rc1`.
    Combination(Qualifier, Span),
    List(Vec<Item>),
}

/// A qualifier after aliasing.
#[derive(Debug, Clone, Copy)]
enum Qualifier {
    /// Index in `alpha beta milestone rc snapshot "" sp`.
    Known(u8),
    /// Any other string, sorted after the known ones.
    Other(Span),
}

const RELEASE: u8 = 5;

impl Qualifier {
    fn new(lower: &str, span: Span, followed_by_digit: bool) -> Qualifier {
        let s = span.get(lower);
        let known = match s {
            "a" if followed_by_digit => Some(0),
            "b" if followed_by_digit => Some(1),
            "m" if followed_by_digit => Some(2),
            "alpha" => Some(0),
            "beta" => Some(1),
            "milestone" => Some(2),
            "rc" | "cr" => Some(3),
            "snapshot" => Some(4),
            "" | "ga" | "final" | "release" => Some(RELEASE),
            "sp" => Some(6),
            _ => None,
        };
        known.map_or(Qualifier::Other(span), Qualifier::Known)
    }

    fn cmp(self, a: &str, other: Qualifier, b: &str) -> Ordering {
        match (self, other) {
            (Qualifier::Known(x), Qualifier::Known(y)) => x.cmp(&y),
            (Qualifier::Known(_), Qualifier::Other(_)) => Ordering::Less,
            (Qualifier::Other(_), Qualifier::Known(_)) => Ordering::Greater,
            (Qualifier::Other(x), Qualifier::Other(y)) => x.bytes(a).cmp(y.bytes(b)),
        }
    }

    /// Against nothing (padding): below, equal or above a release.
    fn cmp_null(self) -> Ordering {
        match self {
            Qualifier::Known(x) => x.cmp(&RELEASE),
            Qualifier::Other(_) => Ordering::Greater,
        }
    }
}

/// Parses a Maven version. Every ASCII string is a version; only empty,
/// non-ASCII or over-long strings are refused.
pub fn parse(s: &str) -> Result<Version, VersionError> {
    check_len(Ecosystem::Maven, s)?;
    let err = |reason: &str| VersionError::new(Ecosystem::Maven, s, reason);
    if s.is_empty() {
        return Err(err("version string is empty"));
    }
    if !s.is_ascii() {
        return Err(err("contains non-ASCII characters"));
    }
    let lower: Box<str> = s.to_ascii_lowercase().into();
    let items = Parser::new(&lower).run();
    Ok(Version {
        text: s.into(),
        lower,
        items,
    })
}

/// `ComparableVersion.parseVersion`. Each new list is the last item of the
/// current one and nothing is added to a list once it has a child, so the
/// stack holds the open lists by value and nests them at the end.
struct Parser<'a> {
    lower: &'a str,
    stack: Vec<Vec<Item>>,
}

impl<'a> Parser<'a> {
    fn new(lower: &'a str) -> Self {
        Parser {
            lower,
            stack: vec![Vec::new()],
        }
    }

    fn current_is_empty(&self) -> bool {
        self.stack.last().is_none_or(Vec::is_empty)
    }

    fn add(&mut self, item: Item) {
        if let Some(list) = self.stack.last_mut() {
            list.push(item);
        }
    }

    fn push_list(&mut self) {
        self.stack.push(Vec::new());
    }

    fn item(&mut self, combination: bool, digit: bool, start: usize, end: usize) -> Item {
        let b = self.lower.as_bytes();
        if combination {
            // Letters (any '-' among them dropped), then digits.
            let first_digit = (start..end)
                .find(|&i| b.get(i).is_some_and(u8::is_ascii_digit))
                .unwrap_or(end);
            let letters_end = (start..first_digit)
                .rev()
                .find(|&i| b.get(i) != Some(&b'-'))
                .map_or(start, |i| i + 1);
            let q = Qualifier::new(self.lower, Span::new(start, letters_end), true);
            return Item::Combination(q, number(b, first_digit, end));
        }
        if digit {
            return Item::Number(number(b, start, end));
        }
        Item::Text(Qualifier::new(self.lower, Span::new(start, end), false))
    }

    fn run(mut self) -> Vec<Item> {
        let b = self.lower.as_bytes();
        let len = b.len();
        let (mut is_digit, mut is_combination, mut start) = (false, false, 0);
        let mut i = 0;
        while i < len {
            let c = b[i];
            if c == b'.' {
                if i == start {
                    self.add(Item::Number(Span::new(i, i)));
                } else {
                    let it = self.item(is_combination, is_digit, start, i);
                    self.add(it);
                }
                is_combination = false;
                start = i + 1;
            } else if c == b'-' {
                if i == start {
                    self.add(Item::Number(Span::new(i, i)));
                } else {
                    // X-1 is read as X1.
                    if !is_digit && i != len - 1 && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
                        is_combination = true;
                        i += 1;
                        continue;
                    }
                    let it = self.item(is_combination, is_digit, start, i);
                    self.add(it);
                }
                start = i + 1;
                if !self.current_is_empty() {
                    self.push_list();
                }
                is_combination = false;
            } else if c.is_ascii_digit() {
                if !is_digit && i > start {
                    is_combination = true;
                    if !self.current_is_empty() {
                        self.push_list();
                    }
                }
                is_digit = true;
            } else {
                if is_digit && i > start {
                    let it = self.item(is_combination, true, start, i);
                    self.add(it);
                    start = i;
                    self.push_list();
                    is_combination = false;
                }
                is_digit = false;
            }
            i += 1;
        }
        if len > start {
            // 1.0.0.X1 < 1.0.0-X2: treat .X as -X.
            if !is_digit && !self.current_is_empty() {
                self.push_list();
            }
            let it = self.item(is_combination, is_digit, start, len);
            self.add(it);
        }
        let lower = self.lower;
        let mut list = self.stack.pop().unwrap_or_default();
        normalize(&mut list, lower);
        while let Some(mut parent) = self.stack.pop() {
            parent.push(Item::List(list));
            normalize(&mut parent, lower);
            list = parent;
        }
        list
    }
}

fn number(b: &[u8], start: usize, end: usize) -> Span {
    let zeros = b
        .get(start..end)
        .unwrap_or_default()
        .iter()
        .take_while(|&&c| c == b'0')
        .count();
    Span::new(start + zeros, end)
}

/// `Item.isNull`, which normalization trims: zero and empty lists. A
/// string item is never empty here (`ga` only compares equal to a
/// release, it is not trimmed).
fn is_null(item: &Item, lower: &str) -> bool {
    match item {
        Item::Number(d) => is_zero(d.bytes(lower)),
        Item::Text(_) | Item::Combination(..) => false,
        Item::List(l) => l.is_empty(),
    }
}

/// `ListItem.normalize` (its nested list, the last item, is already
/// normalized).
fn normalize(list: &mut Vec<Item>, lower: &str) {
    let mut i = list.len();
    while i > 0 {
        i -= 1;
        let Some(item) = list.get(i) else { continue };
        if !is_null(item, lower) {
            continue;
        }
        let remove = match list.get(i + 1) {
            None | Some(Item::Text(_)) => true,
            Some(Item::List(l)) => matches!(l.first(), Some(Item::Combination(..) | Item::Text(_))),
            _ => false,
        };
        if remove {
            list.remove(i);
        }
    }
}

fn cmp_item(x: &Item, a: &str, y: Option<&Item>, b: &str) -> Ordering {
    use Ordering::*;
    let Some(y) = y else {
        return cmp_null(x, a);
    };
    match (x, y) {
        (Item::Number(p), Item::Number(q)) => cmp_digits(p.bytes(a), q.bytes(b)),
        (Item::Number(_), _) => Greater,
        (Item::Text(_), Item::Number(_)) => Less,
        (Item::Text(p), Item::Text(q)) => p.cmp(a, *q, b),
        (Item::Text(p), Item::Combination(q, _)) => match p.cmp(a, *q, b) {
            Equal => Less,
            o => o,
        },
        (Item::Text(_), Item::List(_)) => Less,
        (Item::Combination(..), Item::Number(_)) => Less,
        (Item::Combination(p, _), Item::Text(q)) => match p.cmp(a, *q, b) {
            Equal => Greater,
            o => o,
        },
        (Item::Combination(..), Item::List(_)) => Less,
        (Item::Combination(p, m), Item::Combination(q, n)) => match p.cmp(a, *q, b) {
            Equal => cmp_digits(m.bytes(a), n.bytes(b)),
            o => o,
        },
        (Item::List(_), Item::Number(_)) => Less,
        (Item::List(_), Item::Text(_) | Item::Combination(..)) => Greater,
        (Item::List(l), Item::List(r)) => cmp_lists(l, a, r, b),
    }
}

/// An item against padding.
fn cmp_null(x: &Item, a: &str) -> Ordering {
    match x {
        Item::Number(d) => {
            if is_zero(d.bytes(a)) {
                Ordering::Equal
            } else {
                Ordering::Greater
            }
        }
        Item::Text(q) | Item::Combination(q, _) => q.cmp_null(),
        Item::List(l) => l
            .iter()
            .map(|i| cmp_null(i, a))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal),
    }
}

fn cmp_lists(l: &[Item], a: &str, r: &[Item], b: &str) -> Ordering {
    let n = l.len().max(r.len());
    for k in 0..n {
        let o = match (l.get(k), r.get(k)) {
            (Some(x), y) => cmp_item(x, a, y, b),
            (None, Some(y)) => cmp_item(y, b, None, a).reverse(),
            (None, None) => Ordering::Equal,
        };
        if o.is_ne() {
            return o;
        }
    }
    Ordering::Equal
}

impl Version {
    /// Orders two versions as `ComparableVersion.compareTo` does.
    ///
    /// Maven's order is antisymmetric but, for some unusual strings, not
    /// transitive: `1.p-nas0shot` < `1.0.0-SNAPSHOT` < `1.0`, yet
    /// `1.p-nas0shot` > `1.0` (a qualifier after `.` sorts below any `-`
    /// list but above a release). That is why this is not an `Ord`: compare
    /// pairs with it; sorting with it may panic.
    pub fn compare(&self, other: &Version) -> Ordering {
        cmp_lists(&self.items, &self.lower, &other.items, &other.lower)
    }
}
