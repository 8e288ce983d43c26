//! The rpm cataloger against rpm itself: databases that rpm wrote (sqlite,
//! ndb) or that Berkeley DB wrote from rpm's header blobs and rpm reads
//! back (see tests/data/rpm/make.sh), each compared with what
//! `rpm -qa` says about them (tests/data/rpm/expected.txt).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use shipshape_image::layer::Limits;
use shipshape_image::rootfs::read_dir;
use shipshape_packages::rpm::{self, Format, Record};
use shipshape_packages::{Catalogers, Inventory, Package};

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/rpm")
}

/// Every database of the fixtures: directory and format.
const DATABASES: [(&str, Format); 5] = [
    ("sqlite", Format::Sqlite),
    ("ndb", Format::Ndb),
    ("bdb", Format::Bdb),
    ("bdb-be", Format::Bdb),
    ("bdb-512", Format::Bdb),
];

fn bytes(dir: &str, format: Format) -> Vec<u8> {
    std::fs::read(data().join(dir).join(format.file_name())).expect("fixture")
}

/// A record as `rpm -qa --queryformat` printed it in make.sh.
fn line(r: &Record) -> String {
    let none = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
    [
        r.name.clone(),
        r.epoch.map_or("(none)".into(), |e| e.to_string()),
        r.version.clone(),
        r.release.clone(),
        none(&r.arch),
        none(&r.source_rpm),
        none(&r.license),
        none(&r.vendor),
        none(&r.modularity_label),
    ]
    .join("\t")
}

fn expected() -> BTreeSet<String> {
    std::fs::read_to_string(data().join("expected.txt"))
        .expect("expected.txt")
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn every_format_reads_as_rpm_reads_it() {
    let expected = expected();
    assert_eq!(expected.len(), 5);
    for (dir, format) in DATABASES {
        let db = rpm::read(format, &bytes(dir, format));
        assert!(db.problems.is_empty(), "{dir}: {:?}", db.problems);
        let found: BTreeSet<String> = db.packages.iter().map(line).collect();
        assert_eq!(found, expected, "{dir}");
        assert_eq!(db.packages.len(), expected.len(), "{dir}: one record each");
    }
}

#[test]
fn a_database_of_another_format_is_a_problem_not_packages() {
    let sqlite = bytes("sqlite", Format::Sqlite);
    for format in [Format::Ndb, Format::Bdb] {
        let db = rpm::read(format, &sqlite);
        assert!(db.packages.is_empty());
        assert_eq!(db.problems.len(), 1, "{:?}", db.problems);
    }
    let db = rpm::read(Format::Sqlite, &bytes("ndb", Format::Ndb));
    assert_eq!(db.problems, ["not an SQLite database"]);
}

/// Cutting a database short never makes up a package, and loses one only
/// with a problem said.
#[test]
fn truncated_databases_lose_packages_only_with_a_problem() {
    let expected = expected();
    for (dir, format) in DATABASES {
        let whole = bytes(dir, format);
        let step = (whole.len() / 97).max(1);
        for len in (0..whole.len()).step_by(step) {
            let db = rpm::read(format, &whole[..len]);
            let found: BTreeSet<String> = db.packages.iter().map(line).collect();
            assert!(found.is_subset(&expected), "{dir} at {len}: {found:?}");
            assert!(
                len == 0 || found == expected || !db.problems.is_empty(),
                "{dir} at {len}: lost packages silently"
            );
        }
    }
}

/// Changed bytes anywhere never panic and never make a package up out of
/// nothing: every package found has a name, version and release.
#[test]
fn corrupted_databases_do_not_panic() {
    for (dir, format) in DATABASES {
        let whole = bytes(dir, format);
        let step = (whole.len() / 301).max(1);
        for at in (0..whole.len()).step_by(step) {
            for value in [0x00, 0xff, 0x80] {
                let mut bad = whole.clone();
                bad[at] = value;
                let db = rpm::read(format, &bad);
                assert!(db.packages.len() <= 5, "{dir} at {at}");
                for r in &db.packages {
                    assert!(!r.name.is_empty() && !r.version.is_empty() && !r.release.is_empty());
                }
            }
        }
    }
}

fn os_release(root: &Path, id: &str, version: &str) {
    std::fs::create_dir_all(root.join("etc")).expect("mkdir");
    std::fs::write(
        root.join("etc/os-release"),
        format!("NAME=\"Test\"\nID=\"{id}\"\nVERSION_ID=\"{version}\"\n"),
    )
    .expect("os-release");
}

fn place(root: &Path, dir: &str, fixture: &str, format: Format) {
    let target = root.join(dir);
    std::fs::create_dir_all(&target).expect("mkdir");
    std::fs::write(target.join(format.file_name()), bytes(fixture, format)).expect("copy");
}

fn scan(root: &Path) -> Inventory {
    // The fixtures are small: a limit below their size would keep nothing,
    // so the default (1 GiB) is what images get.
    let (files, _, _) =
        read_dir(root, Limits::default(), &Catalogers::default()).expect("read_dir");
    shipshape_packages::catalog(&files)
}

fn find<'a>(inventory: &'a Inventory, name: &str) -> &'a Package {
    inventory
        .packages
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("{name} not found in {:?}", inventory.packages))
}

