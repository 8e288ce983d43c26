//! Fixes as data: the text edits that resolve a finding, and whether
//! applying them can change what the file builds or deploys.

use serde::Serialize;

use crate::Region;

/// Whether a fix keeps what the file produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// The build or deployment cannot change (`MAINTAINER` to `LABEL`,
    /// `--no-cache` on `apk add`): applied by `--fix`.
    Safe,
    /// It can (`--no-install-recommends` changes the installed set):
    /// applied only with `--unsafe-fixes`.
    Unsafe,
}

impl std::fmt::Display for Applicability {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        })
    }
}

/// One replacement of the text in `region` (empty for an insertion).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Edit {
    pub region: Region,
    pub replacement: String,
}

/// The edits that resolve one finding.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Fix {
    pub applicability: Applicability,
    /// What the fix does, in words (`add --no-cache`).
    pub description: String,
    pub edits: Vec<Edit>,
}

/// Applies `fixes` to `source`, each whole or not at all: a fix whose
/// edits overlap an earlier one's (or each other) waits for the next
/// round. Returns the new text and how many fixes were applied.
pub fn apply<'f>(source: &str, fixes: impl IntoIterator<Item = &'f Fix>) -> (String, usize) {
    let mut taken: Vec<(usize, usize, &str)> = Vec::new();
    let mut applied = 0;
    for fix in fixes {
        let mut edits: Vec<(usize, usize, &str)> = fix
            .edits
            .iter()
            .map(|e| {
                (
                    e.region.byte_start,
                    e.region.byte_end,
                    e.replacement.as_str(),
                )
            })
            .collect();
        edits.sort_by_key(|e| (e.0, e.1));
        let fits = |e: &(usize, usize, &str)| {
            e.0 <= e.1
                && e.1 <= source.len()
                && source.is_char_boundary(e.0)
                && source.is_char_boundary(e.1)
        };
        let inner_overlap = edits.windows(2).any(|w| overlaps(w[0], w[1]));
        let outer_overlap = edits.iter().any(|e| taken.iter().any(|t| overlaps(*e, *t)));
        if edits.is_empty() || !edits.iter().all(fits) || inner_overlap || outer_overlap {
            continue;
        }
        taken.extend(edits);
        applied += 1;
    }
    taken.sort_by_key(|e| (e.0, e.1));
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    for (start, end, text) in taken {
        out.push_str(&source[at..start]);
        out.push_str(text);
        at = end;
    }
    out.push_str(&source[at..]);
    (out, applied)
}

/// Whether two edits touch: overlapping ranges, or two insertions at one
/// place (their order would be a guess).
fn overlaps(a: (usize, usize, &str), b: (usize, usize, &str)) -> bool {
    match (a.0 == a.1, b.0 == b.1) {
        (true, true) => a.0 == b.0,
        (true, false) => b.0 < a.0 && a.0 < b.1,
        (false, true) => a.0 < b.0 && b.0 < a.1,
        (false, false) => a.0 < b.1 && b.0 < a.1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Position;

    fn edit(start: usize, end: usize, text: &str) -> Edit {
        let p = Position { line: 1, column: 1 };
        Edit {
            region: Region {
                start: p,
                end: p,
                byte_start: start,
                byte_end: end,
            },
            replacement: text.to_string(),
        }
    }

    fn fix(edits: Vec<Edit>) -> Fix {
        Fix {
            applicability: Applicability::Safe,
            description: String::new(),
            edits,
        }
    }

    #[test]
    fn applies_in_order_and_skips_overlaps() {
        let source = "RUN apk add curl";
        let fixes = [
            fix(vec![edit(11, 11, " --no-cache")]),
            // Overlaps nothing: replaces `RUN`.
            fix(vec![edit(0, 3, "run")]),
            // Overlaps the one before: waits.
            fix(vec![edit(1, 2, "X")]),
            // A second insertion at the same place: waits.
            fix(vec![edit(11, 11, " -q")]),
        ];
        let (out, n) = apply(source, &fixes);
        assert_eq!(out, "run apk add --no-cache curl");
        assert_eq!(n, 2);
    }

    #[test]
    fn a_fix_is_whole_or_not_at_all() {
        let source = "abcdef";
        let fixes = [
            fix(vec![edit(0, 1, "A")]),
            fix(vec![edit(4, 5, "E"), edit(0, 2, "x")]),
        ];
        assert_eq!(apply(source, &fixes), ("Abcdef".to_string(), 1));
        // Out of range or inside a character: refused.
        assert_eq!(apply("é", &[fix(vec![edit(1, 2, "e")])]).1, 0);
        assert_eq!(apply("ab", &[fix(vec![edit(1, 9, "")])]).1, 0);
    }
}
