//! Debian packages: `/var/lib/dpkg/status`, and `status.d/*` as distroless
//! images write them. Each package has its source package and version
//! (`Source: openssl (3.0.15-1~deb12u1)`), which Debian's advisories are
//! keyed on.

use shipshape_core::files::FileIndex;

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
        if let Some(shipshape_core::files::Kind::Symlink(target)) = files.get(&dir).map(|e| &e.kind)
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

/// Largest status file read (a system with ten thousand packages has one
/// of about 20 MB); a larger one is reported, not read.
pub const MAX_STATUS_BYTES: u64 = 64 << 20;

/// Longest value of a field the cataloger keeps (`Package`, `Version`,
/// `Source`, `Architecture`, `Status`); a paragraph with a longer one is
/// reported, not read.
pub const MAX_FIELD_BYTES: usize = 4096;

pub fn condense(bytes: &[u8]) -> Status {
    read(bytes, true)
}

/// The records of a status file, and what could not be read of it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Status {
    pub records: Vec<Record>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
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

impl Record {
    /// Bytes of text the record holds.
    fn text_len(&self) -> usize {
        self.name.len()
            + self.version.len()
            + self.arch.as_ref().map_or(0, String::len)
            + self.source_name.len()
            + self.source_version.len()
    }
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

/// The fields of one paragraph the cataloger reads, each the first of its
/// name (case-insensitive), continuation lines joined.
#[derive(Default)]
struct Paragraph {
    fields: [Option<String>; 5],
    /// Which of `fields` a continuation line belongs to; `None` when the
    /// last field is another one.
    last: Option<usize>,
    /// Whether the paragraph has any field at all.
    any: bool,
    /// The first field found longer than [`MAX_FIELD_BYTES`].
    too_long: Option<&'static str>,
}

const FIELDS: [&str; 5] = ["Package", "Version", "Status", "Source", "Architecture"];

impl Paragraph {
    /// Adds a line that is not blank. `cut`: the line was longer than
    /// [`MAX_LINE_BYTES`] and `line` is its start, so any field of the
    /// cataloger it holds or continues is too long; `colon`: whether the
    /// whole line has a `:`.
    fn add_line(&mut self, line: &str, cut: bool, colon: bool) {
        if line.starts_with([' ', '\t']) {
            if let Some(i) = self.last {
                let value = self.fields[i].get_or_insert_default();
                value.push('\n');
                value.push_str(line.trim());
                if cut || value.len() > MAX_FIELD_BYTES {
                    self.too_long = self.too_long.or(Some(FIELDS[i]));
                    value.clear();
                }
            }
            return;
        }
        let Some((key, value)) = line.split_once(':') else {
            // A line without a field is passed over; a key longer than the
            // cut is a field, none of the cataloger's.
            if colon {
                self.any = true;
                self.last = None;
            }
            return;
        };
        self.any = true;
        let key = key.trim();
        self.last = FIELDS
            .iter()
            .position(|f| f.eq_ignore_ascii_case(key))
            .filter(|&i| self.fields[i].is_none());
        if let Some(i) = self.last {
            let value = value.trim();
            if cut || value.len() > MAX_FIELD_BYTES {
                self.too_long = self.too_long.or(Some(FIELDS[i]));
                self.fields[i] = Some(String::new());
            } else {
                self.fields[i] = Some(value.to_string());
            }
        }
    }

