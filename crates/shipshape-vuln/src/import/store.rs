//! Writing records into the database's tables.

use rusqlite::{Connection, OptionalExtension};

use crate::db::{SOURCE_OSV, normalize_package};
use crate::osv::Record;
use crate::packed;

/// What became of an OSV record.
pub(crate) enum Outcome {
    Stored,
    /// Not stored, with the reason.
    Skipped(String),
}

/// One `affected` row.
struct Row {
    ecosystem: String,
    /// The package name as stored ([`normalize_package`]).
    package: String,
    /// The entry's index in the record.
    entry: i64,
    json: String,
    /// What the matcher reads, packed: ranges and versions, severities,
    /// and `database_specific` as JSON.
    ranges: String,
    severity: String,
    specific: Option<String>,
}

/// The rows of a record's entries that name a package, and how many
/// entries did not.
fn rows(record: &Record) -> Result<(Vec<Row>, usize), serde_json::Error> {
    let mut out = Vec::with_capacity(record.affected.len());
    let mut without = 0;
    for (entry, affected) in (0i64..).zip(&record.affected) {
        let Some(package) = &affected.package else {
            without += 1;
            continue;
        };
        let name = normalize_package(&package.ecosystem, &package.name).into_owned();
        out.push(Row {
            ecosystem: package.ecosystem.clone(),
            package: name,
            entry,
            json: serde_json::to_string(affected)?,
            ranges: packed::entry(affected),
            severity: packed::severities(&affected.severity),
            specific: affected
                .database_specific
                .as_ref()
                .map(serde_json::to_string)
                .transpose()?,
        });
    }
    Ok((out, without))
}

/// The database's or distribution's own rating in an OSV record: an
/// `Ubuntu` severity, else GitHub's `database_specific.severity`.
fn distro_severity(record: &Record) -> Option<String> {
    record
        .severity
        .iter()
        .find(|s| s.kind.eq_ignore_ascii_case("Ubuntu"))
        .map(|s| s.score.clone())
        .or_else(|| {
            record
                .database_specific
                .as_ref()?
                .get("severity")?
                .as_str()
                .map(str::to_string)
        })
}

/// The record's reference URLs, each once, in order.
fn urls(record: &Record) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::with_capacity(record.references.len());
    for r in &record.references {
        if !out.contains(&r.url.as_str()) {
            out.push(&r.url);
        }
    }
    out
}

/// Stores an OSV record, replacing a stored record of the same id unless
/// the stored one was modified later.
pub(crate) fn store_osv(conn: &Connection, record: &Record) -> rusqlite::Result<Outcome> {
    let (rows, without) = rows(record).map_err(to_sql)?;
    if rows.is_empty() {
        let why = if record.affected.is_empty() {
            format!("{}: no affected packages", record.id)
        } else {
            format!(
                "{}: no affected entry names a package ({without} without one)",
                record.id
            )
        };
        return Ok(Outcome::Skipped(why));
    }
    let stored: Option<Option<String>> = conn
        .prepare_cached("SELECT modified FROM advisories WHERE id = ?1 AND source = ?2")?
        .query_row((&record.id, SOURCE_OSV), |r| r.get(0))
        .optional()?;
    if let Some(stored) = stored {
        if let (Some(old), Some(new)) = (stored.as_deref(), record.modified.as_deref())
            && let (Some(o), Some(n)) = (timestamp(old), timestamp(new))
            && o > n
        {
            return Ok(Outcome::Skipped(format!(
                "{}: modified {new}, older than the stored copy (modified {old}); kept that",
                record.id
            )));
        }
        for table in ["affected", "entries"] {
            conn.prepare_cached(&format!(
                "DELETE FROM {table} WHERE advisory_id = ?1 AND source = ?2"
            ))?
            .execute((&record.id, SOURCE_OSV))?;
        }
    }
    let references = urls(record);
    let aliases = packed::list(record.aliases.iter().map(String::as_str));
    let severity = packed::severities(&record.severity);
    let refs = packed::list(references.iter().copied());
    let distro = distro_severity(record);
    let stored = Stored {
        id: &record.id,
        source: SOURCE_OSV,
        modified: record.modified.as_deref(),
        published: record.published.as_deref(),
        withdrawn: record.withdrawn.as_deref(),
        summary: record.summary.as_deref(),
        details: record.details.as_deref(),
        distro_severity: distro.as_deref(),
        aliases: &aliases,
        severity: &severity,
        refs: &refs,
    };
    let key = upsert_advisory(conn, &stored)?;
    insert_rows(conn, &stored, key, &rows)?;
    Ok(Outcome::Stored)
}

