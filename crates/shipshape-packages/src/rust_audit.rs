//! Rust binaries built with `cargo auditable`: the section `.dep-v0` (ELF
//! and PE; `__DATA,.dep-v0` in Mach-O) holds the zlib-compressed JSON list
//! of the crates the binary was built from:
//!
//! ```json
//! {"packages":[{"name":"itoa","version":"1.0.11","source":"crates.io"},
//!   {"name":"hello","version":"0.1.0","source":"local","dependencies":[0],"root":true}]}
//! ```
//!
//! Packages reported: every crate whose source is `crates.io`, build
//! dependencies (`"kind":"build"`) included, as `pkg:cargo/NAME@VERSION`.
//! Crates from other sources (`local` workspace members such as the binary's
//! own crate, `git`, other registries) are left out: a `cargo` package URL
//! without a repository names the crates.io crate of that name, which they
//! are not, and crates.io advisories do not apply to them.

use std::io::Read;

use serde::{Deserialize, Serialize};

use crate::exe::Exe;
use crate::{Found, Inventory, Package, purl};

/// The section cargo-auditable writes.
const SECTION: &str = ".dep-v0";
/// Largest dependency list inflated (a real one is a few KiB per hundred
/// crates).
const MAX_JSON: u64 = 8 << 20;

/// The dependency list of a binary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Audit {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub crates: Vec<Crate>,
    /// Why the list could not be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// A crate of the list, as cargo-auditable writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Crate {
    pub name: String,
    pub version: String,
    /// `crates.io`, `local`, `git`, `registry` or another source.
    #[serde(default)]
    pub source: String,
    /// `build` for build dependencies; absent for runtime ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Whether this is the crate the binary was built from.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub root: bool,
}

/// The JSON document of the section.
#[derive(Deserialize)]
struct List {
    packages: Vec<Crate>,
}

/// The dependency list of a binary; `None` when `bytes` is no executable
/// or has no `.dep-v0` section.
pub fn condense(bytes: &[u8]) -> Option<Audit> {
    from_exe(&Exe::parse(bytes)?)
}

/// [`condense`] of an executable already parsed.
pub(crate) fn from_exe(exe: &Exe<'_>) -> Option<Audit> {
    let decoded = exe.section(&[SECTION])?.and_then(|(_, data)| decode(data));
    Some(match decoded {
        Ok(crates) => Audit {
            crates,
            problem: None,
        },
        Err(why) => Audit {
            crates: Vec::new(),
            problem: Some(why),
        },
    })
}

/// Inflates (at most 8 MiB) and parses the section's contents.
pub fn decode(compressed: &[u8]) -> Result<Vec<Crate>, String> {
    let mut json = Vec::new();
    flate2::read::ZlibDecoder::new(compressed)
        .take(MAX_JSON + 1)
        .read_to_end(&mut json)
        .map_err(|e| format!("{SECTION} does not inflate: {e}"))?;
    if json.len() as u64 > MAX_JSON {
        return Err(format!(
            "{SECTION} inflates to more than {} MiB",
            MAX_JSON >> 20
        ));
    }
    serde_json::from_slice::<List>(&json)
        .map(|list| list.packages)
        .map_err(|e| format!("{SECTION} is no cargo-auditable dependency list: {e}"))
}

/// The packages of a condensed binary.
pub fn catalog(audit: &Audit, found: &Found, inventory: &mut Inventory) {
    if let Some(why) = &audit.problem {
        inventory.problems.push(format!("{}: {why}", found.path));
    }
    for c in audit.crates.iter().filter(|c| c.source == "crates.io") {
        inventory.packages.push(Package {
            name: c.name.clone(),
            version: c.version.clone(),
            ecosystem: "cargo",
            arch: None,
            source_name: None,
            source_version: None,
            purl: purl::build("cargo", None, &c.name, &c.version, &[]),
            licenses: Vec::new(),
            found: found.clone(),
        });
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(data).unwrap();
        z.finish().unwrap()
    }

    #[test]
    fn list_with_kinds_and_roots() {
        let crates = decode(&zlib(br#"{"packages":[{"name":"autocfg","version":"1.3.0","source":"crates.io","kind":"build"},{"name":"app","version":"0.1.0","source":"local","dependencies":[0],"root":true}],"format":1}"#)).unwrap();
        assert_eq!(crates.len(), 2);
        assert_eq!(crates[0].kind.as_deref(), Some("build"));
        assert!(crates[1].root);
        assert!(!crates[0].root);
    }

    #[test]
    fn bombs_and_garbage_are_problems() {
        let bomb = zlib(&vec![b' '; (MAX_JSON + 10) as usize]);
        assert!(bomb.len() < 64 << 10);
        assert!(decode(&bomb).unwrap_err().contains("more than 8 MiB"));
        assert!(decode(b"not zlib").is_err());
        assert!(decode(&zlib(b"{\"crates\":[]}")).is_err());
        let good = zlib(br#"{"packages":[]}"#);
        assert!(decode(&good[..good.len() - 6]).is_err());
    }
}
