//! Terminal output: each finding with its source line and the span
//! underlined, rendered by annotate-snippets (rustc's renderer).

use std::borrow::Cow;
use std::io::{self, Write};

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Patch, Renderer, Snippet};
use shipshape_core::inventory::Inventory;
use shipshape_core::vuln::Vulnerability;
use shipshape_core::{
    Finding, Location, Problem, Region, Report, Severity, Status, Target, TargetKind,
};

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

/// The most bytes of source shown for one finding. Longer excerpts (a
/// generated RUN of a million words on one line) are cut around the span,
/// so each finding costs a bounded amount however long its line.
const MAX_EXCERPT: usize = 480;
/// Context kept before the span when a long line is cut.
const CONTEXT_BEFORE: usize = 60;

/// The lines of `source` that `region` covers, and the region's span
/// within them. Handing the renderer only these lines keeps each finding's
/// cost to its own lines, however large the file; a long excerpt is cut to
/// [`MAX_EXCERPT`] bytes around the span, with `…` where text was left out.
fn excerpt<'a>(source: &'a str, region: &Region) -> (Cow<'a, str>, std::ops::Range<usize>) {
    let end = region.byte_end.max(region.byte_start).min(source.len());
    let start = floor_char(source, region.byte_start.min(end));
    let end = floor_char(source, end);
    let first = source
        .get(..start)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |i| i + 1);
    let last = source
        .get(end..)
        .and_then(|after| after.find('\n'))
        .map_or(source.len(), |i| end + i);
    if last - first <= MAX_EXCERPT {
        let text = source.get(first..last).unwrap_or("");
        return (Cow::Borrowed(text), start - first..end - first);
    }
    let from = floor_char(source, start.saturating_sub(CONTEXT_BEFORE).max(first));
    let to = floor_char(source, (from + MAX_EXCERPT).min(last));
    let mut text = String::with_capacity(to - from + 8);
    if from > first {
        text.push('…');
    }
    let shift = text.len();
    text.push_str(source.get(from..to).unwrap_or(""));
    if to < last {
        text.push('…');
    }
    let span_start = shift + (start - from);
    let span_end = shift + (end.min(to).max(start) - from);
    (Cow::Owned(text), span_start..span_end)
}

/// `at`, moved back to the start of the character it falls in.
fn floor_char(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn group<'a>(target: &'a Target, f: &'a Finding) -> Group<'a> {
    let title = level(f.severity)
        .primary_title(f.message.as_str())
        .id(f.rule.id);
    match (&f.location, target.source.as_deref()) {
        (Location::File { path, region }, Some(source)) => {
            let (excerpt, span) = excerpt(source, region);
            let snippet = Snippet::source(excerpt)
                .line_start(region.start.line as usize)
                .path(path.as_str());
            if f.marks.is_empty() {
                return title.element(
                    snippet.annotation(AnnotationKind::Primary.span(span).label(f.rule.title)),
                );
            }
            // Each marked place within the excerpt, the label on the first.
            let shift = |at: usize| (at + span.start).checked_sub(region.byte_start);
            let marks = f.marks.iter().filter_map(|m| {
                let (start, end) = (shift(m.byte_start)?, shift(m.byte_end)?);
                (start >= span.start && end <= span.end && start < end).then_some(start..end)
            });
            let mut snippet = snippet;
            for (i, mark) in marks.enumerate() {
                let annotation = AnnotationKind::Primary.span(mark);
                snippet = snippet.annotation(if i == 0 {
                    annotation.label(f.rule.title)
                } else {
                    annotation
                });
            }
            title.element(snippet)
        }
        (loc, _) => title.element(Level::NOTE.message(format!("in {}", loc.describe()))),
    }
}

/// A finding's fix as a suggestion: its lines before and after, the way
/// rustc shows one. None when the edits are not all in one excerpt (a
/// line too long to show whole).
fn suggestion<'a>(target: &'a Target, f: &'a Finding) -> Option<Group<'a>> {
    let (Some(fix), Location::File { path, .. }, Some(source)) =
        (&f.fix, &f.location, target.source.as_deref())
    else {
        return None;
    };
    let first = fix.edits.iter().min_by_key(|e| e.region.byte_start)?;
    let last = fix.edits.iter().max_by_key(|e| e.region.byte_end)?;
    let covering = Region {
        start: first.region.start,
        end: last.region.end,
        byte_start: first.region.byte_start,
        byte_end: last.region.byte_end,
    };
    let (excerpt, span) = excerpt(source, &covering);
    let mut snippet = Snippet::source(excerpt)
        .line_start(covering.start.line as usize)
        .path(path.as_str());
    for e in &fix.edits {
        let start = (e.region.byte_start + span.start).checked_sub(covering.byte_start)?;
        let end = (e.region.byte_end + span.start).checked_sub(covering.byte_start)?;
        if end > span.end.max(start) {
            return None;
        }
        snippet = snippet.patch(Patch::new(start..end, e.replacement.as_str()));
    }
    Some(
        Level::HELP
            .secondary_title(format!("fix ({}): {}", fix.applicability, fix.description))
            .element(snippet),
    )
}

fn problem<'a>(target: &'a Target, p: &'a Problem) -> Group<'a> {
    match (&p.location, target.source.as_deref()) {
        (Some(Location::File { path, region }), Some(source)) => {
            let (excerpt, span) = excerpt(source, region);
            Level::ERROR.primary_title(p.message.as_str()).element(
                Snippet::source(excerpt)
                    .line_start(region.start.line as usize)
                    .path(path.as_str())
                    .annotation(AnnotationKind::Primary.span(span)),
            )
        }
        _ => {
            Group::with_title(Level::ERROR.primary_title(format!("{}: {}", target.name, p.message)))
        }
    }
}

/// Every input problem of the report, each with its excerpt where it has
/// a place in a file: written to standard error whatever the format, so
/// that the report on standard output stays what it says it is.
pub fn write_problems(report: &Report, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Unicode);
    for target in &report.targets {
        for p in &target.problems {
            writeln!(out, "{}", renderer.render(&[problem(target, p)]))?;
        }
    }
    Ok(())
}