#[test]
fn a_rhel_like_root_file_system_through_the_image_reader() {
    let dir = tempfile::tempdir().expect("tmp");
    os_release(dir.path(), "rocky", "9.4");
    place(dir.path(), "var/lib/rpm", "sqlite", Format::Sqlite);
    let inventory = scan(dir.path());
    assert!(inventory.problems.is_empty(), "{:?}", inventory.problems);
    let names: Vec<&str> = inventory.packages.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        ["compat-libstdc++", "foo-devel", "hello", "libfoo"],
        "no gpg-pubkey"
    );

    let libfoo = find(&inventory, "libfoo");
    assert_eq!(libfoo.ecosystem, "rpm");
    assert_eq!(libfoo.version, "2:3.1-4.el9");
    assert_eq!(libfoo.arch.as_deref(), Some("x86_64"));
    assert_eq!(libfoo.source_name.as_deref(), Some("foo"));
    assert_eq!(libfoo.source_version.as_deref(), Some("2:3.1-4.el9"));
    assert_eq!(libfoo.licenses, ["MIT AND BSD-3-Clause"]);
    assert_eq!(
        libfoo.purl,
        "pkg:rpm/rocky/libfoo@3.1-4.el9?arch=x86_64&distro=rocky-9.4&epoch=2"
    );
    assert_eq!(libfoo.found.path, "/var/lib/rpm/rpmdb.sqlite");
    assert_eq!(libfoo.found.layer, Some(0));

    // An epoch of 0 is no epoch; a name with plus signs is encoded.
    let compat = find(&inventory, "compat-libstdc++");
    assert_eq!(compat.version, "33-3.2.3.el7");
    assert_eq!(compat.source_version.as_deref(), Some("33-3.2.3.el7"));
    assert_eq!(
        compat.purl,
        "pkg:rpm/rocky/compat-libstdc%2B%2B@33-3.2.3.el7?arch=noarch&distro=rocky-9.4"
    );
    assert_eq!(compat.licenses, ["ASL 2.0"]);

    let hello = find(&inventory, "hello");
    assert_eq!(hello.version, "2.12.1-3.fc40");
    assert_eq!(hello.source_name.as_deref(), Some("hello"));
}

#[test]
fn suse_and_centos_locations_through_the_image_reader() {
    let dir = tempfile::tempdir().expect("tmp");
    os_release(dir.path(), "opensuse-leap", "15.6");
    place(dir.path(), "usr/lib/sysimage/rpm", "ndb", Format::Ndb);
    let inventory = scan(dir.path());
    assert!(inventory.problems.is_empty(), "{:?}", inventory.problems);
    assert_eq!(inventory.packages.len(), 4);
    let devel = find(&inventory, "foo-devel");
    assert_eq!(devel.found.path, "/usr/lib/sysimage/rpm/Packages.db");
    assert_eq!(
        devel.purl,
        "pkg:rpm/opensuse-leap/foo-devel@3.1-4.el9?arch=x86_64&distro=opensuse-leap-15.6&epoch=2"
    );

    let dir = tempfile::tempdir().expect("tmp");
    os_release(dir.path(), "centos", "7");
    place(dir.path(), "var/lib/rpm", "bdb", Format::Bdb);
    let inventory = scan(dir.path());
    assert!(inventory.problems.is_empty(), "{:?}", inventory.problems);
    assert_eq!(inventory.packages.len(), 4);
    assert_eq!(
        find(&inventory, "hello").found.path,
        "/var/lib/rpm/Packages"
    );
}

