//! JUnit XML: one test suite per target, one failing test case per finding
//! (a clean target gets one passing case), input problems as errors.

use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use shipshape_core::{Report, Status};

fn xml_err(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(e.to_string())
}

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut w = Writer::new_with_indent(&mut *out, b' ', 2);
    let ev = |w: &mut Writer<&mut dyn Write>, e: Event<'_>| w.write_event(e).map_err(xml_err);
    ev(
        &mut w,
        Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)),
    )?;
    // A benchmark run is one suite of checks: its WARN results already
    // carry the findings as evidence.
    let benchmark = !report.checks.is_empty();
    let targets: &[shipshape_core::Target] = if benchmark { &[] } else { &report.targets };
    let total: usize = targets.iter().map(|t| cases(t).max(1)).sum::<usize>() + report.checks.len();
    let failures = if benchmark {
        report
            .checks
            .iter()
            .filter(|c| c.status == Status::Warn)
            .count()
    } else {
        report.findings().count()
    };
    let errors = report.problems().count();
    let mut suites = BytesStart::new("testsuites");
    suites.push_attribute(("name", "shipshape"));
    suites.push_attribute(("tests", total.to_string().as_str()));
    suites.push_attribute(("failures", failures.to_string().as_str()));
    suites.push_attribute(("errors", errors.to_string().as_str()));
    ev(&mut w, Event::Start(suites))?;
    for target in targets {
        let mut suite = BytesStart::new("testsuite");
        suite.push_attribute(("name", target.name.as_str()));
        suite.push_attribute(("tests", cases(target).max(1).to_string().as_str()));
        suite.push_attribute(("failures", target.findings.len().to_string().as_str()));
        suite.push_attribute(("errors", target.problems.len().to_string().as_str()));
        ev(&mut w, Event::Start(suite))?;
        for f in &target.findings {
            let line = f.location.line().unwrap_or(0);
            let file = match &f.location {
                shipshape_core::Location::Image {
                    path: Some(path), ..
                } => path.as_str(),
                _ => target.name.as_str(),
            };
            let mut case = BytesStart::new("testcase");
            let name = format!("{} {} (line {line})", f.rule.id, f.rule.title);
            case.push_attribute(("name", name.as_str()));
            case.push_attribute(("classname", target.name.as_str()));
            case.push_attribute(("file", file));
            case.push_attribute(("line", line.to_string().as_str()));
            ev(&mut w, Event::Start(case))?;
            let mut failure = BytesStart::new("failure");
            failure.push_attribute(("message", f.message.as_str()));
            failure.push_attribute(("type", f.severity.as_str()));
            ev(&mut w, Event::Start(failure))?;
            let body = format!(
                "{}: [{}] {} ({})\nRun `shipshape rule {}` for details.",
                f.location.describe(),
                f.severity,
                f.message,
                f.rule.id,
                f.rule.id
            );
            ev(&mut w, Event::Text(BytesText::new(&body)))?;
            ev(&mut w, Event::End(BytesEnd::new("failure")))?;
            ev(&mut w, Event::End(BytesEnd::new("testcase")))?;
        }
        for p in &target.problems {
            let mut case = BytesStart::new("testcase");
            case.push_attribute(("name", "input could be read and parsed"));
            case.push_attribute(("classname", target.name.as_str()));
            ev(&mut w, Event::Start(case))?;
            let mut error = BytesStart::new("error");
            error.push_attribute(("message", p.message.as_str()));
            ev(&mut w, Event::Empty(error))?;
            ev(&mut w, Event::End(BytesEnd::new("testcase")))?;
        }
        if cases(target) == 0 {
            let mut case = BytesStart::new("testcase");
            case.push_attribute(("name", "no findings"));
            case.push_attribute(("classname", target.name.as_str()));
            ev(&mut w, Event::Empty(case))?;
        }
        ev(&mut w, Event::End(BytesEnd::new("testsuite")))?;
    }
    if benchmark {
        benchmark_suite(report, &mut w)?;
    }
    ev(&mut w, Event::End(BytesEnd::new("testsuites")))?;
    writeln!(w.into_inner())
}

/// One test case per benchmark check: WARN fails, INFO and NOTE are
/// skipped with what was seen, PASS passes.
fn benchmark_suite(report: &Report, w: &mut Writer<&mut dyn Write>) -> io::Result<()> {
    let ev = |w: &mut Writer<&mut dyn Write>, e: Event<'_>| w.write_event(e).map_err(xml_err);
    let name = report.benchmark.as_deref().unwrap_or("benchmark");
    let warn = report
        .checks
        .iter()
        .filter(|c| c.status == Status::Warn)
        .count();
    let mut suite = BytesStart::new("testsuite");
    suite.push_attribute(("name", name));
    suite.push_attribute(("tests", report.checks.len().to_string().as_str()));
    suite.push_attribute(("failures", warn.to_string().as_str()));
    ev(w, Event::Start(suite))?;
    for c in &report.checks {
        let mut case = BytesStart::new("testcase");
        let title = format!("{} {} ({})", c.number, c.title, c.rule.id);
        case.push_attribute(("name", title.as_str()));
        case.push_attribute(("classname", c.section));
        let evidence = c.evidence.join("\n");
        match c.status {
            Status::Pass => ev(w, Event::Empty(case))?,
            Status::Warn => {
                ev(w, Event::Start(case))?;
                let mut failure = BytesStart::new("failure");
                failure.push_attribute(("message", c.title));
                failure.push_attribute(("type", "WARN"));
                ev(w, Event::Start(failure))?;
                let body = format!("{evidence}\nfix: {}", c.fix);
                ev(w, Event::Text(BytesText::new(&body)))?;
                ev(w, Event::End(BytesEnd::new("failure")))?;
                ev(w, Event::End(BytesEnd::new("testcase")))?;
            }
            Status::Info | Status::Note => {
                ev(w, Event::Start(case))?;
                let mut skipped = BytesStart::new("skipped");
                let message = format!("{}: {evidence}", c.status.as_str());
                skipped.push_attribute(("message", message.as_str()));
                ev(w, Event::Empty(skipped))?;
                ev(w, Event::End(BytesEnd::new("testcase")))?;
            }
        }
    }
    ev(w, Event::End(BytesEnd::new("testsuite")))
}

fn cases(t: &shipshape_core::Target) -> usize {
    t.findings.len() + t.problems.len()
}
