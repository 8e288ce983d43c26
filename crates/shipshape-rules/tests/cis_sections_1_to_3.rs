//! Sections 1 to 3 of the benchmark on fixture host trees: for every check,
//! a host that complies, one that does not, and one where the check has
//! nothing to look at.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::net::UnixListener;
use std::path::PathBuf;

use serde_json::{Value, json};
use shipshape_core::host::Host;
use shipshape_core::{CheckResult, Status};
use shipshape_engine::host::dockerd_args;
use shipshape_rules::cis::{CHECKS, Selection, run};
use tempfile::TempDir;

use Status::{Info, Note, Pass, Warn};

/// A host file system under a temporary root.
struct Fixture {
    dir: TempDir,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let fixture = Fixture { dir };
        fixture.write(
            "/etc/passwd",
            "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\n",
        );
        fixture.write("/etc/group", "root:x:0:\nalice:x:1000:\ndocker:x:998:\n");
        fixture
    }

    fn path(&self, path: &str) -> PathBuf {
        self.dir.path().join(path.trim_start_matches('/'))
    }

    /// Writes a file (and its directories), mode 0644.
    fn write(&self, path: &str, text: &str) -> &Self {
        let full = self.path(path);
        std::fs::create_dir_all(full.parent().expect("a parent")).expect("create directories");
        std::fs::write(&full, text).expect("write file");
        self.chmod(path, 0o644)
    }

    fn mkdir(&self, path: &str) -> &Self {
        std::fs::create_dir_all(self.path(path)).expect("create directory");
        self.chmod(path, 0o755)
    }

    /// Creates a Unix socket (the file stays when the listener is dropped).
    fn socket(&self, path: &str) -> &Self {
        let full = self.path(path);
        std::fs::create_dir_all(full.parent().expect("a parent")).expect("create directories");
        UnixListener::bind(&full).expect("bind a socket");
        self
    }

    fn chmod(&self, path: &str, mode: u32) -> &Self {
        std::fs::set_permissions(self.path(path), std::fs::Permissions::from_mode(mode))
            .expect("chmod");
        self
    }

    /// Changes a file's owner; false (and a message) when this user may not.
    fn chown(&self, path: &str, uid: u32, gid: u32) -> bool {
        match std::os::unix::fs::chown(self.path(path), Some(uid), Some(gid)) {
            Ok(()) => true,
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                not_root(&format!("cannot chown {path} here ({e})"));
                false
            }
            Err(e) => panic!("chown {path}: {e}"),
        }
    }

    /// A dockerd process: `/proc/<pid>/cmdline`, NUL-separated.
    fn process(&self, pid: u32, args: &[&str]) -> &Self {
        let mut cmdline = args.join("\0");
        cmdline.push('\0');
        self.write(&format!("/proc/{pid}/cmdline"), &cmdline)
    }

    /// The host as the benchmark would read it, without a daemon.
    fn host(&self) -> Host {
        Host {
            root: self.dir.path().to_path_buf(),
            dockerd_args: dockerd_args(self.dir.path()),
            ..Default::default()
        }
    }

    /// The host, with the daemon's `GET /info`.
    fn host_with(&self, info: Value) -> Host {
        Host {
            info: Some(info),
            ..self.host()
        }
    }
}

/// Whether files created here are owned by root, as section 3's passing
/// cases need; says why when not.
fn running_as_root() -> bool {
    let dir = tempfile::tempdir().expect("temporary directory");
    let root = std::fs::metadata(dir.path()).expect("stat").uid() == 0;
    if !root {
        not_root("files created by this user are not owned by root");
    }
    root
}

/// Skips a test that needs root, with a message, or fails it under
/// `SHIPSHAPE_REQUIRE_ROOT=1` (which CI sets: it runs as root).
fn not_root(why: &str) {
    if std::env::var("SHIPSHAPE_REQUIRE_ROOT").is_ok_and(|v| v == "1") {
        panic!("SHIPSHAPE_REQUIRE_ROOT=1 but {why}");
    }
    eprintln!("skipping: {why} (set SHIPSHAPE_REQUIRE_ROOT=1 to fail instead)");
}

/// Runs check `number` alone and checks its status, that its evidence
/// says `needle`, and that a WARN (only) gives a finding.
#[track_caller]
fn expect(host: &Host, number: &str, status: Status, needle: &str) -> CheckResult {
    let selection = Selection {
        checks: vec![number.to_string()],
        ..Default::default()
    };
    let (results, findings) = run(host, CHECKS, &selection);
    assert_eq!(results.len(), 1, "{number}: {} results", results.len());
    let result = results.into_iter().next().expect("one result");
    assert_eq!(result.number, number);
    let evidence = result.evidence.join("\n");
    assert_eq!(
        result.status, status,
        "{number}: wanted {status:?}, evidence:\n{evidence}"
    );
    assert!(
        evidence.contains(needle),
        "{number}: {needle:?} is not in the evidence:\n{evidence}"
    );
    assert!(!result.fix.is_empty(), "{number}: no fix");
    assert_eq!(
        findings.len(),
        usize::from(status == Warn),
        "{number}: a finding for WARN only"
    );
    result
}

// ---------------------------------------------------------------- section 1

