//! rpm packages (Red Hat, Fedora, CentOS, Rocky, Alma, Amazon Linux, SUSE):
//! rpm's package database, in the directory rpm keeps it
//! (`/var/lib/rpm`, or `/usr/lib/sysimage/rpm` on Fedora 36+ and SUSE) and
//! whichever of its three formats the image has:
//!
//! - `rpmdb.sqlite`: sqlite (rpm 4.16+: Fedora 33+, RHEL 9, Amazon Linux 2023);
//! - `Packages.db`: rpm's own ndb format (SUSE);
//! - `Packages`: a Berkeley DB hash (CentOS 7, RHEL 8, Amazon Linux 2).
//!
//! Each holds one header blob per installed package ([`header`]). The
//! databases run to tens of megabytes, so they are condensed as they stream
//! past: [`condense`] keeps the [`Record`] of each package. When an image
//! holds more than one, only the one rpm reads is cataloged (the newer
//! directory first, then sqlite, ndb, Berkeley DB, rpm's own order); the
//! others are reported as passed over.
//!
//! Versions are `EPOCH:VERSION-RELEASE`, the epoch left out when it is
//! absent or 0 (rpm compares the two alike), as distro advisories write
//! fixed versions. The source package's name, version and release come
//! from the `SOURCERPM` file name; it shares the binary package's epoch,
//! which the file name does not carry, so the source version carries it
//! too. Imported signing keys (`gpg-pubkey`) are keys, not software, and
//! are left out.

pub mod bdb;
pub mod header;
pub mod ndb;
pub mod sqlite;

use shipshape_core::files::{Entry, FileIndex};

use crate::os::Os;
use crate::{Found, Inventory, Package, purl};
use header::tag;

/// What a database walker hands over for each package: its instance
/// number and header blob, or why one could not be read.
pub type Visit<'v> = &'v mut dyn FnMut(Result<(u32, &[u8]), String>);

/// The directories rpm keeps its database in, the newer first: distros
/// move it there (Fedora 36, SUSE) and leave the old one a symbolic link.
const DIRS: [&str; 2] = ["usr/lib/sysimage/rpm", "var/lib/rpm"];

/// Problems kept per database, besides why a walk stopped; more are
/// counted.
const MAX_PROBLEMS: usize = 20;

/// Largest database read (a system with a few thousand packages has one
/// of tens of MB; the sqlite one is copied once more to be opened); a
/// larger one is reported, not read.
pub const MAX_DATABASE_BYTES: u64 = 256 << 20;

/// A database format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Format {
    Sqlite,
    Ndb,
    Bdb,
}

impl Format {
    /// In the order rpm picks them when the one it is configured for is
    /// absent.
    pub const ALL: [Format; 3] = [Format::Sqlite, Format::Ndb, Format::Bdb];

    pub fn file_name(self) -> &'static str {
        match self {
            Format::Sqlite => "rpmdb.sqlite",
            Format::Ndb => "Packages.db",
            Format::Bdb => "Packages",
        }
    }

    /// The format of the database at `path`, if it is one.
    pub fn of(path: &str) -> Option<Format> {
        let (dir, name) = path.rsplit_once('/')?;
        if !DIRS.contains(&dir) {
            return None;
        }
        Format::ALL.into_iter().find(|f| f.file_name() == name)
    }

    /// Hands every package of a database in this format to `visit`.
    pub fn walk(self, bytes: &[u8], visit: Visit<'_>) -> Result<(), String> {
        match self {
            Format::Sqlite => sqlite::walk(bytes, visit),
            Format::Ndb => ndb::walk(bytes, visit),
            Format::Bdb => bdb::walk(bytes, visit),
        }
    }
}

/// One installed package, as its header says.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Record {
    pub name: String,
    pub epoch: Option<u32>,
    pub version: String,
    pub release: String,
    pub arch: Option<String>,
    /// The source package's file name (`openssl-3.0.7-27.el9.src.rpm`).
    pub source_rpm: Option<String>,
    pub license: Option<String>,
    pub vendor: Option<String>,
    /// The module stream a RHEL 8+ package was built for
    /// (`nodejs:18:8090020230821:a1b2c3d4`).
    pub modularity_label: Option<String>,
}

