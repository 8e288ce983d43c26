//! `.shipshapeignore`: vulnerabilities (and rules) a project has decided
//! to accept, each with an optional expiry date and reason.
//!
//! One entry per line: an id, then optionally `until=YYYY-MM-DD`, then
//! optionally `# reason`. Blank lines and lines starting with `#` are
//! comments.
//!
//! ```text
//! CVE-2023-4911 until=2027-01-31  # not reachable: no setuid binaries
//! GHSA-j8r2-6x86-q33q             # requests only talks to our own API
//! ```
//!
//! An entry whose date has passed no longer applies, and is reported so
//! the decision gets looked at again. trivy's `.trivyignore` is read the
//! same way where there is no `.shipshapeignore` (`exp:` dates included).

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

pub const FILE_NAME: &str = ".shipshapeignore";

/// One accepted id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    /// `YYYY-MM-DD`, the last day the entry applies.
    pub until: Option<String>,
    pub reason: Option<String>,
    pub line: usize,
}

/// Parses the file's text; `path` names it in errors.
pub fn parse(text: &str, path: &Path) -> Result<Vec<Entry>> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let (body, reason) = match raw.split_once('#') {
            Some((b, r)) => (b, Some(r.trim().to_string()).filter(|r| !r.is_empty())),
            None => (raw, None),
        };
        let mut words = body.split_whitespace();
        let Some(id) = words.next() else {
            continue;
        };
        let mut until = None;
        for word in words {
            // trivy's `.trivyignore` writes the date as `exp:YYYY-MM-DD`.
            match word
                .strip_prefix("until=")
                .or_else(|| word.strip_prefix("exp:"))
            {
                Some(date) if is_date(date) => until = Some(date.to_string()),
                Some(date) => bail!(
                    "{}:{line}: `{date}` is not a date (YYYY-MM-DD)",
                    path.display()
                ),
                None => bail!(
                    "{}:{line}: unexpected `{word}`; an entry is `ID [until=YYYY-MM-DD] [# reason]`",
                    path.display()
                ),
            }
        }
        out.push(Entry {
            id: id.to_string(),
            until,
            reason,
            line,
        });
    }
    Ok(out)
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && s.get(5..7)
            .and_then(|m| m.parse::<u32>().ok())
            .is_some_and(|m| (1..=12).contains(&m))
        && s.get(8..10)
            .and_then(|d| d.parse::<u32>().ok())
            .is_some_and(|d| (1..=31).contains(&d))
}

/// The entries that apply on `today` (`YYYY-MM-DD`), and those expired.
pub fn split(entries: Vec<Entry>, today: &str) -> (Vec<Entry>, Vec<Entry>) {
    // ISO dates order as strings.
    entries
        .into_iter()
        .partition(|e| e.until.as_deref().is_none_or(|u| u >= today))
}

/// trivy's file of the same kind, read where a directory has no
/// `.shipshapeignore`: ids one per line, `exp:YYYY-MM-DD` for an expiry.
pub const TRIVY_NAME: &str = ".trivyignore";

/// The first `.shipshapeignore` (or else `.trivyignore`) in the current
/// directory or above it.
pub fn discover() -> Option<PathBuf> {
    let here = std::env::current_dir().ok()?;
    here.ancestors().find_map(|d| {
        [FILE_NAME, TRIVY_NAME]
            .into_iter()
            .map(|name| d.join(name))
            .find(|p| p.is_file())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_with_dates_and_reasons() {
        let text = "# accepted risks\n\nCVE-2023-4911 until=2027-01-31  # not reachable\nGHSA-j8r2-6x86-q33q\nCVE-2020-1 until=2020-01-01 # old\n";
        let entries = parse(text, Path::new(".shipshapeignore")).expect("parses");
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[0].until.as_deref(), Some("2027-01-31"));
        assert_eq!(entries[0].reason.as_deref(), Some("not reachable"));
        assert_eq!(entries[1].line, 4);
        let (live, expired) = split(entries, "2026-11-28");
        assert_eq!(
            live.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
            ["CVE-2023-4911", "GHSA-j8r2-6x86-q33q"]
        );
        assert_eq!(expired[0].id, "CVE-2020-1");
        // The last day still applies.
        let (live, _) = split(
            parse("X until=2026-11-28", Path::new("f")).expect("ok"),
            "2026-11-28",
        );
        assert_eq!(live.len(), 1);
    }

    #[test]
    fn malformed_entries_name_the_line() {
        let e = parse("CVE-1 until=2026-13-01\n", Path::new("p/.shipshapeignore"))
            .expect_err("bad month");
        assert!(e.to_string().starts_with("p/.shipshapeignore:1:"), "{e}");
        let e = parse("\nCVE-1 forever\n", Path::new("f")).expect_err("bad word");
        assert!(e.to_string().contains("f:2: unexpected `forever`"), "{e}");
    }
}
