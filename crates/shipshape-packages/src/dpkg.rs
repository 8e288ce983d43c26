//! Debian packages: `/var/lib/dpkg/status`, and `status.d/*` as distroless
//! images write them. Each package has its source package and version
//! (`Source: openssl (3.0.15-1~deb12u1)`), which Debian's advisories are
//! keyed on.

use shipshape_image::files::FileIndex;

use crate::os::Os;
use crate::{Found, Inventory, Package, purl};

const STATUS: &str = "var/lib/dpkg/status";
const STATUS_D: &str = "var/lib/dpkg/status.d/";

const DOC: &str = "usr/share/doc/";

/// `status.d` files are small and kept whole, as are the packages'
/// copyright files (`/usr/share/doc/NAME/copyright`), where Debian
/// declares licenses.
pub fn wants(path: &str) -> bool {
    path.starts_with(STATUS_D)
        || path
            .strip_prefix(DOC)
            .and_then(|rest| rest.strip_suffix("/copyright"))
            .is_some_and(|name| !name.is_empty() && !name.contains('/'))
}

/// The licenses a machine-readable copyright file (DEP-5) declares: the
/// short name on each `License:` line, once each, in order of first
/// appearance (`GPL-2+`, `BSD-3-clause`, `GPL-1+ or Artistic`). A file
/// in free form declares none this way.
pub fn copyright_licenses(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if !text.starts_with("Format:") {
        return out;
    }
    for line in text.lines() {
        if let Some(value) = line.strip_prefix("License:") {
            let value = value.trim();
            if !value.is_empty() && !out.iter().any(|l| l == value) {
                out.push(value.to_string());
            }
        }
    }
    out
}

/// Fills in the licenses of Debian packages from their copyright files.
/// A doc directory may be a symbolic link to another package's.
pub fn add_licenses(files: &FileIndex, inventory: &mut Inventory) {
    for p in &mut inventory.packages {
        if p.ecosystem != "deb" || !p.licenses.is_empty() {
            continue;
        }
        let name = p.name.split(':').next().unwrap_or(&p.name);
        let mut dir = format!("{DOC}{name}");
        if let Some(shipshape_image::files::Kind::Symlink(target)) =
            files.get(&dir).map(|e| &e.kind)
            && !target.contains('/')
        {
            dir = format!("{DOC}{target}");
        }
        let Some(text) = files
            .get(&format!("{dir}/copyright"))
            .and_then(|e| e.content.as_ref())
        else {
            continue;
        };
        p.licenses = copyright_licenses(&String::from_utf8_lossy(text));
    }
}

/// The status file can run to megabytes: it is condensed to its records.
pub fn condenses(path: &str) -> bool {
    path == STATUS
}

pub fn condense(bytes: &[u8]) -> Vec<Record> {
    parse(&String::from_utf8_lossy(bytes), true)
}

/// An installed package as the status file records it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Record {
    pub name: String,
    pub version: String,
    pub arch: Option<String>,
    /// The source package and its version (the binary's own when the
    /// status names no other).
    pub source_name: String,
    pub source_version: String,
}

/// A binary-only rebuild (`+b1`) is not part of the source's version.
fn strip_binnmu(version: &str) -> String {
    if let Some((base, tail)) = version.rsplit_once("+b")
        && !tail.is_empty()
        && tail.bytes().all(|b| b.is_ascii_digit())
    {
        return base.to_string();
    }
    version.to_string()
}

