//! The advisory database: every imported advisory in one SQLite file,
//! read by the matcher.
//!
//! SQLite because the database is one file that can be copied or mounted
//! read-only; imports run in transactions; a key on
//! `(ecosystem, package)` answers the matcher's lookups without reading
//! the rest; a new database is built beside the old one and swapped in by
//! a rename, which readers never see half done; and the scanner already
//! links SQLite to read rpm's package database.
//!
//! `advisories` has one row per advisory and source with its metadata
//! (summary, details, aliases, severity, references). `entries` has each
//! affected entry as the record gives it (JSON), for [`Db::candidates`].
//! `affected` is what the matcher reads: one row per affected entry, kept
//! in key order (`WITHOUT ROWID`, keyed by ecosystem and package first) so
//! that one package's rows sit together on a few pages, with the entry's
//! ranges and versions in a packed form and a copy of its advisory's
//! metadata, so that matching a package is one ordered scan. `meta` holds
//! the format name and schema version, `sources` what was imported from
//! where.
//!
//! Ecosystems are stored exactly as OSV names them (`Debian:12`,
//! `Alpine:v3.20`, `PyPI`). Package names are stored as their ecosystem
//! compares them: PyPI names normalized per PEP 503, every other name as
//! the record gives it ([`normalize_package`]).

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::packed;
use crate::range::{self, CompareError, RangeRef, Verdict};

use crate::osv::{Affected, Severity};

/// The schema version this build reads and writes. A database of another
/// version is refused rather than misread.
pub const SCHEMA_VERSION: u32 = 2;

/// The `format` value in `meta` that marks a shipshape advisory database.
pub(crate) const FORMAT: &str = "shipshape-advisories";

/// Source name of records read as OSV.
pub const SOURCE_OSV: &str = "osv";
/// Source name of records made from the Debian security tracker's JSON.
pub const SOURCE_DEBIAN_TRACKER: &str = "debian-tracker";
/// Source name of records made from Alpine's secdb.
pub const SOURCE_ALPINE_SECDB: &str = "alpine-secdb";

