//! The snapshot of a Docker host that the CIS Docker Benchmark checks:
//! the dockerd command line and the loaded audit rules read from the host,
//! and, when the daemon answers, its info, containers and images, with the
//! file system of each image an audited container runs (exported and read
//! for check 4.8, metadata only).

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;
use shipshape_core::host::{Container, Host, Image};
use shipshape_image::archive::{ReadOptions, read_image};
use shipshape_image::layer::Limits;

use crate::{Engine, EngineError};

/// A container's inspect and, when it runs, its processes.
pub fn container(engine: &Engine, id: &str) -> Result<Container, EngineError> {
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

/// The snapshot of the host under `root`: what its files and processes
/// say, and what `engine` answers (every container with `all`, else the
/// running ones). Problems reaching the daemon are returned as warnings;
/// the checks that need it then report INFO.
pub fn snapshot(root: &Path, engine: Option<&Engine>, all: bool) -> (Host, Vec<String>) {
    let mut host = Host {
        root: root.to_path_buf(),
        dockerd_args: dockerd_args(root),
        env: std::env::vars().collect(),
        ..Host::default()
    };
    if root == Path::new("/") {
        // Listing the loaded audit rules reads them; it changes nothing.
        host.audit_rules = std::process::Command::new("auditctl")
            .arg("-l")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
    }
    let mut warnings = Vec::new();
    if let Some(engine) = engine
        && let Err(e) = gather(engine, &mut host, all)
    {
        warnings.push(format!("reading from the daemon failed: {e}"));
    }
    (host, warnings)
}

/// What the benchmark reads from the daemon.
fn gather(engine: &Engine, host: &mut Host, all: bool) -> Result<(), EngineError> {
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
            files: in_use.then(|| files(engine, &id)),
            inspect,
            history: engine.history(&id).unwrap_or_default(),
        });
    }
    host.images = images;
    Ok(())
}

/// The merged file system of an image from the daemon: exported into a
/// temporary file (removed after), read without file contents or a secret
/// scan.
fn files(engine: &Engine, id: &str) -> Result<shipshape_core::files::FileIndex, String> {
    let (_temp, path) = engine.saved(id).map_err(|e| e.to_string())?;
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
    Ok(read.image.files)
}

/// Reads the dockerd command line from the root's `/proc` (the newest
/// dockerd process); `None` when no dockerd runs there.
pub fn dockerd_args(root: &Path) -> Option<Vec<String>> {
    let mut found: Vec<(u64, Vec<String>)> = Vec::new();
    for entry in std::fs::read_dir(root.join("proc"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u64>() else {
            continue;
        };
        let Ok(raw) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let args: Vec<String> = raw
            .split(|b| *b == 0)
            .filter(|a| !a.is_empty())
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        let is_dockerd = args
            .first()
            .is_some_and(|a| a.rsplit('/').next() == Some("dockerd"));
        if is_dockerd {
            found.push((pid, args.into_iter().skip(1).collect()));
        }
    }
    found.sort();
    found.pop().map(|(_, args)| args)
}
