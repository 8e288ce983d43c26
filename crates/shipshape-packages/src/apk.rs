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

pub fn condense(bytes: &[u8]) -> Vec<Record> {
    parse(&String::from_utf8_lossy(bytes))
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

/// Parses the database: one `K:value` line per field, records separated
/// by blank lines.
pub fn parse(text: &str) -> Vec<Record> {
    let mut out = Vec::new();
    let mut fields: Vec<(char, &str)> = Vec::new();
    let mut flush = |fields: &mut Vec<(char, &str)>| {
        let get = |k: char| {
            fields
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| v.to_string())
        };
        if let (Some(name), Some(version)) = (get('P'), get('V')) {
            out.push(Record {
                name,
                version,
                arch: get('A'),
                origin: get('o'),
                license: get('L'),
            });
        }
        fields.clear();
    };
    for line in text.lines() {
        if line.trim().is_empty() {
            flush(&mut fields);
            continue;
        }
        let mut chars = line.chars();
        if let (Some(key), Some(':')) = (chars.next(), chars.next()) {
            fields.push((key, line.get(2..).unwrap_or("")));
        }
    }
    flush(&mut fields);
    out
}

/// Adds the packages of the installed database.
pub fn add(records: Vec<Record>, found: &Found, os: Option<&Os>, inventory: &mut Inventory) {
    let distro = os.and_then(|o| o.version.clone());
    for r in records {
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
