//! What is installed in an image or a root file system: the operating
//! system and the packages, each with the exact name, version and source
//! package the vulnerability matcher will look up.
//!
//! Each cataloger declares the paths it reads ([`wants`]); the image
//! reader keeps the contents of those paths only. Files too large to keep
//! (package databases, executables, Java archives) are condensed as they
//! stream past ([`Catalogers`]) to the records a cataloger needs.

pub mod apk;
pub mod binary;
pub mod composer;
pub mod dpkg;
mod exe;
pub mod gem;
pub mod golang;
pub mod java;
mod json;
pub mod npm;
pub mod os;
pub mod purl;
pub mod python;
pub mod rpm;
pub mod rust_audit;

use shipshape_core::files::{self, Entry, FileIndex, Interest, Kind};

pub use shipshape_core::inventory::{Found, Inventory, Os, Package};

/// Whether a cataloger reads `path`.
pub fn wants(path: &str) -> bool {
    os::wants(path)
        || dpkg::wants(path)
        || python::wants(path)
        || npm::wants(path)
        || gem::wants(path)
        || binary::wants(path)
}

/// What a cataloger kept of a file it condensed, stored (typed) with the
/// file's entry.
#[derive(Debug, Clone, serde::Serialize)]
pub enum Condensed {
    Dpkg(dpkg::Status),
    Apk(apk::Installed),
    /// An rpm database's packages.
    Rpm(rpm::Database),
    /// A Go binary's build information.
    Go(golang::BuildInfo),
    /// A Rust binary's cargo-auditable dependency list.
    RustAudit(rust_audit::Audit),
    /// A Java archive's artifacts, nested archives included.
    Java(java::Archive),
    /// An npm `package-lock.json` or `npm-shrinkwrap.json`.
    NpmLock(npm::Lock),
    /// A Composer `installed.json` or `composer.lock`.
    Composer(composer::Listed),
    /// A program known by the version string it carries.
    Binary(binary::Identified),
}

impl Condensed {
    /// About how many bytes the record holds, counted against the image
    /// reader's budget of kept contents: the length of its JSON form,
    /// measured without building it.
    fn weight(&self) -> usize {
        struct Count(usize);
        impl std::io::Write for Count {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0 += buf.len();
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut count = Count(0);
        // Writing to a counter cannot fail; a record that cannot be
        // measured still weighs its header.
        let _ = serde_json::to_writer(&mut count, self);
        count.0.max(64)
    }
}

/// Whether a cataloger condenses the regular file `path`.
pub fn condenses(path: &str, mode: u32, size: u64) -> bool {
    dpkg::condenses(path)
        || apk::condenses(path)
        || npm::condenses(path)
        || composer::condenses(path)
        || rpm::condenses(path, mode, size)
        || exe::condenses(mode, size)
        || java::condenses(path, mode, size)
}

/// Whether `path` is condensed for its name (a package database, a lock
/// file, a Java archive), not as a possible executable.
fn condensed_by_name(path: &str) -> bool {
    dpkg::condenses(path)
        || apk::condenses(path)
        || npm::condenses(path)
        || composer::condenses(path)
        || rpm::condenses(path, 0, 0)
        || java::is_archive(path)
}

/// The most bytes of a file [`condenses`] accepted that are read whole,
/// when its cataloger reads fewer than the image reader's limit.
pub fn condense_limit(path: &str) -> Option<u64> {
    if dpkg::condenses(path) {
        Some(dpkg::MAX_STATUS_BYTES)
    } else if apk::condenses(path) {
        Some(apk::MAX_INSTALLED_BYTES)
    } else if npm::condenses(path) {
        Some(npm::MAX_LOCK_BYTES)
    } else if composer::condenses(path) {
        Some(composer::MAX_LIST_BYTES)
    } else if rpm::condenses(path, 0, 0) {
        Some(rpm::MAX_DATABASE_BYTES)
    } else {
        None
    }
}

/// Whether a file [`condenses`] accepted is still worth reading whole,
/// from its first bytes: a possible executable must start like one (a
/// large script or data file with an execute bit is not read).
pub fn condenses_head(path: &str, head: &[u8]) -> bool {
    condensed_by_name(path) || exe::has_magic(head)
}

/// Most packages read from one package database or list: a real one
/// holds a few thousand; past this many the rest are reported, not read.
pub const MAX_PACKAGES: usize = 100_000;

/// Most bytes of text (names, versions...) kept of the records of one
/// package database: a real one keeps a few MB; past this the rest of
/// the records are reported, not read.
pub const MAX_RECORD_BYTES: usize = 16 << 20;

/// Problems kept per file; more are counted in one more.
const MAX_PROBLEMS: usize = 20;

/// The records one package database keeps: at most [`MAX_PACKAGES`], with
/// at most [`MAX_RECORD_BYTES`] of text among them.
#[derive(Default)]
pub(crate) struct Kept {
    text: usize,
}

impl Kept {
    /// Whether a record of `len` bytes of text may join the `count` kept so
    /// far; if not, the problem that ends the reading of the database.
    pub(crate) fn admit(&mut self, count: usize, len: usize) -> Result<(), String> {
        if count >= MAX_PACKAGES {
            return Err(format!(
                "more than {MAX_PACKAGES} packages: the rest are not read"
            ));
        }
        self.text += len;
        if self.text > MAX_RECORD_BYTES {
            return Err(format!(
                "more than {MAX_RECORD_BYTES} bytes of package records: the rest are not read"
            ));
        }
        Ok(())
    }
}

/// A line of a text database read no further than `max` bytes: its start
/// as text (invalid UTF-8 replaced), whether the line was longer, and
/// whether it is blank (a record separator).
pub(crate) fn line_head(line: &[u8], max: usize) -> (std::borrow::Cow<'_, str>, bool, bool) {
    let cut = line.len() > max;
    let start = String::from_utf8_lossy(line.get(..max).unwrap_or(line));
    let blank = start.trim().is_empty() && (!cut || line.trim_ascii().is_empty());
    (start, cut, blank)
}

/// The problems of one file: the first [`MAX_PROBLEMS`], then how many
/// more there were.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    kept: Vec<String>,
    more: usize,
}

