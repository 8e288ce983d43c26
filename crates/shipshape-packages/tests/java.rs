//! The Java archive cataloger on a war of real Debian jars
//! (tests/data/java, made by its make.sh), archives nested around it, and
//! the jars installed in /usr/share/java against Info-ZIP's `unzip`.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Write};
use std::process::Command;

use common::{data, inventory_of, of, put, row};
use shipshape_packages::java;

fn war_rows(war: &str) -> Vec<(String, String, String, String)> {
    let lib = |jar: &str| format!("{war}:WEB-INF/lib/{jar}");
    let mut rows = vec![
        row(
            war,
            "com.example:app",
            "1.0.0",
            "pkg:maven/com.example/app@1.0.0",
        ),
        row(
            &lib("slf4j-nop-1.7.32.jar"),
            "org.slf4j:slf4j-nop",
            "1.7.32",
            "pkg:maven/org.slf4j/slf4j-nop@1.7.32",
        ),
        row(
            &lib("maven3-slf4j-provider.jar"),
            "org.apache.maven:maven-slf4j-provider",
            "3.8.7",
            "pkg:maven/org.apache.maven/maven-slf4j-provider@3.8.7",
        ),
        // Shaded into the same jar.
        row(
            &lib("maven3-slf4j-provider.jar"),
            "org.slf4j:slf4j-simple",
            "1.7.32",
            "pkg:maven/org.slf4j/slf4j-simple@1.7.32",
        ),
        // Manifest only.
        row(
            &lib("guice-multibindings.jar"),
            "guice-multibindings",
            "4.2.3",
            "pkg:maven/guice-multibindings@4.2.3",
        ),
        // File name only.
        row(
            &lib("libintl-0.21.jar"),
            "libintl",
            "0.21",
            "pkg:maven/libintl@0.21",
        ),
    ];
    rows.sort();
    rows
}

/// A zip of `entries`, stored or deflated.
fn zip_of(entries: &[(&str, &[u8])], deflate: bool) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let method = if deflate {
        zip::CompressionMethod::Deflated
    } else {
        zip::CompressionMethod::Stored
    };
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, bytes) in entries {
        w.start_file(*name, options).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn artifacts_of_archives_in_a_root_file_system() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let war = data("java/app.war");
    put(root, "opt/app/app.war", &war, 0o644);
    // An ear holding the war, named with a version.
    let ear = zip_of(
        &[
            ("META-INF/application.xml", b"<application/>"),
            ("app.war", &war),
        ],
        false,
    );
    put(root, "srv/shop-2.1.ear", &ear, 0o644);
    // Named like an archive, but none.
    put(
        root,
        "opt/app/broken.jar",
        b"not a zip archive at all",
        0o644,
    );
    // An archive, but not named like one: not read.
    put(root, "opt/app/war.bak", &war, 0o644);

    let inventory = inventory_of(root);
    let mut expected = war_rows("/opt/app/app.war");
    expected.extend(war_rows("/srv/shop-2.1.ear:app.war"));
    expected.push(row(
        "/srv/shop-2.1.ear",
        "shop",
        "2.1",
        "pkg:maven/shop@2.1",
    ));
    expected.sort();
    assert_eq!(of(&inventory, "maven"), expected);

    let mut problems = inventory.problems.clone();
    problems.sort();
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(problems[0].starts_with("/opt/app/app.war:WEB-INF/lib/gettext.jar: no version"));
    assert!(problems[1].starts_with("/opt/app/broken.jar: not a readable zip archive"));
    assert!(
        problems[2].starts_with("/srv/shop-2.1.ear:app.war:WEB-INF/lib/gettext.jar: no version")
    );
}

