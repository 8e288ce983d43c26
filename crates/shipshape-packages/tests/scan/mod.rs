//! Helpers of the cataloger tests: scanning a directory as a root file
//! system, the way `shipshape sbom DIR` does.

#![allow(dead_code)]

use std::path::Path;

use shipshape_image::layer::Limits;
use shipshape_image::rootfs::read_dir;
use shipshape_packages::{Catalogers, Inventory, Package};

/// The fixtures of one ecosystem, `tests/data/NAME`.
pub fn data(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// Reads `root` with the catalogers' interest and catalogs it.
pub fn scan(root: &Path) -> Inventory {
    let (files, _, _) = read_dir(root, Limits::default(), &Catalogers::default()).expect("read");
    shipshape_packages::catalog(&files)
}

/// The packages of one ecosystem as `(name, version, purl, licenses, path)`.
pub fn rows<'a>(
    inventory: &'a Inventory,
    ecosystem: &str,
) -> Vec<(&'a str, &'a str, &'a str, Vec<&'a str>, &'a str)> {
    inventory
        .packages
        .iter()
        .filter(|p| p.ecosystem == ecosystem)
        .map(|p: &Package| {
            (
                p.name.as_str(),
                p.version.as_str(),
                p.purl.as_str(),
                p.licenses.iter().map(String::as_str).collect(),
                p.found.path.as_str(),
            )
        })
        .collect()
}

/// Copies a directory tree, symbolic links as links.
pub fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        let kind = entry.file_type()?;
        if kind.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else if kind.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(entry.path())?, &target)?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// Runs a program and returns its standard output, or `None` when it is
/// not installed or fails.
pub fn output(program: &str, args: &[&str], dir: Option<&Path>) -> Option<String> {
    let mut command = std::process::Command::new(program);
    command.args(args);
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    let out = command.output().ok().filter(|o| o.status.success())?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
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
