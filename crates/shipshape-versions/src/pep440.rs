//! Python package versions, parsed and ordered as PEP 440 and
//! `packaging.version.Version` define them.
//!
//! `[v][N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]`, case-insensitive,
//! with the normalizations of the specification: `alpha`, `beta`, `c`,
//! `pre` and `preview` spellings, `-`, `_` or `.` (or nothing) before each
//! suffix and its number, implicit numbers (`1.0a` is `1.0a0`), `1.0-1` as
//! `1.0.post1`, `rev` and `r` for `post`, surrounding whitespace.
//!
//! Order: epoch, release (trailing zeros ignored, `1.0 == 1`), then
//! `.devN` alone < `aN` < `bN` < `rcN` < release < `.postN`, with `.devN`
//! below the same version without it; a local version sorts above the
//! same public version, its segments compared one by one (numbers above
//! strings, numbers by value, strings case-insensitively).

use std::cmp::Ordering;

use crate::{Ecosystem, Span, VersionError, check_len, cmp_digits, is_zero};

/// A parsed PEP 440 version.
#[derive(Debug, Clone)]
pub struct Version {
    text: Box<str>,
    epoch: Option<Span>,
    release: Vec<Span>,
    /// `release` without its trailing zero components.
    trimmed: usize,
    pre: Option<(Pre, Option<Span>)>,
    post: Option<Option<Span>>,
    dev: Option<Option<Span>>,
    local: Option<Span>,
}

/// A pre-release kind, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Pre {
    /// `a`, `alpha`.
    Alpha,
    /// `b`, `beta`.
    Beta,
    /// `rc`, `c`, `pre`, `preview`.
    Rc,
}

impl Version {
    /// The string it was parsed from.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether this is a pre-release or a development release.
    pub fn is_prerelease(&self) -> bool {
        self.pre.is_some() || self.dev.is_some()
    }

    /// The normalized form, as `str(packaging.version.Version(s))`.
    pub fn normalized(&self) -> String {
        let t = &*self.text;
        let num = |s: Option<Span>| {
            s.map_or_else(
                || "0".to_owned(),
                |s| {
                    let d = crate::strip_zeros(s.bytes(t));
                    if d.is_empty() {
                        "0".to_owned()
                    } else {
                        String::from_utf8_lossy(d).into_owned()
                    }
                },
            )
        };
        let mut out = String::new();
        if let Some(e) = self.epoch.filter(|e| !is_zero(e.bytes(t))) {
            out.push_str(&num(Some(e)));
            out.push('!');
        }
        let release: Vec<String> = self.release.iter().map(|&r| num(Some(r))).collect();
        out.push_str(&release.join("."));
        if let Some((kind, n)) = self.pre {
            out.push_str(match kind {
                Pre::Alpha => "a",
                Pre::Beta => "b",
                Pre::Rc => "rc",
            });
            out.push_str(&num(n));
        }
        if let Some(n) = self.post {
            out.push_str(".post");
            out.push_str(&num(n));
        }
        if let Some(n) = self.dev {
            out.push_str(".dev");
            out.push_str(&num(n));
        }
        if let Some(l) = self.local {
            out.push('+');
            let segs: Vec<String> = local_segments(l.get(t))
                .map(|s| match s {
                    Local::Num(d) => num_str(d),
                    Local::Str(s) => s.to_ascii_lowercase(),
                })
                .collect();
            out.push_str(&segs.join("."));
        }
        out
    }
}

fn num_str(d: &str) -> String {
    let d = d.trim_start_matches('0');
    if d.is_empty() { "0".into() } else { d.into() }
}

/// Python's `str.isspace`, which `\s` matches in `packaging`'s pattern.
fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