#[test]
fn dockerd_command_line_is_read_from_the_newest_dockerd_process() {
    let f = Fixture::new();
    f.process(100, &["dockerd", "-H", "fd://"])
        .process(
            200,
            &["/usr/bin/dockerd", "--icc=false", "--log-level", "warn"],
        )
        .process(300, &["/usr/bin/containerd"]);
    assert_eq!(
        f.host().dockerd_args,
        Some(vec![
            "--icc=false".to_string(),
            "--log-level".to_string(),
            "warn".to_string()
        ])
    );
    assert!(Fixture::new().host().dockerd_args.is_none());
}

#[test]
fn docker_root_dir_on_its_own_partition() {
    let f = Fixture::new();
    f.write(
        "/etc/fstab",
        "# /etc/fstab\n/dev/sda1 / ext4 defaults 0 1\n/dev/sdb1 /var/lib/docker xfs defaults 0 2\n",
    );
    expect(&f.host(), "1.1.1", Pass, "/var/lib/docker is a mount point");

    let f = Fixture::new();
    f.write("/etc/fstab", "/dev/sda1 / ext4 defaults 0 1\n");
    expect(
        &f.host(),
        "1.1.1",
        Warn,
        "/var/lib/docker is on the file system mounted at /",
    );

    // The daemon's DockerRootDir is what is placed.
    let f = Fixture::new();
    f.write(
        "/etc/fstab",
        "/dev/sda1 / ext4 defaults 0 1\n/dev/sdb1 /data ext4 defaults 0 2\n",
    );
    let host = f.host_with(json!({"DockerRootDir": "/data/docker"}));
    expect(
        &host,
        "1.1.1",
        Warn,
        "/data/docker is on the file system mounted at /data",
    );

    expect(&Fixture::new().host(), "1.1.1", Info, "no mount table");
}

#[test]
fn docker_group_members() {
    let f = Fixture::new();
    expect(
        &f.host(),
        "1.1.2",
        Pass,
        "the `docker` group has no members",
    );

    f.write("/etc/group", "root:x:0:\ndocker:x:998:alice,bob\n");
    expect(&f.host(), "1.1.2", Info, "alice, bob");

    f.write("/etc/group", "root:x:0:\n");
    expect(&f.host(), "1.1.2", Info, "no `docker` group");
}

/// The audit checks and the file each watches.
const AUDITED: &[(&str, &str, bool)] = &[
    ("1.1.3", "/usr/bin/dockerd", false),
    ("1.1.4", "/run/containerd", true),
    ("1.1.5", "/var/lib/docker", true),
    ("1.1.6", "/etc/docker", true),
    ("1.1.7", "/lib/systemd/system/docker.service", false),
    ("1.1.8", "/run/containerd/containerd.sock", false),
    ("1.1.9", "/lib/systemd/system/docker.socket", false),
    ("1.1.10", "/etc/default/docker", false),
    ("1.1.11", "/etc/docker/daemon.json", false),
    ("1.1.12", "/etc/containerd/config.toml", false),
    ("1.1.13", "/etc/sysconfig/docker", false),
    ("1.1.14", "/usr/bin/containerd", false),
    ("1.1.15", "/usr/bin/containerd-shim", false),
    ("1.1.16", "/usr/bin/containerd-shim-runc-v1", false),
    ("1.1.17", "/usr/bin/containerd-shim-runc-v2", false),
    ("1.1.18", "/usr/bin/runc", false),
];

/// A host with every audited file.
fn audited_host() -> Fixture {
    let f = Fixture::new();
    for (_, path, dir) in AUDITED {
        if *dir {
            f.mkdir(path);
        } else {
            f.write(path, "");
        }
    }
    f
}

#[test]
fn audit_rules_present() {
    let f = audited_host();
    let rules: String = AUDITED
        .iter()
        .map(|(_, path, _)| format!("-w {path} -p wa -k docker\n"))
        .collect();
    f.write("/etc/audit/rules.d/docker.rules", &rules);
    let host = f.host();
    for (number, path, _) in AUDITED {
        expect(
            &host,
            number,
            Pass,
            &format!("an audit rule watches {path}"),
        );
    }
}

#[test]
fn audit_rules_absent() {
    let f = audited_host();
    // Commented-out rules and rules for other files do not count.
    let rules: String = AUDITED
        .iter()
        .map(|(_, path, _)| format!("# -w {path} -k docker\n"))
        .collect();
    f.write(
        "/etc/audit/rules.d/docker.rules",
        &format!("{rules}-w /etc/passwd -p wa -k identity\n"),
    );
    let host = f.host();
    for (number, path, _) in AUDITED {
        expect(
            &host,
            number,
            Warn,
            &format!("no audit rule watches {path} (add `-w {path} -k docker`)"),
        );
    }
}

#[test]
fn audit_rules_loaded_or_in_audit_rules() {
    let f = audited_host();
    f.write("/etc/audit/audit.rules", "-w /usr/bin/runc -k docker\n");
    let host = Host {
        audit_rules: Some("-a always,exit -F path=/usr/bin/dockerd -F perm=wa -k docker".into()),
        ..f.host()
    };
    expect(&host, "1.1.3", Pass, "/usr/bin/dockerd");
    expect(&host, "1.1.18", Pass, "/usr/bin/runc");
    expect(&host, "1.1.14", Warn, "/usr/bin/containerd");
}

