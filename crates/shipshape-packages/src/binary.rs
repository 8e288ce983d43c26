//! Programs that no package manager installed, identified by the version
//! string they carry: a static BusyBox copied into a `FROM scratch`
//! image, an OpenSSL, curl, nginx, PostgreSQL, Node.js or Python built
//! from source, a JDK unpacked under `/opt`.
//!
//! Each classifier looks only at files of its program's name (`busybox`,
//! `nginx`, `libssl.so.3`...), for one literal followed by a version, so
//! an image's other executables cost a comparison of their names. A
//! program that an operating-system package of the same family also
//! provides is left to that package ([`overlaps_os_package`]), which its
//! distribution's advisories already cover.

use shipshape_core::inventory::{Found, Inventory, Package};

use crate::purl;

/// The ecosystem of a program identified from its contents.
pub const ECOSYSTEM: &str = "binary";

/// The longest version accepted after a literal.
const MAX_VERSION: usize = 32;

/// What a program says it is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Identified {
    pub name: String,
    pub version: String,
}

/// One program: which files may be it, and how its version is written in
/// them.
struct Classifier {
    name: &'static str,
    /// Whether a file of this base name may be the program.
    file: fn(&str) -> bool,
    /// The text right before the version (`BusyBox v`).
    literal: &'static [u8],
    /// Whether a version must be followed by this byte (`Some(b' ')`) to
    /// count, so that a prefix of a longer word is not taken.
    then: Option<u8>,
    /// Names of operating-system packages (or their sources) that ship
    /// this program.
    os_packages: &'static [&'static str],
}

const CLASSIFIERS: &[Classifier] = &[
    Classifier {
        name: "busybox",
        file: |f| f == "busybox",
        literal: b"BusyBox v",
        then: Some(b' '),
        os_packages: &["busybox"],
    },
    Classifier {
        name: "openssl",
        file: |f| f == "openssl" || f.starts_with("libcrypto.so") || f.starts_with("libssl.so"),
        literal: b"OpenSSL ",
        then: Some(b' '),
        os_packages: &["openssl", "libssl"],
    },
    Classifier {
        name: "curl",
        file: |f| f == "curl" || f.starts_with("libcurl.so"),
        literal: b"curl/",
        then: None,
        os_packages: &["curl", "libcurl"],
    },
    Classifier {
        name: "nginx",
        file: |f| f == "nginx",
        literal: b"nginx/",
        then: None,
        os_packages: &["nginx"],
    },
    Classifier {
        name: "postgresql",
        file: |f| f == "postgres" || f == "postgresql",
        literal: b"(PostgreSQL) ",
        then: None,
        os_packages: &["postgresql"],
    },
    Classifier {
        name: "node",
        file: |f| f == "node" || f == "nodejs",
        literal: b"/download/release/v",
        then: Some(b'/'),
        os_packages: &["nodejs"],
    },
];

/// The version that starts `bytes`: digits and dots, then letters, digits
/// and `.-+~` (`1.36.1`, `3.0.13`, `1.1.1w`), ending at the first other
/// byte; `None` unless it starts with a digit and holds a dot.
fn version_at(bytes: &[u8]) -> Option<&str> {
    if !bytes.first()?.is_ascii_digit() {
        return None;
    }
    let len = bytes
        .iter()
        .take(MAX_VERSION + 1)
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+' | b'~')))
        .unwrap_or(bytes.len().min(MAX_VERSION + 1));
    if len > MAX_VERSION {
        return None;
    }
    let version = std::str::from_utf8(bytes.get(..len)?).ok()?;
    let version = version.trim_end_matches(['.', '-', '+', '~']);
    version.contains('.').then_some(version)
}

/// The first version written after `literal` in `bytes` (and followed by
/// `then`, when given).
fn find_version<'a>(bytes: &'a [u8], literal: &[u8], then: Option<u8>) -> Option<&'a str> {
    first_after(bytes, literal, |rest| {
        version_at(rest).filter(|v| then.is_none_or(|t| rest.get(v.len()) == Some(&t)))
    })
}

/// What `accept` makes of the bytes after the first occurrence of
/// `literal` it accepts.
fn first_after<'a>(
    bytes: &'a [u8],
    literal: &[u8],
    accept: impl Fn(&'a [u8]) -> Option<&'a str>,
) -> Option<&'a str> {
    if literal.is_empty() {
        return None;
    }
    let mut from = 0;
    while let Some(at) = bytes
        .get(from..)?
        .windows(literal.len())
        .position(|w| w == literal)
    {
        let start = from + at + literal.len();
        if let Some(found) = accept(bytes.get(start..)?) {
            return Some(found);
        }
        from = start;
    }
    None
}

