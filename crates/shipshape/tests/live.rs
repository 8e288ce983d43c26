//! `shipshape containers` and `shipshape bench` against the real Docker
//! daemon. The test image is made here (`docker import` of a root file
//! system holding Debian's busybox-static); every container, network and
//! image a test creates is removed when the test ends, failed or not.
//!
//! Without a daemon these tests skip, unless `SHIPSHAPE_REQUIRE_DOCKER=1`
//! (set by `.ci/run`), where they fail.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;
use std::sync::Mutex;

mod common;

use common::*;

/// The test image, tagged per test process.
fn image() -> String {
    format!("shipshape-test/busybox:{}", std::process::id())
}

/// How many fixtures use the test image: the first imports it, the last
/// to go removes it.
static IMAGE_USERS: Mutex<usize> = Mutex::new(0);

/// One fixture's use of the test image.
struct ImageLease;

impl ImageLease {
    fn take() -> ImageLease {
        let mut users = IMAGE_USERS.lock().unwrap_or_else(|e| e.into_inner());
        if *users == 0
            && let Err(e) = import_image()
        {
            panic!("cannot build the test image: {e}");
        }
        *users += 1;
        ImageLease
    }
}

impl Drop for ImageLease {
    fn drop(&mut self) {
        let mut users = IMAGE_USERS.lock().unwrap_or_else(|e| e.into_inner());
        *users -= 1;
        if *users == 0 {
            let _ = docker(&["rmi", "-f", &image()]);
        }
    }
}

/// Imports the test image: busybox, its `sh` and `sleep`, a script named
/// `sshd` so that a process of that name can run, and a setuid copy of
/// busybox for the benchmark's check 4.8.
fn import_image() -> Result<(), String> {
    let dir = tmp();
    let root = dir.path().join("rootfs");
    busybox_root(&root, &["sh", "sleep", "true"])?;
    std::fs::create_dir_all(root.join("usr/sbin")).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(root.join("tmp")).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(root.join("usr/local/bin")).map_err(|e| e.to_string())?;
    std::fs::copy(root.join("bin/busybox"), root.join("usr/local/bin/helper"))
        .map_err(|e| e.to_string())?;
    std::fs::write(root.join("usr/sbin/sshd"), "#!/bin/sh\nsleep 300\n")
        .map_err(|e| e.to_string())?;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        root.join("usr/sbin/sshd"),
        std::fs::Permissions::from_mode(0o755),
    )
    .map_err(|e| e.to_string())?;
    std::fs::set_permissions(
        root.join("usr/local/bin/helper"),
        std::fs::Permissions::from_mode(0o4755),
    )
    .map_err(|e| e.to_string())?;
    let tar = dir.path().join("rootfs.tar").display().to_string();
    sh(
        "tar",
        &["-C", &root.display().to_string(), "-cf", &tar, "."],
    )?;
    docker(&["import", &tar, &image()]).map(|_| ())
}

/// Containers and networks made by one test, removed on drop (and then
/// the test image, when no other test uses it).
struct Fixture {
    prefix: String,
    containers: Vec<String>,
    networks: Vec<String>,
    image: Option<ImageLease>,
}

impl Fixture {
    fn new(test: &str) -> Fixture {
        let prefix = format!("shipshape-{test}-{}", std::process::id());
        Fixture {
            prefix,
            containers: Vec::new(),
            networks: Vec::new(),
            image: None,
        }
    }

    fn network(&mut self) -> String {
        let name = format!("{}-net", self.prefix);
        docker(&["network", "create", &name]).unwrap_or_else(|e| panic!("{e}"));
        self.networks.push(name.clone());
        name
    }

    /// Starts a container that sleeps (or runs `command`).
    fn run(&mut self, name: &str, options: &[&str], command: &[&str]) -> String {
        if self.image.is_none() {
            self.image = Some(ImageLease::take());
        }
        let full = format!("{}-{name}", self.prefix);
        self.containers.push(full.clone());
        let tag = image();
        let mut args = vec!["run", "-d", "--name", &full];
        args.extend_from_slice(options);
        args.push(&tag);
        if command.is_empty() {
            args.extend_from_slice(&["sleep", "300"]);
        } else {
            args.extend_from_slice(command);
        }
        if let Err(e) = docker(&args) {
            // Some settings cannot start on every host (a privileged
            // container inside a restricted VM): the container is still
            // created with its settings, which is what the audit reads.
            match docker(&["inspect", "--format", "{{.State.Status}}", &full]) {
                Ok(state) => eprintln!("note: {full} is {state}, not running, on this host: {e}"),
                Err(_) => panic!("{e}"),
            }
        }
        full
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        if !self.containers.is_empty() {
            let mut args = vec!["rm", "-f"];
            args.extend(self.containers.iter().map(String::as_str));
            let _ = docker(&args);
        }
        for n in &self.networks {
            let _ = docker(&["network", "rm", n]);
        }
    }
}

