//! rpm's sqlite package database, `rpmdb.sqlite` (rpm 4.16 and later:
//! Fedora 33 and later, RHEL 9 and its rebuilds, Amazon Linux 2023). Its
//! table `Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT
//! NULL)` holds one header blob per package instance.
//!
//! The file's bytes are opened in memory (`sqlite3_deserialize`, read
//! only), not written to disk.

use std::io::Read;

use rusqlite::config::DbConfig;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension};

use super::Visit;

const MAGIC: &[u8] = b"SQLite format 3\0";
/// Bytes 18 and 19 of the file header: the read and write format
/// versions, 2 for a database in WAL mode.
const FORMAT_VERSIONS: std::ops::Range<usize> = 18..20;

/// Hands every blob of the `Packages` table to `visit`. A file that is
/// not an sqlite database with that table, or that sqlite finds corrupt,
/// is an error (after the rows read before the corruption).
pub fn walk(bytes: &[u8], visit: Visit<'_>) -> Result<(), String> {
    if bytes.len() < 100 || !bytes.starts_with(MAGIC) {
        return Err("not an SQLite database".into());
    }
    let sql = |e: rusqlite::Error| format!("sqlite: {e}");
    let mut conn = Connection::open_in_memory().map_err(sql)?;
    // rpm keeps its database in WAL mode, which an in-memory database
    // cannot open; the same pages read as a rollback-journal database
    // (the WAL file itself, with transactions not yet checkpointed, is
    // not read).
    let reader = bytes[..FORMAT_VERSIONS.start]
        .chain(&[1u8, 1][..])
        .chain(&bytes[FORMAT_VERSIONS.end..]);
    conn.deserialize_read_exact("main", reader, bytes.len(), true)
        .map_err(sql)?;
    // The schema comes from the file: let nothing in it run.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)
        .map_err(sql)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)
        .map_err(sql)?;
    // An ordinary table only: a view or virtual table could compute rows
    // without end.
    let schema: Option<String> = conn
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'Packages'",
            [],
            |row| row.get(0),
        )
        .optional()
        .map_err(sql)?;
    match schema {
        None => return Err("no Packages table".into()),
        Some(s)
            if s.trim_start()
                .to_ascii_uppercase()
                .starts_with("CREATE VIRTUAL") =>
        {
            return Err("Packages is a virtual table".into());
        }
        Some(_) => {}
    }
    // Stored columns only: a generated one is computed on every read.
    let generated: i64 = conn
        .query_row(
            "SELECT count(*) FROM pragma_table_xinfo('Packages') WHERE hidden != 0",
            [],
            |row| row.get(0),
        )
        .map_err(sql)?;
    if generated != 0 {
        return Err("Packages has generated columns".into());
    }
    let mut stmt = conn
        .prepare("SELECT hnum, blob FROM Packages")
        .map_err(sql)?;
    let mut rows = stmt.query([]).map_err(sql)?;
    while let Some(row) = rows.next().map_err(sql)? {
        let ValueRef::Integer(hnum) = row.get_ref(0).map_err(sql)? else {
            visit(Err("a row whose hnum is not an integer".into()));
            continue;
        };
        let Ok(instance) = u32::try_from(hnum) else {
            visit(Err(format!("package instance {hnum} out of range")));
            continue;
        };
        match row.get_ref(1).map_err(sql)? {
            ValueRef::Blob(blob) => visit(Ok((instance, blob))),
            _ => visit(Err(format!("package {instance}: blob is not a BLOB"))),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytes of a database made by running `sql`.
    fn database(sql: &str) -> Vec<u8> {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("rpmdb.sqlite");
        let conn = Connection::open(&path).expect("open");
        conn.execute_batch(sql).expect("sql");
        drop(conn);
        std::fs::read(path).expect("read")
    }

    /// The blobs found, the problems, and the walk's result.
    type Walked = (Vec<(u32, Vec<u8>)>, Vec<String>, Result<(), String>);

    fn walk_all(bytes: &[u8]) -> Walked {
        let (mut found, mut problems) = (Vec::new(), Vec::new());
        let r = walk(bytes, &mut |item| match item {
            Ok((n, blob)) => found.push((n, blob.to_vec())),
            Err(e) => problems.push(e),
        });
        (found, problems, r)
    }

    #[test]
    fn rows_of_rpms_schema() {
        let bytes = database(
            "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL);
             INSERT INTO Packages VALUES (1, x'0102'), (7, x'03'), (8, 'text'), (-1, x'04');",
        );
        let (found, problems, r) = walk_all(&bytes);
        assert_eq!(r, Ok(()));
        assert_eq!(found, [(1, vec![1, 2]), (7, vec![3])]);
        assert_eq!(
            problems,
            [
                "package instance -1 out of range",
                "package 8: blob is not a BLOB"
            ]
        );
    }

    #[test]
    fn computed_rows_are_refused() {
        // A view that never ends, and a column computed on every read.
        let view = database(
            "CREATE VIEW Packages AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)
             SELECT x AS hnum, zeroblob(16) AS blob FROM c;",
        );
        assert_eq!(walk_all(&view).2, Err("no Packages table".into()));
        let generated = database(
            "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY,
                 blob BLOB GENERATED ALWAYS AS (zeroblob(100000000)) VIRTUAL);
             INSERT INTO Packages (hnum) VALUES (1);",
        );
        assert_eq!(
            walk_all(&generated).2,
            Err("Packages has generated columns".into())
        );
    }

    #[test]
    fn a_database_without_the_table_is_an_error() {
        let other = database("CREATE TABLE Other (x);");
        assert_eq!(walk_all(&other).2, Err("no Packages table".into()));
        assert_eq!(
            walk_all(b"not sqlite").2,
            Err("not an SQLite database".into())
        );
    }
}