/// The base name of `path`.
fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The `python3.12` of a Python interpreter's file name, when it is one.
fn python_series(file: &str) -> Option<&str> {
    let minor = file.strip_prefix("python3.")?;
    (!minor.is_empty() && minor.bytes().all(|b| b.is_ascii_digit())).then_some(file)
}

/// Identifies the executable `bytes` at `path` by its name and version
/// string; `None` when it is none of the programs known here.
pub fn classify(path: &str, bytes: &[u8]) -> Option<Identified> {
    let file = base_name(path);
    if let Some(series) = python_series(file) {
        // `sys.version`: `3.12.7 (main, Oct  1 2024, ...)`.
        let literal = format!("{}.", series.trim_start_matches("python"));
        let micro = first_after(bytes, literal.as_bytes(), |rest| {
            let len = rest
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            let fits = (1..=8).contains(&len)
                && rest.first().is_some_and(u8::is_ascii_digit)
                && rest.get(len..len + 2) == Some(b" (");
            fits.then(|| std::str::from_utf8(rest.get(..len)?).ok())
                .flatten()
        })?;
        return Some(Identified {
            name: "python".to_string(),
            version: format!("{literal}{micro}"),
        });
    }
    let classifier = CLASSIFIERS.iter().find(|c| (c.file)(file))?;
    let version = find_version(bytes, classifier.literal, classifier.then)?;
    Some(Identified {
        name: classifier.name.to_string(),
        version: version.to_string(),
    })
}

/// Whether `path` may be a JDK's or JRE's `release` file.
pub fn wants(path: &str) -> bool {
    path.ends_with("/release")
        && ["jdk", "jre", "java", "jvm"]
            .iter()
            .any(|w| path.contains(w))
}

/// The `JAVA_VERSION` of a JDK's `release` file (`JAVA_VERSION="21.0.5"`).
pub fn java_release(text: &str) -> Option<&str> {
    text.lines().find_map(|line| {
        let value = line.trim().strip_prefix("JAVA_VERSION=")?.trim();
        let value = value.trim_matches('"');
        version_at(value.as_bytes()).filter(|v| v.len() == value.len())
    })
}

/// Names of operating-system packages that ship a program identified
/// here under `name`.
fn os_families(name: &str) -> &'static [&'static str] {
    match name {
        "python" => &["python"],
        "openjdk" => &["openjdk", "java-"],
        other => CLASSIFIERS
            .iter()
            .find(|c| c.name == other)
            .map_or(&[], |c| c.os_packages),
    }
}

/// Whether an operating-system package of the inventory ships the
/// program `name` (by its own or its source package's name).
fn overlaps_os_package(inventory: &Inventory, name: &str) -> bool {
    let families = os_families(name);
    inventory
        .packages
        .iter()
        .filter(|p| matches!(p.ecosystem, "deb" | "apk" | "rpm"))
        .any(|p| {
            families.iter().any(|f| {
                p.name.starts_with(f) || p.source_name.as_deref().is_some_and(|s| s.starts_with(f))
            })
        })
}

fn package(name: &str, version: &str, found: &Found) -> Package {
    Package {
        name: name.to_string(),
        version: version.to_string(),
        ecosystem: ECOSYSTEM,
        arch: None,
        source_name: None,
        source_version: None,
        purl: purl::build("generic", None, name, version, &[]),
        licenses: Vec::new(),
        found: found.clone(),
    }
}

/// Adds an identified program, unless an operating-system package ships
/// it (call after the package databases were read).
pub(crate) fn add(identified: &Identified, found: &Found, inventory: &mut Inventory) {
    if !overlaps_os_package(inventory, &identified.name) {
        inventory
            .packages
            .push(package(&identified.name, &identified.version, found));
    }
}