#[test]
fn audit_rules_for_missing_files() {
    let host = Fixture::new().host();
    for (number, _, _) in AUDITED {
        expect(&host, number, Info, "not found; nothing to audit");
    }
}

#[test]
fn host_hardening_and_docker_version() {
    let host = Fixture::new().host();
    expect(&host, "1.2.1", Note, "by hand");
    expect(
        &host,
        "1.2.2",
        Info,
        "the daemon was not reached; version unknown",
    );
    let host = Host {
        version: Some(json!({"Version": "27.3.1"})),
        ..host
    };
    expect(&host, "1.2.2", Info, "Docker Engine 27.3.1");
}

// ---------------------------------------------------------------- section 2

/// What a compliant daemon reports.
fn good_info() -> Value {
    json!({
        "Driver": "overlay2",
        "LoggingDriver": "syslog",
        "SecurityOptions": ["name=seccomp,profile=/etc/docker/seccomp.json", "name=rootless"],
        "LiveRestoreEnabled": true,
        "ExperimentalBuild": false,
        "Swarm": {"LocalNodeState": "inactive"},
    })
}

/// What a daemon that fails every check reports.
fn bad_info() -> Value {
    json!({
        "Driver": "aufs",
        "LoggingDriver": "json-file",
        "SecurityOptions": ["name=apparmor", "name=seccomp,profile=unconfined"],
        "LiveRestoreEnabled": false,
        "ExperimentalBuild": true,
        "Swarm": {"LocalNodeState": "inactive"},
    })
}

const SYSTEMD_ARGS: &[&str] = &[
    "/usr/bin/dockerd",
    "--containerd=/run/containerd/containerd.sock",
];

#[test]
fn daemon_json_that_complies() {
    let f = Fixture::new();
    f.process(812, SYSTEMD_ARGS).write(
        "/etc/docker/daemon.json",
        r#"{
            "icc": false,
            "log-level": "info",
            "iptables": true,
            "insecure-registries": [],
            "hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2376"],
            "tlsverify": true,
            "default-ulimits": {"nofile": {"Name": "nofile", "Soft": 64000, "Hard": 64000}},
            "userns-remap": "default",
            "storage-opts": ["overlay2.size=20G"],
            "authorization-plugins": ["opa-docker-authz"],
            "no-new-privileges": true,
            "live-restore": true,
            "userland-proxy": false
        }"#,
    );
    let host = f.host_with(good_info());
    let json = "/etc/docker/daemon.json sets";
    expect(
        &host,
        "2.1",
        Info,
        "GET /info lists `name=rootless` in SecurityOptions: the daemon runs rootless",
    );
    expect(&host, "2.2", Pass, &format!("{json} `\"icc\": false`"));
    expect(
        &host,
        "2.3",
        Pass,
        &format!("{json} `\"log-level\": \"info\"`"),
    );
    expect(&host, "2.4", Pass, &format!("{json} `\"iptables\": true`"));
    expect(
        &host,
        "2.5",
        Pass,
        &format!("{json} `\"insecure-registries\": []`"),
    );
    expect(
        &host,
        "2.6",
        Pass,
        "the storage driver is overlay2 (GET /info)",
    );
    let tls = expect(&host, "2.7", Pass, "listens on tcp://0.0.0.0:2376");
    assert!(tls.evidence[0].contains(&format!("{json} `\"tlsverify\": true`")));
    expect(&host, "2.8", Info, "\"nofile\"");
    expect(
        &host,
        "2.9",
        Pass,
        &format!("{json} `\"userns-remap\": \"default\"`"),
    );
    expect(
        &host,
        "2.10",
        Pass,
        "`cgroup-parent` is not set in /etc/docker/daemon.json nor on the dockerd command line",
    );
    expect(&host, "2.11", Pass, "overlay2.size=20G");
    expect(&host, "2.12", Pass, "opa-docker-authz");
    expect(
        &host,
        "2.13",
        Pass,
        "the logging driver is syslog (GET /info)",
    );
    expect(
        &host,
        "2.14",
        Pass,
        &format!("{json} `\"no-new-privileges\": true`"),
    );
    expect(
        &host,
        "2.15",
        Pass,
        "LiveRestoreEnabled is true (GET /info)",
    );
    expect(
        &host,
        "2.16",
        Pass,
        &format!("{json} `\"userland-proxy\": false`"),
    );
    expect(
        &host,
        "2.17",
        Info,
        "`name=seccomp,profile=/etc/docker/seccomp.json`: a custom profile",
    );
    expect(
        &host,
        "2.18",
        Pass,
        "ExperimentalBuild is false (GET /info)",
    );
}