/// The tables and indexes of [`SCHEMA_VERSION`].
pub(crate) const SCHEMA: &str = "
CREATE TABLE meta (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
CREATE TABLE sources (
    name TEXT NOT NULL,
    origin TEXT NOT NULL,
    records INTEGER NOT NULL,
    imported INTEGER NOT NULL,
    PRIMARY KEY (name, origin)
);
CREATE TABLE advisories (
    key INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    source TEXT NOT NULL,
    modified TEXT,
    published TEXT,
    withdrawn TEXT,
    summary TEXT,
    distro_severity TEXT,
    -- Packed lists (see `packed`): ids; (type, score) pairs; URLs.
    aliases TEXT NOT NULL,
    severity TEXT NOT NULL,
    refs TEXT NOT NULL,
    -- Last: long descriptions spill onto overflow pages, which reading
    -- the columns before them never touches.
    details TEXT,
    UNIQUE (id, source)
);
CREATE TABLE affected (
    ecosystem TEXT NOT NULL,
    package TEXT NOT NULL,
    advisory_id TEXT NOT NULL,
    source TEXT NOT NULL,
    entry INTEGER NOT NULL,
    advisory INTEGER NOT NULL,
    -- What the matcher reads of the entry, packed (see `packed`): its
    -- ranges and versions; its own (type, score) severities; its
    -- `database_specific` as JSON.
    ranges TEXT NOT NULL,
    entry_severity TEXT NOT NULL,
    entry_specific TEXT,
    -- A copy of the advisory's row as the matcher reads it (a distro
    -- feed's copies are refreshed when the import finishes: `REFRESH`).
    withdrawn TEXT,
    summary TEXT,
    details TEXT,
    distro_severity TEXT,
    aliases TEXT NOT NULL DEFAULT '',
    severity TEXT NOT NULL DEFAULT '',
    refs TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (ecosystem, package, advisory_id, source, entry)
) WITHOUT ROWID;
CREATE INDEX affected_by_advisory ON affected (advisory_id, source);
CREATE TABLE entries (
    ecosystem TEXT NOT NULL,
    package TEXT NOT NULL,
    advisory_id TEXT NOT NULL,
    source TEXT NOT NULL,
    entry INTEGER NOT NULL,
    advisory INTEGER NOT NULL,
    affected_json TEXT NOT NULL,
    PRIMARY KEY (ecosystem, package, advisory_id, source, entry)
) WITHOUT ROWID;
CREATE INDEX entries_by_advisory ON entries (advisory_id, source);
";

/// Run when an import finishes. The Debian tracker's advisories take the
/// highest urgency over their packages and releases; then every
/// `affected` row of a distro feed (whose advisories grow as their
/// packages are read) gets a fresh copy of its advisory's metadata, with
/// the start of the description only where there is no summary. OSV
/// entries are written with their final copy.
pub(crate) const REFRESH: &str = "
UPDATE advisories SET distro_severity = (
    SELECT u FROM (
        SELECT json_extract(f.entry_specific, '$.urgency') AS u
        FROM affected f WHERE f.advisory_id = advisories.id AND f.source = advisories.source
    )
    WHERE u IS NOT NULL
    ORDER BY CASE u WHEN 'high' THEN 4 WHEN 'medium' THEN 3 WHEN 'low' THEN 2
        WHEN 'unimportant' THEN 1 ELSE 0 END DESC
    LIMIT 1
) WHERE source = 'debian-tracker';
UPDATE affected SET (withdrawn, summary, details, distro_severity, aliases, severity, refs) = (
    SELECT a.withdrawn, a.summary,
        CASE WHEN a.summary IS NULL OR a.summary = '' THEN substr(a.details, 1, 500) END,
        a.distro_severity, a.aliases, a.severity, a.refs
    FROM advisories a WHERE a.key = affected.advisory
) WHERE source != 'osv';
";

/// A database problem, naming the file, URL or record and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{subject}: {problem}")]
pub struct DbError {
    /// The file, URL or record concerned.
    pub subject: String,
    /// What is wrong.
    pub problem: String,
}

impl DbError {
    pub(crate) fn new(subject: impl std::fmt::Display, problem: impl Into<String>) -> DbError {
        DbError {
            subject: subject.to_string(),
            problem: problem.into(),
        }
    }

    /// An SQLite failure on `path`.
    pub(crate) fn sqlite(path: &Path, e: rusqlite::Error) -> DbError {
        DbError::new(path.display(), format!("sqlite: {e}"))
    }
}

/// An advisory database opened read-only.
pub struct Db {
    conn: Connection,
    path: PathBuf,
}

/// One stored affected entry for a package.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The id of the advisory that has this entry.
    pub advisory: String,
    /// The feed it came from (`osv`, `debian-tracker`, `alpine-secdb`):
    /// read the advisory with [`Db::advisory_from`] and this.
    pub source: String,
    /// The advisory's row: read it with [`Db::advisory_by_key`].
    pub key: i64,
    /// The entry as the advisory gives it (records made from distro feeds
    /// carry their release facts in `database_specific`: `source`,
    /// `urgency`, `status`, `nodsa`, `nodsa_reason` for Debian).
    pub affected: Affected,
}

/// One stored affected entry as [`Db::each_candidate`] reads it.
pub struct CandidateRow<'a> {
    row: &'a rusqlite::Row<'a>,
    db: &'a Db,
    ecosystem: &'a str,
    package: &'a str,
}

