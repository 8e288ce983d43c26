//! `shipshape dockerfile`: find Dockerfiles, lint them, report.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use shipshape_core::{Location, Problem, Report, Target, TargetKind};
use shipshape_dockerfile::{ParseError, parse};
use shipshape_rules::dockerfile::ANALYSIS_LIMIT;
use shipshape_rules::dockerfile::Options;

use crate::cli::{DockerfileArgs, Global};
use crate::config::Config;

pub fn run(global: &Global, args: &DockerfileArgs) -> Result<ExitCode> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("Dockerfile")]
    } else {
        args.paths.clone()
    };
    let start = paths.iter().find(|p| p.as_os_str() != "-");
    let (config, config_path) =
        Config::resolve(global.config.as_deref(), start.map(PathBuf::as_path))?;
    let options = config.dockerfile_options(&args.trusted_registry);
    if args.fix || args.diff {
        return fix(
            global,
            args,
            &paths,
            &config,
            config_path.as_deref(),
            &options,
        );
    }

    let mut report = Report {
        rules: crate::all_rules(),
        ..Report::default()
    };
    for path in &paths {
        if path.as_os_str() == "-" {
            let target = match crate::input::read_stdin() {
                Ok(text) => lint_text("-", text, None, &options),
                Err(e) => failed("-", e.message()),
            };
            report.targets.push(target);
        } else {
            let (found, failures) = files(std::slice::from_ref(path), &config, &args.exclude);
            report.targets.extend(failures);
            for file in found {
                report.targets.push(lint_file(&file, &options));
            }
        }
    }

    crate::finish(global, &config, config_path.as_deref(), report)
}

/// The files a run names: each path, or the Dockerfiles under each
/// directory; paths that name nothing are targets with a problem.
fn files(paths: &[PathBuf], config: &Config, exclude: &[String]) -> (Vec<PathBuf>, Vec<Target>) {
    let mut files = Vec::new();
    let mut failures = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut exclude = config.exclusions(exclude);
            // jq and shell templates of official images
            // (`Dockerfile-linux.template`) are not Dockerfiles; named
            // explicitly, one is linted all the same.
            exclude.push("*.template".to_string());
            let found = crate::input::discover(path, is_dockerfile_name, &exclude);
            if found.is_empty() {
                failures.push(failed(
                    &path.display().to_string(),
                    "no Dockerfile found in this directory".into(),
                ));
            }
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    (files, failures)
}

/// `--fix` and `--diff`: fixes each file (in place, or as a diff on
/// standard output), then reports what is left.
fn fix(
    global: &Global,
    args: &DockerfileArgs,
    paths: &[PathBuf],
    config: &Config,
    config_path: Option<&Path>,
    options: &Options,
) -> Result<ExitCode> {
    if paths.iter().any(|p| p.as_os_str() == "-") {
        anyhow::bail!("--fix and --diff work on files: name them");
    }
    let (files, failures) = files(paths, config, &args.exclude);
    let mut report = Report {
        rules: crate::all_rules(),
        targets: failures,
        ..Report::default()
    };
    let mut out = std::io::stdout().lock();
    let (mut applied, mut changed) = (0, 0);
    for path in &files {
        let name = path.display().to_string();
        let text = match crate::input::read_text(path) {
            Ok(text) => text,
            Err(e) => {
                report.targets.push(failed(&name, e.message()));
                continue;
            }
        };
        let options = Options {
            dockerignore: Some(has_dockerignore(path)),
            ..options.clone()
        };
        let fixed =
            match shipshape_rules::dockerfile::fix(&text, &name, &options, args.unsafe_fixes) {
                Ok(fixed) => fixed,
                Err(_) => {
                    // The report says why it does not parse.
                    report
                        .targets
                        .push(lint_text(&name, text, Some(path), &options));
                    continue;
                }
            };
        if let Some(why) = &fixed.stopped {
            eprintln!("warning: {name}: {why}");
        }
        if fixed.text != text {
            changed += 1;
            applied += fixed.applied;
            if args.diff {
                let diff = similar::TextDiff::from_lines(&text, &fixed.text);
                let mut shown = diff
                    .unified_diff()
                    .context_radius(2)
                    .header(&format!("a/{name}"), &format!("b/{name}"))
                    .to_string();
                if !shown.ends_with('\n') {
                    shown.push_str("\n\\ No newline at end of file\n");
                }
                out.write_all(shown.as_bytes())?;
            } else {
                std::fs::write(path, &fixed.text)
                    .map_err(|e| anyhow::anyhow!("cannot write the fixed {name}: {e}"))?;
            }
        }
        let left = if args.diff { text } else { fixed.text };
        report
            .targets
            .push(lint_text(&name, left, Some(path), &options));
    }
    if !global.quiet {
        let verb = if args.diff { "would fix" } else { "fixed" };
        eprintln!(
            "{verb} {applied} finding{} in {changed} file{}{}",
            if applied == 1 { "" } else { "s" },
            if changed == 1 { "" } else { "s" },
            if args.unsafe_fixes {
                ""
            } else {
                " (safe fixes only; --unsafe-fixes for the rest)"
            }
        );
    }
    if args.diff {
        out.flush()?;
        // No report follows a diff: the files that could not be read or
        // parsed are said on standard error, and decide the exit status.
        let mut failed = false;
        for target in &report.targets {
            for problem in &target.problems {
                failed = true;
                let at = problem
                    .location
                    .as_ref()
                    .map(|l| format!(" ({})", l.describe()))
                    .unwrap_or_default();
                eprintln!("error: {}: {}{at}", target.name, problem.message);
            }
        }
        return Ok(if failed {
            ExitCode::from(2)
        } else if changed > 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        });
    }
    drop(out);
    crate::finish(global, config, config_path, report)
}

fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    (lower.starts_with("dockerfile")
        || lower.starts_with("containerfile")
        || lower.ends_with(".dockerfile"))
        && !lower.ends_with(".dockerignore")
        && !lower.ends_with(".md")
}

pub(crate) fn failed(name: &str, message: String) -> Target {
    Target::failed(name, TargetKind::Dockerfile, message, None)
}

pub(crate) fn lint_file(path: &Path, options: &Options) -> Target {
    let name = path.display().to_string();
    let text = match crate::input::read_text(path) {
        Ok(text) => text,
        Err(e) => return failed(&name, e.message()),
    };
    lint_text(&name, text, Some(path), options)
}

/// Whether a `.dockerignore` applies: `<Dockerfile>.dockerignore` beside the
/// file, or `.dockerignore` in its directory (the usual build context).
fn has_dockerignore(path: &Path) -> bool {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let own = path.file_name().map(|n| {
        let mut n = n.to_os_string();
        n.push(".dockerignore");
        dir.join(n)
    });
    dir.join(".dockerignore").is_file() || own.is_some_and(|p| p.is_file())
}

pub(crate) fn lint_text(
    name: &str,
    text: String,
    path: Option<&Path>,
    options: &Options,
) -> Target {
    let options = Options {
        dockerignore: path.map(has_dockerignore),
        ..options.clone()
    };
    let mut target = Target::new(name, TargetKind::Dockerfile);
    match parse(&text) {
        Ok(file) if file.instructions.is_empty() => target.problems.push(Problem {
            message: "holds no instruction (BuildKit refuses an empty Dockerfile)".into(),
            location: None,
        }),
        Ok(file) => {
            target.findings = shipshape_rules::dockerfile::lint(&file, name, &options);
            // Part of the file went unchecked: say so where errors go too,
            // whatever the format and whatever the policy keeps.
            for f in target
                .findings
                .iter()
                .filter(|f| std::ptr::eq(f.rule, ANALYSIS_LIMIT.meta))
            {
                eprintln!("warning: {}: {}", f.location.describe(), f.message);
            }
        }
        Err(e) => target.problems.push(parse_problem(name, &text, &e)),
    }
    target.source = Some(text);
    target
}

fn parse_problem(name: &str, text: &str, e: &ParseError) -> Problem {
    // The message carries no position: writers show the location.
    let lines = shipshape_dockerfile::source::LineIndex::new(text);
    Problem {
        message: format!("cannot parse: {}", e.message),
        location: Some(Location::File {
            path: name.to_string(),
            region: lines.region(text, e.span),
        }),
    }
}