#[test]
fn daemon_json_that_does_not_comply() {
    let f = Fixture::new();
    f.process(812, SYSTEMD_ARGS).write(
        "/etc/docker/daemon.json",
        r#"{
            "icc": true,
            "log-level": "warn",
            "iptables": false,
            "insecure-registries": ["registry.internal:5000"],
            "hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2375"],
            "userns-remap": "",
            "cgroup-parent": "/custom",
            "storage-opts": ["dm.basesize=50G"],
            "authorization-plugins": [],
            "no-new-privileges": false,
            "userland-proxy": true
        }"#,
    );
    let host = f.host_with(bad_info());
    let json = "/etc/docker/daemon.json sets";
    expect(&host, "2.1", Note, "the daemon runs as root");
    expect(&host, "2.2", Warn, &format!("{json} `\"icc\": true`"));
    expect(
        &host,
        "2.3",
        Warn,
        &format!("{json} `\"log-level\": \"warn\"`"),
    );
    expect(&host, "2.4", Warn, &format!("{json} `\"iptables\": false`"));
    let insecure = expect(&host, "2.5", Warn, "registry.internal:5000");
    assert!(insecure.evidence[0].starts_with(json));
    expect(&host, "2.6", Warn, "the storage driver is aufs (GET /info)");
    let tls = expect(&host, "2.7", Warn, "listens on tcp://0.0.0.0:2375");
    assert!(
        tls.evidence[1]
            .contains("`tlsverify` is not set in /etc/docker/daemon.json nor on the dockerd command line; no TLS"),
        "{:?}",
        tls.evidence
    );
    expect(&host, "2.8", Note, "`default-ulimits` is not set");
    expect(&host, "2.9", Warn, "remapping is off");
    expect(
        &host,
        "2.10",
        Warn,
        &format!("{json} `\"cgroup-parent\": \"/custom\"`"),
    );
    expect(&host, "2.11", Warn, "dm.basesize=50G");
    expect(
        &host,
        "2.12",
        Warn,
        "every client of the daemon may do everything",
    );
    expect(
        &host,
        "2.13",
        Warn,
        "the logging driver is json-file (GET /info)",
    );
    expect(
        &host,
        "2.14",
        Warn,
        &format!("{json} `\"no-new-privileges\": false`"),
    );
    expect(
        &host,
        "2.15",
        Warn,
        "LiveRestoreEnabled is false (GET /info)",
    );
    expect(
        &host,
        "2.16",
        Warn,
        &format!("{json} `\"userland-proxy\": true`"),
    );
    expect(
        &host,
        "2.17",
        Note,
        "profile=unconfined`: containers run without seccomp",
    );
    expect(&host, "2.18", Warn, "ExperimentalBuild is true (GET /info)");
}

#[test]
fn dockerd_defaults_when_nothing_is_set() {
    let f = Fixture::new();
    f.process(812, &["/usr/bin/dockerd", "-H", "fd://"])
        .write("/etc/docker/daemon.json", "{}\n");
    let host = f.host();
    let unset = |key: &str| {
        format!("`{key}` is not set in /etc/docker/daemon.json nor on the dockerd command line")
    };
    expect(
        &host,
        "2.2",
        Warn,
        &format!("{}; the default is true", unset("icc")),
    );
    expect(
        &host,
        "2.3",
        Pass,
        &format!("{}; the default is info", unset("log-level")),
    );
    expect(
        &host,
        "2.4",
        Pass,
        &format!("{}; the default is true", unset("iptables")),
    );
    expect(&host, "2.5", Pass, &unset("insecure-registries"));
    expect(
        &host,
        "2.7",
        Info,
        "dockerd runs with `-H fd://`: the daemon does not listen on TCP",
    );
    expect(&host, "2.8", Note, &unset("default-ulimits"));
    expect(
        &host,
        "2.9",
        Warn,
        &format!("{}; the default is no remapping", unset("userns-remap")),
    );
    expect(&host, "2.10", Pass, &unset("cgroup-parent"));
    expect(&host, "2.11", Pass, &unset("storage-opts"));
    expect(&host, "2.12", Warn, &unset("authorization-plugins"));
    expect(
        &host,
        "2.14",
        Warn,
        &format!("{}; the default is false", unset("no-new-privileges")),
    );
    expect(
        &host,
        "2.16",
        Warn,
        &format!("{}; the default is true", unset("userland-proxy")),
    );

    // Without daemon.json at all, the evidence says so.
    let f = Fixture::new();
    f.process(812, SYSTEMD_ARGS);
    expect(
        &f.host(),
        "2.2",
        Warn,
        "`icc` is not set (there is no /etc/docker/daemon.json) nor on the dockerd command line",
    );
}