pub fn write(report: &Report, options: WriteOptions, out: &mut dyn Write) -> io::Result<()> {
    if !report.checks.is_empty() {
        return write_benchmark(report, options, out);
    }
    let renderer = if options.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Unicode);
    for target in &report.targets {
        for f in &target.findings {
            let mut groups = vec![group(target, f)];
            groups.extend(suggestion(target, f));
            let rendered = renderer.render(&groups);
            writeln!(out, "{rendered}\n")?;
        }
        if let Some(inventory) = &target.inventory {
            writeln!(out, "{}\n", packages(inventory))?;
        }
        if !target.vulnerabilities.is_empty() {
            writeln!(out, "{}", vulnerabilities(&target.vulnerabilities))?;
        }
    }
    if !options.quiet {
        writeln!(out, "{}", summary(report))?;
    }
    Ok(())
}

/// The operating system and a table of the packages: name, version,
/// ecosystem and the source package where there is one.
pub fn packages(inventory: &Inventory) -> String {
    let mut out = String::new();
    if let Some(os) = &inventory.os {
        let mut line = os.id.clone();
        for part in [&os.version, &os.codename].into_iter().flatten() {
            line.push(' ');
            line.push_str(part);
        }
        out.push_str(&line);
        out.push_str("\n\n");
    }
    let width = |f: &dyn Fn(&shipshape_core::inventory::Package) -> usize, least: usize| {
        inventory
            .packages
            .iter()
            .map(f)
            .max()
            .unwrap_or(0)
            .max(least)
    };
    let (nw, vw, ew) = (
        width(&|p| p.name.len(), 4),
        width(&|p| p.version.len(), 7),
        width(&|p| p.ecosystem.len(), 4),
    );
    out.push_str(&format!(
        "{:<nw$}  {:<vw$}  {:<ew$}  SOURCE\n",
        "NAME", "VERSION", "TYPE"
    ));
    for p in &inventory.packages {
        let source = match (&p.source_name, &p.source_version) {
            (Some(n), Some(v)) if *n != p.name || *v != p.version => format!("{n} {v}"),
            _ => String::new(),
        };
        let line = format!(
            "{:<nw$}  {:<vw$}  {:<ew$}  {source}",
            p.name, p.version, p.ecosystem
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push_str(&format!("{} packages", inventory.packages.len()));
    out
}

/// A table of vulnerabilities, most severe first: severity, id, package,
/// installed and fixed versions, title.
pub fn vulnerabilities(list: &[Vulnerability]) -> String {
    let width = |f: &dyn Fn(&Vulnerability) -> usize, least: usize| {
        list.iter().map(f).max().unwrap_or(0).max(least)
    };
    let (iw, pw, vw, fw) = (
        width(&|v| v.id.len(), 2),
        width(&|v| v.package.len(), 7),
        width(&|v| v.version.len(), 9),
        width(&|v| v.fixed.as_deref().map_or(10, str::len), 5),
    );
    let mut out = format!(
        "{:<8}  {:<iw$}  {:<pw$}  {:<vw$}  {:<fw$}  TITLE\n",
        "SEVERITY", "ID", "PACKAGE", "INSTALLED", "FIXED"
    );
    for v in list {
        let severity = v.severity.map_or("unknown", |s| s.as_str());
        let title: String = v.title.chars().take(80).collect();
        out.push_str(&format!(
            "{severity:<8}  {:<iw$}  {:<pw$}  {:<vw$}  {:<fw$}  {title}\n",
            v.id,
            v.package,
            v.version,
            v.fixed.as_deref().unwrap_or("no fix yet"),
        ));
    }
    out
}

/// `3 findings in 1 file: 1 high, 2 medium` (or a clean verdict).
pub fn summary(report: &Report) -> String {
    let total = report.findings().count();
    let n = report.targets.len();
    let all = |kind: TargetKind| n > 0 && report.targets.iter().all(|t| t.kind == kind);
    let (one, many) = if all(TargetKind::Container) {
        ("container", "containers")
    } else if all(TargetKind::Image) {
        ("image", "images")
    } else if all(TargetKind::Filesystem) {
        ("file system", "file systems")
    } else {
        ("file", "files")
    };
    let files = format!("{n} {}", if n == 1 { one } else { many });
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
    let vulns: Vec<&Vulnerability> = report.vulnerabilities().collect();
    if !vulns.is_empty() {
        let mut parts: Vec<String> = Severity::ALL
            .iter()
            .rev()
            .filter_map(|sev| {
                let n = vulns.iter().filter(|v| v.severity == Some(*sev)).count();
                (n > 0).then(|| format!("{n} {sev}"))
            })
            .collect();
        let unrated = vulns.iter().filter(|v| v.severity.is_none()).count();
        if unrated > 0 {
            parts.push(format!("{unrated} unrated"));
        }
        s.push_str(&format!(
            "; {} {}: {}",
            vulns.len(),
            if vulns.len() == 1 {
                "vulnerability"
            } else {
                "vulnerabilities"
            },
            parts.join(", ")
        ));
    }
    if problems > 0 {
        s.push_str(&format!(
            "; {problems} {} could not be checked",
            if problems == 1 { "input" } else { "inputs" }
        ));
    }
    s
}

/// A benchmark run: each check with its status, grouped by section, the
/// evidence under it, the fix under each WARN, and the score.
fn write_benchmark(report: &Report, options: WriteOptions, out: &mut dyn Write) -> io::Result<()> {
    let paint = |status: Status| {
        let text = format!("[{}]", status.as_str());
        if !options.color {
            return text;
        }
        let code = match status {
            Status::Pass => "32",
            Status::Warn => "31",
            Status::Info => "34",
            Status::Note => "33",
        };
        format!("\x1b[1;{code}m{text}\x1b[0m")
    };
    if let Some(name) = &report.benchmark {
        writeln!(out, "{name}")?;
    }
    let mut section = "";
    for c in &report.checks {
        if c.section != section {
            section = c.section;
            writeln!(out, "\n{section}")?;
        }
        writeln!(
            out,
            "{} {:<7} {}  ({})",
            paint(c.status),
            c.number,
            c.title,
            c.rule.id
        )?;
        for line in &c.evidence {
            writeln!(out, "         {line}")?;
        }
        if c.status == Status::Warn && !c.fix.is_empty() {
            writeln!(out, "         fix: {}", c.fix)?;
        }
    }
    if !options.quiet {
        writeln!(out, "\n{}", benchmark_score(report))?;
    }
    Ok(())
}

/// `Score: 40 of 60 scored checks pass (20 WARN); 117 checks in all: ...`.
fn benchmark_score(report: &Report) -> String {
    let s = crate::Score::of(report);
    format!(
        "Score: {} of {} scored checks pass ({} WARN); {} checks in all: {} PASS, {} WARN, {} INFO, {} NOTE",
        s.scored_pass,
        s.scored,
        s.scored - s.scored_pass,
        s.checks,
        s.pass,
        s.warn,
        s.info,
        s.note,
    )
}
