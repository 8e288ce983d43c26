//! Building the advisory database ([`crate::db`]) from OSV records and
//! distro feeds.
//!
//! A [`Builder`] writes a new database file beside the target and renames
//! it over the target in [`Builder::finish`], so readers see the old
//! database or the new one, never a mix; dropped without `finish`, it
//! removes its file. [`Builder::import_path`] reads, recognising each
//! file by its content:
//!
//! - OSV records, one per `.json` file, or an OSV ecosystem archive
//!   (`all.zip` as osv.dev publishes it);
//! - the Debian security tracker's JSON ([`debian`]);
//! - Alpine's secdb, JSON or YAML, whole or one package per file
//!   ([`alpine`]).
//!
//! A record that cannot be read is skipped with the file and the reason;
//! it never stops the import. [`update`] downloads feeds and builds a new
//! database from them.

pub mod alpine;
pub mod debian;
mod generate;
mod store;
mod update;

use std::collections::HashSet;
use std::fs;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde_json::value::RawValue;

use crate::db::{self, DbError, SOURCE_ALPINE_SECDB, SOURCE_DEBIAN_TRACKER, SOURCE_OSV};
use crate::osv::{self, Record};

#[doc(hidden)]
pub use generate::{benchmark_package, generate_benchmark_db, generate_records, write_records_zip};
pub use update::{DEBIAN_TRACKER_URL, DEFAULT_OSV_BASE_URL, alpine_secdb_url, feed_url, update};

/// Records converted from a distro feed, before they are stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Converted {
    /// [`SOURCE_DEBIAN_TRACKER`] or [`SOURCE_ALPINE_SECDB`].
    pub source: &'static str,
    /// One OSV record per vulnerability, package and release.
    pub records: Vec<Record>,
    /// What was left out and why, one line each (`file: why`).
    pub skipped: Vec<String>,
}

/// What one [`Builder::import_path`] stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    /// The kinds of data found: `osv`, `debian-tracker`, `alpine-secdb`,
    /// joined by `+` when a directory held several; `none` when nothing
    /// was recognised.
    pub source: String,
    /// Records stored.
    pub records: u64,
    /// Files, records and entries left out, each as `file: why`.
    pub skipped: Vec<String>,
}

/// Bounds on what an import reads, against hostile or broken input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest JSON or YAML file read whole (the Debian tracker's export
    /// is far smaller).
    pub max_file_bytes: u64,
    /// Most entries in a zip archive (osv.dev's largest ecosystem
    /// archives have a few hundred thousand).
    pub max_zip_entries: usize,
    /// Largest uncompressed zip entry.
    pub max_entry_bytes: u64,
    /// Most uncompressed bytes read from one zip archive.
    pub max_zip_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 1 << 30,
            max_zip_entries: 1_000_000,
            max_entry_bytes: 32 << 20,
            max_zip_bytes: 8 << 30,
        }
    }
}

/// The database file used when none is given: `$SHIPSHAPE_DB` if set,
/// else `shipshape/advisories.db` in the user's cache directory
/// (`$XDG_CACHE_HOME`, else `~/.cache`).
pub fn default_path() -> PathBuf {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(path) = var("SHIPSHAPE_DB") {
        return PathBuf::from(path);
    }
    let cache = var("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            var("HOME")
                .or_else(|| var("USERPROFILE"))
                .map(|home| PathBuf::from(home).join(".cache"))
        })
        .unwrap_or_else(|| PathBuf::from(".cache"));
    cache.join("shipshape").join("advisories.db")
}

/// Writes a new advisory database; see the module documentation.
pub struct Builder {
    // Declared before `temp`: the connection closes before the file goes.
    conn: Connection,
    temp: tempfile::NamedTempFile,
    target: PathBuf,
    limits: Limits,
}

/// The kind of one input, told by its content.
enum Kind {
    Osv,
    Debian,
    Alpine,
}

