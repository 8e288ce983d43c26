//! Writers: every output format takes the same [`Report`].

pub mod cyclonedx;
pub mod db_status;
mod json;
mod junit;
pub mod rules;
mod sarif;
pub mod spdx;
mod table;

use std::io::{self, Write};

use shipshape_core::{Report, Status};

pub use json::SCHEMA_VERSION as JSON_SCHEMA_VERSION;
pub use table::packages as packages_table;
pub use table::write_problems;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Findings with their source lines and spans underlined.
    Table,
    /// shipshape's own JSON (fields documented in the README).
    Json,
    /// SARIF 2.1.0, as GitHub code scanning reads it.
    Sarif,
    /// JUnit XML, for CI test-report views.
    Junit,
}

/// How to write.
#[derive(Debug, Clone, Copy)]
pub struct WriteOptions {
    /// ANSI colours in the table.
    pub color: bool,
    /// Table only: leave out the summary line.
    pub quiet: bool,
}

/// The tool name and version written into reports.
pub const TOOL_NAME: &str = "shipshape";
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");
pub const TOOL_URI: &str = "https://github.com/shipshape-dev/shipshape";

/// A benchmark's tally, as the table's score line and the JSON's `score`
/// give it: scored checks count when they pass or warn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Score {
    pub scored: usize,
    pub scored_pass: usize,
    pub checks: usize,
    pub pass: usize,
    pub warn: usize,
    pub info: usize,
    pub note: usize,
}

impl Score {
    pub fn of(report: &Report) -> Score {
        let count = |s: Status| report.checks.iter().filter(|c| c.status == s).count();
        let scored = |s: Status| {
            report
                .checks
                .iter()
                .filter(|c| c.scored && c.status == s)
                .count()
        };
        Score {
            scored: scored(Status::Pass) + scored(Status::Warn),
            scored_pass: scored(Status::Pass),
            checks: report.checks.len(),
            pass: count(Status::Pass),
            warn: count(Status::Warn),
            info: count(Status::Info),
            note: count(Status::Note),
        }
    }
}

pub fn write(
    report: &Report,
    format: Format,
    options: WriteOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Table => table::write(report, options, out),
        Format::Json => json::write(report, out),
        Format::Sarif => sarif::write(report, out),
        Format::Junit => junit::write(report, out),
    }
}