    fn get(&self, field: usize) -> Option<&str> {
        self.fields[field].as_deref()
    }
}

/// Longest start of a line read: a field of the cataloger longer than
/// this is too long anyway.
const MAX_LINE_BYTES: usize = MAX_FIELD_BYTES + 256;

/// The packages of a status file. `require_status`: only packages whose
/// `Status` says they are installed (a `status.d` file has no `Status`).
pub fn parse(text: &str, require_status: bool) -> Vec<Record> {
    read(text.as_bytes(), require_status).records
}

/// [`parse`], on bytes (read as UTF-8, invalid sequences replaced), one
/// line and one paragraph at a time, so memory follows the records kept,
/// not the file: at most [`crate::MAX_PACKAGES`] records, and paragraphs
/// with a field longer than [`MAX_FIELD_BYTES`] left out, both reported.
pub fn read(bytes: &[u8], require_status: bool) -> Status {
    let mut status = Status::default();
    let mut problems = crate::Problems::default();
    let mut current = Paragraph::default();
    let mut index = 0usize;
    let mut kept = crate::Kept::default();
    let mut lines = bytes.split(|&b| b == b'\n');
    loop {
        let line = lines.next();
        if let Some(line) = line {
            let (start, cut, blank) = crate::line_head(line, MAX_LINE_BYTES);
            if !blank {
                current.add_line(&start, cut, line.contains(&b':'));
                continue;
            }
        }
        if current.any {
            index += 1;
            match record(&std::mem::take(&mut current), require_status) {
                Ok(Some(r)) => match kept.admit(status.records.len(), r.text_len()) {
                    Ok(()) => status.records.push(r),
                    Err(why) => {
                        problems.push(why);
                        break;
                    }
                },
                Ok(None) => {}
                Err(why) => problems.push(format!("paragraph {index}: {why}")),
            }
        }
        if line.is_none() {
            break;
        }
    }
    status.problems = problems.into_vec();
    status
}

/// The record of one paragraph; `None` when it is not an installed
/// package with a name and version.
fn record(p: &Paragraph, require_status: bool) -> Result<Option<Record>, String> {
    // Before the status, which may be the field too long.
    if let Some(field) = p.too_long {
        return Err(format!(
            "field {field} is longer than {MAX_FIELD_BYTES} bytes: not read"
        ));
    }
    let installed = p
        .get(2)
        .is_some_and(|s| s.split_whitespace().last() == Some("installed"));
    if require_status && !installed {
        return Ok(None);
    }
    // A paragraph without a name and a version is not a package (dpkg
    // refuses to write one); an empty field is as good as a missing one.
    let (Some(name), Some(version)) = (
        p.get(0).filter(|n| !n.trim().is_empty()),
        p.get(1).filter(|v| !v.trim().is_empty()),
    ) else {
        return Ok(None);
    };
    let (source_name, source_version) = match p.get(3) {
        Some(source) => match source.split_once('(') {
            Some((n, v)) => (
                n.trim().to_string(),
                v.trim_end_matches(')').trim().to_string(),
            ),
            None => (source.trim().to_string(), strip_binnmu(version)),
        },
        None => (name.to_string(), strip_binnmu(version)),
    };
    Ok(Some(Record {
        name: name.to_string(),
        version: version.to_string(),
        arch: p.get(4).map(str::to_string),
        source_name,
        source_version,
    }))
}

pub fn catalog(files: &FileIndex, os: Option<&Os>, inventory: &mut Inventory) {
    for (path, entry) in files.iter() {
        if !path.starts_with(STATUS_D) {
            continue;
        }
        let Some(content) = &entry.content else {
            if entry.size > 0 || entry.unread.is_some() {
                inventory
                    .problems
                    .push(crate::not_read(path, entry, "dpkg status file"));
            }
            continue;
        };
        let found = Found {
            layer: Some(entry.layer),
            path: format!("/{path}"),
        };
        add(read(content, false), &found, os, inventory);
    }
}

/// Adds the packages of one status file, and what could not be read of it.
pub fn add(status: Status, found: &Found, os: Option<&Os>, inventory: &mut Inventory) {
    for why in status.problems {
        inventory.problems.push(format!("{}: {why}", found.path));
    }
    let namespace = os.map_or("debian", |o| o.id.as_str());
    let distro = os.and_then(|o| o.version.as_ref().map(|v| format!("{}-{v}", o.id)));
    for r in status.records {
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
    fn a_paragraph_with_an_empty_name_or_version_is_no_package() {
        // Found by the packages fuzz target: field names are matched in
        // any case, and empty values made a package with no name.
        let text = "PaCkage:\nVersion:\n\nPackage: curl\nVersion: \n\nPackage: zlib1g\nVersion: 1:1.2.13\n";
        let names: Vec<String> = parse(text, false).into_iter().map(|r| r.name).collect();
        assert_eq!(names, ["zlib1g"]);
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