impl CandidateRow<'_> {
    fn text(&self, column: usize) -> Result<&str, DbError> {
        self.row
            .get_ref(column)
            .and_then(|v| v.as_str().map_err(Into::into))
            .map_err(|e| self.db.sqlite(e))
    }

    fn optional(&self, column: usize) -> Result<Option<String>, DbError> {
        self.row.get(column).map_err(|e| self.db.sqlite(e))
    }

    /// The id of the advisory that has this entry.
    pub fn advisory_id(&self) -> Result<&str, DbError> {
        self.text(0)
    }

    /// The feed the advisory came from.
    pub fn source(&self) -> Result<&str, DbError> {
        self.text(1)
    }

    /// The advisory's row ([`Db::advisory_by_key`]).
    pub fn key(&self) -> Result<i64, DbError> {
        self.row.get(2).map_err(|e| self.db.sqlite(e))
    }

    /// Whether the advisory is withdrawn (read without decoding the rest).
    pub fn withdrawn(&self) -> Result<bool, DbError> {
        self.row
            .get_ref(3)
            .map(|v| !matches!(v, rusqlite::types::ValueRef::Null))
            .map_err(|e| self.db.sqlite(e))
    }

    /// The entry's ranges and version list, as the matcher evaluates them.
    pub fn entry(&self) -> Result<Entry<'_>, DbError> {
        let (ranges, versions) =
            packed::unpack_entry(self.text(10)?).map_err(|e| self.damaged("entry", e))?;
        Ok(Entry { ranges, versions })
    }

    /// The entry's own severities and `database_specific`, decoded only
    /// for an entry found to apply.
    pub fn extras(&self) -> Result<(Vec<Severity>, Option<serde_json::Value>), DbError> {
        let severity =
            packed::unpack_severities(self.text(11)?).map_err(|e| self.damaged("entry", e))?;
        let specific: Option<&str> = self
            .row
            .get_ref(12)
            .and_then(|v| v.as_str_or_null().map_err(Into::into))
            .map_err(|e| self.db.sqlite(e))?;
        let specific = match specific {
            Some(s) => serde_json::from_str(s).map_err(|e| self.damaged("entry", e))?,
            None => None,
        };
        Ok((severity, specific))
    }

    fn damaged(&self, what: &str, e: impl std::fmt::Display) -> DbError {
        DbError::new(
            self.db.path.display(),
            format!(
                "advisory {} ({} {}): stored {what} is unreadable: {e}",
                self.advisory_id().unwrap_or("?"),
                self.ecosystem,
                self.package
            ),
        )
    }

    /// The advisory's metadata from the copy kept beside the entry: as
    /// [`Db::advisory_by_key`] gives it, without `published` and
    /// `modified`.
    pub fn advisory(&self) -> Result<Advisory, DbError> {
        let (aliases, severity, references) =
            unpack_lists(self.text(7)?, self.text(8)?, self.text(9)?)
                .map_err(|(what, e)| self.damaged(what, e))?;
        Ok(Advisory {
            id: self.advisory_id()?.to_string(),
            aliases,
            summary: self.optional(4)?,
            details: self.optional(5)?,
            severity,
            distro_severity: self.optional(6)?,
            references,
            published: None,
            modified: None,
            withdrawn: self.optional(3)?,
            source: self.source()?.to_string(),
        })
    }
}

/// An advisory's aliases, severities and references.
type Lists = (Vec<String>, Vec<Severity>, Vec<String>);

/// An advisory's packed aliases, severities and references, decoded; on
/// damage, which of them and how.
fn unpack_lists(
    aliases: &str,
    severity: &str,
    refs: &str,
) -> Result<Lists, (&'static str, packed::Malformed)> {
    Ok((
        packed::strings(aliases).map_err(|e| ("aliases", e))?,
        packed::unpack_severities(severity).map_err(|e| ("severities", e))?,
        packed::strings(refs).map_err(|e| ("references", e))?,
    ))
}

/// A stored entry as the matcher evaluates it: ranges and versions
/// borrowed from the stored text (the rest of the entry is
/// [`CandidateRow::extras`]).
pub struct Entry<'a> {
    ranges: Vec<RangeRef<'a>>,
    versions: Vec<&'a str>,
}

impl Entry<'_> {
    /// Whether `installed` is affected ([`range::affected`]).
    pub fn verdict<E: std::fmt::Display>(
        &self,
        installed: &str,
        cmp: &dyn Fn(&str, &str) -> Result<std::cmp::Ordering, E>,
    ) -> Result<Verdict, CompareError<E>> {
        range::evaluate(&self.ranges, self.versions.iter().copied(), installed, cmp)
    }
}