impl Record {
    /// The record of a header blob.
    pub fn from_header(blob: &[u8]) -> Result<Record, String> {
        let h = header::parse(blob).map_err(|e| e.to_string())?;
        let text = |t| h.string(t).filter(|s| !s.is_empty());
        let need = |t, what: &str| text(t).ok_or_else(|| format!("header has no {what}"));
        Ok(Record {
            name: need(tag::NAME, "name")?,
            epoch: h.int32(tag::EPOCH),
            version: need(tag::VERSION, "version")?,
            release: need(tag::RELEASE, "release")?,
            arch: text(tag::ARCH),
            source_rpm: text(tag::SOURCERPM),
            license: text(tag::LICENSE),
            vendor: text(tag::VENDOR),
            modularity_label: text(tag::MODULARITYLABEL),
        })
    }

    /// `EPOCH:VERSION-RELEASE`, without an epoch of 0.
    pub fn evr(&self) -> String {
        with_epoch(self.epoch, &format!("{}-{}", self.version, self.release))
    }
}

fn with_epoch(epoch: Option<u32>, version_release: &str) -> String {
    match epoch {
        Some(e) if e != 0 => format!("{e}:{version_release}"),
        _ => version_release.to_string(),
    }
}

/// The name, version and release of a source rpm's file name:
/// `openssl-3.0.7-27.el9.src.rpm` is `openssl`, `3.0.7`, `27.el9`.
pub fn split_source_rpm(file: &str) -> Option<(&str, &str, &str)> {
    let base = file
        .strip_suffix(".src.rpm")
        .or_else(|| file.strip_suffix(".nosrc.rpm"))?;
    let (rest, release) = base.rsplit_once('-')?;
    let (name, version) = rest.rsplit_once('-')?;
    (!name.is_empty() && !version.is_empty() && !release.is_empty())
        .then_some((name, version, release))
}

/// The packages of a database and what could not be read of it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Database {
    pub packages: Vec<Record>,
    pub problems: Vec<String>,
}

/// Reads a database of `format`. Never fails: what cannot be read is in
/// `problems`, with the packages read before or around it.
pub fn read(format: Format, bytes: &[u8]) -> Database {
    let mut db = Database::default();
    if bytes.is_empty() {
        return db;
    }
    let mut more = 0usize;
    // Headers past `MAX_PACKAGES`, not read.
    let mut past = 0usize;
    let mut problem = |db: &mut Database, p: String| {
        if db.problems.len() < MAX_PROBLEMS {
            db.problems.push(p);
        } else {
            more += 1;
        }
    };
    let walked = format.walk(bytes, &mut |item| match item {
        Ok(_) if db.packages.len() >= crate::MAX_PACKAGES => past += 1,
        Ok((instance, blob)) => match Record::from_header(blob) {
            Ok(record) => db.packages.push(record),
            Err(e) => problem(&mut db, format!("package {instance}: {e}")),
        },
        Err(e) => problem(&mut db, e),
    });
    // Why the walk stopped, whatever came before.
    if let Err(e) = walked {
        db.problems.push(e);
    }
    if more > 0 {
        db.problems.push(format!("{more} more problems"));
    }
    if past > 0 {
        db.problems.push(format!(
            "more than {} packages: {past} more are not read",
            crate::MAX_PACKAGES
        ));
    }
    db
}

/// Whether `path` is an rpm database.
pub fn condenses(path: &str, _mode: u32, _size: u64) -> bool {
    Format::of(path).is_some()
}

/// The records of the database at `path`.
pub fn condense(path: &str, bytes: &[u8]) -> Option<Database> {
    Format::of(path).map(|format| read(format, bytes))
}

/// The database rpm reads when an image holds several: in the newer
/// directory first, then in the order rpm picks formats.
fn in_use(files: &FileIndex) -> Option<String> {
    DIRS.into_iter()
        .flat_map(|dir| Format::ALL.map(|f| format!("{dir}/{}", f.file_name())))
        .find(|p| files.get(p).is_some_and(|e| e.condensed.is_some()))
}

