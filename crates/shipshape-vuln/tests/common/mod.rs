//! The shared OSV records (`../shared/data/osv` beside the repository).

#![allow(dead_code)]

use std::cmp::Ordering;
use std::path::{Path, PathBuf};

use shipshape_vuln::osv::{self, Record};

/// The shared OSV directory when present. Skips with a message otherwise,
/// and fails under `SHIPSHAPE_REQUIRE_SHARED=1`.
pub fn shared_osv() -> Option<PathBuf> {
    shared_data("osv")
}

/// `../shared/data/<sub>` beside the repository when present, like
/// [`shared_osv`].
pub fn shared_data(sub: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(sub);
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("SHIPSHAPE_REQUIRE_SHARED").is_ok_and(|v| v == "1") {
        panic!(
            "SHIPSHAPE_REQUIRE_SHARED=1 but {} is missing",
            dir.display()
        );
    }
    eprintln!(
        "skipping: {} not found (shared test data is not in this checkout)",
        dir.display()
    );
    None
}

/// Every `*.json` file under `dir`, sorted.
pub fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable") {
            let path = entry.expect("readable").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Every shared record, parsed; panics on the first that does not parse.
pub fn shared_records() -> Option<Vec<(PathBuf, Record)>> {
    let dir = shared_osv()?;
    Some(
        json_files(&dir)
            .into_iter()
            .map(|path| {
                let bytes = std::fs::read(&path).expect("readable");
                let record = osv::parse(&bytes, &path.display().to_string())
                    .unwrap_or_else(|e| panic!("{e}"));
                (path, record)
            })
            .collect(),
    )
}

/// One shared record by its path under the OSV directory.
pub fn shared_record(rel: &str) -> Option<Record> {
    let path = shared_osv()?.join(rel);
    let bytes = std::fs::read(&path).expect("readable");
    Some(osv::parse(&bytes, rel).expect("parses"))
}

/// Dotted numeric versions compared number by number (`1.10 > 1.9`,
/// `1.0 == 1.0.0`); anything else is an error.
pub fn dotted(a: &str, b: &str) -> Result<Ordering, String> {
    let parse = |v: &str| -> Result<Vec<u64>, String> {
        v.split('.')
            .map(|p| {
                p.parse::<u64>()
                    .map_err(|_| format!("`{v}` is not a dotted number"))
            })
            .collect()
    };
    let (a, b) = (parse(a)?, parse(b)?);
    for i in 0..a.len().max(b.len()) {
        let (x, y) = (a.get(i).unwrap_or(&0), b.get(i).unwrap_or(&0));
        if x != y {
            return Ok(x.cmp(y));
        }
    }
    Ok(Ordering::Equal)
}