/// Adds the JDKs and JREs whose `release` file names their version.
pub(crate) fn catalog_java(files: &shipshape_core::files::FileIndex, inventory: &mut Inventory) {
    if overlaps_os_package(inventory, "openjdk") {
        return;
    }
    for (path, entry) in files.iter().filter(|(p, _)| wants(p)) {
        let Some(version) = entry
            .content
            .as_deref()
            .and_then(|b| java_release(&String::from_utf8_lossy(b)).map(str::to_string))
        else {
            continue;
        };
        let found = Found {
            layer: Some(entry.layer),
            path: format!("/{path}"),
        };
        inventory
            .packages
            .push(package("openjdk", &version, &found));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(path: &str, bytes: &[u8]) -> Option<(String, String)> {
        classify(path, bytes).map(|i| (i.name, i.version))
    }

    fn pair(name: &str, version: &str) -> Option<(String, String)> {
        Some((name.to_string(), version.to_string()))
    }

    #[test]
    fn identifies_programs_by_their_version_strings() {
        let busybox = b"\x7fELF\0\0BusyBox is copyrighted\0BusyBox v1.36.1 (2023-06-02 10:44:26 UTC) multi-call binary.\0";
        assert_eq!(id("bin/busybox", busybox), pair("busybox", "1.36.1"));
        assert_eq!(
            id(
                "usr/lib/x86_64-linux-gnu/libcrypto.so.3",
                b"\0OpenSSL 3.0.13 30 Jan 2024\0"
            ),
            pair("openssl", "3.0.13")
        );
        assert_eq!(
            id("usr/local/bin/openssl", b"\0OpenSSL 1.1.1w  11 Sep 2023\0"),
            pair("openssl", "1.1.1w")
        );
        assert_eq!(id("usr/bin/curl", b"\0curl/8.5.0\0"), pair("curl", "8.5.0"));
        assert_eq!(
            id("usr/sbin/nginx", b"\0Server: nginx/1.27.2\r\n\0"),
            pair("nginx", "1.27.2")
        );
        assert_eq!(
            id(
                "usr/lib/postgresql/16/bin/postgres",
                b"\0postgres (PostgreSQL) 16.4\0"
            ),
            pair("postgresql", "16.4")
        );
        assert_eq!(
            id(
                "usr/local/bin/node",
                b"https://nodejs.org/download/release/v20.18.0/node-v20.18.0-headers.tar.gz\0"
            ),
            pair("node", "20.18.0")
        );
        assert_eq!(
            id(
                "usr/local/bin/python3.12",
                b"\x003.12.7 (main, Oct  1 2024, 08:52:12) [GCC 12.2.0]\0"
            ),
            pair("python", "3.12.7")
        );
    }

    #[test]
    fn leaves_other_files_and_near_misses_alone() {
        // The right string in a file of another name.
        assert_eq!(id("bin/sh", b"BusyBox v1.36.1 (x)"), None);
        // The literal without a version, or part of a longer word.
        assert_eq!(id("bin/busybox", b"BusyBox v (x) BusyBox vx"), None);
        assert_eq!(id("usr/bin/openssl", b"OpenSSL 3.0.13-dev"), None);
        assert_eq!(id("usr/sbin/nginx", b"nginx/ nginx/1"), None);
        // A version too long to be one.
        let long = format!("BusyBox v1.{} ", "1".repeat(64));
        assert_eq!(id("bin/busybox", long.as_bytes()), None);
        // A Python of another series, or a name that only starts alike.
        assert_eq!(id("usr/bin/python3.12", b"3.11.2 (main, x)"), None);
        assert_eq!(id("usr/bin/python3.12-config", b"3.12.7 (main, x)"), None);
        assert_eq!(id("usr/bin/busybox", b""), None);
    }

    #[test]
    fn reads_a_jdk_release_file() {
        assert_eq!(
            java_release("IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"21.0.5\"\n"),
            Some("21.0.5")
        );
        assert_eq!(java_release("JAVA_VERSION=\"21.0.5; rm -rf /\"\n"), None);
        assert_eq!(java_release("OS_NAME=\"Linux\"\n"), None);
        assert!(wants("opt/java/openjdk/release"));
        assert!(wants("usr/lib/jvm/java-17-openjdk-amd64/release"));
        assert!(!wants("etc/os-release") && !wants("etc/lsb-release"));
    }

    #[test]
    fn an_os_package_of_the_family_takes_precedence() {
        let found = Found {
            layer: Some(0),
            path: "/bin/busybox".to_string(),
        };
        let identified = Identified {
            name: "busybox".to_string(),
            version: "1.36.1".to_string(),
        };
        let mut inventory = Inventory::default();
        add(&identified, &found, &mut inventory);
        assert_eq!(inventory.packages.len(), 1);
        assert_eq!(inventory.packages[0].purl, "pkg:generic/busybox@1.36.1");
        let mut apk = package("busybox", "1.36.1-r29", &found);
        apk.ecosystem = "apk";
        let mut inventory = Inventory {
            packages: vec![apk],
            ..Inventory::default()
        };
        add(&identified, &found, &mut inventory);
        assert_eq!(inventory.packages.len(), 1, "{:?}", inventory.packages);
    }
}
