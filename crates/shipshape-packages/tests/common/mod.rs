//! Root file systems made in a temporary directory and catalogued the way
//! `shipshape sbom DIR` does: through `read_dir` and the catalogers'
//! interest.

#![allow(dead_code, clippy::unwrap_used)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use shipshape_image::layer::Limits;
use shipshape_image::rootfs::read_dir;
use shipshape_packages::{Catalogers, Inventory, Package};

/// A fixture of tests/data.
pub fn data(rel: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Writes `bytes` at `rel` under `root` with permission bits `mode`.
pub fn put(root: &Path, rel: &str, bytes: &[u8], mode: u32) -> PathBuf {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    path
}

/// Catalogs the tree under `root`.
pub fn inventory_of(root: &Path) -> Inventory {
    let limits = Limits {
        scan_secrets: false,
        ..Limits::default()
    };
    let (files, _, _) = read_dir(root, limits, &Catalogers::default()).unwrap();
    shipshape_packages::catalog(&files)
}

/// The packages of one ecosystem as (path, name, version, purl), sorted.
pub fn of(inventory: &Inventory, ecosystem: &str) -> Vec<(String, String, String, String)> {
    let mut out: Vec<_> = inventory
        .packages
        .iter()
        .filter(|p| p.ecosystem == ecosystem)
        .map(|p: &Package| {
            (
                p.found.path.clone(),
                p.name.clone(),
                p.version.clone(),
                p.purl.clone(),
            )
        })
        .collect();
    out.sort();
    out
}

/// `(path, name, version, purl)` from string slices.
pub fn row(path: &str, name: &str, version: &str, purl: &str) -> (String, String, String, String) {
    (path.into(), name.into(), version.into(), purl.into())
}

/// Whether a program runs here.
pub fn have(program: &str) -> bool {
    std::process::Command::new(program)
        .arg("--version")
        .output()
        .is_ok()
}

/// Skips a comparison whose reference tool is missing, with a message, or
/// fails it under `SHIPSHAPE_REQUIRE_PEERS=1` (which CI sets, after
/// installing the tools).
pub fn missing_peer(what: &str) {
    if std::env::var("SHIPSHAPE_REQUIRE_PEERS").is_ok_and(|v| v == "1") {
        panic!("SHIPSHAPE_REQUIRE_PEERS=1 but {what}");
    }
    eprintln!("skipping: {what} (set SHIPSHAPE_REQUIRE_PEERS=1 to fail instead)");
}
