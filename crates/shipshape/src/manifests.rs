//! `shipshape config`: find compose files and Kubernetes manifests, check
//! every container they describe, and lint the Dockerfiles compose builds.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use shipshape_core::{Location, Problem, Report, Target, TargetKind};
use shipshape_rules::runtime as rules;
use shipshape_rules::runtime::suppress::Suppressions;
use shipshape_runtime::interpolate::parse_dotenv;
use shipshape_runtime::yaml::YamlError;
use shipshape_runtime::{Kind, Manifest};

use crate::cli::{ConfigArgs, Global};
use crate::config::Config;
use crate::dockerfile;

pub fn run(global: &Global, args: &ConfigArgs) -> Result<ExitCode> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let start = paths.iter().find(|p| p.as_os_str() != "-");
    let (config, config_path) =
        Config::resolve(global.config.as_deref(), start.map(PathBuf::as_path))?;
    let env_file = match &args.env_file {
        Some(path) => Some(
            std::fs::read_to_string(path)
                .with_context(|| format!("cannot read env file {}", path.display()))?,
        ),
        None => None,
    };
    let mut run = Run {
        quiet: global.quiet,
        env_file,
        lint_builds: !args.no_build,
        report: Report {
            rules: crate::all_rules(),
            ..Report::default()
        },
        dockerfiles: BTreeSet::new(),
        inline: Vec::new(),
        trusted: config.trusted(&args.trusted_registry),
    };
    for path in &paths {
        if path.as_os_str() == "-" {
            match crate::input::read_stdin() {
                Ok(text) => run.check("-", text, Path::new("."), true),
                Err(e) => run.fail("-", e.message()),
            }
        } else if path.is_dir() {
            let exclude = config.exclusions(&args.exclude);
            let found = crate::input::discover(path, is_manifest_name, &exclude);
            let before = run.report.targets.len();
            for file in found {
                run.check_file(&file, false);
            }
            if run.report.targets.len() == before {
                run.fail(
                    &path.display().to_string(),
                    "no compose file or Kubernetes manifest found in this directory".into(),
                );
            }
        } else {
            run.check_file(path, true);
        }
    }
    if run.lint_builds {
        let options = config.dockerfile_options(&args.trusted_registry);
        for path in std::mem::take(&mut run.dockerfiles) {
            run.report
                .targets
                .push(dockerfile::lint_file(&path, &options));
        }
        for (name, text) in std::mem::take(&mut run.inline) {
            run.report
                .targets
                .push(dockerfile::lint_text(&name, text, None, &options));
        }
    }
    crate::finish(global, &config, config_path.as_deref(), run.report)
}

struct Run {
    /// `-q`: no notes on standard error.
    quiet: bool,
    /// `--env-file`, read once.
    env_file: Option<String>,
    lint_builds: bool,
    report: Report,
    /// Dockerfiles compose services build, each linted once.
    dockerfiles: BTreeSet<PathBuf>,
    /// `dockerfile_inline` texts, by a name for the report.
    inline: Vec<(String, String)>,
    /// `trustedRegistries` and `--trusted-registry`.
    trusted: Vec<String>,
}

impl Run {
    fn fail(&mut self, name: &str, message: String) {
        let mut target = dockerfile::failed(name, message);
        target.kind = kind_by_name(name);
        self.report.targets.push(target);
    }

    fn check_file(&mut self, path: &Path, explicit: bool) {
        let name = path.display().to_string();
        let text = match crate::input::read_text(path) {
            Ok(text) => text,
            Err(crate::input::Unreadable::NotUtf8(_) | crate::input::Unreadable::Binary(_))
                if !explicit =>
            {
                return;
            }
            Err(e) => return self.fail(&name, e.message()),
        };
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        self.check(&name, text, dir, explicit);
    }

    /// Variables for compose interpolation: `--env-file` or the `.env`
    /// beside the file, overridden by the environment, as compose does.
    fn vars(&self, dir: &Path) -> HashMap<String, String> {
        let dotenv = match &self.env_file {
            Some(text) => Some(text.clone()),
            None => std::fs::read_to_string(dir.join(".env")).ok(),
        };
        let mut vars = dotenv.map(|t| parse_dotenv(&t)).unwrap_or_default();
        vars.extend(std::env::vars());
        vars
    }