/// Stores a record made from a distro feed. Each (advisory, ecosystem,
/// package) replaces what the same source stored for it before; the
/// advisory's summary and references merge with what other packages of
/// the same advisory stored.
pub(crate) fn store_native(
    conn: &Connection,
    record: &Record,
    source: &str,
) -> rusqlite::Result<()> {
    let (rows, _) = rows(record).map_err(to_sql)?;
    let previous: Option<(Option<String>, String)> = conn
        .prepare_cached("SELECT summary, refs FROM advisories WHERE id = ?1 AND source = ?2")?
        .query_row((&record.id, source), |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let mut references: Vec<String> = urls(record).into_iter().map(str::to_string).collect();
    let mut summary = record.summary.clone();
    if let Some((old_summary, old_refs)) = previous {
        let old = packed::strings(&old_refs).unwrap_or_default();
        for r in old.into_iter().rev() {
            if !references.contains(&r) {
                references.insert(0, r);
            }
        }
        if summary.is_none() {
            summary = old_summary;
        }
    }
    let aliases = packed::list(record.aliases.iter().map(String::as_str));
    let severity = packed::severities(&record.severity);
    let refs = packed::list(references.iter().map(String::as_str));
    let stored = Stored {
        id: &record.id,
        source,
        modified: None,
        published: None,
        withdrawn: None,
        summary: summary.as_deref(),
        details: record.details.as_deref(),
        distro_severity: None,
        aliases: &aliases,
        severity: &severity,
        refs: &refs,
    };
    let key = upsert_advisory(conn, &stored)?;
    for Row {
        ecosystem, package, ..
    } in &rows
    {
        for table in ["affected", "entries"] {
            conn.prepare_cached(&format!(
                "DELETE FROM {table} WHERE advisory_id = ?1 AND source = ?2 \
                 AND ecosystem = ?3 AND package = ?4"
            ))?
            .execute((&record.id, source, ecosystem, package))?;
        }
    }
    insert_rows(conn, &stored, key, &rows)?;
    Ok(())
}

/// An `advisories` row as stored (lists packed).
struct Stored<'a> {
    id: &'a str,
    source: &'a str,
    modified: Option<&'a str>,
    published: Option<&'a str>,
    withdrawn: Option<&'a str>,
    summary: Option<&'a str>,
    details: Option<&'a str>,
    distro_severity: Option<&'a str>,
    aliases: &'a str,
    severity: &'a str,
    refs: &'a str,
}

/// Writes an advisory's row, replacing the one of the same id and source
/// but keeping its key (the `affected` rows point at it). Returns the key.
fn upsert_advisory(conn: &Connection, a: &Stored) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO advisories (id, source, modified, published, withdrawn, summary, \
         details, distro_severity, aliases, severity, refs) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) \
         ON CONFLICT (id, source) DO UPDATE SET modified = excluded.modified, \
         published = excluded.published, withdrawn = excluded.withdrawn, \
         summary = excluded.summary, details = excluded.details, \
         distro_severity = excluded.distro_severity, aliases = excluded.aliases, \
         severity = excluded.severity, refs = excluded.refs \
         RETURNING key",
    )?
    .query_row(
        (
            a.id,
            a.source,
            a.modified,
            a.published,
            a.withdrawn,
            a.summary,
            a.details,
            a.distro_severity,
            a.aliases,
            a.severity,
            a.refs,
        ),
        |r| r.get(0),
    )
}