impl Builder {
    /// Starts a new database for `target` in a temporary file beside it
    /// (creating the directory if needed). With `keep_existing`, an
    /// existing database at `target` is copied in first, so imports add to
    /// it; without, the new database starts empty.
    pub fn create(target: &Path, keep_existing: bool) -> Result<Builder, DbError> {
        let fail = |problem: String| DbError::new(target.display(), problem);
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let file_name = target
            .file_name()
            .ok_or_else(|| fail("not a file name".to_string()))?
            .to_string_lossy()
            .into_owned();
        fs::create_dir_all(&dir).map_err(|e| {
            fail(format!(
                "cannot create the directory {}: {e}",
                dir.display()
            ))
        })?;
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{file_name}."))
            .suffix(".tmp")
            .tempfile_in(&dir)
            .map_err(|e| {
                fail(format!(
                    "cannot create a temporary file in {}: {e}",
                    dir.display()
                ))
            })?;
        let existing = keep_existing && target.exists();
        if existing {
            // Validates the existing file before copying it.
            drop(db::Db::open(target)?);
            fs::copy(target, temp.path())
                .map_err(|e| fail(format!("cannot copy into {}: {e}", temp.path().display())))?;
        }
        let temp_path = temp.path().to_path_buf();
        let sql = |e| DbError::sqlite(&temp_path, e);
        let conn = Connection::open(&temp_path).map_err(sql)?;
        db::harden(&conn).map_err(sql)?;
        // The file is private until the rename, so nothing is lost by
        // skipping the disk syncs; `finish` syncs once at the end. Records
        // arrive in no useful order, so each insert lands on a different
        // page of each table: up to 256 MiB of them stay in memory rather
        // than being written out and read back.
        conn.execute_batch(
            "PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;",
        )
        .map_err(sql)?;
        if existing {
            db::check_schema(&conn).map_err(|p| DbError::new(target.display(), p))?;
        } else {
            // Pages large enough that an entry with its copy of the
            // advisory's metadata stays on one page.
            conn.execute_batch("PRAGMA page_size = 16384;")
                .map_err(sql)?;
            conn.execute_batch(db::SCHEMA).map_err(sql)?;
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('format', ?1), ('schema_version', ?2), ('built', '0')",
                (db::FORMAT, db::SCHEMA_VERSION.to_string()),
            )
            .map_err(sql)?;
        }
        Ok(Builder {
            conn,
            temp,
            target: target.to_path_buf(),
            limits: Limits::default(),
        })
    }

    /// Replaces the default [`Limits`].
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
    }

    /// Imports a directory (every `.json`, `.yaml`, `.yml` and `.zip`
    /// file under it, recognised by content; other files are not read), a
    /// single OSV record, an OSV `all.zip`, a Debian tracker JSON or an
    /// Alpine secdb file, in one transaction. A single file that is none
    /// of these, or an archive that cannot be opened, is an error and
    /// nothing of it is stored; inside a directory or archive such files
    /// are skipped with the reason.
    pub fn import_path(&mut self, path: &Path) -> Result<ImportSummary, DbError> {
        let origin = fs::canonicalize(path)
            .unwrap_or_else(|_| path.to_path_buf())
            .display()
            .to_string();
        self.import_as(path, &path.display().to_string(), &origin)
    }

    /// [`Builder::import_path`], naming the input `name` in messages and
    /// recording `origin` as where it came from.
    pub(crate) fn import_as(
        &mut self,
        path: &Path,
        name: &str,
        origin: &str,
    ) -> Result<ImportSummary, DbError> {
        let meta =
            fs::metadata(path).map_err(|e| DbError::new(name, format!("cannot read: {e}")))?;
        let limits = self.limits;
        let temp_path = self.temp.path().to_path_buf();
        let sql = |e| DbError::sqlite(&temp_path, e);
        let tx = self.conn.transaction().map_err(sql)?;
        let mut run = Run::new(&tx, limits);
        if meta.is_dir() {
            run.walk(path)?;
        } else {
            run.file(path, name)?;
        }
        let counts = run.counts;
        let skipped = run.skipped;
        let now = shipshape_core::time::now();
        let mut kinds = Vec::new();
        for (source, records) in [
            (SOURCE_OSV, counts.osv),
            (SOURCE_DEBIAN_TRACKER, counts.debian),
            (SOURCE_ALPINE_SECDB, counts.alpine),
        ] {
            let seen = match source {
                SOURCE_OSV => counts.osv_seen,
                SOURCE_DEBIAN_TRACKER => counts.debian_seen,
                _ => counts.alpine_seen,
            };
            if !seen {
                continue;
            }
            kinds.push(source);
            store::record_source(&tx, source, origin, records, now).map_err(sql)?;
        }
        tx.commit().map_err(sql)?;
        Ok(ImportSummary {
            source: if kinds.is_empty() {
                "none".to_string()
            } else {
                kinds.join("+")
            },
            records: counts.osv + counts.debian + counts.alpine,
            skipped,
        })
    }

    /// Stores records directly, as if imported from OSV (for generated
    /// data). Returns how many were stored.
    pub(crate) fn store_records(
        &mut self,
        records: impl Iterator<Item = Record>,
        origin: &str,
    ) -> Result<u64, DbError> {
        let temp_path = self.temp.path().to_path_buf();
        let sql = |e| DbError::sqlite(&temp_path, e);
        let tx = self.conn.transaction().map_err(sql)?;
        let mut stored = 0;
        for record in records {
            if let store::Outcome::Stored = store::store_osv(&tx, &record).map_err(sql)? {
                stored += 1;
            }
        }
        store::record_source(&tx, SOURCE_OSV, origin, stored, shipshape_core::time::now())
            .map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(stored)
    }

    /// Marks the database built now, writes it to disk and renames it over
    /// the target. Returns the target.
    pub fn finish(self) -> Result<PathBuf, DbError> {
        let Builder {
            conn,
            temp,
            target,
            limits: _,
        } = self;
        let temp_path = temp.path().to_path_buf();
        let sql = |e| DbError::sqlite(&temp_path, e);
        conn.execute_batch(&format!("BEGIN; {} COMMIT;", db::REFRESH))
            .map_err(sql)?;
        conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('built', ?1)",
            [shipshape_core::time::now().to_string()],
        )
        .map_err(sql)?;
        // No ANALYZE: with sample statistics SQLite re-plans a statement
        // each time its parameters change, which cost the matcher more
        // than the lookups themselves; the indexed lookups need no stats.
        conn.close().map_err(|(_, e)| sql(e))?;
        let fail = |problem: String| DbError::new(target.display(), problem);
        // The temporary file is private (0600); the database is as
        // readable as the one it replaces, or as a new file would be.
        let permissions = fs::metadata(&target)
            .ok()
            .map(|m| m.permissions())
            .or_else(new_file_permissions);
        if let Some(permissions) = permissions {
            fs::set_permissions(&temp_path, permissions).map_err(|e| {
                fail(format!(
                    "cannot set the mode of {}: {e}",
                    temp_path.display()
                ))
            })?;
        }
        temp.as_file()
            .sync_all()
            .map_err(|e| fail(format!("cannot write {}: {e}", temp_path.display())))?;
        temp.persist(&target).map_err(|e| {
            fail(format!(
                "cannot rename {} over it: {}",
                temp_path.display(),
                e.error
            ))
        })?;
        if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty())
            && let Ok(d) = fs::File::open(dir)
        {
            // Makes the rename durable; not every file system allows it.
            let _ = d.sync_all();
        }
        Ok(target)
    }
}