impl Problems {
    pub(crate) fn push(&mut self, problem: String) {
        if self.kept.len() < MAX_PROBLEMS {
            self.kept.push(problem);
        } else {
            self.more += 1;
        }
    }

    pub(crate) fn into_vec(mut self) -> Vec<String> {
        if self.more > 0 {
            self.kept.push(format!("{} more problems", self.more));
        }
        self.kept
    }
}

/// Bounds what one file yields to [`MAX_PACKAGES`] packages and
/// [`MAX_PROBLEMS`] problems, saying how many more there were.
pub(crate) fn bound<T>(packages: &mut Vec<T>, problems: &mut Vec<String>) {
    let more_packages = packages.len().saturating_sub(MAX_PACKAGES);
    packages.truncate(MAX_PACKAGES);
    let mut kept = Problems::default();
    for p in problems.drain(..) {
        kept.push(p);
    }
    if more_packages > 0 {
        kept.kept.push(format!(
            "more than {MAX_PACKAGES} packages: {more_packages} more are not read"
        ));
    }
    *problems = kept.into_vec();
}

/// The problem of a file a cataloger wanted whose contents were not read:
/// why, as the image reader says ([`Entry::unread`]), else its size.
pub(crate) fn not_read(path: &str, entry: &Entry, what: &str) -> String {
    match &entry.unread {
        Some(why) => format!("/{path}: {why}"),
        None => format!("/{path}: {what} too large to read ({} bytes)", entry.size),
    }
}

/// Whether `path` is where a package manager keeps its database (which
/// no other path stands in for, unlike a Java archive's link).
fn is_package_database(path: &str) -> bool {
    dpkg::condenses(path) || apk::condenses(path) || rpm::condenses(path, 0, 0)
}

/// What an entry is when it is not a regular file, in a problem.
fn not_a_file(kind: &Kind) -> Option<String> {
    match kind {
        Kind::File | Kind::Dir => None,
        Kind::Symlink(target) => Some(format!(
            "a symbolic link to {target:?} (links are not followed)"
        )),
        Kind::Hardlink(target) => Some(format!("a hard link to /{target}")),
        Kind::Other => Some("not a regular file".to_string()),
    }
}