/// Writes an advisory's entries, each with its copy of the advisory's
/// metadata (a distro feed's copies are refreshed when the import
/// finishes: later packages of the same advisory add to it).
fn insert_rows(conn: &Connection, a: &Stored, key: i64, rows: &[Row]) -> rusqlite::Result<()> {
    let mut insert = conn.prepare_cached(
        "INSERT OR REPLACE INTO affected (ecosystem, package, advisory_id, source, entry, \
         advisory, ranges, entry_severity, entry_specific, withdrawn, summary, details, \
         distro_severity, aliases, severity, refs) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?;
    let mut entry = conn.prepare_cached(
        "INSERT OR REPLACE INTO entries (ecosystem, package, advisory_id, source, entry, \
         advisory, affected_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    // The start of the description stands in for a missing summary.
    let details = match a.summary {
        Some(s) if !s.is_empty() => None,
        _ => a.details.map(|d| match d.char_indices().nth(500) {
            Some((end, _)) => &d[..end],
            None => d,
        }),
    };
    for r in rows {
        insert.execute(rusqlite::params![
            r.ecosystem,
            r.package,
            a.id,
            a.source,
            r.entry,
            key,
            r.ranges,
            r.severity,
            r.specific,
            a.withdrawn,
            a.summary,
            details,
            a.distro_severity,
            a.aliases,
            a.severity,
            a.refs,
        ])?;
        entry.execute((
            &r.ecosystem,
            &r.package,
            a.id,
            a.source,
            r.entry,
            key,
            &r.json,
        ))?;
    }
    Ok(())
}

/// Records an import in `sources`.
pub(crate) fn record_source(
    conn: &Connection,
    name: &str,
    origin: &str,
    records: u64,
    now: u64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO sources (name, origin, records, imported) VALUES (?1, ?2, ?3, ?4)",
        (
            name,
            origin,
            i64::try_from(records).unwrap_or(i64::MAX),
            i64::try_from(now).unwrap_or(i64::MAX),
        ),
    )?;
    Ok(())
}

fn to_sql(e: serde_json::Error) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(e))
}

/// An RFC 3339 timestamp as nanoseconds since 0000-03-01 (any fixed epoch
/// orders the same), or `None` when it is not one.
pub(crate) fn timestamp(s: &str) -> Option<i128> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = b.get(r)?;
        if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    let sep = |i: usize, c: &[u8]| b.get(i).is_some_and(|x| c.contains(x));
    if !(sep(4, b"-") && sep(7, b"-") && sep(10, b"Tt ") && sep(13, b":") && sep(16, b":")) {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut i = 19;
    let mut nanos: i128 = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        let mut scale = 100_000_000i128;
        while let Some(d) = b.get(i).filter(|d| d.is_ascii_digit()) {
            nanos += i128::from(d - b'0') * scale;
            scale /= 10;
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    let offset_secs: i64 = match b.get(i) {
        Some(b'Z' | b'z') if i + 1 == b.len() => 0,
        Some(sign @ (b'+' | b'-')) if i + 6 == b.len() && sep(i + 3, b":") => {
            let h = num(i + 1..i + 3)?;
            let m = num(i + 4..i + 6)?;
            let off = h * 3600 + m * 60;
            if *sign == b'+' { off } else { -off }
        }
        _ => return None,
    };
    let days = shipshape_core::time::days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_secs;
    Some(i128::from(secs) * 1_000_000_000 + nanos)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::timestamp;

    #[test]
    fn timestamps_order_by_instant_not_by_text() {
        let t = |s| timestamp(s).unwrap_or_else(|| panic!("{s} parses"));
        assert!(t("2023-01-01T00:00:00.5Z") > t("2023-01-01T00:00:00Z"));
        assert!(t("2023-01-01T01:00:00+02:00") < t("2023-01-01T00:00:00Z"));
        assert!(t("2024-03-01T00:00:00Z") > t("2024-02-29T23:59:59.999Z"));
        assert!(t("0001-01-01T00:00:00Z") < t("1970-01-01T00:00:00Z"));
        assert_eq!(t("2023-05-22T20:36:32Z"), t("2023-05-22T22:36:32+02:00"));
        for bad in [
            "",
            "2023-01-01",
            "2023-13-01T00:00:00Z",
            "2023-01-01T00:00:00",
            "2023-01-01T00:00:00.Z",
            "2023-01-01T00:00:00Zjunk",
        ] {
            assert_eq!(timestamp(bad), None, "{bad}");
        }
    }
}