struct Cursor<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn digits(&mut self) -> Option<Span> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        (self.pos > start).then(|| Span::new(start, self.pos))
    }

    fn sep(&mut self) {
        if matches!(self.peek(), Some(b'.' | b'_' | b'-')) {
            self.pos += 1;
        }
    }

    /// The first of `words` (in order) that the text continues with,
    /// ignoring ASCII case.
    fn word(&mut self, words: &[&'static str]) -> Option<&'static str> {
        let rest = self.b.get(self.pos..).unwrap_or_default();
        let w = words.iter().find(|w| {
            rest.get(..w.len())
                .is_some_and(|r| r.eq_ignore_ascii_case(w.as_bytes()))
        })?;
        self.pos += w.len();
        Some(w)
    }

    /// `[._-]? word [._-]? digits?`, all or nothing.
    fn suffix(&mut self, words: &[&'static str]) -> Option<(&'static str, Option<Span>)> {
        let start = self.pos;
        self.sep();
        let Some(w) = self.word(words) else {
            self.pos = start;
            return None;
        };
        self.sep();
        Some((w, self.digits()))
    }
}

/// Parses a version as `packaging.version.Version` does.
pub fn parse(s: &str) -> Result<Version, VersionError> {
    check_len(Ecosystem::Pep440, s)?;
    let err = |reason: &str| VersionError::new(Ecosystem::Pep440, s, reason);
    let end = s.trim_end_matches(is_py_space).len();
    let start = end
        - s.get(..end)
            .unwrap_or_default()
            .trim_start_matches(is_py_space)
            .len();
    let mut c = Cursor {
        b: s.as_bytes().get(..end).unwrap_or_default(),
        pos: start,
    };
    if matches!(c.peek(), Some(b'v' | b'V')) {
        c.pos += 1;
    }
    let mut first = c.digits().ok_or_else(|| err("expected a release number"))?;
    let mut epoch = None;
    if c.peek() == Some(b'!') {
        c.pos += 1;
        epoch = Some(first);
        first = c
            .digits()
            .ok_or_else(|| err("expected a release number after the epoch"))?;
    }
    let mut release = vec![first];
    while c.peek() == Some(b'.') && c.b.get(c.pos + 1).is_some_and(u8::is_ascii_digit) {
        c.pos += 1;
        release.extend(c.digits());
    }
    let pre = c
        .suffix(&["alpha", "a", "beta", "b", "preview", "pre", "c", "rc"])
        .map(|(w, n)| {
            let kind = match w {
                "alpha" | "a" => Pre::Alpha,
                "beta" | "b" => Pre::Beta,
                _ => Pre::Rc,
            };
            (kind, n)
        });
    let post = if c.peek() == Some(b'-') && c.b.get(c.pos + 1).is_some_and(u8::is_ascii_digit) {
        c.pos += 1;
        Some(c.digits())
    } else {
        c.suffix(&["post", "rev", "r"]).map(|(_, n)| n)
    };
    let dev = c.suffix(&["dev"]).map(|(_, n)| n);
    let mut local = None;
    if c.peek() == Some(b'+') {
        c.pos += 1;
        let l = local_run(&mut c).ok_or_else(|| err("invalid local version after '+'"))?;
        local = Some(l);
    }
    if c.pos != c.b.len() {
        return Err(err(&format!("unexpected character at byte {}", c.pos)));
    }
    let trimmed = release.len()
        - release
            .iter()
            .rev()
            .take_while(|r| is_zero(r.bytes(s)))
            .count();
    Ok(Version {
        text: s.into(),
        epoch,
        release,
        trimmed,
        pre,
        post,
        dev,
        local,
    })
}

/// `[a-z0-9]+([._-][a-z0-9]+)*`, ASCII case-insensitive.
fn local_run(c: &mut Cursor<'_>) -> Option<Span> {
    let start = c.pos;
    let alnum = |c: &Cursor<'_>, at: usize| c.b.get(at).is_some_and(u8::is_ascii_alphanumeric);
    if !alnum(c, c.pos) {
        return None;
    }
    loop {
        while alnum(c, c.pos) {
            c.pos += 1;
        }
        if matches!(c.peek(), Some(b'.' | b'_' | b'-')) && alnum(c, c.pos + 1) {
            c.pos += 1;
        } else {
            return Some(Span::new(start, c.pos));
        }
    }
}

enum Local<'a> {
    Num(&'a str),
    Str(&'a str),
}

fn local_segments(l: &str) -> impl Iterator<Item = Local<'_>> {
    l.split(['.', '_', '-']).map(|p| {
        if p.bytes().all(|c| c.is_ascii_digit()) {
            Local::Num(p)
        } else {
            Local::Str(p)
        }
    })
}

fn cmp_local(a: &str, b: &str) -> Ordering {
    let mut ia = local_segments(a);
    let mut ib = local_segments(b);
    loop {
        let o = match (ia.next(), ib.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(Local::Num(x)), Some(Local::Num(y))) => cmp_digits(x.as_bytes(), y.as_bytes()),
            (Some(Local::Num(_)), Some(Local::Str(_))) => Ordering::Greater,
            (Some(Local::Str(_)), Some(Local::Num(_))) => Ordering::Less,
            (Some(Local::Str(x)), Some(Local::Str(y))) => x
                .bytes()
                .map(|c| c.to_ascii_lowercase())
                .cmp(y.bytes().map(|c| c.to_ascii_lowercase())),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
}

impl Version {
    /// `packaging`'s suffix key: (pre rank, pre number, has post, post
    /// number, has no dev, dev number) with numbers as digit runs.
    fn suffix_key(&self) -> (i8, Option<Span>, bool, Option<Span>, bool, Option<Span>) {
        let pre_rank = match (self.pre, self.post, self.dev) {
            (None, None, Some(_)) => -1,
            (None, _, _) => 3,
            (Some((k, _)), _, _) => k as i8,
        };
        (
            pre_rank,
            self.pre.and_then(|(_, n)| n),
            self.post.is_some(),
            self.post.flatten(),
            self.dev.is_none(),
            self.dev.flatten(),
        )
    }
}

/// A number's digits, empty (zero) when absent.
fn num(x: Option<Span>, t: &str) -> &[u8] {
    x.map_or(&b""[..], |x| x.of(t.as_bytes()))
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, b) = (&*self.text, &*other.text);
        let ka = self.suffix_key();
        let kb = other.suffix_key();
        cmp_digits(num(self.epoch, a), num(other.epoch, b))
            .then_with(|| {
                let ra = self.release.get(..self.trimmed).unwrap_or_default();
                let rb = other.release.get(..other.trimmed).unwrap_or_default();
                ra.iter()
                    .map(|r| r.bytes(a))
                    .zip(rb.iter().map(|r| r.bytes(b)))
                    .map(|(x, y)| cmp_digits(x, y))
                    .find(|o| o.is_ne())
                    .unwrap_or_else(|| ra.len().cmp(&rb.len()))
            })
            .then_with(|| ka.0.cmp(&kb.0))
            .then_with(|| cmp_digits(num(ka.1, a), num(kb.1, b)))
            .then_with(|| ka.2.cmp(&kb.2))
            .then_with(|| cmp_digits(num(ka.3, a), num(kb.3, b)))
            .then_with(|| ka.4.cmp(&kb.4))
            .then_with(|| cmp_digits(num(ka.5, a), num(kb.5, b)))
            .then_with(|| match (self.local, other.local) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Less,
                (Some(_), None) => Ordering::Greater,
                (Some(x), Some(y)) => cmp_local(x.get(a), y.get(b)),
            })
    }
}