/// One paragraph's fields, continuation lines joined.
fn paragraphs(text: &str) -> Vec<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut current: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = current.last_mut() {
                value.push('\n');
                value.push_str(line.trim());
            }
            continue;
        }
        if let Some((key, value)) = line.split_once(':') {
            current.push((key.trim().to_string(), value.trim().to_string()));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The packages of a status file. `require_status`: only packages whose
/// `Status` says they are installed (a `status.d` file has no `Status`).
pub fn parse(text: &str, require_status: bool) -> Vec<Record> {
    let mut out = Vec::new();
    for p in paragraphs(text) {
        let get = |k: &str| {
            p.iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(k))
                .map(|(_, v)| v.as_str())
        };
        let installed =
            get("Status").is_some_and(|s| s.split_whitespace().last() == Some("installed"));
        if require_status && !installed {
            continue;
        }
        let (Some(name), Some(version)) = (get("Package"), get("Version")) else {
            continue;
        };
        let (source_name, source_version) = match get("Source") {
            Some(source) => match source.split_once('(') {
                Some((n, v)) => (
                    n.trim().to_string(),
                    v.trim_end_matches(')').trim().to_string(),
                ),
                None => (source.trim().to_string(), strip_binnmu(version)),
            },
            None => (name.to_string(), strip_binnmu(version)),
        };
        out.push(Record {
            name: name.to_string(),
            version: version.to_string(),
            arch: get("Architecture").map(str::to_string),
            source_name,
            source_version,
        });
    }
    out
}

pub fn catalog(files: &FileIndex, os: Option<&Os>, inventory: &mut Inventory) {
    for (path, entry) in files.iter() {
        if !path.starts_with(STATUS_D) {
            continue;
        }
        let Some(content) = &entry.content else {
            if entry.size > 0 {
                inventory
                    .problems
                    .push(format!("/{path}: too large to read ({} bytes)", entry.size));
            }
            continue;
        };
        let found = Found {
            layer: Some(entry.layer),
            path: format!("/{path}"),
        };
        add(
            parse(&String::from_utf8_lossy(content), false),
            &found,
            os,
            inventory,
        );
    }
}

/// Adds the packages of one status file.
pub fn add(records: Vec<Record>, found: &Found, os: Option<&Os>, inventory: &mut Inventory) {
    let namespace = os.map_or("debian", |o| o.id.as_str());
    let distro = os.and_then(|o| o.version.as_ref().map(|v| format!("{}-{v}", o.id)));
    for r in records {
        let purl = purl::build(
            "deb",
            Some(namespace),
            &r.name,
            &r.version,
            &[("arch", r.arch.as_deref()), ("distro", distro.as_deref())],
        );
        inventory.packages.push(Package {
            name: r.name,
            version: r.version,
            ecosystem: "deb",
            arch: r.arch,
            source_name: Some(r.source_name),
            source_version: Some(r.source_version),
            purl,
            licenses: Vec::new(),
            found: found.clone(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licenses_of_machine_readable_copyright_files() {
        let text = "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nUpstream-Name: x\n\nFiles: *\nCopyright: 2020 A\nLicense: GPL-2+\n\nFiles: lib/*\nLicense: BSD-3-clause\n\nLicense: GPL-2+\n This program is free software\n .\n License: not a field\n";
        assert_eq!(copyright_licenses(text), ["GPL-2+", "BSD-3-clause"]);
        assert!(copyright_licenses("This package was debianized by...\nLicense: GPL\n").is_empty());
    }

    #[test]
    fn wants_only_the_copyright_file_of_each_doc_dir() {
        assert!(wants("usr/share/doc/libssl3/copyright"));
        assert!(wants("var/lib/dpkg/status.d/base"));
        assert!(!wants("usr/share/doc/libssl3/changelog.Debian.gz"));
        assert!(!wants("usr/share/doc/x/examples/copyright"));
        assert!(!wants("var/lib/dpkg/status"));
    }

    #[test]
    fn status_paragraphs() {
        let text = "Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl (3.0.15-1~deb12u1)\nVersion: 3.0.15-1~deb12u1\nDescription: x\n more\n\nPackage: gone\nStatus: deinstall ok config-files\nVersion: 1\n\nPackage: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b7\nSource: bash\n";
        let found = parse(text, true);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].source_name, "openssl");
        assert_eq!(found[0].source_version, "3.0.15-1~deb12u1");
        assert_eq!(
            (
                found[1].source_name.as_str(),
                found[1].source_version.as_str()
            ),
            ("bash", "5.2.15-2")
        );
    }
}
