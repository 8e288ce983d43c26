//! `.shipshape.yaml`: the project's settings.
//!
//! ```yaml
//! ignored: [DL3008, DF003]          # rule ids or aliases to leave out
//! trustedRegistries: [docker.io, "*.corp.example"]
//! override:                         # new severities, by rule id or alias
//!   DF050: low
//! failOn: high                      # default for --fail-on
//! labelSchema:                      # labels every image must carry
//!   org.opencontainers.image.source: url
//!   org.opencontainers.image.version: semver
//! strictLabels: true                # no labels outside the schema
//! ```

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use shipshape_core::Severity;
use shipshape_dockerfile::Options;
use shipshape_dockerfile::labels::LabelType;

pub const FILE_NAME: &str = ".shipshape.yaml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Config {
    #[serde(default)]
    pub ignored: Vec<String>,
    #[serde(default, alias = "trusted_registries")]
    pub trusted_registries: Vec<String>,
    #[serde(default, rename = "override")]
    pub overrides: std::collections::BTreeMap<String, String>,
    #[serde(default, alias = "fail_on")]
    pub fail_on: Option<String>,
    /// Label keys and their types (hadolint's `label-schema`).
    #[serde(default, alias = "label-schema")]
    pub label_schema: std::collections::BTreeMap<String, LabelType>,
    #[serde(default, alias = "strict-labels")]
    pub strict_labels: bool,
    /// Where it was read from, for messages.
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

impl Config {
    /// What the Dockerfile rules are told: the trusted registries (these
    /// and `extra_trusted` from the command line) and the label schema.
    pub fn dockerfile_options(&self, extra_trusted: &[String]) -> Options {
        let mut trusted_registries = self.trusted_registries.clone();
        trusted_registries.extend(extra_trusted.iter().cloned());
        Options {
            trusted_registries,
            dockerignore: None,
            label_schema: self
                .label_schema
                .iter()
                .map(|(key, kind)| (key.clone(), *kind))
                .collect(),
            strict_labels: self.strict_labels,
        }
    }

    /// The config a command uses: `--config` when given, else the first
    /// `.shipshape.yaml` found upward from `start` (the first target, or
    /// the current directory; none for standard input). Returns it with
    /// the path it came from.
    pub fn resolve(
        explicit: Option<&Path>,
        start: Option<&Path>,
    ) -> Result<(Config, Option<PathBuf>)> {
        let path = explicit
            .map(Path::to_path_buf)
            .or_else(|| start.and_then(Config::discover));
        let config = match &path {
            Some(p) => Config::load(p)?,
            None => Config::default(),
        };
        Ok((config, path))
    }

    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read config file {}", path.display()))?;
        if text.trim().is_empty() {
            return Ok(Config {
                path: Some(path.to_path_buf()),
                ..Config::default()
            });
        }
        let mut config: Config = serde_saphyr::from_str(&text)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        config.path = Some(path.to_path_buf());
        for (id, sev) in &config.overrides {
            if sev.parse::<Severity>().is_err() {
                bail!(
                    "{}: override for `{id}`: `{sev}` is not a severity (info, low, medium, high, critical)",
                    path.display()
                );
            }
        }
        if let Some(f) = &config.fail_on
            && f.parse::<crate::cli::FailOn>().is_err()
        {
            bail!(
                "{}: failOn: `{f}` is not a severity (info, low, medium, high, critical) or none",
                path.display()
            );
        }
        Ok(config)
    }

    /// The first `.shipshape.yaml` in `start` (a file's directory or a
    /// directory) or any directory above it.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        let start = if start.is_dir() {
            start.to_path_buf()
        } else {
            start.parent()?.to_path_buf()
        };
        let start = if start.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            start
        };
        let abs = std::fs::canonicalize(&start).unwrap_or(start);
        abs.ancestors()
            .map(|d| d.join(FILE_NAME))
            .find(|p| p.is_file())
    }

    pub fn overrides(&self) -> Vec<(String, Severity)> {
        self.overrides
            .iter()
            .filter_map(|(id, sev)| sev.parse().ok().map(|s| (id.clone(), s)))
            .collect()
    }
}
