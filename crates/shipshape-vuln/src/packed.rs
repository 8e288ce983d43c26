//! The compact form in which the database keeps what the matcher reads on
//! every lookup: a list of strings, each written as its length in bytes, a
//! colon and its bytes (`5:1.2.3`). Any string round-trips (no character
//! needs escaping), and reading an item is taking a slice of the stored
//! text, with no copy and no allocation.
//!
//! Lists of pairs (a severity's type and score) are flat lists of even
//! length. Tagged lists (a range's events) start each item with a one-byte
//! tag.

use std::fmt::Write;

use crate::osv::{Affected, Event, Severity};
use crate::range::{self, EventRef, RangeRef};

/// A stored list that does not decode: the database was not written by
/// this module, or was damaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Malformed;

impl std::fmt::Display for Malformed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not a packed list (length, `:`, bytes)")
    }
}

impl std::error::Error for Malformed {}

/// Appends `item` to the packed list `out`.
pub fn push(out: &mut String, item: &str) {
    let _ = write!(out, "{}:{item}", item.len());
}

/// `items` as a packed list.
pub fn list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for item in items {
        push(&mut out, item);
    }
    out
}

/// The items of a packed list, in order.
pub fn items(packed: &str) -> Items<'_> {
    Items { rest: packed }
}

/// Iterator over a packed list; yields [`Malformed`] once and stops when
/// the text is not one.
pub struct Items<'a> {
    rest: &'a str,
}

impl<'a> Iterator for Items<'a> {
    type Item = Result<&'a str, Malformed>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let item = self.rest.split_once(':').and_then(|(len, tail)| {
            let len: usize = len.parse().ok()?;
            Some((tail.get(..len)?, tail.get(len..)?))
        });
        match item {
            Some((item, rest)) => {
                self.rest = rest;
                Some(Ok(item))
            }
            None => {
                self.rest = "";
                Some(Err(Malformed))
            }
        }
    }
}

/// Every item of `packed`, copied.
pub fn strings(packed: &str) -> Result<Vec<String>, Malformed> {
    items(packed).map(|i| i.map(str::to_string)).collect()
}

/// Appends `item` with a one-byte `tag` before it.
fn push_tagged(out: &mut String, tag: u8, item: &str) {
    let _ = write!(out, "{}:{}{item}", item.len() + 1, char::from(tag));
}

/// Severities as a flat list of (type, score) pairs.
pub fn severities(list: &[Severity]) -> String {
    let mut out = String::new();
    for s in list {
        push(&mut out, &s.kind);
        push(&mut out, &s.score);
    }
    out
}

/// The severities [`severities`] packed.
pub fn unpack_severities(packed: &str) -> Result<Vec<Severity>, Malformed> {
    let mut out = Vec::new();
    let mut it = items(packed);
    while let Some(kind) = it.next() {
        let score = it.next().ok_or(Malformed)??;
        out.push(Severity {
            kind: kind?.to_string(),
            score: score.to_string(),
        });
    }
    Ok(out)
}

/// What the matcher evaluates of an affected entry: each range as an `R`
/// item with its type and its events after it (`i` introduced, `f` fixed,
/// `a` last affected, `l` limit), then the explicit versions (`v`).
pub fn entry(affected: &Affected) -> String {
    let mut out = String::new();
    for range in &affected.ranges {
        push_tagged(&mut out, b'R', range.kind.as_str());
        for event in &range.events {
            let tag = match event {
                Event::Introduced(_) => b'i',
                Event::Fixed(_) => b'f',
                Event::LastAffected(_) => b'a',
                Event::Limit(_) => b'l',
            };
            push_tagged(&mut out, tag, event.version());
        }
    }
    for v in &affected.versions {
        push_tagged(&mut out, b'v', v);
    }
    out
}

/// The ranges and versions [`entry`] packed, borrowed from `packed`.
pub fn unpack_entry(packed: &str) -> Result<(Vec<RangeRef<'_>>, Vec<&str>), Malformed> {
    let mut ranges: Vec<RangeRef<'_>> = Vec::new();
    let mut versions = Vec::new();
    for item in items(packed) {
        let item = item?;
        // The tag is one ASCII byte, so the rest starts on a character.
        let (Some(&tag), Some(value)) = (item.as_bytes().first(), item.get(1..)) else {
            return Err(Malformed);
        };
        let event = match tag {
            b'R' => {
                ranges.push(RangeRef {
                    evaluated: range::evaluated(value),
                    events: Vec::with_capacity(2),
                });
                continue;
            }
            b'v' => {
                versions.push(value);
                continue;
            }
            b'i' => EventRef::Introduced(value),
            b'f' => EventRef::Fixed(value),
            b'a' => EventRef::LastAffected(value),
            b'l' => EventRef::Limit(value),
            _ => return Err(Malformed),
        };
        ranges.last_mut().ok_or(Malformed)?.events.push(event);
    }
    Ok((ranges, versions))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn any_string_round_trips() {
        let cases = ["", "1.2.3", "a:b", "12:34", "ünï", "\n\"\\", "0:"];
        let packed = list(cases);
        assert_eq!(strings(&packed).unwrap(), cases);
        assert!(strings("").unwrap().is_empty());
    }

    #[test]
    fn entries_and_severities_round_trip() {
        let affected: Affected = serde_json::from_str(
            r#"{"ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1:2.0-1"}]},
                           {"type": "GIT", "repo": "r", "events": [{"introduced": "abc"}, {"limit": "*"}]},
                           {"type": "SEMVER", "events": [{"introduced": "1.0.0"}, {"last_affected": "1.2.0"}]}],
                "versions": ["1.0", "v:2"]}"#,
        )
        .unwrap();
        let packed = entry(&affected);
        let (ranges, versions) = unpack_entry(&packed).unwrap();
        let expected: Vec<RangeRef<'_>> = affected.ranges.iter().map(RangeRef::of).collect();
        assert_eq!(ranges, expected);
        assert!(!ranges[1].evaluated);
        assert_eq!(versions, ["1.0", "v:2"]);

        let list = vec![
            Severity {
                kind: "CVSS_V3".into(),
                score: "CVSS:3.1/AV:N".into(),
            },
            Severity {
                kind: "Ubuntu".into(),
                score: "medium".into(),
            },
        ];
        assert_eq!(unpack_severities(&severities(&list)).unwrap(), list);
        assert_eq!(unpack_severities("1:a"), Err(Malformed));
        assert_eq!(unpack_entry("2:ix"), Err(Malformed), "event before a range");
        assert_eq!(unpack_entry("2:Zx"), Err(Malformed), "unknown tag");
    }

    #[test]
    fn damaged_lists_are_errors() {
        for bad in ["5:abc", "x:abc", "3abc", ":", "-1:a", "1:a2:", "1:ü"] {
            assert_eq!(strings(bad), Err(Malformed), "{bad:?}");
        }
    }
}