/// Turns the condensed database at `path` into packages if it is the one
/// rpm reads; another is a leftover, passed over with a problem saying so.
pub fn catalog(
    files: &FileIndex,
    path: &str,
    entry: &Entry,
    db: Database,
    os: Option<&Os>,
    inventory: &mut Inventory,
) {
    if let Some(used) = in_use(files).filter(|used| used != path) {
        inventory
            .problems
            .push(format!("/{path}: not read: rpm uses /{used}"));
        return;
    }
    for p in db.problems {
        inventory.problems.push(format!("/{path}: {p}"));
    }
    let namespace = os.map(|o| o.id.as_str());
    let distro = os.and_then(|o| o.version.as_ref().map(|v| format!("{}-{v}", o.id)));
    for r in db.packages {
        if r.name == "gpg-pubkey" {
            continue;
        }
        let version = r.evr();
        let epoch = r.epoch.filter(|&e| e != 0).map(|e| e.to_string());
        let purl = purl::build(
            "rpm",
            namespace,
            &r.name,
            &format!("{}-{}", r.version, r.release),
            &[
                ("arch", r.arch.as_deref()),
                ("epoch", epoch.as_deref()),
                ("distro", distro.as_deref()),
            ],
        );
        let source = r.source_rpm.as_deref().map(|s| (s, split_source_rpm(s)));
        let (source_name, source_version) = match source {
            Some((_, Some((name, v, rel)))) => (
                Some(name.to_string()),
                Some(with_epoch(r.epoch, &format!("{v}-{rel}"))),
            ),
            Some((file, None)) => {
                inventory.problems.push(format!(
                    "/{path}: package {}: source rpm {file:?} is not NAME-VERSION-RELEASE.src.rpm",
                    r.name
                ));
                (None, None)
            }
            None => (None, None),
        };
        inventory.packages.push(Package {
            name: r.name,
            version,
            ecosystem: "rpm",
            arch: r.arch,
            source_name,
            source_version,
            purl,
            licenses: r.license.into_iter().collect(),
            found: Found {
                layer: Some(entry.layer),
                path: format!("/{path}"),
            },
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_paths() {
        assert_eq!(Format::of("var/lib/rpm/rpmdb.sqlite"), Some(Format::Sqlite));
        assert_eq!(Format::of("var/lib/rpm/Packages"), Some(Format::Bdb));
        assert_eq!(
            Format::of("usr/lib/sysimage/rpm/Packages.db"),
            Some(Format::Ndb)
        );
        assert_eq!(
            Format::of("usr/lib/sysimage/rpm/rpmdb.sqlite"),
            Some(Format::Sqlite)
        );
        for other in [
            "var/lib/rpm/Name",
            "var/lib/rpm/rpmdb.sqlite-wal",
            "var/lib/rpm/Index.db",
            "home/x/var/lib/rpm/Packages",
            "var/lib/rpm",
            "Packages",
            "var/lib/dpkg/status",
        ] {
            assert_eq!(Format::of(other), None, "{other}");
            assert!(!condenses(other, 0o644, 10));
        }
    }

    #[test]
    fn source_rpm_names() {
        assert_eq!(
            split_source_rpm("openssl-3.0.7-27.el9.src.rpm"),
            Some(("openssl", "3.0.7", "27.el9"))
        );
        assert_eq!(
            split_source_rpm("compat-libstdc++-33-3.2.3.el7.src.rpm"),
            Some(("compat-libstdc++", "33", "3.2.3.el7"))
        );
        assert_eq!(
            split_source_rpm("kernel-5.14.0-1.nosrc.rpm"),
            Some(("kernel", "5.14.0", "1"))
        );
        assert_eq!(split_source_rpm("openssl-3.0.7.src.rpm"), None);
        assert_eq!(split_source_rpm("-1-2.src.rpm"), None);
        assert_eq!(split_source_rpm("openssl-3.0.7-27.el9.rpm"), None);
    }

    #[test]
    fn versions_carry_a_nonzero_epoch() {
        let mut r = Record {
            name: "openssl".into(),
            epoch: Some(1),
            version: "3.0.7".into(),
            release: "27.el9".into(),
            arch: None,
            source_rpm: None,
            license: None,
            vendor: None,
            modularity_label: None,
        };
        assert_eq!(r.evr(), "1:3.0.7-27.el9");
        r.epoch = Some(0);
        assert_eq!(r.evr(), "3.0.7-27.el9");
        r.epoch = None;
        assert_eq!(r.evr(), "3.0.7-27.el9");
    }

    #[test]
    fn an_empty_file_holds_nothing_and_garbage_is_a_problem() {
        for format in Format::ALL {
            assert_eq!(read(format, b""), Database::default());
            let db = read(format, &[0x5a; 8192]);
            assert!(db.packages.is_empty());
            assert_eq!(db.problems.len(), 1, "{format:?}: {:?}", db.problems);
        }
    }
}
