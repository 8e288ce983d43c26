//! Downloading feeds and building a new database from them.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{Builder, ImportSummary};
use crate::db::DbError;

/// Where osv.dev publishes its per-ecosystem archives
/// (`{base}/{ecosystem}/all.zip`).
pub const DEFAULT_OSV_BASE_URL: &str = "https://osv-vulnerabilities.storage.googleapis.com";

/// The Debian security tracker's JSON export.
pub const DEBIAN_TRACKER_URL: &str = "https://security-tracker.debian.org/tracker/data/json";

/// Largest download accepted.
const MAX_DOWNLOAD: u64 = 4 << 30;

/// Alpine's secdb for one release and repository
/// (`alpine_secdb_url("v3.20", "main")`).
pub fn alpine_secdb_url(version: &str, repo: &str) -> String {
    format!("https://secdb.alpinelinux.org/{version}/{repo}.json")
}

/// The URL a feed is read from. A feed is a full URL (`http://`,
/// `https://`, `file://`), `debian-tracker` ([`DEBIAN_TRACKER_URL`]),
/// `alpine-secdb:v3.20/main` ([`alpine_secdb_url`]), or an OSV ecosystem
/// name (`PyPI`, `Debian:12`), read as `{base_url}/{ecosystem}/all.zip`.
pub fn feed_url(base_url: &str, feed: &str) -> String {
    if ["http://", "https://", "file://"]
        .iter()
        .any(|p| feed.starts_with(p))
    {
        return feed.to_string();
    }
    if feed == "debian-tracker" {
        return DEBIAN_TRACKER_URL.to_string();
    }
    if let Some(rest) = feed.strip_prefix("alpine-secdb:")
        && let Some((version, repo)) = rest.split_once('/')
    {
        return alpine_secdb_url(version, repo);
    }
    format!(
        "{}/{}/all.zip",
        base_url.trim_end_matches('/'),
        encode(feed)
    )
}

/// Percent-encodes what a path segment cannot hold as is (`:` may stay).
fn encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:@!$&'()*+,;=".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Downloads every feed (see [`feed_url`]), imports them into a new
/// database in a temporary file beside `target`, and swaps it in. A feed
/// that fails to download or cannot be read as a whole fails the update
/// and leaves the database at `target` as it was.
pub fn update(
    target: &Path,
    base_url: &str,
    feeds: &[&str],
) -> Result<Vec<ImportSummary>, DbError> {
    if feeds.is_empty() {
        return Err(DbError::new(target.display(), "no feeds to update from"));
    }
    let mut builder = Builder::create(target, false)?;
    let dir = builder
        .temp
        .path()
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(Duration::from_secs(30)))
        .timeout_recv_response(Some(Duration::from_secs(60)))
        .timeout_per_read(Some(Duration::from_secs(60)))
        .build()
        .into();
    let mut summaries = Vec::with_capacity(feeds.len());
    for feed in feeds {
        let url = feed_url(base_url, feed);
        let summary = if let Some(path) = url.strip_prefix("file://") {
            builder.import_as(Path::new(path), &url, &url)?
        } else {
            let download = download(&agent, &url, &dir)?;
            builder.import_as(download.path(), &url, &url)?
        };
        summaries.push(summary);
    }
    builder.finish()?;
    Ok(summaries)
}

/// Fetches `url` into a temporary file in `dir`.
fn download(
    agent: &ureq::Agent,
    url: &str,
    dir: &Path,
) -> Result<tempfile::NamedTempFile, DbError> {
    let fail = |problem: String| DbError::new(url, problem);
    let mut response = agent
        .get(url)
        .call()
        .map_err(|e| fail(format!("download failed: {e}")))?;
    let mut file = tempfile::Builder::new()
        .prefix(".shipshape-feed.")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| {
            fail(format!(
                "cannot create a temporary file in {}: {e}",
                dir.display()
            ))
        })?;
    let mut reader = response
        .body_mut()
        .with_config()
        .limit(MAX_DOWNLOAD)
        .reader();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(fail(format!("download failed: {e}"))),
        };
        let chunk = buf.get(..n).unwrap_or_default();
        std::io::Write::write_all(&mut file, chunk)
            .map_err(|e| fail(format!("cannot write {}: {e}", file.path().display())))?;
    }
    Ok(file)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::feed_url;

    #[test]
    fn feeds_resolve_against_the_base_url() {
        let base = "http://127.0.0.1:8000/osv/";
        assert_eq!(
            feed_url(base, "PyPI"),
            "http://127.0.0.1:8000/osv/PyPI/all.zip"
        );
        assert_eq!(
            feed_url(base, "Debian:12"),
            "http://127.0.0.1:8000/osv/Debian:12/all.zip"
        );
        assert_eq!(
            feed_url(base, "Ubuntu:22.04:LTS"),
            "http://127.0.0.1:8000/osv/Ubuntu:22.04:LTS/all.zip"
        );
        assert_eq!(
            feed_url(base, "GIT repo/x"),
            "http://127.0.0.1:8000/osv/GIT%20repo%2Fx/all.zip"
        );
        assert_eq!(
            feed_url(base, "http://mirror/tracker.json"),
            "http://mirror/tracker.json"
        );
        assert_eq!(
            feed_url(base, "alpine-secdb:v3.20/main"),
            "https://secdb.alpinelinux.org/v3.20/main.json"
        );
        assert_eq!(
            feed_url(base, "debian-tracker"),
            "https://security-tracker.debian.org/tracker/data/json"
        );
    }
}