#[test]
fn dockerd_command_line_flags() {
    let f = Fixture::new();
    f.process(
        812,
        &[
            "/usr/bin/dockerd",
            "-H",
            "fd://",
            "--host=tcp://10.0.0.5:2376",
            "--tlsverify",
            "--icc=false",
            "-l",
            "info",
            "--insecure-registry=a.example:5000",
            "--insecure-registry",
            "b.example:5000",
            "--iptables=false",
            "--default-ulimit",
            "nofile=1024:2048",
            "--userns-remap=dockremap",
            "--cgroup-parent=/docker-pool",
            "--storage-opt",
            "dm.basesize=20G",
            "--authorization-plugin=authz-broker",
            "--no-new-privileges",
            "--userland-proxy=false",
        ],
    );
    let host = f.host_with(good_info());
    expect(&host, "2.2", Pass, "dockerd runs with `--icc=false`");
    expect(&host, "2.3", Pass, "dockerd runs with `-l info`");
    expect(&host, "2.4", Warn, "dockerd runs with `--iptables=false`");
    expect(
        &host,
        "2.5",
        Warn,
        "dockerd runs with `--insecure-registry=a.example:5000` `--insecure-registry=b.example:5000`",
    );
    let tls = expect(
        &host,
        "2.7",
        Pass,
        "the daemon listens on tcp://10.0.0.5:2376",
    );
    assert!(tls.evidence[0].contains("dockerd runs with `--tlsverify`"));
    expect(
        &host,
        "2.8",
        Info,
        "dockerd runs with `--default-ulimit=nofile=1024:2048`",
    );
    expect(
        &host,
        "2.9",
        Pass,
        "dockerd runs with `--userns-remap=dockremap`",
    );
    expect(
        &host,
        "2.10",
        Warn,
        "dockerd runs with `--cgroup-parent=/docker-pool`",
    );
    expect(
        &host,
        "2.11",
        Warn,
        "dockerd runs with `--storage-opt=dm.basesize=20G`",
    );
    expect(&host, "2.12", Pass, "`--authorization-plugin=authz-broker`");
    expect(
        &host,
        "2.14",
        Pass,
        "dockerd runs with `--no-new-privileges`",
    );
    expect(
        &host,
        "2.16",
        Pass,
        "dockerd runs with `--userland-proxy=false`",
    );
}

#[test]
fn log_level_and_debug_mode() {
    let f = Fixture::new();
    f.process(812, &["/usr/bin/dockerd", "-D"]);
    expect(
        &f.host(),
        "2.3",
        Warn,
        "dockerd runs with `-D`: debug mode logs at level debug",
    );

    let f = Fixture::new();
    f.process(812, &["/usr/bin/dockerd", "--log-level=debug"]);
    expect(
        &f.host(),
        "2.3",
        Warn,
        "dockerd runs with `--log-level=debug`",
    );

    let f = Fixture::new();
    f.process(812, SYSTEMD_ARGS).write(
        "/etc/docker/daemon.json",
        r#"{"log-level": "info", "debug": true}"#,
    );
    expect(&f.host(), "2.3", Warn, "`\"debug\": true`: debug mode");
}

#[test]
fn tls_on_tcp() {
    // TLS without client verification.
    let f = Fixture::new();
    f.process(
        812,
        &["/usr/bin/dockerd", "-H", "tcp://0.0.0.0:2376", "--tls"],
    );
    expect(
        &f.host(),
        "2.7",
        Warn,
        "TLS is on but client certificates are not checked",
    );

    // An address without a scheme is TCP.
    let f = Fixture::new();
    f.process(812, &["/usr/bin/dockerd", "-H", "0.0.0.0:2375"]);
    expect(&f.host(), "2.7", Warn, "the daemon listens on 0.0.0.0:2375");

    // `--tlsverify=false` is no verification.
    let f = Fixture::new();
    f.process(
        812,
        &[
            "/usr/bin/dockerd",
            "-H",
            "tcp://0.0.0.0:2376",
            "--tlsverify=false",
        ],
    );
    expect(
        &f.host(),
        "2.7",
        Warn,
        "dockerd runs with `--tlsverify=false`; no TLS",
    );

    // Only the unix socket.
    let f = Fixture::new();
    f.process(812, SYSTEMD_ARGS).write(
        "/etc/docker/daemon.json",
        r#"{"hosts": ["unix:///var/run/docker.sock"]}"#,
    );
    expect(&f.host(), "2.7", Info, "does not listen on TCP");
}

#[test]
fn daemon_reported_facts() {
    let f = Fixture::new();
    let with = |changes: Value| {
        let mut info = good_info();
        for (k, v) in changes.as_object().expect("an object") {
            info[k] = v.clone();
        }
        f.host_with(info)
    };
    expect(
        &with(json!({"LoggingDriver": "local"})),
        "2.13",
        Warn,
        "local (GET /info): logs stay on the host",
    );
    expect(
        &with(json!({"LoggingDriver": "none"})),
        "2.13",
        Warn,
        "container logs are dropped",
    );
    expect(
        &with(json!({"LoggingDriver": "journald"})),
        "2.13",
        Pass,
        "journald",
    );
    expect(
        &with(json!({"LiveRestoreEnabled": false, "Swarm": {"LocalNodeState": "active"}})),
        "2.15",
        Info,
        "swarm mode is active",
    );
    expect(
        &with(json!({"SecurityOptions": ["name=seccomp,profile=builtin"]})),
        "2.17",
        Note,
        "Docker's own profile",
    );
    expect(
        &with(json!({"SecurityOptions": ["name=seccomp,profile=default"]})),
        "2.17",
        Note,
        "Docker's own profile",
    );
    expect(
        &with(json!({"SecurityOptions": ["name=apparmor"]})),
        "2.17",
        Note,
        "no seccomp entry in SecurityOptions (name=apparmor)",
    );
    expect(
        &with(json!({"SecurityOptions": ["name=seccomp,profile=builtin"]})),
        "2.1",
        Note,
        "the daemon runs as root",
    );
    // GET /info without the field the check needs.
    let host = f.host_with(json!({"Driver": "overlay2"}));
    expect(&host, "2.13", Info, "GET /info has no `LoggingDriver`");

    // Experimental features from GET /version when /info is missing.
    let host = Host {
        version: Some(json!({"Version": "27.3.1", "ApiVersion": "1.47"})),
        ..f.host()
    };
    expect(
        &host,
        "2.18",
        Pass,
        "Docker Engine 27.3.1: Experimental is false (GET /version)",
    );
    let host = Host {
        version: Some(json!({"Version": "27.3.1", "Experimental": true})),
        ..f.host()
    };
    expect(&host, "2.18", Warn, "Experimental is true (GET /version)");
}