/// What tells a file or directory from every other: its device and inode.
#[cfg(unix)]
fn file_id(_path: &Path, meta: &fs::Metadata) -> (u64, u64, PathBuf) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino(), PathBuf::new())
}

/// What tells a file or directory from every other: its canonical path.
#[cfg(not(unix))]
fn file_id(path: &Path, _meta: &fs::Metadata) -> (u64, u64, PathBuf) {
    (
        0,
        0,
        fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
    )
}

/// `rw-r--r--`, the mode of a new file under the usual umask.
#[cfg(unix)]
fn new_file_permissions() -> Option<fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn new_file_permissions() -> Option<fs::Permissions> {
    None
}

#[derive(Default, Clone, Copy)]
struct Counts {
    osv: u64,
    debian: u64,
    alpine: u64,
    osv_seen: bool,
    debian_seen: bool,
    alpine_seen: bool,
}

/// One import in progress.
struct Run<'t> {
    tx: &'t rusqlite::Transaction<'t>,
    limits: Limits,
    counts: Counts,
    skipped: Vec<String>,
}

impl<'t> Run<'t> {
    fn new(tx: &'t rusqlite::Transaction<'t>, limits: Limits) -> Self {
        Run {
            tx,
            limits,
            counts: Counts::default(),
            skipped: Vec::new(),
        }
    }

