//! What is installed in an image or a root file system: the operating
//! system and the packages, each with the exact name, version and source
//! package the vulnerability matcher will look up.
//!
//! Each cataloger declares the paths it reads ([`wants`]); the image
//! reader keeps the contents of those paths only. Files too large to keep
//! (package databases, executables, Java archives) are condensed as they
//! stream past ([`Catalogers`]) to the records a cataloger needs.

pub mod apk;
pub mod cyclonedx;
pub mod dpkg;
pub mod os;
pub mod purl;
pub mod rpm;

use shipshape_image::files::{FileIndex, Interest};

pub use os::Os;

/// Where a package was found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Found {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layer: Option<usize>,
    pub path: String,
}

/// One installed package.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Package {
    pub name: String,
    pub version: String,
    /// `deb`, `apk`, `rpm`, `pypi`, `npm`...
    pub ecosystem: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arch: Option<String>,
    /// The source package and its version, which distro advisories are
    /// keyed on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_version: Option<String>,
    pub purl: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<String>,
    pub found: Found,
}

/// Everything found.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Inventory {
    pub os: Option<Os>,
    pub packages: Vec<Package>,
    /// Files that could not be read as what they should be, with why.
    pub problems: Vec<String>,
}

/// Whether a cataloger reads `path`.
pub fn wants(path: &str) -> bool {
    os::wants(path) || dpkg::wants(path) || apk::wants(path)
}

/// What a cataloger kept of a file it condensed, stored with the file's
/// entry as JSON.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum Condensed {
    /// An rpm database's packages.
    Rpm(rpm::Database),
}

/// Whether a cataloger condenses the regular file `path`.
pub fn condenses(path: &str, mode: u32, size: u64) -> bool {
    rpm::condenses(path, mode, size)
}

/// Condenses a file [`condenses`] accepted.
pub fn condense(path: &str, bytes: &[u8]) -> Option<Condensed> {
    rpm::condense(path, bytes).map(Condensed::Rpm)
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
        match condensed {
            Condensed::Rpm(db) => rpm::catalog(files, path, entry, db, os, inventory),
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
    apk::catalog(files, os.as_ref(), &mut inventory);
    catalog_condensed(files, os.as_ref(), &mut inventory);
    inventory.packages.sort_by(|a, b| {
        (a.ecosystem, &a.name, &a.version).cmp(&(b.ecosystem, &b.name, &b.version))
    });
    inventory
}
