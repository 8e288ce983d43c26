//! `shipshape image` and `shipshape fs`: read an image (or a root file
//! system), run the image rules, report.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use shipshape_core::inventory::Inventory;
use shipshape_core::{Finding, Location, Report, Target, TargetKind};
use shipshape_engine::Engine;
use shipshape_image::archive::{ImageError, ReadOptions, host_platform, read_image};
use shipshape_image::layer::Limits;
use shipshape_image::{Image, rootfs};
use shipshape_packages::{Catalogers, catalog};
use shipshape_rules::image::{FILE_RULES, RULES, build_steps, check, check_trusting, wants};

use crate::cli::{Access, Fetch, FormatArg, FsArgs, Global, ImageArgs, SbomArgs, SourceArg};
use crate::config::Config;

fn problem_target(name: &str, kind: TargetKind, e: &ImageError) -> Target {
    let mut message = e.message.clone();
    if let Some(layer) = &e.layer {
        message = format!("layer {layer}: {message}");
    }
    let location = Location::Image {
        image: e.image.clone(),
        layer: e.layer.clone(),
        path: e.entry.clone(),
        field: None,
        line: None,
    };
    Target::failed(name, kind, message, Some(location))
}

/// The inventory, when the output shows it: JSON always, other formats
/// when `--list-packages` asks. Problems reading package databases are
/// warnings either way.
fn shown(global: &Global, name: &str, list: bool, inventory: Inventory) -> Option<Inventory> {
    if !global.quiet {
        for problem in &inventory.problems {
            eprintln!("warning: {name}: {problem}");
        }
    }
    (list || global.format == FormatArg::Json).then_some(inventory)
}

/// The target of an image or file system that was read: its findings,
/// its packages (kept when the output shows them) and their
/// vulnerabilities.
fn audited(
    global: &Global,
    image: &Image,
    kind: TargetKind,
    findings: Vec<Finding>,
    list_packages: bool,
    db: Option<&Path>,
) -> Result<Target> {
    let inventory = catalog(&image.files);
    let vulnerabilities = crate::vulns::matched(global, db, &inventory)?;
    Ok(Target {
        inventory: shown(global, &image.name, list_packages, inventory),
        vulnerabilities,
        findings,
        ..Target::new(image.name.clone(), kind)
    })
}

/// Every image rule's findings on `image`: its configuration and
/// history, then its files.
pub(crate) fn findings_of(image: &Image, trusted: &[String]) -> Vec<Finding> {
    let mut findings = check_trusting(image, RULES, trusted);
    findings.extend(build_steps::check(image));
    findings.extend(check(image, FILE_RULES));
    findings
}

fn report(targets: Vec<Target>) -> Report {
    Report {
        targets,
        rules: crate::all_rules(),
        ..Report::default()
    }
}

/// A temporary copy of an image, removed when dropped: a `docker save` of
/// the daemon's, or a registry pull.
pub(crate) enum Kept {
    Saved { _dir: tempfile::TempDir },
    Pulled { _pulled: shipshape_registry::Pulled },
}

/// The image `reference` names, copied where the reader can read it: from
/// the daemon or from a registry, as `fetch` says (with `auto`, the daemon
/// when it has the image, else the registry).
pub(crate) fn fetched(
    reference: &str,
    fetch: &Fetch,
    registry: &shipshape_registry::PullOptions,
) -> Result<(Kept, PathBuf)> {
    let from_daemon = match fetch.source {
        SourceArg::Daemon => true,
        SourceArg::Registry => false,
        SourceArg::Auto => Engine::connect()
            .ok()
            .is_some_and(|engine| engine.inspect_image(reference).is_ok()),
    };
    if from_daemon {
        let (dir, path) = Engine::connect()?.saved(reference)?;
        return Ok((Kept::Saved { _dir: dir }, path));
    }
    let pulled = shipshape_registry::pull(reference, registry)?;
    let path = pulled.layout().to_path_buf();
    Ok((Kept::Pulled { _pulled: pulled }, path))
}

/// How to reach a registry: `access`'s flags, the password read from
/// standard input once when asked for.
pub(crate) fn registry_options(
    access: &Access,
    platform: Option<&str>,
) -> Result<shipshape_registry::PullOptions> {
    let credentials = match &access.username {
        Some(user) => {
            let mut password = String::new();
            std::io::stdin().read_line(&mut password).map_err(|e| {
                anyhow::anyhow!("cannot read the password from standard input: {e}")
            })?;
            Some(shipshape_registry::Credentials::new(
                user,
                password.trim_end_matches(['\r', '\n']),
            ))
        }
        None => None,
    };
    Ok(shipshape_registry::PullOptions {
        platform: platform.map_or_else(host_platform, str::to_string),
        insecure: access.insecure,
        credentials,
        progress: true,
        ca_file: access.ca_file.clone(),
    })
}

