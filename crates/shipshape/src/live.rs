//! `shipshape containers` and `shipshape bench`: what runs on a Docker
//! host, through the Engine API.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use serde_json::Value;
use shipshape_cis::host::{Container, Host, Image, dockerd_args};
use shipshape_cis::{BENCHMARK, CHECKS, Selection};
use shipshape_core::{Location, Report, RuleMeta, Target, TargetKind};
use shipshape_engine::Engine;
use shipshape_image::archive::{ReadOptions, read_image};
use shipshape_image::layer::Limits;
use shipshape_rules::image::SETUID_SETGID;
use shipshape_rules::runtime::{RULES, check};
use shipshape_runtime::inspect;

use crate::cli::{BenchArgs, ContainersArgs, Global};
use crate::config::Config;

/// A container's inspect and, when it runs, its processes.
fn container(engine: &Engine, id: &str) -> Result<Container> {
    let inspect = engine.inspect(id)?;
    let running = inspect
        .pointer("/State/Running")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let processes = if running {
        engine.processes(id).ok()
    } else {
        None
    };
    Ok(Container { inspect, processes })
}

pub fn containers(global: &Global, args: &ContainersArgs) -> Result<ExitCode> {
    let (config, config_path) = Config::resolve(global.config.as_deref(), Some(Path::new(".")))?;
    let mut unreadable = None;
    let specs = match &args.input {
        Some(path) => {
            match crate::input::read_text(path)
                .map_err(|e| e.message())
                .and_then(|text| inspect::read_file(&text).map_err(|e| e.to_string()))
            {
                Ok(specs) => specs,
                Err(message) => {
                    let mut target =
                        crate::dockerfile::failed(&path.display().to_string(), message);
                    target.kind = TargetKind::Container;
                    unreadable = Some(target);
                    Vec::new()
                }
            }
        }
        None => {
            let engine = Engine::connect()?;
            let ids = if args.names.is_empty() {
                engine.containers(args.all)?
            } else {
                args.names.clone()
            };
            let mut specs = Vec::new();
            for id in ids {
                let c = match container(&engine, &id) {
                    Ok(c) => c,
                    // A listed container can go away before it is inspected.
                    Err(e) if args.names.is_empty() => {
                        eprintln!("warning: skipping container {id}: {e:#}");
                        continue;
                    }
                    Err(e) => return Err(e),
                };
                if let Some(spec) = inspect::spec(&c.inspect, c.processes) {
                    specs.push(spec);
                }
            }
            specs
        }
    };
    let mut report = Report {
        rules: RULES
            .iter()
            .map(|r| r.meta)
            .collect::<Vec<&'static RuleMeta>>(),
        ..Report::default()
    };
    for spec in &specs {
        let name = match &spec.source {
            shipshape_runtime::spec::Source::Container(n)
            | shipshape_runtime::spec::Source::File(n) => n.clone(),
        };
        report.targets.push(Target {
            name,
            kind: TargetKind::Container,
            source: None,
            inventory: None,
            vulnerabilities: Vec::new(),
            findings: check(std::slice::from_ref(spec), RULES),
            problems: Vec::new(),
        });
    }
    report.targets.extend(unreadable);
    if report.targets.is_empty() && !global.quiet {
        eprintln!("no containers to audit");
    }
    crate::finish(global, &config, config_path.as_deref(), report)
}

/// What the benchmark reads from the daemon, when it answers.
fn gather(engine: &Engine, host: &mut Host, all: bool) -> Result<()> {
    host.info = Some(engine.info()?);
    host.daemon_reached = true;
    host.version = engine.version().ok();
    for id in engine.containers(all)? {
        host.containers.push(container(engine, &id)?);
    }
    let used: BTreeSet<&str> = host
        .containers
        .iter()
        .filter_map(|c| c.inspect.get("Image").and_then(Value::as_str))
        .collect();
    let mut images = Vec::new();
    for id in engine.images()? {
        let inspect = engine.inspect_image(&id)?;
        let in_use = inspect
            .get("Id")
            .and_then(Value::as_str)
            .is_some_and(|id| used.contains(id));
        images.push(Image {
            special_files: in_use.then(|| special_files(engine, &id)),
            inspect,
            history: engine.history(&id).unwrap_or_default(),
        });
    }
    host.images = images;
    Ok(())
}

/// The setuid and setgid files of an image from the daemon, as the image
/// audit's rule reports them, read without keeping file contents or
/// scanning for secrets.
fn special_files(
    engine: &Engine,
    id: &str,
) -> std::result::Result<Vec<(shipshape_core::Severity, String)>, String> {
    let (_temp, path) = crate::image::saved(engine, id).map_err(|e| format!("{e:#}"))?;
    let nothing = |_: &str| false;
    let options = ReadOptions {
        platform: None,
        limits: Limits {
            scan_secrets: false,
            ..Limits::default()
        },
        wants: &nothing,
    };
    let read = read_image(&path, id, &options).map_err(|e| e.to_string())?;
    Ok(
        shipshape_rules::image::check(&read.image, &[&SETUID_SETGID])
            .into_iter()
            .map(|f| (f.severity, f.message))
            .collect(),
    )
}

pub fn bench(global: &Global, args: &BenchArgs) -> Result<ExitCode> {
    let (config, config_path) = Config::resolve(global.config.as_deref(), Some(Path::new(".")))?;
    if !args.root.is_dir() {
        anyhow::bail!("--root {}: not a directory", args.root.display());
    }
    let selection = Selection {
        sections: args.section.clone(),
        checks: args.check.clone(),
    };
    let unknown = selection.unknown(CHECKS);
    if !unknown.is_empty() {
        anyhow::bail!(
            "the benchmark has no {} (`shipshape rules` lists the checks, DH101 to DH709, with their CIS numbers)",
            unknown.join(", no ")
        );
    }
    let mut host = Host {
        root: args.root.clone(),
        dockerd_args: dockerd_args(&args.root),
        env: std::env::vars().collect(),
        ..Host::default()
    };
    if args.root == Path::new("/") {
        // Listing the loaded audit rules reads them; it changes nothing.
        host.audit_rules = std::process::Command::new("auditctl")
            .arg("-l")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
    }
    if !args.no_daemon {
        match Engine::connect() {
            Ok(engine) => {
                if let Err(e) = gather(&engine, &mut host, args.all) {
                    eprintln!("warning: reading from the daemon failed: {e:#}");
                }
            }
            Err(e) => eprintln!("warning: {e}; the checks that need the daemon report INFO"),
        }
    }
    let (results, findings) = shipshape_cis::run(&host, CHECKS, &selection);
    // Host findings in one target, container findings in one per container.
    let mut targets: BTreeMap<(u8, String), Target> = BTreeMap::new();
    for f in findings {
        let (order, name, kind) = match &f.location {
            Location::Container { container, .. } => (1, container.clone(), TargetKind::Container),
            _ => (0, "host".to_string(), TargetKind::Host),
        };
        targets
            .entry((order, name.clone()))
            .or_insert_with(|| Target {
                name,
                kind,
                source: None,
                inventory: None,
                vulnerabilities: Vec::new(),
                findings: Vec::new(),
                problems: Vec::new(),
            })
            .findings
            .push(f);
    }
    let report = Report {
        targets: targets.into_values().collect(),
        rules: crate::all_rules(),
        benchmark: Some(BENCHMARK.to_string()),
        checks: results,
    };
    crate::finish(global, &config, config_path.as_deref(), report)
}
