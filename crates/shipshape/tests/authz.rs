//! `shipshape authz` in front of a real dockerd: a private daemon started
//! for the test in its own network namespace (`unshare --net`), with its
//! own data root, exec root and socket, `--storage-driver vfs --bridge
//! none --iptables=false` and `--authorization-plugin` naming the plugin,
//! whose socket is put in `/run/docker/plugins` and removed afterwards. The
//! real `docker` CLI talks to it.
//!
//! Needs root, dockerd, docker and busybox-static; skips without them
//! unless `SHIPSHAPE_REQUIRE_DOCKER=1` (set by `.ci/run`).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{bin, busybox_root, has_command, tmp};

/// Whether the test can run here; panics when it must.
fn can_run() -> bool {
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

/// The plugin, served by `shipshape authz`, stopped and its socket removed
/// when dropped.
struct Plugin {
    child: Child,
    socket: PathBuf,
}

impl Plugin {
    fn start(name: &str, log: &Path, extra: &[&str]) -> Plugin {
        let socket = PathBuf::from(format!("/run/docker/plugins/{name}.sock"));
        let child = bin()
            .args(["authz", "-q", "--socket"])
            .arg(&socket)
            .arg("--log")
            .arg(log)
            .args(extra)
            .current_dir(log.parent().unwrap_or(Path::new("/")))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start shipshape authz: {e}"));
        let started = Instant::now();
        while std::os::unix::net::UnixStream::connect(&socket).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "shipshape authz did not listen on {}",
                socket.display()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Plugin { child, socket }
    }
}

impl Drop for Plugin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.socket);
    }
}

/// A private dockerd, stopped when dropped.
struct Daemon {
    child: Child,
    socket: PathBuf,
}

impl Daemon {
    fn start(dir: &Path, plugin: &str) -> Daemon {
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
            .args(["--authorization-plugin", plugin])
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

    fn docker(&self, args: &[&str]) -> Output {
        Command::new("docker")
            .arg("-H")
            .arg(format!("unix://{}", self.socket.display()))
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run docker: {e}"))
    }

    /// Imports a busybox-static image as `name`.
    fn import_busybox(&self, dir: &Path, name: &str) {
        let root = dir.join("rootfs");
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

fn err(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_private_dockerd_refuses_dangerous_containers_through_the_plugin() {
    if !can_run() {
        return;
    }
    let dir = tmp();
    let name = format!("shipshape-test-{}", std::process::id());
    let log = dir.path().join("authz.jsonl");
    let plugin = Plugin::start(&name, &log, &[]);
    let daemon = Daemon::start(dir.path(), &name);
    daemon.import_busybox(dir.path(), "bb:1");

    // Each refused with its rule id in the CLI's error.
    for (flags, id) in [
        (&["--privileged"][..], "RT001"),
        (
            &["-v", "/var/run/docker.sock:/var/run/docker.sock"][..],
            "RT013",
        ),
        (&["--pid", "host"][..], "RT009"),
        (&["--cap-add", "SYS_ADMIN"][..], "RT002"),
    ] {
        let mut args = vec!["create", "--network", "none"];
        args.extend_from_slice(flags);
        args.extend(["bb:1", "true"]);
        let out = daemon.docker(&args);
        assert!(!out.status.success(), "{flags:?} was allowed");
        let text = err(&out);
        assert!(
            text.contains(&format!("authorization denied by plugin {name}")) && text.contains(id),
            "{flags:?}: {text}"
        );
    }
    // A hardened container is created and runs.
    let out = daemon.docker(&[
        "run",
        "--rm",
        "--network",
        "none",
        "--user",
        "1000",
        "--read-only",
        "--cap-drop",
        "ALL",
        "--security-opt",
        "no-new-privileges",
        "--memory",
        "64m",
        "--pids-limit",
        "64",
        "bb:1",
        "true",
    ]);
    assert!(out.status.success(), "{}", err(&out));
    // A privileged exec is refused; a plain one is not.
    let out = daemon.docker(&[
        "run",
        "-d",
        "--name",
        "keep",
        "--network",
        "none",
        "bb:1",
        "sleep",
        "60",
    ]);
    assert!(out.status.success(), "{}", err(&out));
    let out = daemon.docker(&["exec", "--privileged", "keep", "true"]);
    assert!(err(&out).contains("RT001"), "{}", err(&out));
    let out = daemon.docker(&["exec", "keep", "true"]);
    assert!(out.status.success(), "{}", err(&out));
    let _ = daemon.docker(&["rm", "-f", "keep"]);

    // Every decision is a JSON line.
    let lines = std::fs::read_to_string(&log).unwrap_or_else(|e| panic!("{e}"));
    let decisions: Vec<serde_json::Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let denied = decisions.iter().filter(|d| d["decision"] == "deny").count();
    assert_eq!(denied, 5, "{lines}");

    // A dry run lets everything through and logs what it would refuse.
    drop(plugin);
    let dry_log = dir.path().join("dry.jsonl");
    let _plugin = Plugin::start(&name, &dry_log, &["--dry-run"]);
    let out = daemon.docker(&[
        "create",
        "--network",
        "none",
        "--privileged",
        "bb:1",
        "true",
    ]);
    assert!(out.status.success(), "{}", err(&out));
    let lines = std::fs::read_to_string(&dry_log).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        lines
            .lines()
            .any(|l| l.contains("\"would-deny\"") && l.contains("RT001")),
        "{lines}"
    );
    drop(daemon);
}
