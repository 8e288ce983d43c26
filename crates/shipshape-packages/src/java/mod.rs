//! Java archives (`.jar`, `.war`, `.ear`, `.jpi`, `.hpi`, `.par`, `.sar`,
//! `.nar`, `.kar`), read as zip files from memory.
//!
//! What names an artifact, in this order:
//!
//! - every `META-INF/maven/GROUP/ARTIFACT/pom.properties` (a shaded jar
//!   holds one per artifact it bundles), each reported;
//! - when none of them names the archive itself, the `MANIFEST.MF` main
//!   attributes (`Implementation-Version`, `Bundle-Version`,
//!   `Specification-Version`) with the artifact name from the file name;
//! - else the file name (`commons-lang3-3.12.0.jar`).
//!
//! A `pom.properties` names the archive itself when its artifact id is the
//! file name's (`slf4j-nop-1.7.32.jar`), else when it is the only one with
//! the manifest's version, else when it is the only one and the manifest
//! has no version. An archive with no version from any of them is a
//! problem, not a package with an invented version.
//!
//! Archives inside archives (`WEB-INF/lib/*.jar`, `BOOT-INF/lib/*.jar`,
//! the modules of an `.ear`) are read the same way, at most
//! [`MAX_DEPTH`] deep and within [`BUDGET`] bytes inflated in all, so a
//! zip bomb costs bounded time and memory. A nested artifact is found at
//! `/outer.war:WEB-INF/lib/inner.jar`.
//!
//! Packages are `maven` ones named `GROUP:ARTIFACT` (as Maven advisories
//! name them), or `ARTIFACT` alone when only a manifest or file name
//! names them, with purl `pkg:maven/GROUP/ARTIFACT@VERSION`.

mod meta;

use std::io::{Cursor, Read};

use serde::{Deserialize, Serialize};

use crate::{Found, Inventory, Package, purl};

/// File name extensions of Java archives.
pub const EXTENSIONS: [&str; 9] = [
    "jar", "war", "ear", "jpi", "hpi", "par", "sar", "nar", "kar",
];
/// How many archives deep nested archives are read.
pub const MAX_DEPTH: usize = 4;
/// Bytes inflated in all while reading one archive and those inside it
/// (the archives inside are held in memory while read, at most
/// [`MAX_DEPTH`] at a time).
pub const BUDGET: u64 = 256 << 20;
/// Problems kept per archive, nested ones included; more are counted.
const MAX_PROBLEMS: usize = 100;
/// Largest `pom.properties` or manifest read.
const MAX_META: u64 = 1 << 20;
/// Smallest zip file: the end of central directory record.
const MIN_SIZE: u64 = 22;

/// Whether a path's file name has a Java archive extension.
pub fn is_archive(path: &str) -> bool {
    file_name(path).rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty() && EXTENSIONS.iter().any(|e| e.eq_ignore_ascii_case(ext))
    })
}

/// Whether to read a file: a Java archive by name.
pub fn condenses(path: &str, _mode: u32, size: u64) -> bool {
    size >= MIN_SIZE && is_archive(path)
}

/// What a Java archive and the archives inside it name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Archive {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub artifacts: Vec<Artifact>,
    /// Parts that could not be read, or named no version: where (as
    /// [`Artifact::inner`]) and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<(String, String)>,
    /// Problems past [`MAX_PROBLEMS`], counted while reading.
    #[serde(skip)]
    more_problems: usize,
}

/// One artifact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Artifact {
    /// The nested archive it was found in (`WEB-INF/lib/inner.jar`, or
    /// `app.war:WEB-INF/lib/inner.jar` two levels down); empty for the
    /// archive itself.
    pub inner: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    pub artifact: String,
    pub version: String,
    pub from: Evidence,
}

/// What named an artifact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Evidence {
    PomProperties,
    Manifest,
    FileName,
}

/// The artifacts of a Java archive; `None` when `path` is not named like
/// one.
pub fn condense(path: &str, bytes: &[u8]) -> Option<Archive> {
    if !is_archive(path) {
        return None;
    }
    Some(read(path, bytes, BUDGET))
}