/// Rule ids found per target name.
fn rules_by_target(report: &serde_json::Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for t in report["targets"].as_array().into_iter().flatten() {
        let name = t["name"].as_str().unwrap_or("").to_string();
        let rules: BTreeSet<String> = t["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f["rule"].as_str().map(str::to_string))
            .collect();
        out.insert(name, rules);
    }
    out
}

fn json_of(args: &[&str]) -> serde_json::Value {
    let o = run(args);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{args:?}: {}\n{}",
        stdout(&o),
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(&o)))
}

/// Each bad setting with the rule that must report it.
const BAD: &[(&str, &[&str], &[&str], &str)] = &[
    ("privileged", &["--privileged"], &[], "RT001"),
    (
        "socket",
        &["-v", "/var/run/docker.sock:/var/run/docker.sock"],
        &[],
        "RT013",
    ),
    ("hostpid", &["--pid", "host"], &[], "RT009"),
    ("hostnet", &["--network", "host"], &[], "RT008"),
    ("nomemory", &[], &[], "RT021"),
    ("sysadmin", &["--cap-add", "SYS_ADMIN"], &[], "RT002"),
    (
        "seccomp",
        &["--security-opt", "seccomp=unconfined"],
        &[],
        "RT017",
    ),
    ("etc", &["-v", "/etc:/host/etc"], &[], "RT014"),
    ("ssh-port", &["-p", "127.0.0.1::22"], &[], "RT027"),
    ("sshd", &[], &["/usr/sbin/sshd"], "RT036"),
];

/// Rules that a locally imported image cannot satisfy: it has no registry
/// digest to pin (`RT032`).
const UNAVOIDABLE_HERE: &[&str] = &["RT032"];

#[test]
fn every_bad_setting_is_reported_live_and_from_a_saved_inspect() {
    if !docker_answers() {
        return;
    }
    let mut fx = Fixture::new("containers");
    let mut names = BTreeMap::new();
    for (name, options, command, rule) in BAD {
        names.insert(fx.run(name, options, command), *rule);
    }
    let net = fx.network();
    let mut hardened_options = HARDENED.to_vec();
    hardened_options.extend_from_slice(&["--network", &net]);
    let hardened = fx.run("hardened", &hardened_options, &[]);
    std::thread::sleep(std::time::Duration::from_millis(500));

    let mut args = vec!["containers", "--format", "json"];
    args.extend(names.keys().map(String::as_str));
    args.push(&hardened);
    let live = rules_by_target(&json_of(&args));
    for (container, rule) in &names {
        let found = live
            .get(container)
            .unwrap_or_else(|| panic!("{container} not audited: {live:?}"));
        assert!(
            found.contains(*rule),
            "{container}: expected {rule}, found {found:?}"
        );
    }
    let extra: Vec<&String> = live[&hardened]
        .iter()
        .filter(|r| !UNAVOIDABLE_HERE.contains(&r.as_str()))
        .collect();
    assert!(
        extra.is_empty(),
        "the hardened container has findings: {extra:?}"
    );

    // The same audit from `docker inspect` saved to a file: the same
    // findings, except what needs the process list (RT036).
    let mut inspect_args = vec!["inspect"];
    inspect_args.extend(live.keys().map(String::as_str));
    let saved = docker(&inspect_args).unwrap_or_else(|e| panic!("{e}"));
    let dir = tmp();
    let file = dir.path().join("inspect.json");
    std::fs::write(&file, saved).unwrap_or_else(|e| panic!("{e}"));
    let offline = rules_by_target(&json_of(&[
        "containers",
        "--format",
        "json",
        "--input",
        &file.display().to_string(),
    ]));
    for (container, rules) in &live {
        let mut expected = rules.clone();
        expected.remove("RT036");
        assert_eq!(offline.get(container), Some(&expected), "{container}");
    }
}

