//! `.shipshape.yaml`: the project's settings.
//!
//! ```yaml
//! ignored: [DL3008, DF003]          # rule ids or aliases to leave out
//! trustedRegistries: [docker.io, "*.corp.example"]
//! signers:                          # keys that must have signed images,
//!   "*.corp.example": [keys/release.pub]   # by registry (paths from here)
//! authz:                            # `shipshape authz`
//!   deny: [RT016]                   # refuse whatever the severity
//!   allow: [RT008]                  # only log
//!   exemptImages: [registry.corp.example/debug/]
//!   exemptLabels: {com.example.shipshape.exempt: "true"}
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
use shipshape_dockerfile::labels::LabelType;
use shipshape_rules::dockerfile::Options;

pub const FILE_NAME: &str = ".shipshape.yaml";

/// hadolint's configuration files, read when a directory has no
/// `.shipshape.yaml`.
pub const HADOLINT_NAMES: &[&str] = &[".hadolint.yaml", ".hadolint.yml"];

/// The parts of hadolint's configuration that mean something here.
/// Settings for hadolint's own output are accepted and left alone.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Hadolint {
    #[serde(default)]
    ignored: Vec<String>,
    #[serde(default, alias = "trustedRegistries")]
    trusted_registries: Vec<String>,
    #[serde(default)]
    label_schema: std::collections::BTreeMap<String, LabelType>,
    #[serde(default)]
    strict_labels: bool,
    /// `error`, `warning`, `info`, `style`, `ignore` or `none`.
    #[serde(default)]
    failure_threshold: Option<String>,
    /// Rule ids by hadolint level.
    #[serde(default, rename = "override")]
    overrides: std::collections::BTreeMap<String, Vec<String>>,
}

impl Hadolint {
    fn read(text: &str, path: &Path) -> Result<Config> {
        let hadolint: Hadolint = if text.trim().is_empty() {
            Hadolint::default()
        } else {
            serde_saphyr::from_str(text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
        };
        // hadolint's levels, as this project maps them (README, Severities).
        let severity = |level: &str| match level {
            "error" => Some("high"),
            "warning" => Some("medium"),
            "info" => Some("low"),
            "style" => Some("info"),
            _ => None,
        };
        let mut overrides = std::collections::BTreeMap::new();
        for (level, ids) in &hadolint.overrides {
            let Some(sev) = severity(level) else {
                bail!(
                    "{}: override: `{level}` is not a hadolint level",
                    path.display()
                );
            };
            for id in ids {
                overrides.insert(id.clone(), sev.to_string());
            }
        }
        let fail_on = match hadolint.failure_threshold.as_deref() {
            None => None,
            Some("ignore" | "none") => Some("none".to_string()),
            Some(level) => match severity(level) {
                Some(sev) => Some(sev.to_string()),
                None => bail!(
                    "{}: failure-threshold: `{level}` is not a hadolint level",
                    path.display()
                ),
            },
        };
        Ok(Config {
            ignored: hadolint.ignored,
            trusted_registries: hadolint.trusted_registries,
            overrides,
            fail_on,
            label_schema: hadolint.label_schema,
            strict_labels: hadolint.strict_labels,
            exclude: Vec::new(),
            signers: Default::default(),
            authz: None,
            path: Some(path.to_path_buf()),
        })
    }
}

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
    /// Paths left out of directory searches (`--exclude`).
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Public keys by registry (`host`, `host:port`, `*.domain`): an image
    /// audited from such a registry must be signed by one of them (IM020).
    /// Relative paths are from the config file's directory.
    #[serde(default)]
    pub signers: std::collections::BTreeMap<String, Vec<PathBuf>>,
    /// What `shipshape authz` refuses and lets through.
    #[serde(default)]
    pub authz: Option<crate::authz::AuthzPolicy>,
    /// Where it was read from, for messages.
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

impl Config {
    /// The trusted registries: the config's and `extra` from the command
    /// line.
    pub fn trusted(&self, extra: &[String]) -> Vec<String> {
        self.trusted_registries
            .iter()
            .chain(extra)
            .cloned()
            .collect()
    }

    /// What the Dockerfile rules are told: the trusted registries (these
    /// and `extra_trusted` from the command line) and the label schema.
    pub fn dockerfile_options(&self, extra_trusted: &[String]) -> Options {
        Options {
            trusted_registries: self.trusted(extra_trusted),
            dockerignore: None,
            label_schema: self
                .label_schema
                .iter()
                .map(|(key, kind)| (key.clone(), *kind))
                .collect(),
            strict_labels: self.strict_labels,
        }
    }

    /// The keys one of which must have signed `reference`: those of every
    /// `signers` entry its registry matches.
    pub fn signers_for(&self, reference: &str) -> Vec<PathBuf> {
        let registry = shipshape_rules::trust::registry_of(reference);
        let base = self
            .path
            .as_deref()
            .and_then(Path::parent)
            .unwrap_or(Path::new(""));
        self.signers
            .iter()
            .filter(|(entry, _)| shipshape_rules::trust::matches(&registry, entry))
            .flat_map(|(_, keys)| keys.iter().map(|k| base.join(k)))
            .collect()
    }

    /// What directory searches leave out: the config's `exclude` and the
    /// command line's `--exclude`.
    pub fn exclusions(&self, extra: &[String]) -> Vec<String> {
        self.exclude.iter().chain(extra).cloned().collect()
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
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if HADOLINT_NAMES.contains(&name) {
            return Hadolint::read(&text, path);
        }
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
        // Ours first, then hadolint's, directory by directory: a project
        // moving over keeps its settings.
        abs.ancestors().find_map(|d| {
            std::iter::once(FILE_NAME)
                .chain(HADOLINT_NAMES.iter().copied())
                .map(|name| d.join(name))
                .find(|p| p.is_file())
        })
    }

    pub fn overrides(&self) -> Vec<(String, Severity)> {
        self.overrides
            .iter()
            .filter_map(|(id, sev)| sev.parse().ok().map(|s| (id.clone(), s)))
            .collect()
    }
}
