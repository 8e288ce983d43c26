//! `shipshape image` and `shipshape fs`: read an image (or a root file
//! system), run the image rules, report.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use shipshape_core::{Location, Problem, Report, Target, TargetKind};
use shipshape_engine::Engine;
use shipshape_image::archive::{ImageError, ReadOptions, read_image};
use shipshape_image::layer::Limits;
use shipshape_image::rules::{FILE_RULES, RULES, check, wants};
use shipshape_image::{Image, rootfs};

use crate::cli::{FsArgs, Global, ImageArgs};
use crate::config::Config;

fn config(global: &Global) -> Result<(Config, Option<std::path::PathBuf>)> {
    let path = global
        .config
        .clone()
        .or_else(|| Config::discover(Path::new(".")));
    let config = match &path {
        Some(p) => Config::load(p)?,
        None => Config::default(),
    };
    Ok((config, path))
}

fn problem_target(name: &str, kind: TargetKind, e: &ImageError) -> Target {
    let mut message = e.message.clone();
    if let Some(layer) = &e.layer {
        message = format!("layer {layer}: {message}");
    }
    Target {
        name: name.to_string(),
        kind,
        source: None,
        findings: Vec::new(),
        problems: vec![Problem {
            message,
            location: Some(Location::Image {
                image: e.image.clone(),
                layer: e.layer.clone(),
                path: e.entry.clone(),
                field: None,
                line: None,
            }),
        }],
    }
}

fn report(targets: Vec<Target>) -> Report {
    Report {
        targets,
        rules: crate::all_rules(),
        ..Report::default()
    }
}

pub fn image(global: &Global, args: &ImageArgs) -> Result<ExitCode> {
    let (config, config_path) = config(global)?;
    let options = ReadOptions {
        platform: args.platform.clone(),
        limits: Limits::default(),
        wants: &wants,
    };
    // An image from the daemon is streamed into a temporary file (removed
    // when done) and read like any `docker save` tarball.
    let temp;
    let (path, name) = match (&args.input, &args.reference) {
        (Some(input), reference) => (
            input.clone(),
            reference
                .clone()
                .unwrap_or_else(|| input.display().to_string()),
        ),
        (None, Some(reference)) => {
            let engine = Engine::connect()?;
            temp = tempfile::Builder::new()
                .prefix("shipshape-image-")
                .tempdir()?;
            let path = temp.path().join("image.tar");
            let mut file = std::fs::File::create(&path)?;
            engine.save_image(reference, &mut file)?;
            (path, reference.clone())
        }
        (None, None) => {
            anyhow::bail!("name an image (`shipshape image nginx:1.25`) or give `--input FILE`")
        }
    };
    let target = match read_image(&path, &name, &options) {
        Ok(read) => {
            let mut image = read.image;
            if args.reference.is_some() {
                image.spec.reference = args.reference.clone();
            }
            // A tarball names its image by the tag it was saved with.
            let name = match (&args.reference, &image.spec.reference) {
                (None, Some(tag)) => format!("{tag} ({name})"),
                _ => name,
            };
            image.name = name.clone();
            let mut findings = check(&image, RULES);
            findings.extend(check(&image, FILE_RULES));
            Target {
                name,
                kind: TargetKind::Image,
                source: None,
                findings,
                problems: Vec::new(),
            }
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
    let (config, config_path) = config(global)?;
    let name = args.dir.display().to_string();
    let target = match rootfs::read_dir(&args.dir, Limits::default(), &wants) {
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
            Target {
                name,
                kind: TargetKind::Filesystem,
                source: None,
                findings: check(&image, FILE_RULES),
                problems: Vec::new(),
            }
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
