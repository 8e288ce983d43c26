//! The state of the vulnerability database (`shipshape db status`): where
//! it is, when it was built, and each source with its record count, as a
//! table or JSON.

use std::io::{self, Write};

use shipshape_core::time;

/// What the database says of itself.
#[derive(Debug, Clone)]
pub struct DbStatus {
    pub path: String,
    pub schema_version: u32,
    /// Seconds since the epoch.
    pub built: u64,
    pub age_days: u64,
    /// Older than the tool's limit for a fresh database.
    pub stale: bool,
    pub sources: Vec<DbSource>,
}

/// One advisory source in the database.
#[derive(Debug, Clone)]
pub struct DbSource {
    pub name: String,
    pub records: u64,
    /// Seconds since the epoch.
    pub imported: u64,
    pub origin: String,
}

/// Writes `status` as a table, or as one JSON object.
pub fn write(status: &DbStatus, json: bool, out: &mut dyn Write) -> io::Result<()> {
    if json {
        let doc = serde_json::json!({
            "path": status.path,
            "schema_version": status.schema_version,
            "built": time::timestamp(status.built),
            "age_days": status.age_days,
            "stale": status.stale,
            "sources": status.sources.iter().map(|s| serde_json::json!({
                "name": s.name, "records": s.records,
                "imported": time::timestamp(s.imported), "origin": s.origin,
            })).collect::<Vec<_>>(),
        });
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        return writeln!(out);
    }
    writeln!(out, "database  {}", status.path)?;
    writeln!(
        out,
        "built     {} ({} days ago)",
        time::timestamp(status.built),
        status.age_days
    )?;
    let width = status
        .sources
        .iter()
        .map(|s| s.name.len())
        .max()
        .unwrap_or(6)
        .max(6);
    writeln!(
        out,
        "\n{:<width$}  {:>9}  {:<20}  ORIGIN",
        "SOURCE", "RECORDS", "IMPORTED"
    )?;
    for s in &status.sources {
        writeln!(
            out,
            "{:<width$}  {:>9}  {:<20}  {}",
            s.name,
            s.records,
            time::timestamp(s.imported),
            s.origin
        )?;
    }
    Ok(())
}
