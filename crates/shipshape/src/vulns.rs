//! `shipshape db` and the vulnerability step of `shipshape image` and
//! `shipshape fs`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use shipshape_core::inventory::Inventory;
use shipshape_core::time;
use shipshape_core::vuln::Vulnerability;
use shipshape_report::db_status::{self, DbSource, DbStatus};
use shipshape_vuln::db::Db;
use shipshape_vuln::import::{self, Builder};
use shipshape_vuln::matcher;

use crate::cli::{DbArgs, DbCommand, FormatArg, Global};

/// A database older than this is reported as stale.
const STALE_DAYS: u64 = 7;

/// The feeds `db update` reads when none are named.
const DEFAULT_FEEDS: &[&str] = &[
    "PyPI",
    "npm",
    "Go",
    "crates.io",
    "Maven",
    "RubyGems",
    "Packagist",
    "Ubuntu",
    "AlmaLinux",
    "Rocky Linux",
    "debian-tracker",
    "alpine-secdb:v3.19/main",
    "alpine-secdb:v3.19/community",
    "alpine-secdb:v3.20/main",
    "alpine-secdb:v3.20/community",
    "alpine-secdb:v3.21/main",
    "alpine-secdb:v3.21/community",
    "alpine-secdb:v3.22/main",
    "alpine-secdb:v3.22/community",
];

/// A line on standard error that never stops the command: an import or
/// update goes on to its end even if nobody reads its progress.
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// Whole days since `built` (Unix seconds).
fn age_days(built: u64) -> u64 {
    time::now().saturating_sub(built) / 86_400
}

fn path_of(explicit: Option<&Path>) -> PathBuf {
    explicit.map_or_else(import::default_path, Path::to_path_buf)
}

pub fn db(global: &Global, args: &DbArgs) -> Result<ExitCode> {
    let path = path_of(args.db.as_deref());
    match &args.command {
        DbCommand::Import { paths } => {
            let mut builder = Builder::create(&path, true)?;
            let mut stored = 0;
            for p in paths {
                let summary = builder.import_path(p)?;
                stored += summary.records;
                if !global.quiet {
                    note!(
                        "{}: {} records ({})",
                        p.display(),
                        summary.records,
                        summary.source
                    );
                    // A folder of mixed files skips many: a few show why.
                    const SHOWN: usize = 5;
                    for skipped in summary.skipped.iter().take(SHOWN) {
                        note!("  skipped {skipped}");
                    }
                    if summary.skipped.len() > SHOWN {
                        note!(
                            "  ... and {} more files skipped ({} in all)",
                            summary.skipped.len() - SHOWN,
                            summary.skipped.len()
                        );
                    }
                }
            }
            if stored == 0 {
                // An empty database would turn matching off without a word.
                anyhow::bail!(
                    "no advisory was found in {}; nothing was written to {}",
                    paths
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                    path.display()
                );
            }
            let written = builder.finish()?;
            if !global.quiet {
                note!("database: {}", written.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        DbCommand::Update { base_url, feeds } => {
            let base = base_url
                .clone()
                .unwrap_or_else(|| import::DEFAULT_OSV_BASE_URL.to_string());
            let feeds: Vec<&str> = if feeds.is_empty() {
                DEFAULT_FEEDS.to_vec()
            } else {
                feeds.iter().map(String::as_str).collect()
            };
            let summaries = import::update(&path, &base, &feeds)?;
            if !global.quiet {
                for s in &summaries {
                    note!("{}: {} records", s.source, s.records);
                }
                note!("database: {}", path.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        DbCommand::Status(_) => status(global, &path),
    }
}

fn status(global: &Global, path: &Path) -> Result<ExitCode> {
    let db = Db::open(path)?;
    let st = db.status()?;
    let age_days = age_days(st.built);
    let stale = age_days >= STALE_DAYS;
    let status = DbStatus {
        path: st.path.display().to_string(),
        schema_version: st.schema_version,
        built: st.built,
        age_days,
        stale,
        sources: st
            .sources
            .iter()
            .map(|s| DbSource {
                name: s.name.clone(),
                records: s.records,
                imported: s.imported,
                origin: s.origin.clone(),
            })
            .collect(),
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    db_status::write(&status, global.format == FormatArg::Json, &mut out)?;
    if stale {
        eprintln!(
            "warning: the database is {age_days} days old; `shipshape db update` refreshes it"
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The vulnerabilities of `inventory`, when a database exists; says on
/// standard error when none does, and how to get one.
pub fn matched(
    global: &Global,
    db: Option<&Path>,
    inventory: &Inventory,
) -> Result<Vec<Vulnerability>> {
    let path = path_of(db);
    let named = db.is_some() || std::env::var_os("SHIPSHAPE_DB").is_some_and(|v| !v.is_empty());
    if named && !path.is_file() {
        // A database the user named and that is not there is a typo or a
        // missing CI step: matching must not silently turn itself off.
        anyhow::bail!(
            "no vulnerability database at {} (named by {}); `shipshape db update --db {}` downloads one",
            path.display(),
            if db.is_some() { "--db" } else { "SHIPSHAPE_DB" },
            path.display()
        );
    }
    if !path.exists() {
        if !global.quiet {
            eprintln!(
                "note: no vulnerability database at {}: vulnerabilities were not checked; \
                 `shipshape db update` downloads one, `shipshape db import DIR` builds one from files",
                path.display()
            );
        }
        return Ok(Vec::new());
    }
    let db = Db::open(&path)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let found = matcher::match_inventory_parallel(inventory, threads, || Db::open(&path))?;
    if !global.quiet {
        let age_days = db.status().map(|s| age_days(s.built)).unwrap_or(0);
        if age_days >= STALE_DAYS {
            eprintln!(
                "warning: the vulnerability database is {age_days} days old; `shipshape db update` refreshes it"
            );
        }
        if found.withdrawn > 0 {
            eprintln!(
                "note: {} withdrawn advisories matched and were left out",
                found.withdrawn
            );
        }
        for (ecosystem, n) in &found.uncovered {
            eprintln!("note: {n} {ecosystem} packages have no advisory source for this system");
        }
        for note in &found.notes {
            eprintln!("note: {note}");
        }
    }
    Ok(found.vulnerabilities)
}
