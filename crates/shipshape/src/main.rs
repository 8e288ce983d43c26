//! The `shipshape` command: parses arguments, runs the chosen check,
//! applies the policy and writes the report.

mod authz;
mod cli;
mod config;
mod dockerfile;
mod ignorefile;
mod image;
mod input;
mod live;
mod manifests;
mod signing;
mod vulns;
mod watch;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use std::path::Path;

use shipshape_core::{Policy, Report, RuleMeta, Severity};
use shipshape_report::{Format, WriteOptions};

use cli::{Cli, Command, FormatArg};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            let mut msg = format!("error: {e}");
            for cause in e.chain().skip(1) {
                msg.push_str(&format!("\n  caused by: {cause}"));
            }
            eprintln!("{msg}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(io::ErrorKind::BrokenPipe))
    })
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let global = cli.command.global();
    match &cli.command {
        Command::Dockerfile(args) => dockerfile::run(&global, args),
        Command::Rules(_) => list_rules(&global),
        Command::Rule { id, .. } => explain_rule(&global, id),
        Command::Image(args) => image::image(&global, args),
        Command::Fs(args) => image::fs(&global, args),
        Command::Config(args) => manifests::run(&global, args),
        Command::Containers(args) => live::containers(&global, args),
        Command::Bench(args) => live::bench(&global, args),
        Command::Sbom(args) => image::sbom(&global, args),
        Command::Db(args) => vulns::db(&global, args),
        Command::Key(args) => signing::key(args),
        Command::Sign(args) => signing::sign(args),
        Command::Verify(args) => signing::verify(args),
        Command::Authz(args) => authz::run(&global, args),
        Command::Watch(args) => watch::run(args),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(*shell, &mut command, "shipshape", &mut io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        Command::Man => {
            let command = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(command).render(&mut io::stdout())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Every rule of every area.
pub fn all_rules() -> Vec<&'static RuleMeta> {
    shipshape_rules::registry::all()
}

/// The end of every check: applies the policy (config file and flags),
/// writes the report and picks the exit code.
pub fn finish(
    global: &cli::Global,
    config: &config::Config,
    config_path: Option<&Path>,
    mut report: Report,
) -> anyhow::Result<ExitCode> {
    let fail_on = global
        .fail_on
        .or_else(|| config.fail_on.as_deref().and_then(|f| f.parse().ok()))
        .unwrap_or(cli::FailOn::At(Severity::Medium));
    let mut ignore = config.ignored.clone();
    ignore.extend(global.ignore.iter().cloned());
    if let Some(path) = ignorefile::discover() {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
        let today = shipshape_core::time::day(shipshape_core::time::now());
        let (live, expired) = ignorefile::split(ignorefile::parse(&text, &path)?, &today);
        for e in &expired {
            eprintln!(
                "warning: {}:{}: `{}` expired on {} and applies no longer{}",
                path.display(),
                e.line,
                e.id,
                e.until.as_deref().unwrap_or(""),
                e.reason
                    .as_deref()
                    .map(|r| format!(" (it said: {r})"))
                    .unwrap_or_default()
            );
        }
        ignore.extend(live.into_iter().map(|e| e.id));
    }
    let policy = Policy {
        ignore,
        overrides: config.overrides(),
        severities: global.severity.clone(),
        ignore_unfixed: global.ignore_unfixed,
    };
    if !global.quiet {
        for id in policy.unknown_ids(&report.rules) {
            let from = config_path
                .map(|p| format!(" in {}", p.display()))
                .unwrap_or_default();
            eprintln!("warning: `{id}`{from} does not name any rule; `shipshape rules` lists them");
        }
    }
    // Before the policy drops any finding: a secret an ignored finding is
    // about still shows in the excerpts of the others.
    for target in &mut report.targets {
        if let Some(source) = &mut target.source {
            shipshape_core::mask_secrets(source, &target.findings);
        }
    }
    let hidden = policy.hidden_by_severity(&report);
    policy.apply(&mut report);
    if hidden > 0 && !global.quiet {
        eprintln!(
            "note: --severity left out {hidden} finding{} of other severities",
            if hidden == 1 { "" } else { "s" }
        );
    }
    for target in &mut report.targets {
        for problem in &mut target.problems {
            printable(&mut problem.message);
        }
    }
    emit(global, &report)?;
    Ok(exit_code(&report, fail_on))
}

/// Cuts a message at the first character a terminal should not get:
/// readers of binary input quote the bytes they choked on.
fn printable(message: &mut String) {
    let bad = |c: char| c == char::REPLACEMENT_CHARACTER || (c.is_control() && c != '\n');
    if let Some(at) = message.find(bad) {
        message.truncate(at);
        message.push_str("… (binary data left out)");
    }
}

pub fn exit_code(report: &Report, fail_on: cli::FailOn) -> ExitCode {
    if report.problems().next().is_some() {
        ExitCode::from(2)
    } else if let cli::FailOn::At(severity) = fail_on
        && report.count_at_least(severity) > 0
    {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn list_rules(global: &cli::Global) -> anyhow::Result<ExitCode> {
    let mut out = io::stdout().lock();
    shipshape_report::rules::write(&all_rules(), global.format == FormatArg::Json, &mut out)?;
    Ok(ExitCode::SUCCESS)
}

/// A rule's doc; for a CIS check, followed by the doc of every rule that
/// carries its number, which is what the check runs or restates.
fn full_doc(rule: &RuleMeta) -> String {
    let mut doc = rule.markdown();
    let Some(check) = shipshape_rules::cis::CHECKS
        .iter()
        .find(|c| c.meta.id == rule.id)
    else {
        return doc;
    };
    let alias = format!("CIS-{}", check.number);
    let linked: Vec<&RuleMeta> = all_rules()
        .into_iter()
        .filter(|r| r.id != rule.id && r.answers_to(&alias))
        .collect();
    if linked.is_empty() {
        return doc;
    }
    doc.push_str(&format!(
        "\n## The rules behind {alias}\nThe same check on the other sources, or the rules this check runs on each container; their findings are this check's.\n"
    ));
    for r in linked {
        doc.push_str(&format!("\n### {} {}: {}\n", r.id, r.name, r.title));
        for line in r.markdown().lines() {
            // One heading level down, under the rule's own heading.
            if line.starts_with('#') {
                doc.push_str("##");
            }
            doc.push_str(line);
            doc.push('\n');
        }
    }
    doc
}

fn explain_rule(global: &cli::Global, id: &str) -> anyhow::Result<ExitCode> {
    let rules = shipshape_rules::registry::named(id);
    if rules.is_empty() {
        anyhow::bail!("no rule has the id or alias `{id}`; `shipshape rules` lists them all");
    }
    let mut out = io::stdout().lock();
    let json = |r: &RuleMeta| {
        serde_json::json!({
            "id": r.id, "name": r.name, "severity": r.severity,
            "title": r.title, "aliases": r.aliases, "doc": full_doc(r),
        })
    };
    if let [rule] = rules.as_slice() {
        if global.format == FormatArg::Json {
            serde_json::to_writer_pretty(&mut out, &json(rule))?;
            writeln!(out)?;
            return Ok(ExitCode::SUCCESS);
        }
        write_rule(&mut out, rule)?;
        return Ok(ExitCode::SUCCESS);
    }
    if global.format == FormatArg::Json {
        let list: Vec<serde_json::Value> = rules.iter().map(|r| json(r)).collect();
        serde_json::to_writer_pretty(&mut out, &list)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "`{id}` names {} rules:", rules.len())?;
    for r in &rules {
        writeln!(out, "  {:<6} {:<9} {}", r.id, r.severity.as_str(), r.title)?;
    }
    for r in &rules {
        writeln!(out, "\n{}", "─".repeat(72))?;
        write_rule(&mut out, r)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn write_rule(out: &mut dyn Write, rule: &RuleMeta) -> io::Result<()> {
    writeln!(out, "{} {} ({})", rule.id, rule.name, rule.severity)?;
    writeln!(out, "{}", rule.title)?;
    if !rule.aliases.is_empty() {
        writeln!(out, "Aliases: {}", rule.aliases.join(", "))?;
    }
    writeln!(out)?;
    write!(out, "{}", full_doc(rule))
}

/// Writes the report where and how the user asked.
pub fn emit(global: &cli::Global, report: &Report) -> anyhow::Result<()> {
    let format = match global.format {
        FormatArg::Table => Format::Table,
        FormatArg::Json => Format::Json,
        FormatArg::Sarif => Format::Sarif,
        FormatArg::Junit => Format::Junit,
        FormatArg::Cyclonedx | FormatArg::SpdxJson => {
            anyhow::bail!(
                "--format cyclonedx and spdx-json are for `shipshape sbom`; findings are written as table, json, sarif or junit"
            )
        }
    };
    let quiet = global.quiet;
    if report.problems().next().is_some() {
        let stderr = io::stderr();
        let color =
            !global.no_color && stderr.is_terminal() && std::env::var_os("NO_COLOR").is_none();
        shipshape_report::write_problems(report, color, &mut stderr.lock())?;
    }
    match &global.output {
        Some(path) => {
            let file = std::fs::File::create(path)
                .map_err(|e| anyhow::anyhow!("cannot write report to {}: {e}", path.display()))?;
            let mut w = io::BufWriter::new(file);
            shipshape_report::write(
                report,
                format,
                WriteOptions {
                    color: false,
                    quiet,
                },
                &mut w,
            )?;
            w.flush()?;
        }
        None => {
            let stdout = io::stdout();
            let color =
                !global.no_color && stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let mut w = io::BufWriter::new(stdout.lock());
            shipshape_report::write(report, format, WriteOptions { color, quiet }, &mut w)?;
            w.flush()?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cis_check_made_of_rules_documents_them() {
        let dh505 = full_doc(shipshape_rules::registry::named("DH505")[0]);
        assert!(dh505.contains("### RT001 privileged"), "{dh505}");
        assert!(dh505.contains("#### Why is this bad?"), "{dh505}");
        let dh504 = full_doc(shipshape_rules::registry::named("DH504")[0]);
        assert!(
            dh504.contains("### RT002") && dh504.contains("### RT003"),
            "{dh504}"
        );
    }
}
