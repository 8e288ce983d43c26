//! The root file system reader on trees written here: files larger than
//! an analyzer's limit (sparse, so nothing large is written), links that
//! point out of the tree, FIFOs, loops, and the limit on what is kept.

use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use shipshape_image::files::{Condensed, Entry, FileIndex, Interest, Kind};
use shipshape_image::layer::Limits;
use shipshape_image::rootfs::read_dir;

/// Keeps `etc/*`, condenses `db/*` (to its length, as text) within
/// `limit` bytes, and records which files it was handed.
struct Probe {
    limit: u64,
    condensed: Mutex<Vec<String>>,
}

impl Probe {
    fn new(limit: u64) -> Probe {
        Probe {
            limit,
            condensed: Mutex::new(Vec::new()),
        }
    }

    fn handed(&self) -> Vec<String> {
        self.condensed.lock().map(|v| v.clone()).unwrap_or_default()
    }
}

impl Interest for Probe {
    fn keep(&self, path: &str) -> bool {
        path.starts_with("etc/")
    }

    fn condenses(&self, path: &str, _mode: u32, _size: u64) -> bool {
        path.starts_with("db/")
    }

    fn condense_limit(&self, _path: &str) -> Option<u64> {
        Some(self.limit)
    }

    fn condense(&self, path: &str, bytes: &[u8]) -> Option<Condensed> {
        if let Ok(mut handed) = self.condensed.lock() {
            handed.push(path.to_string());
        }
        let record = bytes.len().to_string();
        let weight = record.len();
        Some(Condensed::new(record, weight))
    }
}

fn put(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, bytes).expect("write");
}

fn no_secrets() -> Limits {
    Limits {
        scan_secrets: false,
        ..Limits::default()
    }
}

fn entry<'a>(files: &'a FileIndex, path: &str) -> &'a Entry {
    files
        .get(path)
        .unwrap_or_else(|| panic!("{path} not in the index"))
}

/// `read_dir` on another thread, so that a walk that hangs fails the test
/// instead of stopping it.
fn read_within(root: &Path, limits: Limits, probe: Probe, secs: u64) -> (FileIndex, Probe) {
    let (tx, rx) = std::sync::mpsc::channel();
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        let read = read_dir(&root, limits, &probe).map(|(files, _, _)| files);
        let _ = tx.send((read, probe));
    });
    let (read, probe) = rx
        .recv_timeout(Duration::from_secs(secs))
        .expect("read_dir did not finish: it hangs");
    (read.expect("read"), probe)
}

#[test]
fn a_huge_sparse_file_is_not_read_and_its_entry_says_why() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::create_dir_all(dir.path().join("db")).expect("mkdir");
    let huge = std::fs::File::create(dir.path().join("db/status")).expect("create");
    huge.set_len(2 << 30).expect("sparse 2 GiB");
    put(dir.path(), "db/small", b"0123456789");

    let started = std::time::Instant::now();
    let (files, probe) = read_within(dir.path(), no_secrets(), Probe::new(1 << 20), 10);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "read, not skipped"
    );

    let status = entry(&files, "db/status");
    assert_eq!(status.condensed, None);
    assert_eq!(
        status.unread.as_deref(),
        Some("not read: 2147483648 bytes, over the limit of 1048576 bytes for a file read whole")
    );
    // The file within its limit is read as before.
    let small = entry(&files, "db/small");
    assert_eq!(
        small
            .condensed
            .as_ref()
            .and_then(|c| c.get::<String>())
            .map(String::as_str),
        Some("10")
    );
    assert_eq!(small.unread, None);
    assert_eq!(probe.handed(), ["db/small"]);
}

#[test]
fn the_limit_of_all_files_is_the_largest_an_analyzer_may_ask_for() {
    let dir = tempfile::tempdir().expect("tmp");
    put(dir.path(), "db/a", &[b'a'; 4096]);
    let limits = Limits {
        max_condensed: 1024,
        ..no_secrets()
    };
    // The analyzer asks for more than the reader allows: the reader's limit holds.
    let (files, probe) = read_within(dir.path(), limits, Probe::new(1 << 20), 10);
    assert!(probe.handed().is_empty());
    assert!(
        entry(&files, "db/a")
            .unread
            .as_deref()
            .is_some_and(|why| why.contains("over the limit of 1024 bytes")),
        "{:?}",
        entry(&files, "db/a")
    );
}