/// An advisory's metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct Advisory {
    /// The advisory id (`GHSA-…`, `PYSEC-…`, `CVE-…`).
    pub id: String,
    /// Ids of the same vulnerability elsewhere.
    pub aliases: Vec<String>,
    /// One-line summary.
    pub summary: Option<String>,
    /// The start of the longer description (its first 500 characters),
    /// read only when there is no summary: it stands in for the title.
    pub details: Option<String>,
    /// Record-level severities (CVSS vectors and others).
    pub severity: Vec<Severity>,
    /// The distribution's or database's own rating: the Debian urgency
    /// (the highest over the advisory's packages and releases; each
    /// candidate has its own in `database_specific.urgency`), the Ubuntu
    /// priority, or GitHub's `database_specific.severity`.
    pub distro_severity: Option<String>,
    /// Reference URLs.
    pub references: Vec<String>,
    /// When the advisory was published (RFC 3339).
    pub published: Option<String>,
    /// When the advisory was last changed (RFC 3339).
    pub modified: Option<String>,
    /// When the advisory was withdrawn; matchers skip withdrawn advisories.
    pub withdrawn: Option<String>,
    /// Where it came from: [`SOURCE_OSV`], [`SOURCE_DEBIAN_TRACKER`] or
    /// [`SOURCE_ALPINE_SECDB`].
    pub source: String,
}

/// What a database holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbStatus {
    /// The database file.
    pub path: PathBuf,
    /// When it was built (Unix seconds).
    pub built: u64,
    /// Its schema version.
    pub schema_version: u32,
    /// What was imported, by source name then origin.
    pub sources: Vec<SourceStatus>,
}

/// One import of one source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceStatus {
    /// [`SOURCE_OSV`], [`SOURCE_DEBIAN_TRACKER`] or [`SOURCE_ALPINE_SECDB`].
    pub name: String,
    /// Records stored by that import.
    pub records: u64,
    /// When it was imported (Unix seconds).
    pub imported: u64,
    /// The file, directory or URL it was read from.
    pub origin: String,
}

/// A package name as the database stores it for `ecosystem`: PyPI names
/// normalized per PEP 503 (lower case, each run of `-`, `_`, `.` as one
/// `-`), every other name unchanged.
pub fn normalize_package<'a>(ecosystem: &str, name: &'a str) -> Cow<'a, str> {
    let base = ecosystem.split_once(':').map_or(ecosystem, |(b, _)| b);
    if base != "PyPI" {
        return Cow::Borrowed(name);
    }
    let out = shipshape_core::inventory::pep503(name);
    if out == name {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(out)
    }
}

