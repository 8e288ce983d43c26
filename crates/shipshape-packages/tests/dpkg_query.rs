//! The dpkg cataloger against dpkg itself: every installed package of this
//! machine's dpkg database, with the exact version and source package,
//! compared with what `dpkg-query` says about the same database.

mod common;

use std::collections::BTreeSet;
use std::process::Command;

use shipshape_image::layer::Limits;
use shipshape_image::rootfs::read_dir;

#[test]
fn every_installed_package_matches_dpkg_query() {
    let admindir = std::path::Path::new("/var/lib/dpkg");
    let query = Command::new("dpkg-query")
        .args([
            "--admindir",
            "/var/lib/dpkg",
            "-W",
            "-f",
            "${db:Status-Status} ${Package} ${Version} ${source:Package} ${source:Version}\n",
        ])
        .output();
    let Some(query) = query.ok().filter(|o| o.status.success()) else {
        common::missing_peer("dpkg-query is not available on this machine");
        return;
    };
    let expected: BTreeSet<(String, String, String, String)> =
        String::from_utf8_lossy(&query.stdout)
            .lines()
            .filter_map(|l| {
                let f: Vec<&str> = l.split(' ').collect();
                (f.len() == 5 && f[0] == "installed").then(|| {
                    (
                        f[1].to_string(),
                        f[2].to_string(),
                        f[3].to_string(),
                        f[4].to_string(),
                    )
                })
            })
            .collect();
    assert!(expected.len() > 50, "{}", expected.len());

    // The same database, in a root file system of its own.
    let dir = tempfile::tempdir().expect("tmp");
    let target = dir.path().join("var/lib/dpkg");
    std::fs::create_dir_all(&target).expect("mkdir");
    std::fs::copy(admindir.join("status"), target.join("status")).expect("copy status");
    std::fs::create_dir_all(dir.path().join("etc")).expect("mkdir");
    let _ = std::fs::copy("/etc/os-release", dir.path().join("etc/os-release"));
    let (files, _, _) = read_dir(
        dir.path(),
        Limits::default(),
        &shipshape_packages::Catalogers::default(),
    )
    .expect("read");
    let inventory = shipshape_packages::catalog(&files);
    assert!(inventory.problems.is_empty(), "{:?}", inventory.problems);
    let found: BTreeSet<(String, String, String, String)> = inventory
        .packages
        .iter()
        .map(|p| {
            (
                p.name.clone(),
                p.version.clone(),
                p.source_name.clone().unwrap_or_default(),
                p.source_version.clone().unwrap_or_default(),
            )
        })
        .collect();
    let missing: Vec<_> = expected.difference(&found).collect();
    let extra: Vec<_> = found.difference(&expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}\nextra {extra:?}"
    );
    assert_eq!(
        inventory.packages.len(),
        expected.len(),
        "one entry per package"
    );
}