#[test]
fn unknown_when_nothing_can_be_seen() {
    // No dockerd process, no daemon.json, no daemon: nothing passes.
    let host = Fixture::new().host();
    for check in CHECKS.iter().filter(|c| c.number.starts_with("2.")) {
        let result = expect(&host, check.number, Info, "");
        let evidence = result.evidence.join(" ");
        assert!(
            evidence.contains("unknown") || evidence.contains("not reached"),
            "{}: {evidence}",
            check.number
        );
    }

    // daemon.json sets it: that is enough, whatever the command line.
    let f = Fixture::new();
    f.write("/etc/docker/daemon.json", r#"{"icc": false}"#);
    expect(&f.host(), "2.2", Pass, "`\"icc\": false`");
    expect(
        &f.host(),
        "2.14",
        Info,
        "`no-new-privileges` is not set in /etc/docker/daemon.json, and no dockerd command line was found",
    );

    // daemon.json that does not parse.
    let f = Fixture::new();
    f.process(812, SYSTEMD_ARGS)
        .write("/etc/docker/daemon.json", "{\"icc\": false,}");
    expect(
        &f.host(),
        "2.2",
        Info,
        "cannot parse /etc/docker/daemon.json",
    );

    // --config-file names another file.
    let f = Fixture::new();
    f.process(812, &["/usr/bin/dockerd", "--config-file=/srv/docker.json"])
        .write("/srv/docker.json", r#"{"icc": false}"#);
    expect(
        &f.host(),
        "2.2",
        Pass,
        "/srv/docker.json sets `\"icc\": false`",
    );
}

// ---------------------------------------------------------------- section 3

/// A file of section 3: its owner check, its mode check, and modes that
/// comply and that do not.
struct FileCase {
    owner: &'static str,
    mode: &'static str,
    path: &'static str,
    good: u32,
    bad: u32,
}

#[rustfmt::skip]
const FILES: &[FileCase] = &[
    FileCase { owner: "3.1", mode: "3.2", path: "/lib/systemd/system/docker.service", good: 0o644, bad: 0o664 },
    FileCase { owner: "3.3", mode: "3.4", path: "/lib/systemd/system/docker.socket", good: 0o644, bad: 0o646 },
    FileCase { owner: "3.5", mode: "3.6", path: "/etc/docker", good: 0o755, bad: 0o775 },
    FileCase { owner: "3.7", mode: "3.8", path: "/etc/docker/certs.d/registry.example:5000/ca.crt", good: 0o444, bad: 0o644 },
    FileCase { owner: "3.9", mode: "3.10", path: "/etc/docker/tls/ca.pem", good: 0o444, bad: 0o644 },
    FileCase { owner: "3.11", mode: "3.12", path: "/etc/docker/tls/server-cert.pem", good: 0o400, bad: 0o664 },
    FileCase { owner: "3.13", mode: "3.14", path: "/etc/docker/tls/server-key.pem", good: 0o400, bad: 0o440 },
    FileCase { owner: "3.15", mode: "3.16", path: "/var/run/docker.sock", good: 0o660, bad: 0o666 },
    FileCase { owner: "3.17", mode: "3.18", path: "/etc/docker/daemon.json", good: 0o644, bad: 0o664 },
    FileCase { owner: "3.19", mode: "3.20", path: "/etc/default/docker", good: 0o600, bad: 0o666 },
    FileCase { owner: "3.22", mode: "3.21", path: "/etc/sysconfig/docker", good: 0o644, bad: 0o655 },
    FileCase { owner: "3.23", mode: "3.24", path: "/run/containerd/containerd.sock", good: 0o660, bad: 0o661 },
];

/// A host with every file of section 3, each with mode `mode_of(case)`;
/// `None` when not running as root.
fn files_host(mode_of: impl Fn(&FileCase) -> u32) -> Option<Fixture> {
    if !running_as_root() {
        return None;
    }
    let f = Fixture::new();
    f.process(812, SYSTEMD_ARGS);
    for case in FILES {
        if case.path.ends_with(".sock") {
            f.socket(case.path);
        } else if case.path == "/etc/docker" {
            f.mkdir(case.path);
        } else if case.path.ends_with("daemon.json") {
            f.write(
                case.path,
                r#"{
                    "tlsverify": true,
                    "tlscacert": "/etc/docker/tls/ca.pem",
                    "tlscert": "/etc/docker/tls/server-cert.pem",
                    "tlskey": "/etc/docker/tls/server-key.pem"
                }"#,
            );
        } else {
            f.write(case.path, "x\n");
        }
    }
    for case in FILES {
        f.chmod(case.path, mode_of(case));
    }
    // The daemon's socket belongs to the docker group.
    assert!(f.chown("/var/run/docker.sock", 0, 998), "chown as root");
    Some(f)
}

#[test]
fn files_that_comply() {
    let Some(f) = files_host(|case| case.good) else {
        return;
    };
    let host = f.host();
    for case in FILES {
        let group = if case.path.ends_with("docker.sock") {
            "docker"
        } else {
            "root"
        };
        let line = format!("{} is root:{group} {:04o}", case.path, case.good);
        expect(&host, case.owner, Pass, &line);
        expect(&host, case.mode, Pass, &line);
    }
}

#[test]
fn files_too_open() {
    let Some(f) = files_host(|case| case.bad) else {
        return;
    };
    let host = f.host();
    for case in FILES {
        let group = if case.path.ends_with("docker.sock") {
            "docker"
        } else {
            "root"
        };
        let line = format!("{} is root:{group} {:04o}", case.path, case.bad);
        expect(&host, case.owner, Pass, &line);
        let warn = expect(&host, case.mode, Warn, &format!("{line}: not "));
        assert!(
            warn.evidence[0].contains("or tighter (bits"),
            "{:?}",
            warn.evidence
        );
    }
    // The exact wording, once.
    expect(
        &host,
        "3.18",
        Warn,
        "/etc/docker/daemon.json is root:root 0664: not 644 or tighter (bits 0020 are set)",
    );
    expect(
        &host,
        "3.14",
        Warn,
        "/etc/docker/tls/server-key.pem is root:root 0440: not 400 or tighter (bits 0040 are set)",
    );
}

#[test]
fn files_with_special_bits_or_no_bits() {
    let Some(f) = files_host(|case| case.good) else {
        return;
    };
    f.chmod("/etc/docker", 0o2755)
        .chmod("/etc/docker/tls/server-key.pem", 0o000);
    let host = f.host();
    expect(
        &host,
        "3.6",
        Warn,
        "/etc/docker is root:root 2755: not 755 or tighter (bits 2000 are set)",
    );
    expect(
        &host,
        "3.14",
        Pass,
        "/etc/docker/tls/server-key.pem is root:root 0000",
    );
}

#[test]
fn files_owned_by_someone_else() {
    let Some(f) = files_host(|case| case.good) else {
        return;
    };
    if !FILES.iter().all(|case| f.chown(case.path, 1000, 1000)) {
        return;
    }
    let host = f.host();
    for case in FILES {
        let line = format!("{} is alice:alice {:04o}", case.path, case.good);
        expect(&host, case.mode, Pass, &line);
        let want = if case.owner == "3.7" {
            "not owned by root"
        } else if case.owner == "3.15" {
            "not root:docker"
        } else {
            "not root:root"
        };
        let warn = expect(&host, case.owner, Warn, &format!("{line}: {want}"));
        assert_eq!(
            warn.evidence.len(),
            1,
            "{}: {:?}",
            case.owner,
            warn.evidence
        );
    }
}

#[test]
fn owner_groups() {
    let Some(f) = files_host(|case| case.good) else {
        return;
    };
    // Registry certificates need a root owner only; any group will do.
    assert!(f.chown("/etc/docker/certs.d/registry.example:5000/ca.crt", 0, 1000));
    // The docker socket must be in the docker group, not root's.
    assert!(f.chown("/var/run/docker.sock", 0, 0));
    // Other files must be in root's group.
    assert!(f.chown("/etc/docker/daemon.json", 0, 998));
    let host = f.host();
    expect(&host, "3.7", Pass, "ca.crt is root:alice 0444");
    expect(
        &host,
        "3.15",
        Warn,
        "/var/run/docker.sock is root:root 0660: not root:docker",
    );
    expect(
        &host,
        "3.17",
        Warn,
        "/etc/docker/daemon.json is root:docker 0644: not root:root",
    );

    // Without a docker group the socket cannot be root:docker.
    f.write("/etc/group", "root:x:0:\n");
    expect(
        &f.host(),
        "3.15",
        Warn,
        "there is no `docker` group in /etc/group",
    );

    // Names the root's account files do not know are shown as ids.
    f.write("/etc/passwd", "").write("/etc/group", "");
    expect(&f.host(), "3.16", Pass, "/var/run/docker.sock is 0:0 0660");
}

#[test]
fn registry_certificates_each_checked() {
    let Some(f) = files_host(|case| case.good) else {
        return;
    };
    f.write("/etc/docker/certs.d/other.example/ca.crt", "x\n")
        .chmod("/etc/docker/certs.d/other.example/ca.crt", 0o664)
        // Client certificates and keys are not registry CA certificates.
        .write("/etc/docker/certs.d/other.example/client.cert", "x\n")
        .chmod("/etc/docker/certs.d/other.example/client.cert", 0o666);
    let warn = expect(
        &f.host(),
        "3.8",
        Warn,
        "/etc/docker/certs.d/other.example/ca.crt is root:root 0664: not 444 or tighter",
    );
    assert_eq!(
        warn.evidence,
        [
            "/etc/docker/certs.d/other.example/ca.crt is root:root 0664: not 444 or tighter (bits 0220 are set)",
            "/etc/docker/certs.d/registry.example:5000/ca.crt is root:root 0444",
        ]
    );

    let f = Fixture::new();
    expect(&f.host(), "3.7", Info, "no registry certificates (*.crt)");
    f.write("/etc/docker/certs.d/reg/client.cert", "x\n");
    expect(&f.host(), "3.8", Info, "no registry certificates (*.crt)");
}

#[test]
fn tls_files_from_the_command_line() {
    if !running_as_root() {
        return;
    }
    let f = Fixture::new();
    f.process(
        812,
        &[
            "/usr/bin/dockerd",
            "--tlsverify",
            "--tlscacert=/srv/tls/ca.pem",
            "--tlscert",
            "/srv/tls/cert.pem",
            "--tlskey=/srv/tls/key.pem",
        ],
    )
    .write("/srv/tls/ca.pem", "x\n")
    .chmod("/srv/tls/ca.pem", 0o444)
    .write("/srv/tls/key.pem", "x\n")
    .chmod("/srv/tls/key.pem", 0o600);
    let host = f.host();
    expect(&host, "3.9", Pass, "/srv/tls/ca.pem is root:root 0444");
    expect(&host, "3.10", Pass, "/srv/tls/ca.pem is root:root 0444");
    expect(&host, "3.11", Info, "/srv/tls/cert.pem not found");
    expect(&host, "3.12", Info, "/srv/tls/cert.pem not found");
    expect(&host, "3.13", Pass, "/srv/tls/key.pem is root:root 0600");
    expect(&host, "3.14", Warn, "/srv/tls/key.pem is root:root 0600");
}

#[test]
fn files_missing_or_not_configured() {
    let f = Fixture::new();
    f.process(812, SYSTEMD_ARGS);
    let host = f.host();
    for number in ["3.1", "3.2"] {
        expect(
            &host,
            number,
            Info,
            "no docker.service unit in /etc/systemd/system",
        );
    }
    for number in ["3.3", "3.4"] {
        expect(&host, number, Info, "no docker.socket unit");
    }
    for (number, key) in [
        ("3.9", "tlscacert"),
        ("3.10", "tlscacert"),
        ("3.11", "tlscert"),
        ("3.12", "tlscert"),
        ("3.13", "tlskey"),
        ("3.14", "tlskey"),
    ] {
        expect(
            &host,
            number,
            Info,
            &format!(
                "`{key}` is not set in /etc/docker/daemon.json nor on the dockerd command line"
            ),
        );
    }
    for (number, path) in [
        ("3.5", "/etc/docker"),
        ("3.6", "/etc/docker"),
        ("3.15", "/var/run/docker.sock"),
        ("3.16", "/var/run/docker.sock"),
        ("3.17", "/etc/docker/daemon.json"),
        ("3.18", "/etc/docker/daemon.json"),
        ("3.19", "/etc/default/docker"),
        ("3.20", "/etc/default/docker"),
        ("3.21", "/etc/sysconfig/docker"),
        ("3.22", "/etc/sysconfig/docker"),
        ("3.23", "/run/containerd/containerd.sock"),
        ("3.24", "/run/containerd/containerd.sock"),
    ] {
        expect(&host, number, Info, &format!("{path} not found"));
    }
}

#[test]
fn sockets_must_be_sockets() {
    if !running_as_root() {
        return;
    }
    let f = Fixture::new();
    f.write("/var/run/docker.sock", "")
        .chmod("/var/run/docker.sock", 0o660)
        .write("/run/containerd/containerd.sock", "")
        .chmod("/run/containerd/containerd.sock", 0o600);
    let host = f.host();
    for number in ["3.15", "3.16"] {
        expect(
            &host,
            number,
            Info,
            "/var/run/docker.sock is not a socket (root:root 0660)",
        );
    }
    for number in ["3.23", "3.24"] {
        expect(
            &host,
            number,
            Info,
            "/run/containerd/containerd.sock is not a socket (root:root 0600)",
        );
    }

    // /run/docker.sock when /var/run is not there.
    let f = Fixture::new();
    f.socket("/run/docker.sock")
        .chmod("/run/docker.sock", 0o660);
    expect(
        &f.host(),
        "3.16",
        Pass,
        "/run/docker.sock is root:root 0660",
    );
}

#[test]
fn units_where_systemd_finds_them() {
    if !running_as_root() {
        return;
    }
    let f = Fixture::new();
    f.write("/lib/systemd/system/docker.service", "")
        .write("/etc/systemd/system/docker.service", "")
        .chmod("/etc/systemd/system/docker.service", 0o666);
    // The override in /etc wins over the packaged unit.
    expect(
        &f.host(),
        "3.2",
        Warn,
        "/etc/systemd/system/docker.service is root:root 0666",
    );
}

#[test]
fn every_check_of_sections_1_to_3_runs_on_an_empty_host() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let host = Host {
        root: dir.path().to_path_buf(),
        ..Default::default()
    };
    let (results, _) = run(
        &host,
        CHECKS,
        &Selection {
            sections: vec!["1".into(), "2".into(), "3".into()],
            ..Default::default()
        },
    );
    assert_eq!(results.len(), 20 + 18 + 24);
    for result in &results {
        assert_ne!(
            result.status, Pass,
            "{}: {:?}",
            result.number, result.evidence
        );
        assert!(
            result.evidence.iter().all(|e| !e.is_empty()),
            "{}: empty evidence",
            result.number
        );
    }
}
