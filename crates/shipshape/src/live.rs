//! `shipshape containers` and `shipshape bench`: what runs on a Docker
//! host, through the Engine API.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use shipshape_core::{Location, Report, RuleMeta, Target, TargetKind};
use shipshape_engine::Engine;
use shipshape_engine::host::{container, snapshot};
use shipshape_rules::cis::{BENCHMARK, CHECKS, Selection};
use shipshape_rules::runtime::{RULES, check_trusting};
use shipshape_runtime::inspect;

use crate::cli::{BenchArgs, ContainersArgs, Global};
use crate::config::Config;

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
                    Err(e) => return Err(e.into()),
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
            findings: check_trusting(
                std::slice::from_ref(spec),
                RULES,
                &config.trusted_registries,
            ),
            ..Target::new(name, TargetKind::Container)
        });
    }
    report.targets.extend(unreadable);
    if report.targets.is_empty() && !global.quiet {
        eprintln!("no containers to audit");
    }
    crate::finish(global, &config, config_path.as_deref(), report)
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
    let engine = if args.no_daemon {
        None
    } else {
        Engine::connect()
            .inspect_err(|e| eprintln!("warning: {e}; the checks that need the daemon report INFO"))
            .ok()
    };
    let (host, warnings) = snapshot(&args.root, engine.as_ref(), args.all);
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
    let (results, findings) = shipshape_rules::cis::run(&host, CHECKS, &selection);
    // Host findings in one target, container findings in one per container.
    let mut targets: BTreeMap<(u8, String), Target> = BTreeMap::new();
    for f in findings {
        let (order, name, kind) = match &f.location {
            Location::Container { container, .. } => (1, container.clone(), TargetKind::Container),
            _ => (0, "host".to_string(), TargetKind::Host),
        };
        targets
            .entry((order, name.clone()))
            .or_insert_with(|| Target::new(name, kind))
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
