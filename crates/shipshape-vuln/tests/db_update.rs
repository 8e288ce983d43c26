//! `update` against a small HTTP server on 127.0.0.1 that serves files
//! from a directory, as an offline mirror of osv.dev's layout would: the
//! database is built from what it serves, and a failed download or a
//! corrupt archive leaves the old database as it was.

#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use shipshape_vuln::db::Db;
use shipshape_vuln::import::update;

/// Serves files under a directory over HTTP/1.1 until dropped (or for a
/// minute at most); one request per connection.
struct Server {
    base: String,
    stop: Arc<AtomicBool>,
}

impl Server {
    fn start(root: PathBuf) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(60);
            while !flag.load(Ordering::Relaxed) && Instant::now() < deadline {
                match listener.accept() {
                    Ok((stream, _)) => serve(&root, stream),
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Server { base, stop }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn serve(root: &Path, stream: std::net::TcpStream) {
    stream.set_nonblocking(false).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut reader = BufReader::new(stream);
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) if line == "\r\n" || line == "\n" => break,
            Ok(_) => {}
        }
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let path = path.replace("%3A", ":");
    let file = root.join(path.trim_start_matches('/'));
    let mut stream = reader.into_inner();
    let response = match std::fs::read(&file) {
        Ok(body) if !path.contains("..") => {
            let mut r = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            )
            .into_bytes();
            r.extend(body);
            r
        }
        _ => b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec(),
    };
    let _ = stream.write_all(&response);
}

fn record(id: &str, ecosystem: &str, package: &str) -> String {
    format!(
        r#"{{"id": "{id}", "modified": "2024-01-01T00:00:00Z",
            "affected": [{{"package": {{"ecosystem": "{ecosystem}", "name": "{package}"}},
              "ranges": [{{"type": "ECOSYSTEM", "events": [{{"introduced": "0"}}, {{"fixed": "1.0"}}]}}]}}]}}"#
    )
}

fn zip_of(path: &Path, entries: &[(&str, String)]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    for (name, data) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(data.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

const TRACKER: &str = r#"{"openssl": {"CVE-2024-5535": {"description": "SSL_select_next_proto buffer overread",
    "releases": {"bookworm": {"status": "open", "urgency": "not yet assigned", "nodsa": "Minor issue", "nodsa_reason": "postponed"},
                 "sid": {"status": "resolved", "fixed_version": "3.3.1-1", "urgency": "not yet assigned"}}}}}"#;

#[test]
fn update_builds_from_a_mirror_and_a_failed_update_keeps_the_old_database() {
    let dir = tempfile::tempdir().unwrap();
    let mirror = dir.path().join("mirror");
    zip_of(
        &mirror.join("PyPI/all.zip"),
        &[("PYSEC-1.json", record("PYSEC-1", "PyPI", "Demo.Pkg"))],
    );
    zip_of(
        &mirror.join("Debian:12/all.zip"),
        &[("DSA-1.json", record("DSA-1", "Debian:12", "openssl"))],
    );
    std::fs::write(mirror.join("tracker.json"), TRACKER).unwrap();
    let server = Server::start(mirror.clone());
    let data = dir.path().join("data");
    let target = data.join("advisories.db");
    let tracker_url = format!("{}/tracker.json", server.base);

    let summaries = update(&target, &server.base, &["PyPI", "Debian:12", &tracker_url]).unwrap();
    let sources: Vec<(&str, u64)> = summaries
        .iter()
        .map(|s| (s.source.as_str(), s.records))
        .collect();
    assert_eq!(sources, [("osv", 1), ("osv", 1), ("debian-tracker", 1)]);
    let db = Db::open(&target).unwrap();
    assert_eq!(db.candidates("PyPI", "demo-pkg").unwrap().len(), 1);
    assert_eq!(db.candidates("Debian:12", "openssl").unwrap().len(), 2);
    let origins: Vec<String> = db
        .status()
        .unwrap()
        .sources
        .into_iter()
        .map(|s| s.origin)
        .collect();
    assert!(
        origins.contains(&format!("{}/PyPI/all.zip", server.base)),
        "{origins:?}"
    );
    assert!(origins.contains(&tracker_url), "{origins:?}");
    drop(db);

    // A feed that is not there: the update fails naming its URL.
    let e = update(&target, &server.base, &["PyPI", "npm"]).unwrap_err();
    assert_eq!(e.subject, format!("{}/npm/all.zip", server.base));
    assert!(e.problem.contains("404"), "{e}");

    // A corrupt archive: the update fails naming it.
    let good = std::fs::read(mirror.join("PyPI/all.zip")).unwrap();
    std::fs::write(mirror.join("PyPI/all.zip"), &good[..good.len() - 30]).unwrap();
    let e = update(&target, &server.base, &["PyPI"]).unwrap_err();
    assert_eq!(e.subject, format!("{}/PyPI/all.zip", server.base));
    assert!(e.problem.contains("not a readable zip archive"), "{e}");

    // An HTML error page served with 200: not a feed.
    std::fs::write(mirror.join("PyPI/all.zip"), "<html>maintenance</html>").unwrap();
    let e = update(&target, &server.base, &["PyPI"]).unwrap_err();
    assert!(e.problem.contains("not a JSON object"), "{e}");

    // Each failure left the first database whole, and no temporary file.
    let db = Db::open(&target).unwrap();
    assert_eq!(db.candidates("PyPI", "demo-pkg").unwrap().len(), 1);
    assert_eq!(db.candidates("Debian:12", "openssl").unwrap().len(), 2);
    assert_eq!(db.status().unwrap().sources.len(), 3);
    let files: Vec<String> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, ["advisories.db"]);

    // Nothing to update from is an error, not an empty database.
    assert!(update(&target, &server.base, &[]).is_err());
    assert!(
        Db::open(&target)
            .unwrap()
            .candidates("PyPI", "demo-pkg")
            .unwrap()
            .len()
            == 1
    );
}

#[test]
fn update_reads_a_mirror_directory_by_file_url() {
    let dir = tempfile::tempdir().unwrap();
    let mirror = dir.path().join("mirror");
    zip_of(
        &mirror.join("crates.io/all.zip"),
        &[("RUSTSEC-1.json", record("RUSTSEC-1", "crates.io", "demo"))],
    );
    let target = dir.path().join("advisories.db");
    let base = format!("file://{}", mirror.display());
    let summaries = update(&target, &base, &["crates.io"]).unwrap();
    assert_eq!(summaries[0].records, 1);
    assert_eq!(
        Db::open(&target)
            .unwrap()
            .candidates("crates.io", "demo")
            .unwrap()
            .len(),
        1
    );
    let e = update(&target, &base, &["npm"]).unwrap_err();
    assert!(e.problem.contains("cannot read"), "{e}");
}
