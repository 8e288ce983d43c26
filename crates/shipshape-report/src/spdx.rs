//! SPDX 2.3 JSON: the inventory as an SPDX document, one package per
//! found package, each with its purl, described by a root package for the
//! image or directory.

use serde::Serialize;
use sha2::{Digest, Sha256};

use shipshape_core::inventory::Inventory;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Document<'a> {
    spdx_version: &'static str,
    data_license: &'static str,
    #[serde(rename = "SPDXID")]
    spdx_id: &'static str,
    name: &'a str,
    document_namespace: String,
    creation_info: CreationInfo,
    packages: Vec<SpdxPackage<'a>>,
    relationships: Vec<Relationship>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    has_extracted_licensing_infos: Vec<ExtractedLicense>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExtractedLicense {
    license_id: String,
    extracted_text: String,
    name: String,
}

#[derive(Serialize)]
struct CreationInfo {
    created: String,
    creators: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SpdxPackage<'a> {
    name: &'a str,
    #[serde(rename = "SPDXID")]
    spdx_id: String,
    #[serde(skip_serializing_if = "str::is_empty")]
    version_info: &'a str,
    download_location: &'static str,
    files_analyzed: bool,
    license_concluded: &'static str,
    license_declared: String,
    copyright_text: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_info: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    primary_package_purpose: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    external_refs: Vec<ExternalRef<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExternalRef<'a> {
    reference_category: &'static str,
    reference_type: &'static str,
    reference_locator: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Relationship {
    spdx_element_id: String,
    relationship_type: &'static str,
    related_spdx_element: String,
}

const NOASSERTION: &str = "NOASSERTION";

/// License ids of the SPDX license list that packages commonly declare.
/// Anything else becomes a `LicenseRef-` carrying the declared text.
const KNOWN: &[&str] = &[
    "0BSD",
    "AFL-2.1",
    "AGPL-3.0-only",
    "AGPL-3.0-or-later",
    "Apache-1.1",
    "Apache-2.0",
    "Artistic-1.0",
    "Artistic-1.0-Perl",
    "Artistic-2.0",
    "BSD-1-Clause",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "BSD-4-Clause",
    "BSL-1.0",
    "CC-BY-3.0",
    "CC-BY-4.0",
    "CC-BY-SA-4.0",
    "CC0-1.0",
    "CDDL-1.0",
    "CDDL-1.1",
    "EPL-1.0",
    "EPL-2.0",
    "EUPL-1.2",
    "GPL-1.0-or-later",
    "GPL-2.0",
    "GPL-2.0+",
    "GPL-2.0-only",
    "GPL-2.0-or-later",
    "GPL-3.0",
    "GPL-3.0+",
    "GPL-3.0-only",
    "GPL-3.0-or-later",
    "ISC",
    "LGPL-2.0-only",
    "LGPL-2.0-or-later",
    "LGPL-2.1",
    "LGPL-2.1+",
    "LGPL-2.1-only",
    "LGPL-2.1-or-later",
    "LGPL-3.0",
    "LGPL-3.0-only",
    "LGPL-3.0-or-later",
    "MIT",
    "MIT-0",
    "MPL-1.1",
    "MPL-2.0",
    "OpenSSL",
    "PHP-3.01",
    "PSF-2.0",
    "Python-2.0",
    "Ruby",
    "Unicode-3.0",
    "Unicode-DFS-2016",
    "Unlicense",
    "WTFPL",
    "X11",
    "Zlib",
    "bzip2-1.0.6",
    "curl",
    "zlib-acknowledgement",
];

/// Whether `id` is an SPDX license id this writer knows.
pub fn is_known_id(id: &str) -> bool {
    KNOWN.contains(&id)
}

/// Exceptions that may follow `WITH`.
const EXCEPTIONS: &[&str] = &[
    "Classpath-exception-2.0",
    "GCC-exception-3.1",
    "LLVM-exception",
    "OpenSSL-exception",
    "Autoconf-exception-3.0",
    "Bison-exception-2.2",
];

/// The declared licenses as an SPDX license expression, and the declared
/// texts that are not SPDX ids, each as a `LicenseRef-` (id, text).
/// `MIT`, `Apache-2.0 OR MIT` stay as they are; `BSD-like` becomes
/// `LicenseRef-BSD-like` with its text kept.
fn license_expression(licenses: &[String], refs: &mut Vec<(String, String)>) -> String {
    let mut parts = Vec::new();
    for declared in licenses {
        let declared = declared.trim();
        if declared.is_empty() {
            continue;
        }
        let spaced = declared.replace('(', " ( ").replace(')', " ) ");
        let words: Vec<&str> = spaced.split_whitespace().collect();
        let is_expression = words.iter().enumerate().all(|(i, w)| {
            matches!(*w, "AND" | "OR" | "WITH" | "(" | ")")
                || KNOWN.contains(w)
                || (i > 0 && words[i - 1] == "WITH" && EXCEPTIONS.contains(w))
        }) && words.iter().any(|w| KNOWN.contains(w));
        let part = if is_expression {
            words.join(" ").replace("( ", "(").replace(" )", ")")
        } else {
            let slug: String = declared
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                        c
                    } else {
                        '-'
                    }
                })
                .collect();
            let id = format!("LicenseRef-{slug}");
            if !refs.iter().any(|(known, _)| *known == id) {
                refs.push((id.clone(), declared.to_string()));
            }
            id
        };
        if !parts.contains(&part) {
            parts.push(part);
        }
    }
    match parts.as_slice() {
        [] => NOASSERTION.to_string(),
        [one] => one.clone(),
        many => many
            .iter()
            .map(|l| {
                if l.contains(' ') {
                    format!("({l})")
                } else {
                    l.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(" AND "),
    }
}

/// The inventory of `subject` as an SPDX 2.3 document. The namespace is
/// unique per subject, content and time, as SPDX asks.
pub fn to_json(
    inventory: &Inventory,
    subject: &str,
    tool_version: &'static str,
) -> serde_json::Value {
    to_json_at(
        inventory,
        subject,
        tool_version,
        shipshape_core::time::now(),
    )
}

/// [`to_json`] at a given time (seconds since the epoch).
pub fn to_json_at(
    inventory: &Inventory,
    subject: &str,
    tool_version: &'static str,
    now: u64,
) -> serde_json::Value {
    let mut hasher = Sha256::new();
    hasher.update(subject.as_bytes());
    hasher.update(now.to_le_bytes());
    for p in &inventory.packages {
        hasher.update(p.purl.as_bytes());
        hasher.update(p.found.path.as_bytes());
    }
    let digest = hasher.finalize();
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    let slug: String = subject
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();

    let root_id = "SPDXRef-Subject".to_string();
    let mut packages = vec![SpdxPackage {
        name: subject,
        spdx_id: root_id.clone(),
        version_info: "",
        download_location: NOASSERTION,
        files_analyzed: false,
        license_concluded: NOASSERTION,
        license_declared: NOASSERTION.to_string(),
        copyright_text: NOASSERTION,
        source_info: None,
        primary_package_purpose: Some("CONTAINER"),
        external_refs: Vec::new(),
    }];
    let mut relationships = vec![Relationship {
        spdx_element_id: "SPDXRef-DOCUMENT".into(),
        relationship_type: "DESCRIBES",
        related_spdx_element: root_id.clone(),
    }];
    if let Some(os) = &inventory.os {
        packages.push(SpdxPackage {
            name: &os.id,
            spdx_id: "SPDXRef-OperatingSystem".into(),
            version_info: os.version.as_deref().unwrap_or(""),
            download_location: NOASSERTION,
            files_analyzed: false,
            license_concluded: NOASSERTION,
            license_declared: NOASSERTION.to_string(),
            copyright_text: NOASSERTION,
            source_info: None,
            primary_package_purpose: Some("OPERATING_SYSTEM"),
            external_refs: Vec::new(),
        });
        relationships.push(Relationship {
            spdx_element_id: root_id.clone(),
            relationship_type: "CONTAINS",
            related_spdx_element: "SPDXRef-OperatingSystem".into(),
        });
    }
    let mut refs = Vec::new();
    for (i, p) in inventory.packages.iter().enumerate() {
        let id = format!("SPDXRef-Package-{}-{i}", p.ecosystem);
        let mut source = format!("found at {}", p.found.path);
        if let Some(layer) = p.found.layer {
            source.push_str(&format!(" (layer {layer})"));
        }
        if let (Some(n), Some(v)) = (&p.source_name, &p.source_version) {
            source.push_str(&format!("; built from source package {n} {v}"));
        }
        packages.push(SpdxPackage {
            name: &p.name,
            spdx_id: id.clone(),
            version_info: &p.version,
            download_location: NOASSERTION,
            files_analyzed: false,
            license_concluded: NOASSERTION,
            license_declared: license_expression(&p.licenses, &mut refs),
            copyright_text: NOASSERTION,
            source_info: Some(source),
            primary_package_purpose: Some("LIBRARY"),
            external_refs: vec![ExternalRef {
                reference_category: "PACKAGE-MANAGER",
                reference_type: "purl",
                reference_locator: &p.purl,
            }],
        });
        relationships.push(Relationship {
            spdx_element_id: root_id.clone(),
            relationship_type: "CONTAINS",
            related_spdx_element: id,
        });
    }
    let document = Document {
        spdx_version: "SPDX-2.3",
        data_license: "CC0-1.0",
        spdx_id: "SPDXRef-DOCUMENT",
        name: subject,
        document_namespace: format!("https://shipshape.invalid/spdx/{slug}-{hex}"),
        creation_info: CreationInfo {
            created: shipshape_core::time::timestamp(now),
            creators: vec![format!("Tool: shipshape-{tool_version}")],
        },
        packages,
        relationships,
        has_extracted_licensing_infos: refs
            .into_iter()
            .map(|(license_id, text)| ExtractedLicense {
                license_id,
                name: text.clone(),
                extracted_text: text,
            })
            .collect(),
    };
    serde_json::to_value(document).unwrap_or(serde_json::Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spdx_ids_stay_and_free_text_becomes_a_license_ref() {
        let mut refs = Vec::new();
        let mut l = |v: &[&str]| {
            license_expression(
                &v.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                &mut refs,
            )
        };
        assert_eq!(l(&["MIT"]), "MIT");
        assert_eq!(l(&["(Apache-2.0 OR MIT)"]), "(Apache-2.0 OR MIT)");
        assert_eq!(
            l(&["MIT", "Apache-2.0 OR MIT"]),
            "MIT AND (Apache-2.0 OR MIT)"
        );
        assert_eq!(
            l(&["GPL-2.0-only WITH Classpath-exception-2.0"]),
            "GPL-2.0-only WITH Classpath-exception-2.0"
        );
        assert_eq!(l(&["see LICENSE file"]), "LicenseRef-see-LICENSE-file");
        assert_eq!(l(&["BSD-like", "MIT"]), "LicenseRef-BSD-like AND MIT");
        assert_eq!(l(&["MIT OR BSD-like"]), "LicenseRef-MIT-OR-BSD-like");
        assert_eq!(l(&[]), NOASSERTION);
        assert_eq!(
            refs,
            [
                (
                    "LicenseRef-see-LICENSE-file".to_string(),
                    "see LICENSE file".to_string()
                ),
                ("LicenseRef-BSD-like".to_string(), "BSD-like".to_string()),
                (
                    "LicenseRef-MIT-OR-BSD-like".to_string(),
                    "MIT OR BSD-like".to_string()
                ),
            ]
        );
    }
}
