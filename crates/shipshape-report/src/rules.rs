//! The rule listing (`shipshape rules`): one line per rule, or JSON.

use std::io::{self, Write};

use shipshape_core::RuleMeta;

/// Writes `rules` as a table (id, severity, title, aliases), or as a JSON
/// array of their metadata.
pub fn write(rules: &[&RuleMeta], json: bool, out: &mut dyn Write) -> io::Result<()> {
    if json {
        let list: Vec<serde_json::Value> = rules
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id, "name": r.name, "severity": r.severity,
                    "title": r.title, "aliases": r.aliases,
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &list)?;
        return writeln!(out);
    }
    writeln!(out, "{:<6} {:<9} {:<52} ALIASES", "ID", "SEVERITY", "TITLE")?;
    for r in rules {
        writeln!(
            out,
            "{:<6} {:<9} {:<52} {}",
            r.id,
            r.severity.as_str(),
            r.title,
            r.aliases.join(", ")
        )?;
    }
    Ok(())
}