/// Reads an archive and those inside it, inflating at most `budget` bytes.
fn read(path: &str, bytes: &[u8], mut budget: u64) -> Archive {
    let mut out = Archive::default();
    scan(file_name(path), bytes, "", 0, &mut budget, &mut out);
    if out.more_problems > 0 {
        let more = format!("{} more problems", out.more_problems);
        out.problems.push((String::new(), more));
    }
    out
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Reads entry `index` whole, at most `limit` bytes, counting them
/// against `budget`.
fn read_entry(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    index: usize,
    limit: u64,
    budget: &mut u64,
) -> Result<Vec<u8>, String> {
    let limit = limit.min(*budget);
    let entry = zip.by_index(index).map_err(|e| e.to_string())?;
    if entry.size() > limit {
        return Err(format!(
            "{} bytes inflated, over the limit of {limit}",
            entry.size()
        ));
    }
    let mut data = Vec::new();
    let read = entry.take(limit + 1).read_to_end(&mut data);
    *budget = budget.saturating_sub(data.len() as u64);
    read.map_err(|e| e.to_string())?;
    if data.len() as u64 > limit {
        return Err(format!("inflates past the limit of {limit} bytes"));
    }
    Ok(data)
}

/// Reads one archive (`name` is its file name, `inner` where it is in the
/// outermost one) and the archives inside it.
fn scan(name: &str, bytes: &[u8], inner: &str, depth: usize, budget: &mut u64, out: &mut Archive) {
    let problem = |out: &mut Archive, at: &str, why: String| {
        if out.problems.len() < MAX_PROBLEMS {
            out.problems.push((at.into(), why));
        } else {
            out.more_problems += 1;
        }
    };
    let mut zip = match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(zip) => zip,
        Err(e) => return problem(out, inner, format!("not a readable zip archive: {e}")),
    };
    let mut poms: Vec<(String, String, String)> = Vec::new();
    // The same as `poms`, to find a repeated one without a quadratic walk.
    let mut seen = std::collections::HashSet::new();
    let mut attrs = Vec::new();
    let mut nested = Vec::new();
    for index in 0..zip.len() {
        let Some(Ok(entry)) = zip.name_for_index(index) else {
            continue;
        };
        let entry = entry.into_owned();
        let is_pom = entry.starts_with("META-INF/maven/") && entry.ends_with("/pom.properties");
        let is_manifest = entry.eq_ignore_ascii_case("META-INF/MANIFEST.MF");
        if is_pom || is_manifest {
            let at = join(inner, &entry);
            match read_entry(&mut zip, index, MAX_META, budget) {
                Ok(data) => {
                    let text = String::from_utf8_lossy(&data);
                    if is_manifest {
                        attrs = meta::manifest(meta::main_section(&text));
                    } else if let Some(gav) = meta::pom_properties(&text) {
                        if seen.insert(gav.clone()) {
                            poms.push(gav);
                        }
                    } else {
                        problem(out, &at, "no groupId, artifactId and version".into());
                    }
                }
                Err(why) => problem(out, &at, why),
            }
        } else if !entry.ends_with('/') && is_archive(&entry) {
            nested.push((index, entry));
        }
    }

    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let (stem_name, stem_version) = meta::split_file_stem(stem);
    let manifest_version = meta::attribute(
        &attrs,
        &[
            "Implementation-Version",
            "Bundle-Version",
            "Specification-Version",
        ],
    );
    let by_name = poms
        .iter()
        .any(|(_, artifact, _)| artifact.eq_ignore_ascii_case(stem_name));
    let by_version = manifest_version
        .is_some_and(|v| poms.iter().filter(|(_, _, version)| version == v).count() == 1);
    let only_one = manifest_version.is_none() && poms.len() == 1;
    let named = by_name || by_version || only_one;

    let found_any = !poms.is_empty();
    for (group, artifact, version) in poms {
        if out.artifacts.len() >= crate::MAX_PACKAGES {
            problem(
                out,
                inner,
                format!(
                    "more than {} artifacts: the rest are not read",
                    crate::MAX_PACKAGES
                ),
            );
            break;
        }
        out.artifacts.push(Artifact {
            inner: inner.to_string(),
            group: Some(group),
            artifact,
            version,
            from: Evidence::PomProperties,
        });
    }
    if !named {
        let fallback = manifest_version
            .map(|v| (v.to_string(), Evidence::Manifest))
            .or_else(|| stem_version.map(|v| (v.to_string(), Evidence::FileName)));
        match fallback {
            Some((version, from)) => out.artifacts.push(Artifact {
                inner: inner.to_string(),
                group: None,
                artifact: stem_name.to_string(),
                version,
                from,
            }),
            None if !found_any => problem(
                out,
                inner,
                "no version: no pom.properties, no version in the manifest or the file name".into(),
            ),
            None => {}
        }
    }

    for (index, entry) in nested {
        let at = join(inner, &entry);
        if depth >= MAX_DEPTH {
            problem(
                out,
                &at,
                format!("nested more than {MAX_DEPTH} archives deep: not read"),
            );
            continue;
        }
        match read_entry(&mut zip, index, u64::MAX, budget) {
            Ok(data) => scan(file_name(&entry), &data, &at, depth + 1, budget, out),
            Err(why) => problem(out, &at, why),
        }
    }
}

