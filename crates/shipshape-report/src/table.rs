//! Terminal output: each finding with its source line and the span
//! underlined, rendered by annotate-snippets (rustc's renderer).

use std::io::{self, Write};

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use shipshape_core::{Finding, Location, Problem, Report, Severity, Target};

use crate::WriteOptions;

fn level(sev: Severity) -> Level<'static> {
    let base = match sev {
        Severity::Critical | Severity::High => Level::ERROR,
        Severity::Medium => Level::WARNING,
        Severity::Low => Level::NOTE,
        Severity::Info => Level::INFO,
    };
    base.with_name(sev.as_str())
}

fn group<'a>(target: &'a Target, f: &'a Finding) -> Group<'a> {
    let title = level(f.severity)
        .primary_title(f.message.as_str())
        .id(f.rule.id);
    match (&f.location, target.source.as_deref()) {
        (Location::File { path, region }, Some(source)) => {
            let end = region.byte_end.max(region.byte_start).min(source.len());
            let start = region.byte_start.min(end);
            title.element(
                Snippet::source(source)
                    .line_start(1)
                    .path(path.as_str())
                    .annotation(AnnotationKind::Primary.span(start..end).label(f.rule.title)),
            )
        }
        (loc, _) => title.element(Level::NOTE.message(format!("in {}", describe(loc)))),
    }
}

fn problem<'a>(target: &'a Target, p: &'a Problem) -> Group<'a> {
    match (&p.location, target.source.as_deref()) {
        (Some(Location::File { path, region }), Some(source)) => {
            let end = region.byte_end.max(region.byte_start).min(source.len());
            let start = region.byte_start.min(end);
            Level::ERROR.primary_title(p.message.as_str()).element(
                Snippet::source(source)
                    .line_start(1)
                    .path(path.as_str())
                    .annotation(AnnotationKind::Primary.span(start..end)),
            )
        }
        _ => {
            Group::with_title(Level::ERROR.primary_title(format!("{}: {}", target.name, p.message)))
        }
    }
}

fn describe(loc: &Location) -> String {
    match loc {
        Location::File { path, region } => {
            format!("{path}:{}:{}", region.start.line, region.start.column)
        }
        Location::Image { image, layer, path } => {
            let mut s = image.clone();
            if let Some(l) = layer {
                s.push_str(&format!(" layer {l}"));
            }
            if let Some(p) = path {
                s.push_str(&format!(" {p}"));
            }
            s
        }
        Location::Container { container, field } => format!("container {container} field {field}"),
    }
}

pub fn write(report: &Report, options: WriteOptions, out: &mut dyn Write) -> io::Result<()> {
    let renderer = if options.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Unicode);
    for target in &report.targets {
        for f in &target.findings {
            let rendered = renderer.render(&[group(target, f)]);
            writeln!(out, "{rendered}\n")?;
        }
        for p in &target.problems {
            writeln!(out, "{}\n", renderer.render(&[problem(target, p)]))?;
        }
    }
    if !options.quiet {
        writeln!(out, "{}", summary(report))?;
    }
    Ok(())
}

/// `3 findings in 1 file: 1 high, 2 medium` (or a clean verdict).
pub fn summary(report: &Report) -> String {
    let total = report.findings().count();
    let files = report.targets.len();
    let files = format!("{files} {}", if files == 1 { "file" } else { "files" });
    let problems = report.problems().count();
    let mut s = if total == 0 {
        format!("No findings in {files}")
    } else {
        let parts: Vec<String> = Severity::ALL
            .iter()
            .rev()
            .filter_map(|sev| {
                let n = report.findings().filter(|f| f.severity == *sev).count();
                (n > 0).then(|| format!("{n} {sev}"))
            })
            .collect();
        format!(
            "{total} {} in {files}: {}",
            if total == 1 { "finding" } else { "findings" },
            parts.join(", ")
        )
    };
    if problems > 0 {
        s.push_str(&format!(
            "; {problems} {} could not be checked",
            if problems == 1 { "input" } else { "inputs" }
        ));
    }
    s
}
