//! What is installed in an image or a root file system: the operating
//! system and the packages, each with the exact name, version and source
//! package the vulnerability matcher will look up.
//!
//! Each cataloger declares the paths it reads ([`wants`]); the image
//! reader keeps the contents of those paths only.

pub mod apk;
pub mod cyclonedx;
pub mod dpkg;
pub mod os;
pub mod purl;

use shipshape_image::files::FileIndex;

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

/// Runs every cataloger on a file index.
pub fn catalog(files: &FileIndex) -> Inventory {
    let os = os::detect(files);
    let mut inventory = Inventory {
        os: os.clone(),
        ..Inventory::default()
    };
    dpkg::catalog(files, os.as_ref(), &mut inventory);
    apk::catalog(files, os.as_ref(), &mut inventory);
    inventory.packages.sort_by(|a, b| {
        (a.ecosystem, &a.name, &a.version).cmp(&(b.ecosystem, &b.name, &b.version))
    });
    inventory
}
