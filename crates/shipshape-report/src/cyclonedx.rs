//! CycloneDX 1.5 JSON: the inventory as a bill of materials.

use serde::Serialize;

use shipshape_core::inventory::Inventory;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Bom<'a> {
    bom_format: &'static str,
    spec_version: &'static str,
    version: u32,
    metadata: Metadata<'a>,
    components: Vec<Component<'a>>,
}

#[derive(Serialize)]
struct Metadata<'a> {
    tools: Tools,
    component: Subject<'a>,
}

#[derive(Serialize)]
struct Tools {
    components: Vec<Tool>,
}

#[derive(Serialize)]
struct Tool {
    #[serde(rename = "type")]
    kind: &'static str,
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Subject<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Component<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "bom-ref")]
    bom_ref: String,
    name: &'a str,
    version: &'a str,
    /// An operating system has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    purl: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    licenses: Vec<LicenseChoice<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    properties: Vec<Property>,
}

#[derive(Serialize)]
struct LicenseChoice<'a> {
    license: License<'a>,
}

/// A declared license: its SPDX id when it is one, else its text as name.
#[derive(Serialize)]
enum License<'a> {
    #[serde(rename = "id")]
    Id(&'a str),
    #[serde(rename = "name")]
    Name(&'a str),
}

#[derive(Serialize)]
struct Property {
    name: &'static str,
    value: String,
}

/// The inventory of `subject` (an image or a directory) as CycloneDX 1.5.
pub fn to_json(
    inventory: &Inventory,
    subject: &str,
    tool_version: &'static str,
) -> serde_json::Value {
    let mut components = Vec::new();
    if let Some(os) = &inventory.os {
        components.push(Component {
            kind: "operating-system",
            bom_ref: format!("os:{}", os.id),
            name: &os.id,
            version: os.version.as_deref().unwrap_or(""),
            purl: None,
            licenses: Vec::new(),
            properties: Vec::new(),
        });
    }
    for (i, p) in inventory.packages.iter().enumerate() {
        let mut properties = vec![Property {
            name: "shipshape:package:path",
            value: p.found.path.clone(),
        }];
        if let Some(layer) = p.found.layer {
            properties.push(Property {
                name: "shipshape:package:layer",
                value: layer.to_string(),
            });
        }
        if let (Some(n), Some(v)) = (&p.source_name, &p.source_version) {
            properties.push(Property {
                name: "shipshape:package:source",
                value: format!("{n} {v}"),
            });
        }
        components.push(Component {
            kind: "library",
            bom_ref: format!("pkg-{i}"),
            name: &p.name,
            version: &p.version,
            purl: Some(&p.purl),
            licenses: p
                .licenses
                .iter()
                .map(|l| LicenseChoice {
                    license: if crate::spdx::is_known_id(l) {
                        License::Id(l)
                    } else {
                        License::Name(l)
                    },
                })
                .collect(),
            properties,
        });
    }
    let bom = Bom {
        bom_format: "CycloneDX",
        spec_version: "1.5",
        version: 1,
        metadata: Metadata {
            tools: Tools {
                components: vec![Tool {
                    kind: "application",
                    name: "shipshape",
                    version: tool_version,
                }],
            },
            component: Subject {
                kind: "container",
                name: subject,
            },
        },
        components,
    };
    serde_json::to_value(bom).unwrap_or(serde_json::Value::Null)
}