pub fn image(global: &Global, args: &ImageArgs) -> Result<ExitCode> {
    let (config, config_path) = Config::resolve(global.config.as_deref(), Some(Path::new(".")))?;
    let interest = Catalogers { also: &wants };
    let mut options = ReadOptions {
        platform: args.platform.clone(),
        limits: Limits {
            verify_digests: !args.skip_digest_check,
            ..Limits::default()
        },
        wants: &interest,
    };
    let registry = registry_options(&args.fetch.access, args.platform.as_deref())?;
    // The signature is checked first: the image read is the one checked.
    let keys = match (&args.key, &args.reference) {
        (Some(key), _) if args.require_signature => vec![key.clone()],
        (_, Some(reference)) => config.signers_for(reference),
        _ => Vec::new(),
    };
    let signature = match &args.reference {
        Some(reference) if !keys.is_empty() => {
            Some(crate::signing::check(reference, &keys, &registry)?)
        }
        _ if args.require_signature => {
            anyhow::bail!("--require-signature checks an image in a registry: name it by reference")
        }
        _ => None,
    };
    // The temporary copy of an image from the daemon lives until the end.
    let (kept, path, name) = match (&args.input, &args.reference) {
        (Some(input), reference) => (
            None,
            input.clone(),
            reference
                .clone()
                .unwrap_or_else(|| input.display().to_string()),
        ),
        (None, Some(reference)) => {
            let (kept, path) = fetched(reference, &args.fetch, &registry)?;
            (Some(kept), path, reference.clone())
        }
        (None, None) => {
            anyhow::bail!("name an image (`shipshape image nginx:1.25`) or give `--input FILE`")
        }
    };
    if matches!(kept, Some(Kept::Pulled { .. })) {
        // The pull checked every blob against its digest as it arrived.
        options.limits.verify_digests = false;
    }
    let target = match read_image(&path, &name, &options) {
        Ok(read) => {
            let mut image = read.image;
            if args.reference.is_some() {
                image.spec.reference = args.reference.clone();
            }
            image.spec.signature = signature;
            // A tarball names its image by the tag it was saved with.
            let name = match (&args.reference, &image.spec.reference) {
                (None, Some(tag)) => format!("{tag} ({name})"),
                _ => name,
            };
            image.name = name.clone();
            let findings = findings_of(&image, &config.trusted_registries);
            audited(
                global,
                &image,
                TargetKind::Image,
                findings,
                args.list_packages,
                args.db.as_deref(),
            )?
        }
        Err(e) => problem_target(&name, TargetKind::Image, &e),
    };
    crate::finish(
        global,
        &config,
        config_path.as_deref(),
        report(vec![target]),
    )
}

pub fn fs(global: &Global, args: &FsArgs) -> Result<ExitCode> {
    let (config, config_path) = Config::resolve(global.config.as_deref(), Some(Path::new(".")))?;
    let name = args.dir.display().to_string();
    let interest = Catalogers { also: &wants };
    let target = match rootfs::read_dir(&args.dir, Limits::default(), &interest) {
        Ok((files, secrets, unreadable)) => {
            if unreadable > 0 && !global.quiet {
                eprintln!("warning: {unreadable} entries under {name} could not be read");
            }
            let image = Image {
                name: name.clone(),
                files,
                secrets,
                ..Image::default()
            };
            let findings = check(&image, FILE_RULES);
            audited(
                global,
                &image,
                TargetKind::Filesystem,
                findings,
                args.list_packages,
                args.db.as_deref(),
            )?
        }
        Err(e) => problem_target(&name, TargetKind::Filesystem, &e),
    };
    crate::finish(
        global,
        &config,
        config_path.as_deref(),
        report(vec![target]),
    )
}

/// `shipshape sbom`: the operating system and packages of an image or a
/// root file system.
pub fn sbom(global: &Global, args: &SbomArgs) -> Result<ExitCode> {
    let limits = Limits {
        scan_secrets: false,
        verify_digests: !args.skip_digest_check,
        ..Limits::default()
    };
    let wants = Catalogers::default();
    let options = ReadOptions {
        platform: args.platform.clone(),
        limits,
        wants: &wants,
    };
    let _kept;
    let (files, name) = match (&args.input, &args.target) {
        (Some(input), _) => {
            let read = read_image(input, &input.display().to_string(), &options)?;
            (read.image.files, input.display().to_string())
        }
        (None, Some(dir)) if Path::new(dir).is_dir() => {
            let (files, _, _) = rootfs::read_dir(Path::new(dir), limits, &wants)?;
            (files, dir.clone())
        }
        (None, Some(reference)) => {
            let registry = registry_options(&args.fetch.access, args.platform.as_deref())?;
            let (kept, path) = fetched(reference, &args.fetch, &registry)?;
            _kept = kept;
            let read = read_image(&path, reference, &options)?;
            (read.image.files, reference.clone())
        }
        (None, None) => anyhow::bail!("name an image or a directory, or give `--input FILE`"),
    };
    let inventory = catalog(&files);
    let text = match global.format {
        FormatArg::Cyclonedx => {
            let bom = shipshape_report::cyclonedx::to_json(
                &inventory,
                &name,
                shipshape_report::TOOL_VERSION,
            );
            serde_json::to_string_pretty(&bom)?
        }
        FormatArg::SpdxJson => {
            let document =
                shipshape_report::spdx::to_json(&inventory, &name, shipshape_report::TOOL_VERSION);
            serde_json::to_string_pretty(&document)?
        }
        FormatArg::Json => serde_json::to_string_pretty(&serde_json::json!({
            "target": name,
            "os": inventory.os,
            "packages": inventory.packages,
            "problems": inventory.problems,
        }))?,
        FormatArg::Table => {
            let mut out = shipshape_report::packages_table(&inventory);
            if !global.quiet {
                out.push_str(&format!(" in {name}"));
            }
            out
        }
        FormatArg::Sarif | FormatArg::Junit => {
            anyhow::bail!("`shipshape sbom` writes table, json, cyclonedx or spdx-json")
        }
    };
    match &global.output {
        Some(path) => std::fs::write(path, text + "\n")?,
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            writeln!(out, "{text}")?;
        }
    }
    for problem in &inventory.problems {
        eprintln!("error: {name}: {problem}");
    }
    Ok(if inventory.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}