impl Db {
    /// Opens the database at `path` read-only. Fails with a message that
    /// says what to do when the file is missing, is not an advisory
    /// database, or has another schema version.
    pub fn open(path: &Path) -> Result<Db, DbError> {
        let fail = |problem: String| DbError::new(path.display(), problem);
        match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(fail(
                    "no advisory database here (create one with `shipshape db update` or `shipshape db import`)"
                        .to_string(),
                ));
            }
            Err(e) => return Err(fail(format!("cannot read: {e}"))),
            Ok(m) if m.is_dir() => {
                return Err(fail("is a directory, not an advisory database".to_string()));
            }
            Ok(_) => {}
        }
        check_magic(path).map_err(fail)?;
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| DbError::sqlite(path, e))?;
        harden(&conn).map_err(|e| DbError::sqlite(path, e))?;
        check_schema(&conn).map_err(fail)?;
        // Pages read through a memory map cost no system call each; the
        // shared lock is taken once and kept (updates write a new file and
        // rename it, never this one), so lookups neither lock nor re-check
        // the page cache.
        conn.execute_batch(
            "PRAGMA mmap_size = 1073741824; PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -65536;",
        )
            .map_err(|e| DbError::sqlite(path, e))?;
        Ok(Db {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every stored affected entry for `package` in exactly `ecosystem`
    /// (`Debian:12`, `PyPI`), ordered by advisory id. PyPI names are
    /// normalized first, so any spelling finds the package.
    pub fn candidates(&self, ecosystem: &str, package: &str) -> Result<Vec<Candidate>, DbError> {
        let sql = |e| self.sqlite(e);
        let package = normalize_package(ecosystem, package);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT advisory_id, source, advisory, affected_json FROM entries \
                 WHERE ecosystem = ?1 AND package = ?2 ORDER BY advisory_id, source, entry",
            )
            .map_err(sql)?;
        let mut rows = stmt.query((ecosystem, package.as_ref())).map_err(sql)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(sql)? {
            let advisory: String = row.get(0).map_err(sql)?;
            let json: String = row.get(3).map_err(sql)?;
            let affected: Affected = serde_json::from_str(&json).map_err(|e| {
                DbError::new(
                    self.path.display(),
                    format!("advisory {advisory} ({ecosystem} {package}): stored entry is unreadable: {e}"),
                )
            })?;
            out.push(Candidate {
                source: row.get(1).map_err(sql)?,
                key: row.get(2).map_err(sql)?,
                advisory,
                affected,
            });
        }
        Ok(out)
    }

    /// Calls `each` with every stored affected entry for `package` in
    /// exactly `ecosystem`, in the order of [`Db::candidates`], read in
    /// place for matching: only what `each` asks a row for is decoded.
    pub fn each_candidate<F>(
        &self,
        ecosystem: &str,
        package: &str,
        mut each: F,
    ) -> Result<(), DbError>
    where
        F: FnMut(&CandidateRow<'_>) -> Result<(), DbError>,
    {
        let package = normalize_package(ecosystem, package);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT advisory_id, source, advisory, withdrawn, summary, details, \
                 distro_severity, aliases, severity, refs, ranges, entry_severity, entry_specific \
                 FROM affected \
                 WHERE ecosystem = ?1 AND package = ?2 ORDER BY advisory_id, source, entry",
            )
            .map_err(|e| self.sqlite(e))?;
        let mut rows = stmt
            .query((ecosystem, package.as_ref()))
            .map_err(|e| self.sqlite(e))?;
        while let Some(row) = rows.next().map_err(|e| self.sqlite(e))? {
            each(&CandidateRow {
                row,
                db: self,
                ecosystem,
                package: &package,
            })?;
        }
        Ok(())
    }

    fn sqlite(&self, e: rusqlite::Error) -> DbError {
        DbError::sqlite(&self.path, e)
    }

    /// The advisory `id`. When several sources hold an advisory of that
    /// id (a CVE from the Debian tracker and from Alpine's secdb), OSV's
    /// comes first, then the Debian tracker's, then Alpine's; see
    /// [`Db::advisory_from`].
    pub fn advisory(&self, id: &str) -> Result<Option<Advisory>, DbError> {
        let sql = |e| DbError::sqlite(&self.path, e);
        let mut stmt = self
            .conn
            .prepare_cached("SELECT key, source FROM advisories WHERE id = ?1")
            .map_err(sql)?;
        let held = stmt
            .query_map([id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
            .map_err(sql)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(sql)?;
        let rank = |s: &str| match s {
            SOURCE_OSV => 0,
            SOURCE_DEBIAN_TRACKER => 1,
            _ => 2,
        };
        match held.iter().min_by_key(|(_, s)| (rank(s), s.as_str())) {
            Some((key, _)) => self.advisory_by_key(*key),
            None => Ok(None),
        }
    }

    /// The advisory `id` as `source` gives it.
    pub fn advisory_from(&self, id: &str, source: &str) -> Result<Option<Advisory>, DbError> {
        let sql = |e| DbError::sqlite(&self.path, e);
        let key: Option<i64> = self
            .conn
            .prepare_cached("SELECT key FROM advisories WHERE id = ?1 AND source = ?2")
            .map_err(sql)?
            .query_row((id, source), |r| r.get(0))
            .optional()
            .map_err(sql)?;
        match key {
            Some(key) => self.advisory_by_key(key),
            None => Ok(None),
        }
    }

    /// The advisory stored under `key` (a [`Candidate::key`]).
    pub fn advisory_by_key(&self, key: i64) -> Result<Option<Advisory>, DbError> {
        let sql = |e| DbError::sqlite(&self.path, e);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, source, modified, published, withdrawn, summary, \
                 CASE WHEN summary IS NULL OR summary = '' THEN substr(details, 1, 500) END, \
                 distro_severity, aliases, severity, refs FROM advisories WHERE key = ?1",
            )
            .map_err(sql)?;
        type Row = (
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            String,
            String,
            String,
        );
        let row: Option<Row> = stmt
            .query_row([key], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                    r.get(10)?,
                ))
            })
            .optional()
            .map_err(sql)?;
        let Some((
            id,
            source,
            modified,
            published,
            withdrawn,
            summary,
            details,
            distro_severity,
            aliases,
            severity,
            refs,
        )) = row
        else {
            return Ok(None);
        };
        let (aliases, severity, references) =
            unpack_lists(&aliases, &severity, &refs).map_err(|(what, e)| {
                DbError::new(
                    self.path.display(),
                    format!("advisory {id}: stored {what} are unreadable: {e}"),
                )
            })?;
        Ok(Some(Advisory {
            id,
            aliases,
            summary,
            details,
            severity,
            distro_severity,
            references,
            published,
            modified,
            withdrawn,
            source,
        }))
    }

    /// When the database was built, its schema version, and what was
    /// imported into it.
    pub fn status(&self) -> Result<DbStatus, DbError> {
        let sql = |e| DbError::sqlite(&self.path, e);
        let built: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'built'", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(sql)?;
        let built = built.and_then(|b| b.parse().ok()).unwrap_or(0);
        let mut stmt = self
            .conn
            .prepare("SELECT name, origin, records, imported FROM sources ORDER BY name, origin")
            .map_err(sql)?;
        let sources = stmt
            .query_map([], |r| {
                Ok(SourceStatus {
                    name: r.get(0)?,
                    origin: r.get(1)?,
                    records: r.get::<_, i64>(2)?.try_into().unwrap_or(0),
                    imported: r.get::<_, i64>(3)?.try_into().unwrap_or(0),
                })
            })
            .map_err(sql)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(sql)?;
        Ok(DbStatus {
            path: self.path.clone(),
            built,
            schema_version: SCHEMA_VERSION,
            sources,
        })
    }
}