#[test]
fn bench_runs_on_this_daemon_and_section_5_sees_the_containers() {
    if !docker_answers() {
        return;
    }
    let mut fx = Fixture::new("bench");
    let privileged = fx.run("privileged", &["--privileged"], &[]);
    let o = run(&["bench", "--no-color"]);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = stdout(&o);
    assert!(out.starts_with("CIS Docker Benchmark v1.6.0"), "{out}");
    assert!(out.contains("\n2 Docker daemon configuration\n"), "{out}");
    assert!(out.lines().any(|l| l.starts_with("Score: ")), "{out}");

    // `--all`: the privileged container may only be created, not running,
    // on a host that cannot start it.
    let report = json_of(&[
        "bench",
        "--all",
        "--format",
        "json",
        "--check",
        "5.5,2.13,4.8",
    ]);
    let checks = report["checks"].as_array().cloned().unwrap_or_default();
    let status: BTreeMap<String, String> = checks
        .iter()
        .map(|c| {
            (
                c["number"].as_str().unwrap_or("").to_string(),
                c["status"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        status.get("5.5").map(String::as_str),
        Some("WARN"),
        "{report}"
    );
    // This daemon logs with json-file (its daemon.json says so).
    assert!(status.contains_key("2.13"), "{report}");
    // 4.8 reads the container's image and finds its setuid copy of busybox.
    assert_eq!(
        status.get("4.8").map(String::as_str),
        Some("WARN"),
        "{report}"
    );
    let evidence = checks
        .iter()
        .find(|c| c["number"] == "4.8")
        .map(|c| c["evidence"].to_string())
        .unwrap_or_default();
    assert!(
        evidence.contains(&format!(
            "image `{}`: /usr/local/bin/helper is setuid",
            image()
        )),
        "{evidence}"
    );
    let targets = rules_by_target(&report);
    assert!(
        targets
            .get(&privileged)
            .is_some_and(|r| r.contains("RT001")),
        "{targets:?}"
    );
}

#[test]
fn a_static_busybox_is_listed_with_the_version_it_reports() {
    if !docker_answers() {
        return;
    }
    let _lease = ImageLease::take();
    // What the image's program (a copy of this one) says: `BusyBox v1.35.0 (Debian 1:1.35.0-4+b3) multi-call binary.`
    let said = String::from_utf8_lossy(
        &std::process::Command::new("/bin/busybox")
            .output()
            .map(|o| o.stdout)
            .unwrap_or_default(),
    )
    .into_owned();
    let version = said
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.strip_prefix('v'))
        .unwrap_or_else(|| panic!("no version in {said:?}"))
        .to_string();
    let o = run(&["sbom", &image(), "--format", "json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let doc: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}"));
    let packages: Vec<(String, String, String)> = doc["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            let field = |k: &str| p[k].as_str().unwrap_or_default().to_string();
            (field("name"), field("version"), field("purl"))
        })
        .collect();
    // Its copy named `helper` is not taken for a second BusyBox: only
    // files of the program's own name are read for its version.
    assert_eq!(
        packages,
        vec![(
            "busybox".to_string(),
            version.clone(),
            format!("pkg:generic/busybox@{version}")
        )]
    );
}

#[test]
fn an_unreachable_daemon_is_a_clear_error() {
    let o = bin()
        .args(["containers"])
        .env("DOCKER_HOST", "unix:///nonexistent/docker.sock")
        .current_dir(root())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("cannot reach the Docker daemon at unix:///nonexistent/docker.sock"),
        "{err}"
    );
}

/// A TLS front for the local daemon's socket on 127.0.0.1 that requires
/// a client certificate from its own CA (a small Python proxy), as a
/// `tcp://` daemon with `--tlsverify` is reached. Stopped on drop.
struct TlsFront {
    child: std::process::Child,
    port: String,
    certs: tempfile::TempDir,
}

const TLS_PROXY: &str = r#"
import socket, ssl, sys, threading
certs, upstream = sys.argv[1], sys.argv[2]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(certs + "/server-cert.pem", certs + "/server-key.pem")
ctx.load_verify_locations(certs + "/ca.pem")
ctx.verify_mode = ssl.CERT_REQUIRED
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(16)
print(srv.getsockname()[1], flush=True)
def pipe(a, b):
    try:
        while True:
            data = a.recv(65536)
            if not data:
                break
            b.sendall(data)
    except OSError:
        pass
    finally:
        for s in (a, b):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
def serve(conn):
    try:
        tls = ctx.wrap_socket(conn, server_side=True)
    except (ssl.SSLError, OSError):
        conn.close()
        return
    unix = socket.socket(socket.AF_UNIX)
    unix.connect(upstream)
    threading.Thread(target=pipe, args=(tls, unix), daemon=True).start()
    pipe(unix, tls)
while True:
    conn, _ = srv.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
"#;

