//! A private dockerd for the tests that need one of their own: started in
//! its own network namespace (`unshare --net`; a dockerd with `--bridge
//! none` in the host's namespace would delete the host's `docker0`), with
//! its own config file, data root, exec root and socket under a temporary
//! directory, `--storage-driver vfs --bridge none --iptables=false`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::{busybox_root, has_command};

/// Whether the test can run here; panics when it must.
pub fn can_run() -> bool {
    let missing: Vec<&str> = ["dockerd", "docker", "unshare"]
        .into_iter()
        .filter(|t| !has_command(t))
        .collect();
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    if missing.is_empty() && root {
        return true;
    }
    let why = format!("missing {missing:?}, root: {root}");
    if std::env::var("SHIPSHAPE_REQUIRE_DOCKER").is_ok_and(|v| v == "1") {
        panic!("SHIPSHAPE_REQUIRE_DOCKER=1 but a private dockerd cannot be started: {why}");
    }
    eprintln!("skipping: a private dockerd cannot be started ({why})");
    false
}

/// A private dockerd, stopped when dropped.
pub struct Daemon {
    child: Child,
    pub socket: PathBuf,
}

impl Daemon {
    /// Starts a daemon whose files are under `dir` (started again on the
    /// same `dir`, it finds its images), asking `plugin` about each call
    /// when given.
    pub fn start(dir: &Path, plugin: Option<&str>) -> Daemon {
        let config = dir.join("daemon.json");
        std::fs::write(&config, "{}").unwrap_or_else(|e| panic!("{e}"));
        let socket = dir.join("docker.sock");
        let log = std::fs::File::create(dir.join("dockerd.log")).unwrap_or_else(|e| panic!("{e}"));
        let child = Command::new("unshare")
            .arg("--net")
            .arg("dockerd")
            .arg("--config-file")
            .arg(&config)
            .arg("--data-root")
            .arg(dir.join("data"))
            .arg("--exec-root")
            .arg(dir.join("exec"))
            .arg("--pidfile")
            .arg(dir.join("dockerd.pid"))
            .arg("-H")
            .arg(format!("unix://{}", socket.display()))
            .args(["--storage-driver", "vfs", "--bridge", "none"])
            .args(["--iptables=false", "--ip6tables=false"])
            .args(
                plugin
                    .map(|p| ["--authorization-plugin", p])
                    .into_iter()
                    .flatten(),
            )
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start dockerd: {e}"));
        let daemon = Daemon { child, socket };
        let started = Instant::now();
        while !daemon.docker(&["version"]).status.success() {
            assert!(
                started.elapsed() < Duration::from_secs(90),
                "the private dockerd did not answer: {}",
                std::fs::read_to_string(dir.join("dockerd.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(250));
        }
        daemon
    }

    pub fn docker(&self, args: &[&str]) -> Output {
        Command::new("docker")
            .arg("-H")
            .arg(format!("unix://{}", self.socket.display()))
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run docker: {e}"))
    }

    /// Imports a busybox-static image as `name`.
    pub fn import_busybox(&self, dir: &Path, name: &str) {
        let root = dir.join("rootfs");
        let _ = std::fs::remove_dir_all(&root);
        busybox_root(&root, &["sh", "true", "sleep"]).unwrap_or_else(|e| panic!("{e}"));
        let tar = dir.join("rootfs.tar");
        let out = Command::new("tar")
            .arg("-C")
            .arg(&root)
            .arg("-cf")
            .arg(&tar)
            .arg(".")
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(out.status.success());
        let tar = tar.display().to_string();
        let out = self.docker(&["import", &tar, name]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(20) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
