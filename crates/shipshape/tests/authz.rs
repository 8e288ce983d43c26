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
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::dockerd::{Daemon, can_run};
use common::{bin, tmp};

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
    let daemon = Daemon::start(dir.path(), Some(&name));
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
    // An update that lifts the process limit is logged (RT023 is low).
    let out = daemon.docker(&["update", "--pids-limit", "-1", "keep"]);
    assert!(out.status.success(), "{}", err(&out));
    let _ = daemon.docker(&["rm", "-f", "keep"]);
    // A volume that binds a sensitive host directory is refused; a plain
    // one is not.
    let out = daemon.docker(&[
        "volume",
        "create",
        "--opt",
        "type=none",
        "--opt",
        "o=bind",
        "--opt",
        "device=/etc",
        "hostetc",
    ]);
    assert!(
        !out.status.success() && err(&out).contains("RT014"),
        "{}",
        err(&out)
    );
    let out = daemon.docker(&["volume", "create", "data"]);
    assert!(out.status.success(), "{}", err(&out));

    // Every decision is a JSON line.
    let lines = std::fs::read_to_string(&log).unwrap_or_else(|e| panic!("{e}"));
    let decisions: Vec<serde_json::Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let denied = decisions.iter().filter(|d| d["decision"] == "deny").count();
    assert_eq!(denied, 6, "{lines}");
    assert!(
        decisions.iter().any(|d| d["decision"] == "allow"
            && d["uri"].as_str().is_some_and(|u| u.ends_with("/update"))
            && d["findings"][0]["rule"] == "RT023"),
        "{lines}"
    );

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