    /// Checks one file's text. Files found by searching a directory that
    /// are not manifests (or are templates) are passed over; a file named
    /// on the command line must be one.
    fn check(&mut self, name: &str, text: String, dir: &Path, explicit: bool) {
        if !explicit && text.contains("{{") {
            return;
        }
        let vars = self.vars(dir);
        let manifest = match shipshape_runtime::read(&text, name, &vars) {
            Ok(m) => m,
            Err(e) => {
                if explicit || looks_like_manifest(&text) {
                    let problem = yaml_problem(name, &text, &e);
                    self.report.targets.push(Target {
                        source: Some(text),
                        problems: vec![problem],
                        ..Target::new(name, kind_by_name(name))
                    });
                }
                return;
            }
        };
        let kind = match manifest.kind {
            Some(Kind::Compose) => TargetKind::Compose,
            Some(Kind::Kubernetes) => TargetKind::Kubernetes,
            None if explicit => {
                return self.fail(
                    name,
                    "neither a compose file (no `services`) nor a Kubernetes manifest (no `apiVersion` and `kind`)".into(),
                );
            }
            None => return,
        };
        if !self.quiet {
            for note in &manifest.notes {
                let line = note
                    .at
                    .map(|r| format!(":{}", r.start.line))
                    .unwrap_or_default();
                eprintln!("note: {name}{line}: {}", note.message);
            }
        }
        let mut findings = rules::check_trusting(&manifest.specs, rules::RULES, &self.trusted);
        Suppressions::parse(&text).apply(&mut findings);
        let mut target = Target {
            findings,
            problems: manifest
                .issues
                .iter()
                .map(|issue| Problem {
                    message: issue.message.clone(),
                    location: issue.at.map(|region| Location::File {
                        path: name.to_string(),
                        region,
                    }),
                })
                .collect(),
            ..Target::new(name, kind)
        };
        if self.lint_builds {
            self.builds(name, dir, &manifest, &mut target);
        }
        target.source = Some(text);
        self.report.targets.push(target);
    }

    /// Queues the Dockerfiles the compose services build.
    fn builds(&mut self, name: &str, dir: &Path, manifest: &Manifest, target: &mut Target) {
        for build in &manifest.builds {
            if let Some(text) = &build.inline {
                let label = format!("{name} (service {}, dockerfile_inline)", build.service);
                self.inline.push((label, text.clone()));
                continue;
            }
            let context = build.context.as_str();
            if context.contains("://") || context.starts_with("git@") {
                continue;
            }
            let file = build.dockerfile.as_deref().unwrap_or("Dockerfile");
            let path = dir.join(context).join(file);
            if path.is_file() {
                self.dockerfiles.insert(path);
            } else {
                target.problems.push(Problem {
                    message: format!(
                        "service `{}` builds from {}, which is not a file (`--no-build` skips build Dockerfiles)",
                        build.service,
                        path.display()
                    ),
                    location: Some(Location::File {
                        path: name.to_string(),
                        region: build.at,
                    }),
                });
            }
        }
    }
}

/// What a file that could not be read was probably meant to be: compose
/// when it has a compose file's name, else Kubernetes.
fn kind_by_name(name: &str) -> TargetKind {
    let file_name = name.rsplit(['/', '\\']).next().unwrap_or(name);
    if shipshape_runtime::manifest::is_compose_name(file_name) {
        TargetKind::Compose
    } else {
        TargetKind::Kubernetes
    }
}

/// Whether a text that failed to parse was meant to be a manifest (YAML,
/// or JSON as `kubectl get -o json` writes it).
fn looks_like_manifest(text: &str) -> bool {
    text.lines().any(|l| {
        l.starts_with("apiVersion:")
            || l.starts_with("services:")
            || l.trim_start().starts_with("\"apiVersion\":")
    })
}

fn yaml_problem(name: &str, text: &str, e: &YamlError) -> Problem {
    Problem {
        message: format!("cannot parse YAML: {}", e.message),
        location: e.region(text).map(|region| Location::File {
            path: name.to_string(),
            region,
        }),
    }
}

fn is_manifest_name(name: &str) -> bool {
    (name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".json"))
        && name != crate::config::FILE_NAME
}
