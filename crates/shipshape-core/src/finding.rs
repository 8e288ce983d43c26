use serde::Serialize;

use crate::{RuleMeta, Severity};

/// One problem a rule found.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    #[serde(rename = "rule", serialize_with = "rule_id")]
    pub rule: &'static RuleMeta,
    /// Usually the rule's severity; a config file can override it.
    pub severity: Severity,
    pub message: String,
    pub location: Location,
    /// The credential the finding is about, as written in the source: every
    /// writer shows the source with it masked. Never serialized.
    #[serde(skip)]
    pub secret: Option<String>,
    /// The places within the region the finding is about, when there are
    /// several (each unpinned package of one install): every writer that
    /// shows the source marks each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub marks: Vec<Region>,
    /// The edits that resolve it, where the rule knows them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<crate::Fix>,
}

pub(crate) fn rule_id<S: serde::Serializer>(
    rule: &&'static RuleMeta,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.serialize_str(rule.id)
}

impl Finding {
    pub fn new(rule: &'static RuleMeta, message: impl Into<String>, location: Location) -> Self {
        Finding {
            rule,
            severity: rule.severity,
            message: message.into(),
            location,
            secret: None,
            marks: Vec::new(),
            fix: None,
        }
    }

    /// The finding, with the credential it is about to be masked.
    pub fn with_secret(mut self, secret: impl Into<String>) -> Self {
        self.secret = Some(secret.into());
        self
    }

    /// The message with the credential, if it quotes it, masked: what a
    /// log line or an alert may carry.
    pub fn masked_message(&self) -> String {
        match self.secret.as_deref().filter(|s| !s.is_empty()) {
            Some(secret) => self.message.replace(secret, "****"),
            None => self.message.clone(),
        }
    }
}

/// Masks, in `source`, every credential the findings are about, wherever
/// it appears: all but its first four characters become `*` (only `*` for
/// one shorter than twelve), byte for byte, so that the findings' offsets
/// still hold. Excerpts, snippets and fingerprints are then made from the
/// masked text.
pub fn mask_secrets(source: &mut String, findings: &[Finding]) {
    let mut secrets: Vec<&str> = findings
        .iter()
        .filter_map(|f| f.secret.as_deref())
        .map(str::trim)
        .filter(|s| s.len() >= 3)
        .collect();
    if secrets.is_empty() {
        return;
    }
    secrets.sort_unstable();
    secrets.dedup();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for secret in secrets {
        let keep = if secret.chars().count() >= 12 { 4 } else { 0 };
        let skip = secret
            .char_indices()
            .nth(keep)
            .map_or(secret.len(), |(i, _)| i);
        spans.extend(
            source
                .match_indices(secret)
                .map(|(at, _)| (at + skip, at + secret.len())),
        );
    }
    let mut bytes = std::mem::take(source).into_bytes();
    for (start, end) in spans {
        for b in bytes.get_mut(start..end).into_iter().flatten() {
            *b = b'*';
        }
    }
    // Whole characters were replaced byte for byte with ASCII: still UTF-8.
    *source = String::from_utf8(bytes).unwrap_or_default();
}

/// A 1-based line and column; columns count characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// A span in a text file: positions for people and byte offsets for tools.
/// `end` is exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Region {
    pub start: Position,
    pub end: Position,
    #[serde(skip)]
    pub byte_start: usize,
    #[serde(skip)]
    pub byte_end: usize,
}

/// Where a finding is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Location {
    /// A span in a text file (Dockerfile, YAML).
    File { path: String, region: Region },
    /// A file or setting inside an image.
    Image {
        image: String,
        /// The layer's index and digest (`2 sha256:...`).
        #[serde(skip_serializing_if = "Option::is_none")]
        layer: Option<String>,
        /// A file in the merged file system.
        #[serde(skip_serializing_if = "Option::is_none")]
        path: Option<String>,
        /// A field of the image config (`config.User`, `history[3]`).
        #[serde(skip_serializing_if = "Option::is_none")]
        field: Option<String>,
        /// The 1-based line in the file, where known.
        #[serde(skip_serializing_if = "Option::is_none")]
        line: Option<u32>,
    },
    /// A field of a live or described container.
    Container { container: String, field: String },
    /// A setting or file of the Docker host: a daemon option, a file's
    /// ownership, an audit rule.
    Host { subject: String },
}

impl Location {
    pub fn path(&self) -> &str {
        match self {
            Location::File { path, .. } => path,
            Location::Image { image, .. } => image,
            Location::Container { container, .. } => container,
            Location::Host { subject } => subject,
        }
    }

    /// Where, in words: `image app:1, layer 2 (sha256:…), etc/app.conf:3`,
    /// `container web, HostConfig.Privileged`, `Dockerfile:4:1`.
    pub fn describe(&self) -> String {
        match self {
            Location::File { path, region } => {
                format!("{path}:{}:{}", region.start.line, region.start.column)
            }
            Location::Image {
                image,
                layer,
                path,
                field,
                line,
            } => {
                let mut s = format!("image {image}");
                if let Some(l) = layer {
                    s.push_str(&format!(", layer {l}"));
                }
                if let Some(p) = path {
                    s.push_str(&format!(", {p}"));
                    if let Some(n) = line {
                        s.push_str(&format!(":{n}"));
                    }
                }
                if let Some(f) = field {
                    s.push_str(&format!(", {f}"));
                }
                s
            }
            Location::Container { container, field } if field.is_empty() => {
                format!("container {container}")
            }
            Location::Container { container, field } => format!("container {container}, {field}"),
            Location::Host { subject } => format!("host: {subject}"),
        }
    }

    /// The 1-based line, where the location has one.
    pub fn line(&self) -> Option<u32> {
        match self {
            Location::File { region, .. } => Some(region.start.line),
            Location::Image { line, .. } => *line,
            _ => None,
        }
    }

    pub fn region(&self) -> Option<&Region> {
        match self {
            Location::File { region, .. } => Some(region),
            _ => None,
        }
    }
}
