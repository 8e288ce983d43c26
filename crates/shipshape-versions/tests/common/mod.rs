//! Shared by the integration tests: a seeded generator of version-like
//! strings, and how to find (or insist on) the reference tools.

#![allow(dead_code)]

use std::process::Command;

/// SplitMix64: small, seeded, good enough to spread test cases.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `pct`/100.
    pub fn chance(&mut self, pct: usize) -> bool {
        self.below(100) < pct
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    /// One of `xs`.
    pub fn word<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }

    /// A number as text: mostly small, sometimes with leading zeros or
    /// long.
    pub fn number(&mut self) -> String {
        match self.below(10) {
            0 => "0".into(),
            1 => format!("0{}", self.below(10)),
            2 => (0..self.below(25) + 10)
                .map(|_| char::from(b'0' + self.below(10) as u8))
                .collect(),
            3 => format!("{}", self.below(100_000)),
            _ => format!("{}", self.below(20)),
        }
    }

    /// Random characters of `alphabet`.
    pub fn chars(&mut self, alphabet: &str, max: usize) -> String {
        let a: Vec<char> = alphabet.chars().collect();
        (0..self.below(max) + 1).map(|_| *self.pick(&a)).collect()
    }

    /// Pieces joined: each piece a number or a word, separated by one of
    /// `seps`.
    pub fn pieces(&mut self, words: &[&str], seps: &[&str], max: usize) -> String {
        let mut s = self.number();
        for _ in 0..self.below(max) {
            s.push_str(self.word(seps));
            if self.chance(60) {
                s.push_str(&self.number());
            } else {
                s.push_str(self.word(words));
                if self.chance(50) {
                    s.push_str(&self.number());
                }
            }
        }
        s
    }

    /// A small edit of `s`: a character changed, inserted, removed, or a
    /// piece appended; often nothing, so equal pairs come up.
    pub fn mutate(&mut self, s: &str, alphabet: &str, tails: &[&str]) -> String {
        let mut c: Vec<char> = s.chars().collect();
        let a: Vec<char> = alphabet.chars().collect();
        match self.below(8) {
            0 => return s.to_owned(),
            1 if !c.is_empty() => {
                let i = self.below(c.len());
                c[i] = *self.pick(&a);
            }
            2 => {
                let i = self.below(c.len() + 1);
                c.insert(i, *self.pick(&a));
            }
            3 if !c.is_empty() => {
                c.remove(self.below(c.len()));
            }
            4 => return format!("{s}{}", self.pick(tails)),
            5 => {
                // Bump or pad a digit run.
                let i = self.below(c.len() + 1);
                c.insert(i, if self.chance(50) { '0' } else { '1' });
            }
            _ => return format!("{s}{}", self.pick(tails)),
        }
        c.into_iter().collect()
    }
}

/// Whether a missing reference tool fails the test instead of skipping it.
pub fn peers_required() -> bool {
    std::env::var("SHIPSHAPE_REQUIRE_PEERS").is_ok_and(|v| v == "1")
}

/// Skips (returns `None`) with a message, or panics under
/// `SHIPSHAPE_REQUIRE_PEERS=1`.
pub fn missing(what: &str) -> Option<std::convert::Infallible> {
    if peers_required() {
        panic!("SHIPSHAPE_REQUIRE_PEERS=1 but {what}");
    }
    eprintln!("skipping: {what} (set SHIPSHAPE_REQUIRE_PEERS=1 to fail instead)");
    None
}

/// The first of `pythons` that can run `probe`.
pub fn python_with(pythons: &[&str], probe: &str) -> Option<String> {
    pythons.iter().find_map(|p| {
        Command::new(p)
            .args(["-c", probe])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|_| (*p).to_owned())
    })
}

/// `<`, `>`, `=` for an ordering.
pub fn sign(o: std::cmp::Ordering) -> char {
    match o {
        std::cmp::Ordering::Less => '<',
        std::cmp::Ordering::Equal => '=',
        std::cmp::Ordering::Greater => '>',
    }
}

/// Minimal JSON string quoting for handing strings to a script.
pub fn json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Checks that our verdicts equal the reference's, listing the first
/// disagreements. `ours` and `theirs` hold one of `<>=E` per pair.
pub fn assert_agree(tool: &str, pairs: &[(String, String)], ours: &[char], theirs: &[char]) {
    assert_eq!(ours.len(), pairs.len());
    assert_eq!(
        theirs.len(),
        pairs.len(),
        "{tool} answered {} of {} pairs",
        theirs.len(),
        pairs.len()
    );
    let bad: Vec<String> = pairs
        .iter()
        .zip(ours.iter().zip(theirs))
        .filter(|(_, (o, t))| o != t)
        .map(|((a, b), (o, t))| format!("{a:?} vs {b:?}: ours {o}, {tool} {t}"))
        .collect();
    let valid = theirs.iter().filter(|&&t| t != 'E').count();
    let eq = theirs.iter().filter(|&&t| t == '=').count();
    eprintln!(
        "{tool}: {} pairs, {valid} valid, {eq} equal, {} disagreements",
        pairs.len(),
        bad.len()
    );
    assert!(
        bad.is_empty(),
        "{} disagreements with {tool}, first ones:\n{}",
        bad.len(),
        bad.iter().take(30).cloned().collect::<Vec<_>>().join("\n")
    );
    // The generator must exercise valid pairs and each outcome.
    assert!(valid * 3 > pairs.len(), "too few valid pairs: {valid}");
    for c in ['<', '>', '='] {
        assert!(theirs.contains(&c), "no pair came out {c}");
    }
}