    fn sql(&self, e: rusqlite::Error) -> DbError {
        DbError::new("advisory database", format!("sqlite: {e}"))
    }

    /// Every candidate file under `root`, in name order. The walk stays
    /// in the tree it was given: each directory is entered once, by
    /// device and inode (a link or bind mount back to a parent cannot
    /// loop); a symbolic link is never followed to a directory (what the
    /// directory holds is read where it is) nor out of the tree, only to a
    /// file inside it; a file reached twice is read once; and only
    /// regular files are read (a FIFO or device named `.json` is skipped,
    /// not waited on).
    fn walk(&mut self, root: &Path) -> Result<(), DbError> {
        let cannot = |e: std::io::Error| DbError::new(root.display(), format!("cannot read: {e}"));
        let tree = fs::canonicalize(root).map_err(cannot)?;
        let root_meta = fs::metadata(&tree).map_err(cannot)?;
        let mut entered = HashSet::from([file_id(&tree, &root_meta)]);
        let mut read = HashSet::new();
        let mut stack = vec![root.to_path_buf()];
        let mut files = Vec::new();
        // Links to files of the tree, and what they lead to.
        let mut links = Vec::new();
        while let Some(dir) = stack.pop() {
            let entries = match fs::read_dir(&dir) {
                Ok(e) => e,
                Err(e) if dir == root => return Err(cannot(e)),
                Err(e) => {
                    self.skipped
                        .push(format!("{}: cannot read the directory: {e}", dir.display()));
                    continue;
                }
            };
            for entry in entries {
                let entry = match entry {
                    Ok(e) => e,
                    Err(e) => {
                        self.skipped
                            .push(format!("{}: cannot read the directory: {e}", dir.display()));
                        continue;
                    }
                };
                let path = entry.path();
                // Not following a link: the entry itself.
                let meta = match fs::symlink_metadata(&path) {
                    Ok(m) => m,
                    Err(e) => {
                        self.skipped
                            .push(format!("{}: cannot read: {e}", path.display()));
                        continue;
                    }
                };
                let kind = meta.file_type();
                if kind.is_dir() {
                    if entered.insert(file_id(&path, &meta)) {
                        stack.push(path);
                    } else {
                        self.skipped.push(format!(
                            "{}: a directory already read (a loop): not read again",
                            path.display()
                        ));
                    }
                    continue;
                }
                if kind.is_symlink() {
                    let target =
                        fs::canonicalize(&path).and_then(|t| fs::metadata(&t).map(|m| (t, m)));
                    let Ok((target, target_meta)) = target else {
                        // A link that leads nowhere.
                        continue;
                    };
                    let would_read = target_meta.is_dir() || wanted(&path);
                    if !would_read {
                        continue;
                    }
                    if !target.starts_with(&tree) {
                        self.skipped.push(format!(
                            "{}: a symbolic link out of {}: not followed",
                            path.display(),
                            root.display()
                        ));
                    } else if target_meta.is_file() {
                        let id = file_id(&path, &target_meta);
                        links.push((path, id));
                    } else if !target_meta.is_dir() {
                        self.skipped
                            .push(format!("{}: not a regular file: not read", path.display()));
                    }
                    // A link to a directory of the tree: read where it is.
                } else if !wanted(&path) {
                    continue;
                } else if !meta.is_file() {
                    self.skipped
                        .push(format!("{}: not a regular file: not read", path.display()));
                } else if read.insert(file_id(&path, &meta)) {
                    files.push(path);
                }
            }
        }
        // A file reached by a link is read under the link's name only
        // when the walk did not find it where it is.
        links.sort();
        for (path, id) in links {
            if read.insert(id) {
                files.push(path);
            }
        }
        files.sort();
        for path in files {
            let name = path.display().to_string();
            if let Err(e) = self.file(&path, &name) {
                self.skipped.push(e.to_string());
            }
        }
        Ok(())
    }