#[test]
fn links_out_of_the_tree_are_recorded_and_never_read() {
    let outside = tempfile::tempdir().expect("tmp");
    put(
        outside.path(),
        "shadow",
        b"root:$6$secret:19000:0:99999:7:::\n",
    );
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::create_dir_all(dir.path().join("db")).expect("mkdir");
    std::fs::create_dir_all(dir.path().join("etc")).expect("mkdir");
    let link = |target: &Path, at: &str| {
        std::os::unix::fs::symlink(target, dir.path().join(at)).expect("symlink");
    };
    link(&outside.path().join("shadow"), "db/status");
    link(Path::new("/proc/self/mem"), "db/mem");
    link(&outside.path().join("shadow"), "etc/shadow");
    link(outside.path(), "etc/outside");
    // Links back up the tree: recorded, never walked.
    link(Path::new("."), "etc/self");
    link(Path::new(".."), "db/up");

    let (files, probe) = read_within(dir.path(), no_secrets(), Probe::new(1 << 20), 10);
    assert!(probe.handed().is_empty(), "{:?}", probe.handed());
    for path in ["db/status", "db/mem", "etc/shadow", "etc/outside"] {
        let e = entry(&files, path);
        assert!(matches!(e.kind, Kind::Symlink(_)), "{path}: {e:?}");
        assert_eq!((&e.content, &e.condensed), (&None, &None), "{path}");
    }
    assert!(
        files.iter().all(|(p, _)| !p.contains("outside/")
            && !p.starts_with("etc/self/")
            && !p.starts_with("db/up/")),
        "walked through a link: {:?}",
        files.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
    assert_eq!(files.len(), 8, "db, etc and six links");
}

#[test]
fn a_fifo_at_a_wanted_path_is_not_opened() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::create_dir_all(dir.path().join("db")).expect("mkdir");
    std::fs::create_dir_all(dir.path().join("etc")).expect("mkdir");
    for fifo in ["db/status", "etc/passwd"] {
        let made = std::process::Command::new("mkfifo")
            .arg(dir.path().join(fifo))
            .status()
            .expect("mkfifo");
        assert!(made.success());
    }
    put(dir.path(), "etc/group", b"root:x:0:\n");

    let (files, probe) = read_within(dir.path(), Limits::default(), Probe::new(1 << 20), 10);
    assert!(probe.handed().is_empty());
    for fifo in ["db/status", "etc/passwd"] {
        assert_eq!(entry(&files, fifo).kind, Kind::Other);
        assert_eq!(entry(&files, fifo).content, None);
    }
    assert_eq!(
        entry(&files, "etc/group").content.as_deref(),
        Some(&b"root:x:0:\n"[..])
    );
}

#[test]
fn contents_kept_stop_at_the_limit_of_all_files_and_say_so() {
    let dir = tempfile::tempdir().expect("tmp");
    for name in ["a", "b", "c", "d"] {
        put(dir.path(), &format!("etc/{name}"), &[b'x'; 1000]);
    }
    let limits = Limits {
        max_kept: 2500,
        ..no_secrets()
    };
    let (files, _) = read_within(dir.path(), limits, Probe::new(1 << 20), 10);
    let kept: Vec<&str> = ["etc/a", "etc/b", "etc/c", "etc/d"]
        .into_iter()
        .filter(|p| entry(&files, p).content.is_some())
        .collect();
    assert_eq!(kept.len(), 2, "{kept:?}");
    for (path, e) in files
        .iter()
        .filter(|(p, e)| p.starts_with("etc/") && e.content.is_none())
    {
        assert_eq!(
            e.unread.as_deref(),
            Some("not kept: the contents kept of all files reached the limit of 2500 bytes"),
            "{path}"
        );
    }
}