impl TlsFront {
    fn start() -> TlsFront {
        let certs = tmp();
        let dir = certs.path().display().to_string();
        let openssl = |args: &[&str]| {
            let o = Command::new("openssl")
                .args(args)
                .current_dir(&dir)
                .output()
                .unwrap_or_else(|e| panic!("cannot run openssl (apt-get install openssl): {e}"));
            assert!(
                o.status.success(),
                "openssl {args:?}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        };
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "ca-key.pem",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=test CA",
        ]);
        for (name, cn, ext) in [
            (
                "server",
                "localhost",
                "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ),
            ("client", "client", "extendedKeyUsage=clientAuth"),
        ] {
            openssl(&[
                "req",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                &format!("{name}-key.pem"),
                "-out",
                &format!("{name}.csr"),
                "-subj",
                &format!("/CN={cn}"),
            ]);
            std::fs::write(certs.path().join(format!("{name}.ext")), ext)
                .unwrap_or_else(|e| panic!("{e}"));
            openssl(&[
                "x509",
                "-req",
                "-in",
                &format!("{name}.csr"),
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca-key.pem",
                "-CAcreateserial",
                "-days",
                "2",
                "-out",
                &format!("{name}-cert.pem"),
                "-extfile",
                &format!("{name}.ext"),
            ]);
        }
        // The names the Docker client looks for in DOCKER_CERT_PATH.
        for (from, to) in [
            ("client-cert.pem", "cert.pem"),
            ("client-key.pem", "key.pem"),
        ] {
            std::fs::copy(certs.path().join(from), certs.path().join(to))
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let upstream = std::env::var("DOCKER_HOST")
            .ok()
            .and_then(|h| h.strip_prefix("unix://").map(str::to_string))
            .unwrap_or_else(|| "/var/run/docker.sock".to_string());
        let mut child = Command::new("python3")
            .args(["-c", TLS_PROXY, &dir, &upstream])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run python3: {e}"));
        let mut port = String::new();
        if let Some(out) = child.stdout.take() {
            use std::io::BufRead;
            let _ = std::io::BufReader::new(out).read_line(&mut port);
        }
        let port = port.trim().to_string();
        if port.is_empty() {
            let _ = child.kill();
            panic!("the TLS proxy did not start");
        }
        TlsFront { child, port, certs }
    }
}

impl Drop for TlsFront {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `DOCKER_HOST=tcp://…` with `DOCKER_TLS_VERIFY` and `DOCKER_CERT_PATH`:
/// the audit reaches the daemon over TLS with a client certificate, and a
/// certificate directory without the client's key is a clear error.
#[test]
fn a_daemon_over_tcp_with_tls_is_audited() {
    if !docker_answers() {
        return;
    }
    let front = TlsFront::start();
    let host = format!("tcp://localhost:{}", front.port);
    let with = |cert_path: &std::path::Path| {
        bin()
            .args(["containers", "--all", "--format", "json"])
            .env("DOCKER_HOST", &host)
            .env("DOCKER_TLS_VERIFY", "1")
            .env("DOCKER_CERT_PATH", cert_path)
            .current_dir(root())
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let o = with(front.certs.path());
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(&o)));
    assert!(report["targets"].is_array(), "{report}");

    let empty = tmp();
    let o = with(empty.path());
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&format!("cannot set up the connection to {host}")),
        "{err}"
    );
}

