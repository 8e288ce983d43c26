//! `shipshape watch` on real daemons: the machine's, for alerts,
//! enforcement, images, the webhook and a soak of a few thousand events;
//! a private dockerd, stopped and started again, for reconnection.
//!
//! Each test watches only containers carrying a label of its own, so that
//! nothing else on the daemon is audited or acted on, and removes every
//! container and image it makes. Without a daemon these tests skip, unless
//! `SHIPSHAPE_REQUIRE_DOCKER=1` (set by `.ci/run`), where they fail.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use serde_json::Value;

mod common;
use common::dockerd::Daemon;
use common::{HARDENED, bin, busybox_root, docker, docker_answers, tmp};

/// How long a test waits for what must come.
const PATIENCE: Duration = Duration::from_secs(60);

/// A request to the machine's daemon through its socket; the status and
/// the body.
fn api(method: &str, path: &str, body: &str) -> (u16, String) {
    let mut stream = UnixStream::connect("/var/run/docker.sock")
        .unwrap_or_else(|e| panic!("cannot reach the daemon's socket: {e}"));
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// The images, containers and label of one test, removed on drop.
struct Fixture {
    label: String,
    image: String,
    /// The start of every container name of this test.
    prefix: String,
    containers: Vec<String>,
}

impl Fixture {
    fn new(test: &str) -> Fixture {
        let unique = format!("{test}-{}", std::process::id());
        let image = format!("shipshape-test/watch:{unique}");
        let dir = tmp();
        let root = dir.path().join("rootfs");
        busybox_root(&root, &["sh", "sleep", "true"]).unwrap_or_else(|e| panic!("{e}"));
        let tar = dir.path().join("rootfs.tar").display().to_string();
        common::sh(
            "tar",
            &["-C", &root.display().to_string(), "-cf", &tar, "."],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        docker(&["import", &tar, &image]).unwrap_or_else(|e| panic!("{e}"));
        Fixture {
            label: format!("shipshape.test.watch={unique}"),
            image,
            prefix: format!("shipshape-watch-{unique}"),
            containers: Vec::new(),
        }
    }

    /// Starts a container that sleeps, named `name` with the test's
    /// prefix, with `options`; the container's full name.
    fn run(&mut self, name: &str, options: &[&str]) -> String {
        let full = format!("{}-{name}", self.prefix);
        self.containers.push(full.clone());
        let mut args = vec!["run", "-d", "--network", "none", "--name", &full];
        args.extend_from_slice(options);
        args.extend_from_slice(&[&self.image, "sleep", "300"]);
        docker(&args).unwrap_or_else(|e| panic!("{e}"));
        full
    }

    /// A watch of this test's containers (those with its label), with
    /// `extra` arguments, run in `dir`.
    fn watch(&self, dir: &Path, extra: &[&str]) -> Watcher {
        let mut args = vec!["--label", &self.label];
        args.extend_from_slice(extra);
        Watcher::start(dir, &args, &[])
    }

    fn labelled(&mut self, name: &str, options: &[&str]) -> String {
        let label = self.label.clone();
        let mut all = vec!["--label", &label];
        all.extend_from_slice(options);
        self.run(name, &all)
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        if !self.containers.is_empty() {
            let mut args = vec!["rm", "-f"];
            args.extend(self.containers.iter().map(String::as_str));
            let _ = docker(&args);
        }
        let _ = docker(&["rmi", "-f", &self.image]);
    }
}

fn running(container: &str) -> bool {
    docker(&["inspect", "--format", "{{.State.Running}}", container]).as_deref() == Ok("true")
}

const SOCKET_MOUNT: &[&str] = &["-v", "/var/run/docker.sock:/var/run/docker.sock"];

/// A running `shipshape watch --format json`: its alerts (standard
/// output) and its notes (standard error) go to files; stopped with
/// SIGTERM on drop.
struct Watcher {
    child: Option<Child>,
    out: PathBuf,
    err: PathBuf,
}

impl Watcher {
    fn start(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Watcher {
        let out = dir.join("alerts.jsonl");
        let err = dir.join("watch.err");
        let child = bin()
            .args(["watch", "--format", "json"])
            .args(args)
            .envs(env.iter().copied())
            .current_dir(dir)
            .stdout(std::fs::File::create(&out).unwrap_or_else(|e| panic!("{e}")))
            .stderr(std::fs::File::create(&err).unwrap_or_else(|e| panic!("{e}")))
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start shipshape watch: {e}"));
        let watcher = Watcher {
            child: Some(child),
            out,
            err,
        };
        watcher.wait_note("shipshape watch: following");
        watcher
    }

    fn notes(&self) -> String {
        std::fs::read_to_string(&self.err).unwrap_or_default()
    }

    fn wait_note(&self, note: &str) {
        let started = Instant::now();
        while !self.notes().contains(note) {
            assert!(
                started.elapsed() < PATIENCE,
                "no `{note}` from shipshape watch; it said: {}",
                self.notes()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn alerts(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.out)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
            .collect()
    }

    /// Waits until `want` holds of the alerts, and returns them.
    fn wait(&self, what: &str, want: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let started = Instant::now();
        loop {
            let alerts = self.alerts();
            if want(&alerts) {
                return alerts;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "waited in vain for {what}; alerts: {alerts:#?}\nnotes: {}",
                self.notes()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Stops the watch with SIGTERM; its exit code.
    fn stop(&mut self) -> Option<i32> {
        let mut child = self.child.take()?;
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        child.wait().ok().and_then(|s| s.code())
    }

    fn rss_kib(&self) -> u64 {
        let pid = self.child.as_ref().map_or(0, Child::id);
        std::fs::read_to_string(format!("/proc/{pid}/status"))
            .unwrap_or_default()
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn of<'a>(alerts: &'a [Value], name: &str) -> Vec<&'a Value> {
    alerts.iter().filter(|a| a["name"] == name).collect()
}

fn has(alerts: &[Value], name: &str, event: &str, rule: &str) -> bool {
    of(alerts, name)
        .iter()
        .any(|a| a["event"] == event && a["rule"] == rule)
}

#[test]
fn alerts_and_enforcement_on_the_machines_daemon() {
    if !docker_answers() {
        return;
    }
    let mut fx = Fixture::new("enforce");
    let dir = tmp();
    std::fs::write(
        dir.path().join(".shipshape.yaml"),
        "authz:\n  exemptLabels:\n    com.example.shipshape.exempt: \"true\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // Running before the watch: alerted, never acted on.
    let early = fx.labelled("early", SOCKET_MOUNT);
    let mut watcher = fx.watch(dir.path(), &["--enforce", "stop"]);
    let bad = fx.labelled("bad", SOCKET_MOUNT);
    let good = fx.labelled("good", HARDENED);
    let mut exempt_options = vec!["--label", "com.example.shipshape.exempt=true"];
    exempt_options.extend_from_slice(SOCKET_MOUNT);
    let exempt = fx.labelled("exempt", &exempt_options);
    let outside = fx.run("outside", SOCKET_MOUNT);
    let execd = fx.labelled("execd", HARDENED);
    // A privileged exec, created as `docker exec --privileged` creates it
    // (not started: this host may refuse to start one).
    let (status, body) = api(
        "POST",
        &format!("/containers/{execd}/exec"),
        r#"{"Privileged": true, "Cmd": ["true"]}"#,
    );
    assert_eq!(status, 201, "{body}");

    let alerts = watcher.wait("the alerts of every container", |a| {
        // The action comes with the event that finds the container
        // running: its `start`, or its `create` when the daemon was quicker
        // than the watch.
        let acted = |name: &str, action: &str| {
            of(a, name)
                .iter()
                .any(|x| x["rule"] == "RT013" && x["action"] == action)
        };
        has(a, &early, "running", "RT013")
            && acted(&bad, "stopped")
            && acted(&exempt, "exempt")
            && has(a, &execd, "exec_create", "RT001")
            && of(a, &execd).iter().any(|x| x["action"] == "stopped")
    });
    let action = |name: &str, rule: &str| -> Vec<Value> {
        of(&alerts, name)
            .iter()
            .filter(|a| a["rule"] == rule)
            .map(|a| a["action"].clone())
            .collect()
    };
    assert!(action(&bad, "RT013").contains(&Value::from("stopped")));
    assert!(action(&early, "RT013").iter().all(Value::is_null));
    assert!(action(&exempt, "RT013").contains(&Value::from("exempt")));
    // One alert per finding per container, not one per event.
    let bad_alerts = of(&alerts, &bad);
    let mut seen: Vec<(&Value, &Value)> = Vec::new();
    for a in bad_alerts.iter().filter(|a| a["action"].is_null()) {
        let key = (&a["rule"], &a["where"]);
        assert!(!seen.contains(&key), "alerted twice: {a}");
        seen.push(key);
    }
    // The hardened container: nothing at or above high, untouched.
    assert!(
        of(&alerts, &good)
            .iter()
            .all(|a| a["severity"] != "high" && a["severity"] != "critical"),
        "{alerts:#?}"
    );
    assert!(of(&alerts, &outside).is_empty(), "{alerts:#?}");
    // Every alert carries what a reader needs.
    for a in &alerts {
        for key in [
            "time",
            "event",
            "container",
            "image",
            "rule",
            "severity",
            "message",
        ] {
            assert!(!a[key].is_null(), "no {key}: {a}");
        }
        assert_eq!(a["image"], fx.image);
    }
    assert!(!running(&bad), "{bad} was not stopped");
    assert!(!running(&execd), "{execd} was not stopped");
    for untouched in [&early, &good, &exempt, &outside] {
        assert!(running(untouched), "{untouched} was acted on");
    }
    assert_eq!(watcher.stop(), Some(0), "{}", watcher.notes());
    assert!(watcher.notes().contains("2 stopped"), "{}", watcher.notes());
}

#[test]
fn enforcement_can_pause_instead() {
    if !docker_answers() {
        return;
    }
    let mut fx = Fixture::new("pause");
    let dir = tmp();
    let mut watcher = fx.watch(dir.path(), &["--no-images", "--enforce", "pause"]);
    let bad = fx.labelled("bad", SOCKET_MOUNT);
    let good = fx.labelled("good", HARDENED);
    watcher.wait("the pause", |a| {
        of(a, &bad)
            .iter()
            .any(|x| x["rule"] == "RT013" && x["action"] == "paused")
            && !of(a, &good).is_empty()
    });
    let paused =
        |c: &str| docker(&["inspect", "--format", "{{.State.Paused}}", c]).as_deref() == Ok("true");
    assert!(paused(&bad), "{bad} was not paused");
    assert!(!paused(&good) && running(&good), "{good} was acted on");
    assert_eq!(watcher.stop(), Some(0));
    assert!(watcher.notes().contains("1 paused"), "{}", watcher.notes());
}

#[test]
fn until_ends_the_watch_with_a_verdict() {
    if !docker_answers() {
        return;
    }
    let mut fx = Fixture::new("until");
    let dir = tmp();
    let label = fx.label.clone();
    let quiet = bin()
        .args(["watch", "--until", "2s", "--no-images", "--label", &label])
        .current_dir(dir.path())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(quiet.status.code(), Some(0), "{quiet:?}");
    assert!(quiet.stdout.is_empty());

    let out = dir.path().join("out.jsonl");
    let mut watch = bin()
        .args(["watch", "--until", "8s", "--no-images", "--format", "json"])
        .args(["--label", &label])
        .current_dir(dir.path())
        .stdout(std::fs::File::create(&out).unwrap_or_else(|e| panic!("{e}")))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut notes = BufReader::new(watch.stderr.take().unwrap_or_else(|| panic!("no stderr")));
    let mut first = String::new();
    let _ = notes.read_line(&mut first);
    assert!(first.contains("following"), "{first}");
    let bad = fx.labelled("bad", SOCKET_MOUNT);
    let status = watch.wait().unwrap_or_else(|e| panic!("{e}"));
    let alerts = std::fs::read_to_string(&out).unwrap_or_default();
    assert_eq!(status.code(), Some(1), "alerts: {alerts}");
    assert!(
        alerts.contains(&bad) && alerts.contains("RT013"),
        "{alerts}"
    );
}

#[test]
fn a_loaded_image_is_audited() {
    if !docker_answers() {
        return;
    }
    let fx = Fixture::new("image");
    let dir = tmp();
    // No container carries this label: only images are audited.
    let watcher = Watcher::start(dir.path(), &["--label", "shipshape.test.none=1"], &[]);
    let tar = dir.path().join("image.tar").display().to_string();
    docker(&["save", "-o", &tar, &fx.image]).unwrap_or_else(|e| panic!("{e}"));
    docker(&["load", "-i", &tar]).unwrap_or_else(|e| panic!("{e}"));
    let alerts = watcher.wait("the image's alerts", |a| {
        a.iter()
            .any(|x| x["event"] == "image" && x["image"] == fx.image && x["rule"] == "DF021")
    });
    assert!(
        alerts
            .iter()
            .filter(|a| a["event"] == "image")
            .all(|a| a["container"].is_null()),
        "{alerts:#?}"
    );
}

/// A webhook endpoint: records each request body; holds each answer until
/// told, then answers the first with 500 and the rest with 204.
struct Endpoint {
    url: String,
    bodies: Arc<Mutex<Vec<String>>>,
    /// Whether the connection of the first request was still open when
    /// it was answered.
    first_open: Arc<Mutex<Option<bool>>>,
    release: mpsc::Sender<()>,
}

impl Endpoint {
    fn start() -> Endpoint {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        let url = format!(
            "http://{}/hook",
            listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
        );
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let first_open = Arc::new(Mutex::new(None));
        let (release, released) = mpsc::channel::<()>();
        let (b, f) = (Arc::clone(&bodies), Arc::clone(&first_open));
        std::thread::spawn(move || {
            let mut first = true;
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let mut reader =
                    BufReader::new(stream.try_clone().unwrap_or_else(|e| panic!("{e}")));
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        break;
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                    if line == "\r\n" {
                        break;
                    }
                }
                let mut body = vec![0; length];
                let _ = reader.read_exact(&mut body);
                b.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(String::from_utf8_lossy(&body).into_owned());
                let status = if first {
                    // Held until the test says; then, is the client still there?
                    let _ = released.recv();
                    stream
                        .set_nonblocking(true)
                        .unwrap_or_else(|e| panic!("{e}"));
                    let mut probe = [0u8; 1];
                    let open = !matches!(stream.peek(&mut probe), Ok(0));
                    stream
                        .set_nonblocking(false)
                        .unwrap_or_else(|e| panic!("{e}"));
                    *f.lock().unwrap_or_else(|e| e.into_inner()) = Some(open);
                    first = false;
                    "500 Internal Server Error"
                } else {
                    "204 No Content"
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
            }
        });
        Endpoint {
            url,
            bodies,
            first_open,
            release,
        }
    }

    fn bodies(&self) -> Vec<Value> {
        self.bodies
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .filter_map(|b| serde_json::from_str(b).ok())
            .collect()
    }
}

#[test]
fn the_webhook_is_retried_and_never_holds_the_watch() {
    if !docker_answers() {
        return;
    }
    let mut fx = Fixture::new("webhook");
    let dir = tmp();
    let endpoint = Endpoint::start();
    let watcher = fx.watch(
        dir.path(),
        &[
            "--no-images",
            "--webhook",
            &endpoint.url,
            "--severity",
            "critical",
        ],
    );
    let first = fx.labelled("first", SOCKET_MOUNT);
    // The endpoint holds the first alert.
    let started = Instant::now();
    while endpoint.bodies().is_empty() {
        assert!(started.elapsed() < PATIENCE, "the webhook got nothing");
        std::thread::sleep(Duration::from_millis(100));
    }
    // While it holds it, the watch goes on.
    let second = fx.labelled("second", SOCKET_MOUNT);
    watcher.wait("the second container's alert", |a| {
        !of(a, &second).is_empty()
    });
    endpoint.release.send(()).unwrap_or_else(|e| panic!("{e}"));
    // The 500 is retried; every alert arrives.
    let started = Instant::now();
    loop {
        let bodies = endpoint.bodies();
        let names: Vec<&str> = bodies.iter().filter_map(|b| b["name"].as_str()).collect();
        if names.iter().filter(|n| **n == first).count() >= 2 && names.contains(&second.as_str()) {
            for b in &bodies {
                assert_eq!(b["rule"], "RT013", "{b}");
            }
            break;
        }
        assert!(
            started.elapsed() < PATIENCE,
            "the webhook got {bodies:#?}; notes: {}",
            watcher.notes()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        *endpoint
            .first_open
            .lock()
            .unwrap_or_else(|e| e.into_inner()),
        Some(true),
        "the webhook had given up on the first request before the second alert"
    );
}

#[test]
fn the_watch_reconnects_when_the_daemon_restarts() {
    if !common::dockerd::can_run() {
        return;
    }
    let dir = tmp();
    let daemon = Daemon::start(dir.path(), None);
    daemon.import_busybox(dir.path(), "bb:1");
    let host = format!("unix://{}", daemon.socket.display());
    let work = tmp();
    let watcher = Watcher::start(work.path(), &["--no-images"], &[("DOCKER_HOST", &host)]);
    drop(daemon);
    watcher.wait_note("lost the daemon");
    let daemon = Daemon::start(dir.path(), None);
    watcher.wait_note("reconnected");
    let out = daemon.docker(&[
        "run",
        "-d",
        "--network",
        "none",
        "--name",
        "after",
        "-v",
        "/var/run/docker.sock:/var/run/docker.sock",
        "bb:1",
        "sleep",
        "300",
    ]);
    assert!(out.status.success(), "{out:?}");
    watcher.wait("the alert from the restarted daemon", |a| {
        has(a, "after", "create", "RT013")
    });
    let _ = daemon.docker(&["rm", "-f", "after"]);
}

#[test]
fn a_soak_of_thousands_of_events_stays_small() {
    if !docker_answers() {
        return;
    }
    let fx = Fixture::new("soak");
    let dir = tmp();
    let label = fx.label.clone();
    let mut watcher = fx.watch(dir.path(), &["--severity", "critical"]);
    let (key, value) = label.split_once('=').unwrap_or((&label, ""));
    let image = fx.image.clone();
    let (repo, tag) = image.rsplit_once(':').unwrap_or((&image, "latest"));
    let round = |n: usize| -> Vec<String> {
        // Tags made and removed: events the watch reads and passes over.
        for i in 0..n * 10 {
            let t = format!("{tag}-soak{i}");
            let (s, b) = api(
                "POST",
                &format!("/images/{image}/tag?repo={repo}&tag={t}"),
                "",
            );
            assert_eq!(s, 201, "{b}");
            let (s, b) = api("DELETE", &format!("/images/{repo}:{t}"), "");
            assert_eq!(s, 200, "{b}");
        }
        // Containers with a finding, made then removed.
        let mut ids = Vec::new();
        for _ in 0..n {
            let body = serde_json::json!({
                "Image": image, "Cmd": ["true"], "Labels": {key: value},
                "HostConfig": {"NetworkMode": "none",
                  "Binds": ["/var/run/docker.sock:/var/run/docker.sock"]}
            });
            let (s, b) = api("POST", "/containers/create", &body.to_string());
            assert_eq!(s, 201, "{b}");
            let id: Value = serde_json::from_str(&b).unwrap_or_else(|e| panic!("{e}: {b}"));
            ids.push(id["Id"].as_str().unwrap_or_default().to_string());
        }
        ids
    };
    let settle = |ids: &[String], watcher: &Watcher| {
        watcher.wait("an alert per container", |a| {
            ids.iter().all(|id| {
                a.iter()
                    .any(|x| x["container"] == id[..12] && x["rule"] == "RT013")
            })
        });
        for id in ids {
            let (s, b) = api("DELETE", &format!("/containers/{id}?force=1"), "");
            assert_eq!(s, 204, "{b}");
        }
    };
    // A first round to reach the steady state, then the measured ones.
    let ids = round(20);
    settle(&ids, &watcher);
    let before = watcher.rss_kib();
    for _ in 0..6 {
        let ids = round(25);
        settle(&ids, &watcher);
    }
    let after = watcher.rss_kib();
    let alerts = watcher.alerts();
    // One alert per container: 20 + 6 × 25.
    assert_eq!(alerts.len(), 170, "{alerts:#?}");
    assert_eq!(watcher.stop(), Some(0));
    let notes = watcher.notes();
    let events: u64 = notes
        .rsplit("shipshape watch: ")
        .next()
        .and_then(|l| l.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    eprintln!(
        "soak: {events} events, resident memory {before} KiB after the first round, {after} KiB at the end"
    );
    assert!(events >= 3000, "{notes}");
    // Bounded: what is kept per container goes with it.
    assert!(
        after < before + 16 * 1024,
        "grew from {before} KiB to {after} KiB"
    );
}