    /// Imports one file of any known kind; anything but a regular file
    /// (a FIFO, a device) is refused unread.
    fn file(&mut self, path: &Path, name: &str) -> Result<(), DbError> {
        let fail = |problem: String| DbError::new(name, problem);
        let cannot = |e: std::io::Error| fail(format!("cannot read: {e}"));
        if !fs::metadata(path).map_err(cannot)?.is_file() {
            return Err(fail("not a regular file".to_string()));
        }
        let mut file = fs::File::open(path).map_err(cannot)?;
        if !file.metadata().map_err(cannot)?.is_file() {
            return Err(fail("not a regular file".to_string()));
        }
        let mut head = [0u8; 4];
        let n = read_head(&mut file, &mut head).map_err(cannot)?;
        if head[..n] == *b"PK\x03\x04" || head[..n] == *b"PK\x05\x06" {
            return self.zip(file, name);
        }
        file.seek(SeekFrom::Start(0)).map_err(cannot)?;
        let bytes = read_bounded(file, self.limits.max_file_bytes).map_err(fail)?;
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        if matches!(ext.as_deref(), Some("yaml" | "yml")) {
            let text =
                std::str::from_utf8(&bytes).map_err(|_| fail("not UTF-8 text".to_string()))?;
            if !alpine::looks_like_secdb_yaml(text) {
                return Err(fail(
                    "YAML other than Alpine's secdb is not read (OSV records are read as JSON)"
                        .to_string(),
                ));
            }
            let converted = alpine::alpine_secdb_yaml(text, name)?;
            self.counts.alpine_seen = true;
            self.store_converted(converted);
            return Ok(());
        }
        self.json(&bytes, name)
    }

    /// A JSON document of any known kind.
    fn json(&mut self, bytes: &[u8], name: &str) -> Result<(), DbError> {
        match sniff(bytes) {
            Err(problem) => Err(DbError::new(name, problem)),
            Ok(Kind::Osv) => {
                self.counts.osv_seen = true;
                match osv::parse(bytes, name) {
                    Ok(record) => self.store_osv(&record, name),
                    Err(e) => {
                        self.skipped.push(e.to_string());
                        Ok(())
                    }
                }
            }
            Ok(Kind::Debian) => {
                let tx = self.tx;
                let mut stored = 0;
                let mut failed = Vec::new();
                let skipped =
                    debian::each_record(bytes, name, &mut |record| match store::store_native(
                        tx,
                        &record,
                        SOURCE_DEBIAN_TRACKER,
                    ) {
                        Ok(()) => stored += 1,
                        Err(e) => failed.push(format!("{name}: {}: sqlite: {e}", record.id)),
                    })?;
                self.counts.debian_seen = true;
                self.counts.debian += stored;
                self.skipped.extend(skipped);
                self.skipped.extend(failed);
                Ok(())
            }
            Ok(Kind::Alpine) => {
                let converted = alpine::alpine_secdb(bytes, name)?;
                self.counts.alpine_seen = true;
                self.store_converted(converted);
                Ok(())
            }
        }
    }

    fn store_osv(&mut self, record: &Record, name: &str) -> Result<(), DbError> {
        match store::store_osv(self.tx, record).map_err(|e| self.sql(e))? {
            store::Outcome::Stored => self.counts.osv += 1,
            store::Outcome::Skipped(why) => self.skipped.push(format!("{name}: {why}")),
        }
        Ok(())
    }

    fn store_converted(&mut self, converted: Converted) {
        self.skipped.extend(converted.skipped);
        for record in &converted.records {
            match store::store_native(self.tx, record, converted.source) {
                Ok(()) => match converted.source {
                    SOURCE_DEBIAN_TRACKER => self.counts.debian += 1,
                    _ => self.counts.alpine += 1,
                },
                Err(e) => self
                    .skipped
                    .push(format!("{}: {}: sqlite: {e}", converted.source, record.id)),
            }
        }
    }

