//! Reading what the user names: files and standard input within a byte
//! budget, and directory searches that stay in their tree.

use std::collections::HashSet;
use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// Directories never searched.
pub const SKIP_DIRS: &[&str] = &[".git", "node_modules", "target", "vendor", ".venv"];

/// The largest Dockerfile, compose file or manifest read, in bytes, unless
/// `SHIPSHAPE_MAX_INPUT_BYTES` says otherwise.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// The byte budget of one input file.
pub fn max_input_bytes() -> u64 {
    std::env::var("SHIPSHAPE_MAX_INPUT_BYTES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(DEFAULT_MAX_INPUT_BYTES)
}

/// Why an input could not be read as text.
pub enum Unreadable {
    /// Not there, not a regular file, too large, or an I/O error.
    Io(String),
    /// Read, but not UTF-8: the offset of the first bad byte.
    NotUtf8(usize),
    /// Read, but holds a NUL byte (at this offset): binary, not text.
    Binary(usize),
}

impl Unreadable {
    pub fn message(&self) -> String {
        match self {
            Unreadable::Io(m) => m.clone(),
            Unreadable::NotUtf8(at) => format!("not UTF-8 text (invalid byte at offset {at})"),
            Unreadable::Binary(at) => format!("binary, not text (NUL byte at offset {at})"),
        }
    }
}

/// A text file, read within the budget. Devices, FIFOs and directories are
/// refused before anything is read from them.
pub fn read_text(path: &Path) -> Result<String, Unreadable> {
    let meta = std::fs::metadata(path).map_err(|e| Unreadable::Io(format!("cannot read: {e}")))?;
    if meta.is_dir() {
        return Err(Unreadable::Io(
            "is a directory, not a file (give the directory itself to search it)".into(),
        ));
    }
    if !meta.is_file() {
        return Err(Unreadable::Io(
            "not a regular file (a device, FIFO or socket is not read)".into(),
        ));
    }
    let limit = max_input_bytes();
    if meta.len() > limit {
        return Err(too_large(limit));
    }
    let file =
        std::fs::File::open(path).map_err(|e| Unreadable::Io(format!("cannot read: {e}")))?;
    read_bounded(file, limit)
}

/// Standard input, read within the budget.
pub fn read_stdin() -> Result<String, Unreadable> {
    read_bounded(std::io::stdin().lock(), max_input_bytes())
        .map_err(|e| Unreadable::Io(format!("standard input: {}", e.message())))
}

fn read_bounded(source: impl Read, limit: u64) -> Result<String, Unreadable> {
    let mut bytes = Vec::new();
    source
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Unreadable::Io(format!("cannot read: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(limit));
    }
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(Unreadable::Binary(at));
    }
    String::from_utf8(bytes).map_err(|e| Unreadable::NotUtf8(e.utf8_error().valid_up_to()))
}

fn too_large(limit: u64) -> Unreadable {
    Unreadable::Io(format!(
        "larger than {limit} bytes, the most read from one input (raise it with SHIPSHAPE_MAX_INPUT_BYTES)"
    ))
}

/// The files under `dir` whose names `wanted` accepts, sorted. Symbolic
/// links are not followed (to files or directories), [`SKIP_DIRS`] and
/// paths matching an `excluded` pattern ([`excluded_by`], relative to
/// `dir`) are left out, and a directory reached twice
/// (a bind mount of a parent) is searched once.
pub fn discover(dir: &Path, wanted: impl Fn(&str) -> bool, excluded: &[String]) -> Vec<PathBuf> {
    let excluded = |path: &Path| {
        let relative = path.strip_prefix(dir).unwrap_or(path).to_string_lossy();
        excluded.iter().any(|p| excluded_by(p, &relative))
    };
    let mut found = Vec::new();
    let mut seen: HashSet<(u64, u64)> = HashSet::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(meta) = std::fs::metadata(&dir) else {
            continue;
        };
        if !seen.insert((meta.dev(), meta.ino())) {
            continue;
        }
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let Ok(ft) = entry.file_type() else { continue };
            if excluded(&path) {
                continue;
            }
            if ft.is_dir() {
                if !SKIP_DIRS.contains(&name.as_str()) {
                    pending.push(path);
                }
            } else if ft.is_file() && wanted(&name) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Whether `path` (relative to the directory searched, `/`-separated)
/// matches the exclusion pattern `pattern`, as `.gitignore` reads one: `*`
/// and `?` within a path segment, `**` across segments, a pattern without
/// `/` matched against every segment (a file or directory name), and a
/// trailing `/` accepted.
pub fn excluded_by(pattern: &str, path: &str) -> bool {
    let pattern = pattern.trim().trim_end_matches('/');
    let pattern = pattern.strip_prefix("./").unwrap_or(pattern);
    if pattern.is_empty() {
        return false;
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if !pattern.contains('/') {
        return segments.iter().any(|s| segment_matches(pattern, s));
    }
    let pattern = pattern.trim_start_matches('/');
    let parts: Vec<&str> = pattern.split('/').collect();
    // A pattern naming a directory also excludes what is under it.
    (0..=segments.len()).any(|n| path_matches(&parts, &segments[..n]))
}

fn path_matches(parts: &[&str], segments: &[&str]) -> bool {
    match parts.split_first() {
        None => segments.is_empty(),
        Some((&"**", rest)) => (0..=segments.len()).any(|i| path_matches(rest, &segments[i..])),
        Some((part, rest)) => segments
            .split_first()
            .is_some_and(|(s, more)| segment_matches(part, s) && path_matches(rest, more)),
    }
}

/// `*` and `?` within one segment, in time linear in both lengths times
/// the number of stars.
fn segment_matches(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::excluded_by;

    #[test]
    fn exclusion_patterns_match_as_gitignore_reads_them() {
        for (pattern, path) in [
            ("*.template", "php/8.3/Dockerfile-linux.template"),
            ("testdata", "a/testdata/Dockerfile"),
            ("vendor/", "vendor/x/compose.yaml"),
            ("**/fixtures/**", "src/fixtures/deep/pod.yaml"),
            ("docs/*.yaml", "docs/pod.yaml"),
            ("/docs", "docs/a/b.yaml"),
            ("Docker?ile", "Dockerfile"),
        ] {
            assert!(
                excluded_by(pattern, path),
                "{pattern} should exclude {path}"
            );
        }
        for (pattern, path) in [
            ("*.template", "Dockerfile"),
            ("docs/*.yaml", "a/docs/pod.yaml"),
            ("docs/*.yaml", "docs/a/pod.yaml"),
            ("testdata", "a/testdata2/Dockerfile"),
            ("", "Dockerfile"),
        ] {
            assert!(
                !excluded_by(pattern, path),
                "{pattern} should not exclude {path}"
            );
        }
    }
}