#[test]
fn archives_nested_too_deep_are_a_problem() {
    // wrap0 holds wrap1 ... holds wrap4, which holds the war.
    let mut inner = data("java/app.war");
    let mut name = "app.war".to_string();
    for level in (1..=4).rev() {
        inner = zip_of(&[(&format!("lib/{name}"), &inner)], true);
        name = format!("wrap{level}-1.0.jar");
    }
    let outer = zip_of(&[(&format!("lib/{name}"), &inner)], true);
    let archive = java::condense("opt/wrap0-1.0.jar", &outer).unwrap();
    let found: Vec<_> = archive
        .artifacts
        .iter()
        .map(|a| (a.inner.as_str(), a.artifact.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("", "wrap0"),
            ("lib/wrap1-1.0.jar", "wrap1"),
            ("lib/wrap1-1.0.jar:lib/wrap2-1.0.jar", "wrap2"),
            (
                "lib/wrap1-1.0.jar:lib/wrap2-1.0.jar:lib/wrap3-1.0.jar",
                "wrap3"
            ),
            (
                "lib/wrap1-1.0.jar:lib/wrap2-1.0.jar:lib/wrap3-1.0.jar:lib/wrap4-1.0.jar",
                "wrap4"
            ),
        ]
    );
    assert_eq!(
        archive.problems,
        [(
            "lib/wrap1-1.0.jar:lib/wrap2-1.0.jar:lib/wrap3-1.0.jar:lib/wrap4-1.0.jar:lib/app.war"
                .to_string(),
            "nested more than 4 archives deep: not read".to_string()
        )]
    );
}

#[test]
fn truncated_and_corrupted_archives_do_not_panic() {
    let war = data("java/app.war");
    // Every length over the central directory at the end, some before.
    let tail = war.len().saturating_sub(1200);
    for len in (0..tail).step_by(97).chain((tail..war.len()).step_by(3)) {
        let archive = java::condense("app.war", &war[..len]).unwrap();
        if len < tail {
            assert!(archive.artifacts.is_empty(), "{len}");
        }
    }
    let mut flipped = war.clone();
    for i in (0..war.len()).step_by(23) {
        flipped[i] ^= 0xff;
        let _ = java::condense("app.war", &flipped);
        flipped[i] = war[i];
    }
}

/// The `pom.properties` artifacts of each jar, read by `unzip`.
fn unzip_poms(jar: &std::path::Path) -> BTreeSet<(String, String)> {
    let list = Command::new("unzip").arg("-Z1").arg(jar).output().unwrap();
    let mut out = BTreeSet::new();
    for entry in String::from_utf8_lossy(&list.stdout).lines() {
        if !(entry.starts_with("META-INF/maven/") && entry.ends_with("/pom.properties")) {
            continue;
        }
        let text = Command::new("unzip")
            .arg("-p")
            .arg(jar)
            .arg(entry)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&text.stdout).into_owned();
        let get = |key: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(key)?.trim_start().strip_prefix('='))
                .map(|v| v.trim().to_string())
        };
        if let (Some(g), Some(a), Some(v)) = (get("groupId"), get("artifactId"), get("version")) {
            out.insert((format!("{g}:{a}"), v));
        }
    }
    out
}

/// Debian's jars: every artifact a `pom.properties` names, as `unzip`
/// reads them.
#[test]
fn usr_share_java_against_unzip() {
    let dir = std::path::Path::new("/usr/share/java");
    if !dir.is_dir() || Command::new("unzip").arg("-v").output().is_err() {
        common::missing_peer(
            "no /usr/share/java or no unzip (apt-get install unzip libaopalliance-java)",
        );
        return;
    }
    let mut expected: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        let meta = std::fs::symlink_metadata(&path).unwrap();
        if meta.is_file() && java::is_archive(&path.to_string_lossy()) {
            expected.insert(path.to_string_lossy().into_owned(), unzip_poms(&path));
        }
    }
    let inventory = inventory_of(dir);
    let mut found: BTreeMap<String, BTreeSet<(String, String)>> = expected
        .keys()
        .map(|k| (k.clone(), BTreeSet::new()))
        .collect();
    for p in inventory.packages.iter().filter(|p| p.ecosystem == "maven") {
        let path = format!("/usr/share/java{}", p.found.path);
        if p.name.contains(':') {
            found
                .entry(path)
                .or_default()
                .insert((p.name.clone(), p.version.clone()));
        }
    }
    assert_eq!(found, expected);
    eprintln!("{} jars compared", expected.len());
}
