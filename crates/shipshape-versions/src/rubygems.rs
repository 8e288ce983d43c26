//! Ruby gem versions, parsed and ordered as `Gem::Version` does.
//!
//! A version is digits, then `.`-separated alphanumeric parts, then
//! optionally `-` and more parts (each `-` reads as `.pre.`). Its segments
//! are the runs of digits and of letters. A letter segment makes a
//! pre-release: `1.0.a` < `1.0` (letters sort below numbers, and a
//! missing segment counts as 0). Trailing zeros of the numeric part and of
//! the part from the first letter segment on are ignored (`1.0` = `1`,
//! `1.a.0` = `1.a`). Letters compare case-sensitively, numbers by value.

use std::cmp::Ordering;

use crate::{Ecosystem, Span, VersionError, check_len, cmp_digits, is_zero};

/// A parsed gem version.
#[derive(Debug, Clone)]
pub struct Version {
    text: Box<str>,
    /// `canonical_segments`.
    segments: Vec<Segment>,
}

#[derive(Debug, Clone, Copy)]
enum Segment {
    Number(Span),
    Letters(Span),
    /// The `pre` that a `-` stands for.
    Pre,
}

impl Segment {
    fn is_zero(self, text: &str) -> bool {
        matches!(self, Segment::Number(d) if is_zero(d.bytes(text)))
    }
}

impl Version {
    /// The string it was parsed from.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether any segment is letters (`Gem::Version#prerelease?`).
    pub fn is_prerelease(&self) -> bool {
        self.segments
            .iter()
            .any(|s| !matches!(s, Segment::Number(_)))
    }
}

/// Ruby's `\s`.
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Parses a gem version (`Gem::Version.correct?` plus `new`). Unlike
/// RubyGems, an empty string is refused rather than read as `0`.
pub fn parse(s: &str) -> Result<Version, VersionError> {
    check_len(Ecosystem::RubyGems, s)?;
    let err = |reason: &str| VersionError::new(Ecosystem::RubyGems, s, reason);
    let b = s.as_bytes();
    let start = b.iter().take_while(|&&c| is_space(c)).count();
    let end = b.len() - b.iter().rev().take_while(|&&c| is_space(c)).count();
    let body = b.get(start..end.max(start)).unwrap_or_default();
    if body.is_empty() {
        return Err(err("version string is empty"));
    }
    let (main, pre) = match body.iter().position(|&c| c == b'-') {
        Some(h) => (&body[..h], Some(&body[h + 1..])),
        None => (body, None),
    };
    let mut parts = main.split(|&c| c == b'.');
    if !parts
        .next()
        .is_some_and(|p| !p.is_empty() && p.iter().all(u8::is_ascii_digit))
    {
        return Err(err("must start with digits, then '.'-separated parts"));
    }
    if !parts.all(|p| !p.is_empty() && p.iter().all(u8::is_ascii_alphanumeric)) {
        return Err(err("empty or non-alphanumeric part before any '-'"));
    }
    let pre_part =
        |p: &[u8]| !p.is_empty() && p.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'-');
    if pre.is_some_and(|pre| !pre.split(|&c| c == b'.').all(pre_part)) {
        return Err(err("empty or invalid part after '-'"));
    }
    let segments = canonical(s, start, end);
    Ok(Version {
        text: s.into(),
        segments,
    })
}

/// The digit and letter runs of `text[start..end]`, a `pre` for each `-`,
/// with trailing zeros dropped from the numeric part and from the rest.
fn canonical(text: &str, start: usize, end: usize) -> Vec<Segment> {
    let b = text.as_bytes();
    let mut segs = Vec::new();
    let mut i = start;
    while i < end {
        let c = b.get(i).copied().unwrap_or(b'.');
        let class = |c: u8| {
            if c.is_ascii_digit() {
                1
            } else if c.is_ascii_alphabetic() {
                2
            } else {
                0
            }
        };
        let k = class(c);
        if k == 0 {
            if c == b'-' {
                segs.push(Segment::Pre);
            }
            i += 1;
            continue;
        }
        let j = (i..end)
            .find(|&j| b.get(j).is_none_or(|&d| class(d) != k))
            .unwrap_or(end);
        segs.push(if k == 1 {
            Segment::Number(Span::new(i, j))
        } else {
            Segment::Letters(Span::new(i, j))
        });
        i = j;
    }
    let split = segs
        .iter()
        .position(|s| !matches!(s, Segment::Number(_)))
        .unwrap_or(segs.len());
    let mut rest = segs.split_off(split);
    while segs.last().is_some_and(|s| s.is_zero(text)) {
        segs.pop();
    }
    while rest.last().is_some_and(|s| s.is_zero(text)) {
        rest.pop();
    }
    segs.extend(rest);
    segs
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, b) = (&*self.text, &*other.text);
        let n = self.segments.len().max(other.segments.len());
        for k in 0..n {
            let x = self.segments.get(k).copied();
            let y = other.segments.get(k).copied();
            let o = match (x, y) {
                (Some(Segment::Number(p)), Some(Segment::Number(q))) => {
                    cmp_digits(p.bytes(a), q.bytes(b))
                }
                (Some(Segment::Number(p)), None) => cmp_digits(p.bytes(a), b"0"),
                (None, Some(Segment::Number(q))) => cmp_digits(b"0", q.bytes(b)),
                (None, None) => Ordering::Equal,
                // A string against a number or padding.
                (Some(_), Some(Segment::Number(_)) | None) => Ordering::Less,
                (Some(Segment::Number(_)) | None, Some(_)) => Ordering::Greater,
                (Some(p), Some(q)) => seg_text(p, a).cmp(seg_text(q, b)),
            };
            if o.is_ne() {
                return o;
            }
        }
        Ordering::Equal
    }
}

fn seg_text(s: Segment, text: &str) -> &[u8] {
    match s {
        Segment::Letters(l) => l.bytes(text),
        Segment::Pre => b"pre",
        Segment::Number(d) => d.bytes(text),
    }
}

equal_when_ordered_so!(Version);
