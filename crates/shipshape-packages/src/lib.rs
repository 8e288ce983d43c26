//! What is installed in an image or a root file system: the operating
//! system and the packages, each with the exact name, version and source
//! package the vulnerability matcher will look up.
//!
//! Each cataloger declares the paths it reads ([`wants`]); the image
//! reader keeps the contents of those paths only. Files too large to keep
//! (package databases, executables, Java archives) are condensed as they
//! stream past ([`Catalogers`]) to the records a cataloger needs.

pub mod apk;
pub mod composer;
pub mod cyclonedx;
pub mod dpkg;
mod exe;
pub mod gem;
pub mod golang;
pub mod java;
pub mod npm;
pub mod os;
pub mod purl;
pub mod python;
pub mod rpm;
pub mod rust_audit;
pub mod spdx;

use shipshape_image::files::{FileIndex, Interest};

pub use shipshape_core::inventory::{Found, Inventory, Os, Package};

/// Whether a cataloger reads `path`.
pub fn wants(path: &str) -> bool {
    os::wants(path)
        || dpkg::wants(path)
        || python::wants(path)
        || npm::wants(path)
        || gem::wants(path)
}

/// What a cataloger kept of a file it condensed, stored with the file's
/// entry as JSON.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum Condensed {
    Dpkg(Vec<dpkg::Record>),
    Apk(Vec<apk::Record>),
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

    fn condense(&self, path: &str, bytes: &[u8]) -> Option<Vec<u8>> {
        condense(path, bytes).and_then(|c| serde_json::to_vec(&c).ok())
    }
}

/// Hands each condensed file to its cataloger.
fn catalog_condensed(files: &FileIndex, os: Option<&Os>, inventory: &mut Inventory) {
    for (path, entry) in files.iter() {
        let Some(bytes) = &entry.condensed else {
            continue;
        };
        let Ok(condensed) = serde_json::from_slice::<Condensed>(bytes) else {
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
        }
    }
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