    /// An OSV archive: every `.json` entry is one record.
    fn zip(&mut self, file: fs::File, name: &str) -> Result<(), DbError> {
        let fail = |problem: String| DbError::new(name, problem);
        let mut zip = zip::ZipArchive::new(file)
            .map_err(|e| fail(format!("not a readable zip archive: {e}")))?;
        if zip.len() > self.limits.max_zip_entries {
            return Err(fail(format!(
                "{} entries, over the limit of {}",
                zip.len(),
                self.limits.max_zip_entries
            )));
        }
        self.counts.osv_seen = true;
        let mut budget = self.limits.max_zip_bytes;
        let mut data = Vec::new();
        for index in 0..zip.len() {
            let entry_name = match zip.name_for_index(index) {
                Some(Ok(n)) => n.into_owned(),
                _ => format!("entry {index}"),
            };
            let at = format!("{name}:{entry_name}");
            if entry_name.ends_with('/') {
                continue;
            }
            if !entry_name.to_ascii_lowercase().ends_with(".json") {
                self.skipped.push(format!("{at}: not a .json entry"));
                continue;
            }
            data.clear();
            match read_entry(
                &mut zip,
                index,
                self.limits.max_entry_bytes,
                &mut budget,
                &mut data,
            ) {
                Ok(()) => {}
                Err(EntryError::Skip(why)) => {
                    self.skipped.push(format!("{at}: {why}"));
                    continue;
                }
                Err(EntryError::Total) => {
                    return Err(fail(format!(
                        "uncompresses past the limit of {} bytes in all",
                        self.limits.max_zip_bytes
                    )));
                }
            }
            match osv::parse(&data, &at) {
                Ok(record) => self.store_osv(&record, &at)?,
                Err(e) => self.skipped.push(e.to_string()),
            }
        }
        Ok(())
    }
}

/// Files a directory walk reads.
fn wanted(path: &Path) -> bool {
    let Some(ext) = path.extension() else {
        return false;
    };
    let ext = ext.to_string_lossy().to_ascii_lowercase();
    matches!(ext.as_str(), "json" | "zip" | "yaml" | "yml")
}

fn read_head(file: &mut fs::File, head: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < head.len() {
        match file.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Reads a whole file of at most `limit` bytes.
fn read_bounded(file: fs::File, limit: u64) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(format!("larger than the limit of {limit} bytes"));
    }
    Ok(bytes)
}

/// Why a zip entry was not read.
enum EntryError {
    /// This entry is unreadable or too large; skip it.
    Skip(String),
    /// The archive's total budget is spent.
    Total,
}

/// Reads zip entry `index` into `data`: at most `limit` bytes, counted
/// against `budget`.
fn read_entry<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    index: usize,
    limit: u64,
    budget: &mut u64,
    data: &mut Vec<u8>,
) -> Result<(), EntryError> {
    let entry = zip
        .by_index(index)
        .map_err(|e| EntryError::Skip(e.to_string()))?;
    if entry.size() > limit {
        return Err(EntryError::Skip(format!(
            "{} bytes uncompressed, over the limit of {limit}",
            entry.size()
        )));
    }
    if entry.size() > *budget {
        return Err(EntryError::Total);
    }
    let cap = limit.min(*budget);
    let read = entry.take(cap + 1).read_to_end(data);
    *budget = budget.saturating_sub(data.len() as u64);
    let len = data.len() as u64;
    if len > limit {
        return Err(EntryError::Skip(format!(
            "uncompresses past the limit of {limit} bytes"
        )));
    }
    if len > cap {
        return Err(EntryError::Total);
    }
    read.map(drop).map_err(|e| EntryError::Skip(e.to_string()))
}

/// Tells the kind of a JSON document from its top-level keys.
fn sniff(bytes: &[u8]) -> Result<Kind, String> {
    let unknown = "not an OSV record, a Debian tracker JSON or an Alpine secdb";
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        None => return Err("the file is empty".to_string()),
        Some(b'{') => {}
        Some(_) => return Err(format!("{unknown} (not a JSON object)")),
    }
    let top: std::collections::BTreeMap<String, &RawValue> =
        serde_json::from_slice(bytes).map_err(|e| format!("not valid JSON: {e}"))?;
    let has = |k: &str| top.contains_key(k);
    if has("id")
        && [
            "modified",
            "affected",
            "schema_version",
            "published",
            "withdrawn",
            "summary",
            "details",
            "aliases",
        ]
        .iter()
        .any(|k| has(k))
    {
        return Ok(Kind::Osv);
    }
    if (has("packages") && has("distroversion")) || (has("secfixes") && has("name")) {
        return Ok(Kind::Alpine);
    }
    if debian::looks_like_tracker(&top) {
        return Ok(Kind::Debian);
    }
    Err(unknown.to_string())
}