/// A host file system under `--root`, without the daemon: sections 1 to 3
/// read it, and every output format carries the results.
#[test]
fn bench_reads_a_host_tree_under_root_in_every_format() {
    let dir = tmp();
    let root = dir.path();
    let write = |path: &str, text: &str, mode: u32| {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap_or(root)).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode))
            .unwrap_or_else(|e| panic!("{e}"));
    };
    write(
        "etc/docker/daemon.json",
        r#"{"icc": false, "insecure-registries": ["10.0.0.5:5000"]}"#,
        0o664,
    );
    write("etc/group", "root:x:0:\ndocker:x:998:alice,bob\n", 0o644);
    write("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0o644);
    write(
        "lib/systemd/system/docker.service",
        "[Service]\nExecStart=/usr/bin/dockerd\n",
        0o644,
    );
    write(
        "etc/audit/rules.d/docker.rules",
        "-w /etc/docker -k docker\n",
        0o640,
    );
    let root_arg = root.display().to_string();
    let base = [
        "bench",
        "--root",
        &root_arg,
        "--no-daemon",
        "--section",
        "1,2,3",
    ];

    let o = run(&[&base[..], &["--format", "json"]].concat());
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&o)));
    let status = |n: &str| {
        report["checks"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c["number"] == n)
            .map(|c| c["status"].as_str().unwrap_or("").to_string())
            .unwrap_or_default()
    };
    assert_eq!(status("1.1.6"), "PASS"); // /etc/docker is audited
    assert_eq!(status("1.1.11"), "WARN"); // daemon.json is not
    assert_eq!(status("2.5"), "WARN"); // an insecure registry
    assert_eq!(status("3.18"), "WARN"); // daemon.json is 0664
    assert_eq!(status("3.1"), "PASS"); // docker.service root:root 0644
    assert_eq!(status("2.13"), "INFO"); // needs the daemon
    assert!(
        report["checks"]
            .as_array()
            .is_some_and(|c| c.iter().all(|c| {
                let n = c["number"].as_str().unwrap_or("");
                n.starts_with("1.") || n.starts_with("2.") || n.starts_with("3.")
            }))
    );

    let o = run(&[&base[..], &["--format", "sarif"]].concat());
    let sarif: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&o)));
    if let Some(errors) = sarif_schema_errors(&sarif) {
        assert!(errors.is_empty(), "{}", errors.join("\n"));
    }
    let ids: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["ruleId"].as_str())
        .collect();
    assert!(ids.contains(&"DH205") && ids.contains(&"DH318"), "{ids:?}");

    let o = run(&[&base[..], &["--format", "junit"]].concat());
    let xml = stdout(&o);
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut cases = 0;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e))
                if e.name().as_ref() == "testcase" =>
            {
                cases += 1
            }
            Ok(_) => {}
            Err(e) => panic!("JUnit is not well-formed: {e}\n{xml}"),
        }
    }
    assert_eq!(cases, report["checks"].as_array().map_or(0, Vec::len));
}

/// An image with planted problems, audited through the Engine API and
/// from its `docker save`: the same findings both ways.
#[test]
fn image_by_reference_and_from_docker_save_agree() {
    if !docker_answers() {
        return;
    }
    let dir = tmp();
    let root = dir.path().join("rootfs");
    let write = |path: &str, text: &[u8], mode: u32| {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap_or(&root)).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode))
            .unwrap_or_else(|e| panic!("{e}"));
    };
    let busybox = std::fs::read("/bin/busybox").unwrap_or_else(|e| panic!("busybox-static: {e}"));
    write("bin/busybox", &busybox, 0o755);
    // A setuid binary that is not a distribution's usual one.
    write("usr/local/bin/helper", &busybox, 0o4755);
    write(
        "root/.ssh/id_ed25519",
        b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----\n",
        0o600,
    );
    write("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n", 0o644);
    let tar = dir.path().join("rootfs.tar");
    sh(
        "tar",
        &[
            "-C",
            &root.display().to_string(),
            "-cf",
            &tar.display().to_string(),
            ".",
        ],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let tag = format!("shipshape-test/planted:{}", std::process::id());
    docker(&[
        "import",
        "--change",
        "ENV AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "--change",
        "CMD [\"/bin/busybox\", \"sleep\", \"60\"]",
        &tar.display().to_string(),
        &tag,
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    struct Remove(String);
    impl Drop for Remove {
        fn drop(&mut self) {
            let _ = docker(&["rmi", "-f", &self.0]);
        }
    }
    let _cleanup = Remove(tag.clone());

    let live = json_of(&["image", "--format", "json", &tag]);
    let saved = dir.path().join("saved.tar");
    docker(&["save", "-o", &saved.display().to_string(), &tag]).unwrap_or_else(|e| panic!("{e}"));
    let offline = json_of(&[
        "image",
        "--format",
        "json",
        "--input",
        &saved.display().to_string(),
    ]);
    let rules = |report: &serde_json::Value| -> BTreeSet<(String, String)> {
        report["targets"][0]["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| {
                let loc = &f["location"];
                let place = loc["path"]
                    .as_str()
                    .or(loc["field"].as_str())
                    .unwrap_or("")
                    .to_string();
                (f["rule"].as_str().unwrap_or("").to_string(), place)
            })
            .collect()
    };
    let (a, b) = (rules(&live), rules(&offline));
    assert_eq!(a, b, "the same findings by reference and from docker save");
    for (rule, place) in [
        ("DF021", "config.User"),
        ("DF030", "config.Env[0]"),
        ("IM101", "usr/local/bin/helper"),
        ("IM103", "root/.ssh/id_ed25519"),
    ] {
        assert!(
            a.contains(&(rule.to_string(), place.to_string())),
            "{rule} at {place} not found in {a:?}"
        );
    }
}
