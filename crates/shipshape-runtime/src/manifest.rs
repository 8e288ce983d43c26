//! Reading a manifest file: telling compose from Kubernetes and handing the
//! parsed documents to the right reader.

use shipshape_core::Region;

use crate::interpolate::Vars;
use crate::spec::RuntimeSpec;
use crate::yaml::{
    LineIndex, Node, YamlError, document_ranges, on_reader_stack, parse_range_lenient,
};
use crate::{compose, kube};

/// What kind of manifest a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Compose,
    Kubernetes,
}

/// What a manifest file holds: a spec per container, the Dockerfiles its
/// services build, and what could not be read.
#[derive(Debug, Default)]
pub struct Manifest {
    pub kind: Option<Kind>,
    pub specs: Vec<RuntimeSpec>,
    pub builds: Vec<Build>,
    pub issues: Vec<Issue>,
    /// What was assumed to read the file (an unset required variable
    /// replaced by a placeholder): worth telling, not an error.
    pub notes: Vec<Issue>,
}

/// A compose service's `build:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Build {
    pub service: String,
    /// The build context, relative to the compose file's directory.
    pub context: String,
    /// The Dockerfile, relative to the context; `Dockerfile` when `None`.
    pub dockerfile: Option<String>,
    /// `dockerfile_inline`: the Dockerfile text itself.
    pub inline: Option<String>,
    pub at: Region,
}

/// Part of a manifest that could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub message: String,
    pub at: Option<Region>,
}

impl Issue {
    pub fn new(message: impl Into<String>, at: Option<Region>) -> Self {
        Issue {
            message: message.into(),
            at,
        }
    }
}

/// Whether a file name is one docker compose looks for.
pub fn is_compose_name(file_name: &str) -> bool {
    let lower = file_name.to_ascii_lowercase();
    let stem = lower
        .strip_suffix(".yaml")
        .or_else(|| lower.strip_suffix(".yml"));
    stem.is_some_and(|s| {
        s == "compose"
            || s == "docker-compose"
            || s.starts_with("docker-compose.")
            || s.starts_with("compose.")
    })
}

/// What the documents are: Kubernetes when any has `apiVersion` and
/// `kind`, compose when the first has `services` (or the file is named
/// like a compose file).
pub fn detect(docs: &[Node], file_name: &str) -> Option<Kind> {
    if docs
        .iter()
        .any(|d| d.get("apiVersion").is_some() && d.get("kind").is_some())
    {
        return Some(Kind::Kubernetes);
    }
    let first = docs.first()?;
    if first.get("services").is_some()
        || compose::is_version_1(first)
        || is_compose_name(file_name) && first.as_map().is_some()
    {
        return Some(Kind::Compose);
    }
    None
}

/// Reads a manifest. `path` names the file in locations; `vars` are the
/// variables compose interpolates. A file that is neither compose nor
/// Kubernetes gives a manifest with no kind. A stream is read one document
/// at a time: each document's tree is dropped once its containers are
/// read, so memory follows the largest document, not the stream.
pub fn read(text: &str, path: &str, vars: &dyn Vars) -> Result<Manifest, YamlError> {
    let file_name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let (mut manifest, first, kubernetes) =
        on_reader_stack(|| read_documents(text, path, file_name))??;
    if kubernetes {
        manifest.kind = Some(Kind::Kubernetes);
        return Ok(manifest);
    }
    let Some(first) = first else {
        return Ok(Manifest {
            issues: manifest.issues,
            ..Manifest::default()
        });
    };
    if detect(std::slice::from_ref(&first), file_name) == Some(Kind::Compose) {
        let mut compose = compose::read(&first, path, vars);
        compose.kind = Some(Kind::Compose);
        manifest.issues.append(&mut compose.issues);
        compose.issues = manifest.issues;
        return Ok(compose);
    }
    Ok(Manifest {
        issues: manifest.issues,
        ..Manifest::default()
    })
}

/// Reads the stream's documents in turn: the Kubernetes objects' specs,
/// the first document (kept for compose, which is one document), and
/// whether any document is a Kubernetes object.
fn read_documents(
    text: &str,
    path: &str,
    file_name: &str,
) -> Result<(Manifest, Option<Node>, bool), YamlError> {
    let lines = LineIndex::new(text);
    let mut manifest = Manifest::default();
    let mut first: Option<Node> = None;
    let mut kubernetes = false;
    for range in document_ranges(text) {
        let (docs, duplicate) = parse_range_lenient(text, range, &lines)?;
        if let Some(e) = duplicate {
            let at = e.region(text);
            manifest.issues.push(Issue::new(e.message, at));
        }
        if !kubernetes && detect(&docs, file_name) == Some(Kind::Kubernetes) {
            kubernetes = true;
        }
        if first.is_none() && !kubernetes {
            first = docs.first().cloned();
        }
        let read = kube::read(&docs, path);
        manifest.specs.extend(read.specs);
        manifest.issues.extend(read.issues);
    }
    Ok((manifest, first, kubernetes))
}
