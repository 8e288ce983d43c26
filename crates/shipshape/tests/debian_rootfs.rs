//! A real Debian bookworm root file system, made by `debootstrap
//! --variant=minbase` with a few packages whose source packages have other
//! names (openssh-server, libssl3, python3), imported into the Docker
//! daemon and saved as an image: `shipshape sbom` must find every package
//! `dpkg-query` lists for the same tree, with the same version and source.
//!
//! Needs root, `debootstrap`, a Debian mirror and the Docker daemon. Skips
//! without them, and fails instead under `SHIPSHAPE_REQUIRE_ROOTFS=1`.
//! The tree is built once under the target directory and reused.

mod common;

use std::collections::BTreeSet;

use common::*;

#[test]
fn every_dpkg_package_of_a_debootstrap_image_is_found_with_its_source() {
    let Some(tree) = bookworm_rootfs() else {
        return;
    };
    if !docker_answers() {
        return;
    }
    let admindir = tree.join("var/lib/dpkg");
    let listed = sh(
        "dpkg-query",
        &[
            "-W",
            &format!("--admindir={}", admindir.display()),
            "-f",
            "${db:Status-Abbrev}\t${Package}\t${Version}\t${source:Package}\t${source:Version}\n",
        ],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let expected: BTreeSet<(String, String, String, String)> = listed
        .lines()
        .filter(|l| l.starts_with("ii"))
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f.len() == 5).then(|| {
                (
                    f[1].to_string(),
                    f[2].to_string(),
                    f[3].to_string(),
                    f[4].to_string(),
                )
            })
        })
        .collect();
    assert!(expected.len() > 100, "{} packages", expected.len());
    for (name, source) in [
        ("openssh-server", "openssh"),
        ("libssl3", "openssl"),
        ("python3", "python3-defaults"),
    ] {
        assert!(
            expected.iter().any(|e| e.0 == name && e.2 == source),
            "{name} from {source} is installed"
        );
    }

    // The tree as an image: docker import, docker save.
    let dir = tmp();
    let tar = dir.path().join("rootfs.tar");
    sh(
        "tar",
        &[
            "-C",
            &tree.display().to_string(),
            "-cf",
            &tar.display().to_string(),
            ".",
        ],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let tag = format!("shipshape-test/bookworm:{}", std::process::id());
    sh("docker", &["import", &tar.display().to_string(), &tag]).unwrap_or_else(|e| panic!("{e}"));
    let saved = dir.path().join("image.tar");
    let save = sh(
        "docker",
        &["save", "-o", &saved.display().to_string(), &tag],
    );
    let _ = sh("docker", &["rmi", "-f", &tag]);
    save.unwrap_or_else(|e| panic!("{e}"));

    let o = run(&[
        "sbom",
        "--format",
        "json",
        "--input",
        &saved.display().to_string(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report["os"]["id"], "debian");
    assert_eq!(report["os"]["version"], "12");
    assert_eq!(report["os"]["codename"], "bookworm");
    let packages = report["packages"].as_array().cloned().unwrap_or_default();
    let text = |p: &serde_json::Value, k: &str| p[k].as_str().unwrap_or("").to_string();
    let found: BTreeSet<(String, String, String, String)> = packages
        .iter()
        .map(|p| {
            (
                text(p, "name"),
                text(p, "version"),
                text(p, "source_name"),
                text(p, "source_version"),
            )
        })
        .collect();
    let missing: Vec<_> = expected.difference(&found).collect();
    let extra: Vec<_> = found.difference(&expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}\nextra {extra:?}"
    );
    assert_eq!(packages.len(), expected.len(), "one entry per package");
    let ssh = packages
        .iter()
        .find(|p| p["name"] == "openssh-server")
        .unwrap_or_else(|| panic!("openssh-server"));
    assert_eq!(ssh["found"]["path"], "/var/lib/dpkg/status");
    assert!(
        text(ssh, "purl").starts_with("pkg:deb/debian/openssh-server@1%3A9.2p1-2"),
        "{}",
        ssh["purl"]
    );
}

/// The secret scan on a real distribution: a plain Debian tree holds no
/// credential, so every IM201 finding there would be a false positive.
#[test]
fn the_secret_scan_reports_nothing_in_a_plain_debian_tree() {
    let Some(tree) = bookworm_rootfs() else {
        return;
    };
    let o = run(&["fs", "--format", "json", &tree.display().to_string()]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stdout(&o));
    let report: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}"));
    let secrets: Vec<String> = report["targets"][0]["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["rule"] == "IM201")
        .map(|f| format!("{}: {}", f["location"]["path"], f["message"]))
        .collect();
    assert!(secrets.is_empty(), "false positives: {secrets:#?}");
}
