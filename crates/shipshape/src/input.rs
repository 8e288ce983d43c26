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
/// paths matching `excluded` are left out, and a directory reached twice
/// (a bind mount of a parent) is searched once.
pub fn discover(
    dir: &Path,
    wanted: impl Fn(&str) -> bool,
    excluded: impl Fn(&Path) -> bool,
) -> Vec<PathBuf> {
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
