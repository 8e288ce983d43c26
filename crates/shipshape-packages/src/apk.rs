//! Alpine packages: `/lib/apk/db/installed`. Each package has its origin
//! (source) package, which Alpine's security database is keyed on, and its
//! declared license.

use crate::os::Os;
use crate::{Found, Inventory, Package, purl};

const INSTALLED: &str = "lib/apk/db/installed";

/// The installed database can run to megabytes: it is condensed to its
/// records.
pub fn condenses(path: &str) -> bool {
    path == INSTALLED
}

/// Largest installed database read (a system with thousands of packages
/// has one of a few MB); a larger one is reported, not read.
pub const MAX_INSTALLED_BYTES: u64 = 64 << 20;

/// Longest value of a field the cataloger keeps; a record with a longer
/// one is reported, not read.
pub const MAX_FIELD_BYTES: usize = 4096;

pub fn condense(bytes: &[u8]) -> Installed {
    read(bytes)
}

/// The records of the installed database, and what could not be read.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Installed {
    pub records: Vec<Record>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
}

/// A package record of the installed database.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Record {
    pub name: String,
    pub version: String,
    pub arch: Option<String>,
    pub origin: Option<String>,
    pub license: Option<String>,
}

impl Record {
    /// Bytes of text the record holds.
    fn text_len(&self) -> usize {
        [&self.arch, &self.origin, &self.license]
            .into_iter()
            .flatten()
            .map(String::len)
            .sum::<usize>()
            + self.name.len()
            + self.version.len()
    }
}

/// Longest start of a line read: a field longer than this is too long
/// anyway.
const MAX_LINE_BYTES: usize = MAX_FIELD_BYTES + 8;

/// The keys of the fields read: name, version, architecture, origin,
/// license.
const KEYS: [char; 5] = ['P', 'V', 'A', 'o', 'L'];

/// Parses the database: one `K:value` line per field, records separated
/// by blank lines.
pub fn parse(text: &str) -> Vec<Record> {
    read(text.as_bytes()).records
}

/// [`parse`], on bytes, one line at a time, keeping only the fields read
/// (the first of each key): at most [`crate::MAX_PACKAGES`] records, and
/// records with a field longer than [`MAX_FIELD_BYTES`] left out, both
/// reported.
pub fn read(bytes: &[u8]) -> Installed {
    let mut out = Installed::default();
    let mut problems = crate::Problems::default();
    let mut fields: [Option<String>; 5] = Default::default();
    let mut too_long: Option<char> = None;
    let mut index = 0usize;
    let mut kept = crate::Kept::default();
    let mut lines = bytes.split(|&b| b == b'\n').peekable();
    loop {
        let line = lines.next();
        if let Some(line) = line {
            // A field longer than the limit needs no more than its start.
            let (start, cut, blank) = crate::line_head(line, MAX_LINE_BYTES);
            if !blank {
                let mut chars = start.chars();
                if let (Some(key), Some(':')) = (chars.next(), chars.next())
                    && let Some(i) = KEYS.iter().position(|&k| k == key)
                    && fields[i].is_none()
                {
                    let value = start.get(2..).unwrap_or("");
                    // `\r\n` ends a line as `\n` does.
                    let value = match lines.peek() {
                        Some(_) => value.strip_suffix('\r').unwrap_or(value),
                        None => value,
                    };
                    if cut || value.len() > MAX_FIELD_BYTES {
                        too_long = too_long.or(Some(key));
                        fields[i] = Some(String::new());
                    } else {
                        fields[i] = Some(value.to_string());
                    }
                }
                continue;
            }
        }
        let [name, version, arch, origin, license] = std::mem::take(&mut fields);
        if let (Some(name), Some(version)) = (name, version) {
            index += 1;
            let record = Record {
                name,
                version,
                arch,
                origin,
                license,
            };
            if let Some(key) = too_long.take() {
                problems.push(format!(
                    "record {index}: field {key} is longer than {MAX_FIELD_BYTES} bytes: not read"
                ));
            } else if let Err(why) = kept.admit(out.records.len(), record.text_len()) {
                problems.push(why);
                break;
            } else {
                out.records.push(record);
            }
        }
        too_long = None;
        if line.is_none() {
            break;
        }
    }
    out.problems = problems.into_vec();
    out
}

/// Adds the packages of the installed database.
pub fn add(installed: Installed, found: &Found, os: Option<&Os>, inventory: &mut Inventory) {
    for why in installed.problems {
        inventory.problems.push(format!("{}: {why}", found.path));
    }
    let distro = os.and_then(|o| o.version.clone());
    for r in installed.records {
        let purl = purl::build(
            "apk",
            Some("alpine"),
            &r.name,
            &r.version,
            &[("arch", r.arch.as_deref()), ("distro", distro.as_deref())],
        );
        inventory.packages.push(Package {
            source_version: r.origin.as_ref().map(|_| r.version.clone()),
            source_name: r.origin,
            name: r.name,
            version: r.version,
            ecosystem: "apk",
            arch: r.arch,
            purl,
            licenses: r.license.into_iter().collect(),
            found: found.clone(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two records as `apk` writes them (fields abridged).
    const DB: &str = "C:Q1nL+ZCt7gWfsMQtzN1qPB+uDnFq8=\nP:musl\nV:1.2.5-r0\nA:x86_64\nS:407434\nI:643072\nT:the musl c library (libc) implementation\nU:https://musl.libc.org/\nL:MIT\no:musl\nm:Natanael Copa <ncopa@alpinelinux.org>\nt:1711978563\nc:e4bbfda0\n\nC:Q1abc=\nP:libcrypto3\nV:3.3.2-r0\nA:x86_64\nL:Apache-2.0\no:openssl\nF:lib\nR:libcrypto.so.3\n\n";

    #[test]
    fn records_with_origin_and_license() {
        let found = parse(DB);
        assert_eq!(found.len(), 2);
        assert_eq!(found[1].name, "libcrypto3");
        assert_eq!(found[1].origin.as_deref(), Some("openssl"));
        assert_eq!(found[1].license.as_deref(), Some("Apache-2.0"));
        assert_eq!(found[0].version, "1.2.5-r0");
    }

    #[test]
    fn records_without_name_or_version_are_skipped() {
        assert!(parse("V:1.0\n\nP:x\n").is_empty());
    }
}