/// `inner:entry`, or `entry` at the top.
fn join(inner: &str, entry: &str) -> String {
    if inner.is_empty() {
        entry.to_string()
    } else {
        format!("{inner}:{entry}")
    }
}

/// The packages of a condensed Java archive.
pub fn catalog(archive: &Archive, found: &Found, inventory: &mut Inventory) {
    let at = |inner: &str| {
        if inner.is_empty() {
            found.path.clone()
        } else {
            format!("{}:{inner}", found.path)
        }
    };
    for (inner, why) in &archive.problems {
        inventory.problems.push(format!("{}: {why}", at(inner)));
    }
    for a in &archive.artifacts {
        inventory.packages.push(Package {
            name: match &a.group {
                Some(g) => format!("{g}:{}", a.artifact),
                None => a.artifact.clone(),
            },
            version: a.version.clone(),
            ecosystem: "maven",
            arch: None,
            source_name: None,
            source_version: None,
            purl: purl::build("maven", a.group.as_deref(), &a.artifact, &a.version, &[]),
            licenses: Vec::new(),
            found: Found {
                layer: found.layer,
                path: at(&a.inner),
            },
        });
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(entries: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        for (name, bytes) in entries {
            w.start_file(*name, options).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn inflating_past_the_budget_is_a_problem() {
        let pom = b"groupId=g\nartifactId=a\nversion=1\n";
        let deflated = zip::CompressionMethod::Deflated;
        let small = zip_of(&[("META-INF/maven/g/a/pom.properties", pom)], deflated);
        // A jar of 2 MiB (stored), deflated to a few KiB in the outer one.
        let padded = zip_of(
            &[
                (
                    "META-INF/maven/g/b/pom.properties",
                    b"groupId=g\nartifactId=b\nversion=2\n",
                ),
                ("zeros.bin", &vec![0u8; 2 << 20]),
            ],
            zip::CompressionMethod::Stored,
        );
        let outer = zip_of(
            &[("lib/a-1.jar", &small), ("lib/b-2.jar", &padded)],
            deflated,
        );
        assert!(outer.len() < 64 << 10);

        let archive = read("x-1.0.jar", &outer, 1 << 20);
        let names: Vec<_> = archive
            .artifacts
            .iter()
            .map(|a| a.artifact.as_str())
            .collect();
        assert_eq!(names, ["x", "a"]);
        assert_eq!(archive.problems.len(), 1);
        assert_eq!(archive.problems[0].0, "lib/b-2.jar");
        assert!(
            archive.problems[0].1.contains("over the limit"),
            "{:?}",
            archive.problems
        );

        let archive = read("x-1.0.jar", &outer, BUDGET);
        let names: Vec<_> = archive
            .artifacts
            .iter()
            .map(|a| a.artifact.as_str())
            .collect();
        assert_eq!(names, ["x", "a", "b"]);
        assert!(archive.problems.is_empty());
    }

    #[test]
    fn archive_names() {
        assert!(is_archive("usr/share/java/commons-lang3.jar"));
        assert!(is_archive("opt/app/ROOT.WAR"));
        assert!(is_archive("x.kar"));
        assert!(!is_archive("usr/share/java/.jar"));
        assert!(!is_archive("usr/lib/jar"));
        assert!(!is_archive("a.jar/b.txt"));
        assert!(!is_archive("app.jarx"));
        assert!(condenses("a.jar", 0o644, 22));
        assert!(!condenses("a.jar", 0o644, 21));
    }
}