equal_when_ordered_so!(Version);

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> String {
        parse(s).expect("valid").normalized()
    }

    #[test]
    fn normalization() {
        assert_eq!(n("1.0-1"), "1.0.post1");
        assert_eq!(n("1.0ALPHA"), "1.0a0");
        assert_eq!(n("v1.0c1"), "1.0rc1");
        assert_eq!(n("1.0-preview_2"), "1.0rc2");
        assert_eq!(n("1.0.r"), "1.0.post0");
        assert_eq!(n("0!01.02-dev3+Ubuntu-01"), "1.2.dev3+ubuntu.1");
        assert_eq!(n(" 1.0 \n"), "1.0");
    }

    #[test]
    fn ordering() {
        let order = [
            "1.0.dev1",
            "1.0a1.dev1",
            "1.0a1",
            "1.0b2",
            "1.0rc1",
            "1.0",
            "1.0+abc",
            "1.0+5",
            "1.0.post1.dev1",
            "1.0.post1",
            "1.1",
            "1!0.1",
        ];
        for w in order.windows(2) {
            let (a, b) = (parse(w[0]).expect("valid"), parse(w[1]).expect("valid"));
            assert_eq!(a.cmp(&b), Ordering::Less, "{} < {}", w[0], w[1]);
        }
        assert_eq!(parse("1.0.0").expect("valid"), parse("1").expect("valid"));
    }

    #[test]
    fn invalid() {
        for s in [
            "", "1.0-", "1..0", "1.0+", "1.0+a..b", "a1", "1.0 1", "1.0ab", "1!", "1.0+a.",
        ] {
            assert!(parse(s).is_err(), "{s:?}");
        }
    }
}