/// The first bytes of every SQLite database file.
const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";

fn check_magic(path: &Path) -> Result<(), String> {
    use std::io::Read;
    let mut head = [0u8; 16];
    let mut file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let mut n = 0;
    while n < head.len() {
        match file.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(format!("cannot read: {e}")),
        }
    }
    if head[..n] != *SQLITE_MAGIC {
        return Err("not an advisory database (not an SQLite file)".to_string());
    }
    Ok(())
}

/// Nothing stored in the file runs code or writes: the file may have been
/// made by someone else.
pub(crate) fn harden(conn: &Connection) -> rusqlite::Result<()> {
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    // One plan per statement: otherwise SQLite may re-plan a cached
    // statement each time a parameter it looked at changes.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    Ok(())
}

/// Checks that `conn` is a shipshape advisory database of
/// [`SCHEMA_VERSION`].
pub(crate) fn check_schema(conn: &Connection) -> Result<(), String> {
    let not_ours = "an SQLite database, but not a shipshape advisory database";
    let has_meta: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'meta'",
            [],
            |r| r.get(0),
        )
        .map_err(|e| format!("sqlite: {e}"))?;
    if has_meta == 0 {
        return Err(format!("{not_ours} (no `meta` table)"));
    }
    let value = |key: &str| -> Result<Option<String>, String> {
        conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| format!("sqlite: {e}"))
    };
    if value("format")?.as_deref() != Some(FORMAT) {
        return Err(format!("{not_ours} (`meta` has no format `{FORMAT}`)"));
    }
    let version = value("schema_version")?;
    match version.as_deref().map(str::parse::<u32>) {
        Some(Ok(v)) if v == SCHEMA_VERSION => Ok(()),
        Some(Ok(v)) => Err(format!(
            "advisory database schema version {v}, but this shipshape reads version {SCHEMA_VERSION}: rebuild it with `shipshape db update`"
        )),
        _ => Err(format!(
            "advisory database without a readable schema version ({version:?}): rebuild it with `shipshape db update`"
        )),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::normalize_package;

    #[test]
    fn pypi_names_are_normalized_per_pep_503_and_others_are_not() {
        assert_eq!(normalize_package("PyPI", "Django"), "django");
        assert_eq!(
            normalize_package("PyPI", "zope.interface"),
            "zope-interface"
        );
        assert_eq!(normalize_package("PyPI", "Foo__Bar-._baz"), "foo-bar-baz");
        assert_eq!(normalize_package("PyPI", "requests"), "requests");
        assert_eq!(normalize_package("npm", "@Scope/Pkg_x"), "@Scope/Pkg_x");
        assert_eq!(normalize_package("Debian:12", "Foo_Bar"), "Foo_Bar");
        assert_eq!(
            normalize_package("Go", "github.com/BurntSushi/toml"),
            "github.com/BurntSushi/toml"
        );
    }
}