#[test]
fn without_os_release_the_purl_has_no_namespace() {
    let dir = tempfile::tempdir().expect("tmp");
    place(dir.path(), "var/lib/rpm", "bdb-be", Format::Bdb);
    let inventory = scan(dir.path());
    assert_eq!(
        find(&inventory, "hello").purl,
        "pkg:rpm/hello@2.12.1-3.fc40?arch=x86_64"
    );
}

#[test]
fn only_the_database_rpm_would_use_is_read() {
    let dir = tempfile::tempdir().expect("tmp");
    os_release(dir.path(), "rhel", "9.4");
    place(dir.path(), "var/lib/rpm", "sqlite", Format::Sqlite);
    place(dir.path(), "var/lib/rpm", "bdb", Format::Bdb);
    let inventory = scan(dir.path());
    assert_eq!(inventory.packages.len(), 4, "each package once");
    assert!(
        inventory
            .packages
            .iter()
            .all(|p| p.found.path == "/var/lib/rpm/rpmdb.sqlite")
    );
    assert_eq!(
        inventory.problems,
        ["/var/lib/rpm/Packages: not read: rpm uses /var/lib/rpm/rpmdb.sqlite"]
    );

    // A database left in the old directory when rpm moved to the new one.
    let dir = tempfile::tempdir().expect("tmp");
    os_release(dir.path(), "fedora", "40");
    place(dir.path(), "var/lib/rpm", "bdb", Format::Bdb);
    place(dir.path(), "usr/lib/sysimage/rpm", "sqlite", Format::Sqlite);
    let inventory = scan(dir.path());
    assert_eq!(inventory.packages.len(), 4, "each package once");
    assert_eq!(
        find(&inventory, "hello").found.path,
        "/usr/lib/sysimage/rpm/rpmdb.sqlite"
    );
    assert_eq!(
        inventory.problems,
        ["/var/lib/rpm/Packages: not read: rpm uses /usr/lib/sysimage/rpm/rpmdb.sqlite"]
    );
}

#[test]
fn broken_databases_are_problems_naming_the_file() {
    for (dir, format, keep) in [
        ("sqlite", Format::Sqlite, 50),
        ("ndb", Format::Ndb, 5000),
        ("bdb", Format::Bdb, 9000),
    ] {
        let root = tempfile::tempdir().expect("tmp");
        let target = root.path().join("var/lib/rpm");
        std::fs::create_dir_all(&target).expect("mkdir");
        let whole = bytes(dir, format);
        std::fs::write(target.join(format.file_name()), &whole[..keep]).expect("write");
        let inventory = scan(root.path());
        let path = format!("/var/lib/rpm/{}", format.file_name());
        assert!(
            !inventory.problems.is_empty()
                && inventory.problems.iter().all(|p| p.starts_with(&path)),
            "{dir}: {:?}",
            inventory.problems
        );
        assert!(inventory.packages.len() < 4, "{dir}");
    }
}

#[test]
fn a_looping_overflow_chain_loses_one_package() {
    let mut bytes = bytes("bdb-512", Format::Bdb);
    // The first overflow page (type 7) with a next page: point it at itself.
    let pgno = (1..bytes.len() / 512)
        .find(|&p| bytes[p * 512 + 25] == 7 && bytes[p * 512 + 16..p * 512 + 20] != [0; 4])
        .expect("an overflow chain");
    let at = pgno * 512 + 16;
    bytes[at..at + 4].copy_from_slice(&(pgno as u32).to_le_bytes());
    let db = rpm::read(Format::Bdb, &bytes);
    assert_eq!(db.packages.len(), 4, "{:?}", db.problems);
    assert_eq!(db.problems.len(), 1);
    assert!(
        db.problems[0].contains("reached twice"),
        "{:?}",
        db.problems
    );
}

#[test]
fn a_blob_failing_its_checksum_loses_one_package() {
    let mut bytes = bytes("ndb", Format::Ndb);
    let name = bytes
        .windows(6)
        .position(|w| w == b"hello\0")
        .expect("hello's header");
    bytes[name] = b'j';
    let db = rpm::read(Format::Ndb, &bytes);
    assert_eq!(db.packages.len(), 4);
    assert!(db.packages.iter().all(|r| r.name != "jello"));
    assert_eq!(db.problems.len(), 1);
    assert!(
        db.problems[0].contains("fails its checksum"),
        "{:?}",
        db.problems
    );
}