/// Condenses a file [`condenses`] accepted.
pub fn condense(path: &str, bytes: &[u8]) -> Option<Condensed> {
    if dpkg::condenses(path) {
        return Some(Condensed::Dpkg(dpkg::condense(bytes)));
    }
    if apk::condenses(path) {
        return Some(Condensed::Apk(apk::condense(bytes)));
    }
    if npm::condenses(path) {
        return Some(Condensed::NpmLock(npm::condense(bytes)));
    }
    if composer::condenses(path) {
        return Some(Condensed::Composer(composer::condense(bytes)));
    }
    if rpm::condenses(path, 0, 0) {
        return rpm::condense(path, bytes).map(Condensed::Rpm);
    }
    if java::is_archive(path) {
        return java::condense(path, bytes).map(Condensed::Java);
    }
    // An executable is parsed once, for both toolchains' sections.
    let exe = exe::Exe::parse(bytes)?;
    golang::from_exe(&exe)
        .map(Condensed::Go)
        .or_else(|| rust_audit::from_exe(&exe).map(Condensed::RustAudit))
        .or_else(|| binary::classify(path, bytes).map(Condensed::Binary))
}

/// The catalogers' [`Interest`] for the image reader, joined with the
/// paths another analyzer keeps (`also`).
pub struct Catalogers<'a> {
    pub also: &'a (dyn Fn(&str) -> bool + Sync),
}

impl Default for Catalogers<'_> {
    fn default() -> Self {
        Catalogers { also: &|_| false }
    }
}

impl Interest for Catalogers<'_> {
    fn keep(&self, path: &str) -> bool {
        wants(path) || (self.also)(path)
    }

    fn condenses(&self, path: &str, mode: u32, size: u64) -> bool {
        condenses(path, mode, size)
    }

    fn condense_limit(&self, path: &str) -> Option<u64> {
        condense_limit(path)
    }

    fn condenses_head(&self, path: &str, head: &[u8]) -> bool {
        condenses_head(path, head)
    }

    fn condense(&self, path: &str, bytes: &[u8]) -> Option<files::Condensed> {
        let record = condense(path, bytes)?;
        let weight = record.weight();
        Some(files::Condensed::new(record, weight))
    }
}

/// Hands each condensed file to its cataloger; a file one wanted that
/// could not be read (too large, unreadable) is a problem.
fn catalog_condensed(files: &FileIndex, os: Option<&Os>, inventory: &mut Inventory) {
    // Programs known by their version strings wait for every package
    // database, which takes precedence over them.
    let mut binaries = Vec::new();
    for (path, entry) in files.iter() {
        let Some(bytes) = &entry.condensed else {
            if let Some(why) = &entry.unread
                && condenses(path, entry.mode, entry.size)
            {
                inventory.problems.push(format!("/{path}: {why}"));
            }
            if let Some(what) = not_a_file(&entry.kind)
                && is_package_database(path)
            {
                inventory
                    .problems
                    .push(format!("/{path}: {what}: not read"));
            }
            continue;
        };
        let Some(condensed) = bytes.get::<Condensed>().cloned() else {
            inventory
                .problems
                .push(format!("/{path}: kept a record of another analyzer"));
            continue;
        };
        let found = Found {
            layer: Some(entry.layer),
            path: format!("/{path}"),
        };
        match condensed {
            Condensed::Dpkg(records) => dpkg::add(records, &found, os, inventory),
            Condensed::Apk(records) => apk::add(records, &found, os, inventory),
            Condensed::Rpm(db) => rpm::catalog(files, path, entry, db, os, inventory),
            Condensed::Go(info) => golang::catalog(&info, &found, inventory),
            Condensed::RustAudit(audit) => rust_audit::catalog(&audit, &found, inventory),
            Condensed::Java(archive) => java::catalog(&archive, &found, inventory),
            Condensed::NpmLock(lock) => npm::add_lock(lock, &found, inventory),
            Condensed::Composer(listed) => composer::add(listed, &found, inventory),
            Condensed::Binary(identified) => binaries.push((identified, found)),
        }
    }
    for (identified, found) in &binaries {
        binary::add(identified, found, inventory);
    }
    binary::catalog_java(files, inventory);
}

/// Runs every cataloger on a file index.
pub fn catalog(files: &FileIndex) -> Inventory {
    let os = os::detect(files);
    let mut inventory = Inventory {
        os: os.clone(),
        ..Inventory::default()
    };
    dpkg::catalog(files, os.as_ref(), &mut inventory);
    python::catalog(files, &mut inventory);
    npm::catalog(files, &mut inventory);
    gem::catalog(files, &mut inventory);
    catalog_condensed(files, os.as_ref(), &mut inventory);
    dpkg::add_licenses(files, &mut inventory);
    inventory.packages.sort_by(|a, b| {
        (a.ecosystem, &a.name, &a.version).cmp(&(b.ecosystem, &b.name, &b.version))
    });
    inventory
}
