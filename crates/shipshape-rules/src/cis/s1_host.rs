//! Section 1: the host. A separate partition for Docker's data, who may
//! talk to the daemon, and audit rules on Docker's files.

use super::Outcome;
use shipshape_core::host::Host;

check! {
    /// ## What it does
    /// Checks that Docker's root directory (`DockerRootDir` from the
    /// daemon, `/var/lib/docker` by default) is a mount point of its own.
    ///
    /// ## Why is this bad?
    /// Images, containers and volumes grow without bound. On the root
    /// file system they can fill it and take the host down with them; on
    /// their own partition only Docker stops.
    ///
    /// ## Use instead
    /// Mount a dedicated file system (or logical volume) at Docker's root
    /// directory, e.g. a line in `/etc/fstab` for `/var/lib/docker`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.1.1
    DH101: "1.1.1",
    title: "Docker's root directory is on its own partition",
    severity: Low,
    scored: true,
    fix: "mount a dedicated file system at Docker's root directory",
    run: separate_partition,
}

fn separate_partition(host: &Host) -> Outcome {
    let dir = host
        .info("DockerRootDir")
        .and_then(|v| v.as_str())
        .unwrap_or("/var/lib/docker")
        .to_string();
    match host.mount_point(&dir) {
        Some(m) if m.trim_end_matches('/') == dir.trim_end_matches('/') => {
            Outcome::pass(format!("{dir} is a mount point"))
        }
        Some(m) => Outcome::warn(
            dir.clone(),
            format!("{dir} is on the file system mounted at {m}"),
        ),
        None => Outcome::info(format!("no mount table under the root to place {dir}")),
    }
}

check! {
    /// ## What it does
    /// Lists the members of the `docker` group.
    ///
    /// ## Why is this bad?
    /// Access to the Docker socket is root on the host: a member can start
    /// a privileged container that mounts `/`. Every member must be
    /// someone you would give root.
    ///
    /// ## Use instead
    /// Remove users who do not need the daemon: `gpasswd -d USER docker`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.1.2
    DH102: "1.1.2",
    title: "Only trusted users are in the docker group",
    severity: Medium,
    scored: true,
    fix: "remove users who do not need the daemon: `gpasswd -d USER docker`",
    run: docker_group,
}

fn docker_group(host: &Host) -> Outcome {
    match host.group_members("docker") {
        None => Outcome::info("no `docker` group in /etc/group"),
        Some(members) if members.is_empty() => Outcome::pass("the `docker` group has no members"),
        Some(members) => Outcome::info(format!(
            "members of the `docker` group (each is root on this host): {}",
            members.join(", ")
        )),
    }
}

/// PASS when an audit rule names `path`, WARN when none does, INFO when
/// the path does not exist here.
fn audited(host: &Host, path: Option<String>, what: &str) -> Outcome {
    let Some(path) = path.filter(|p| host.exists(p)) else {
        return Outcome::info(format!("{what} not found; nothing to audit"));
    };
    let rules = host.audit_text();
    let watched = rules.lines().any(|line| {
        let line = line.trim();
        !line.starts_with('#')
            && line.split_whitespace().any(|word| {
                word == path || word == format!("path={path}") || word == format!("dir={path}")
            })
    });
    if watched {
        Outcome::pass(format!("an audit rule watches {path}"))
    } else {
        let rule = format!("-w {path} -k docker");
        Outcome::warn(
            path.clone(),
            format!("no audit rule watches {path} (add `{rule}`)"),
        )
    }
}

/// Declares the audit-rule checks, one per file Docker relies on.
macro_rules! audit_check {
    (
        $(#[doc = $doc:literal])*
        $name:ident, $number:literal, $what:literal, $title:literal, $find:expr
    ) => {
        check! {
            $(#[doc = $doc])*
            $name: $number,
            title: $title,
            severity: Low,
            scored: true,
            fix: "add `-w PATH -k docker` to /etc/audit/rules.d/docker.rules and load it",
            run: |host: &Host| audited(host, $find(host), $what),
        }
    };
}

/// The first of `paths` that exists (or the first, to name it).
fn first(host: &Host, paths: &[&str]) -> Option<String> {
    paths
        .iter()
        .find(|p| host.exists(p))
        .or(paths.first())
        .map(|p| p.to_string())
}

audit_check!(
    /// ## What it does
    /// Checks that the Linux audit subsystem watches the Docker daemon
    /// binary (`dockerd`) (the rules loaded, from `auditctl -l`, and the
    /// rule files in `/etc/audit/audit.rules` and `/etc/audit/rules.d/`).
    ///
    /// ## Why is this bad?
    /// The daemon runs as root and controls every container: a replaced
    /// binary, or one started by hand with other options, is a compromise
    /// of the host that leaves no trace without an audit rule.
    ///
    /// ## Use instead
    /// Add `-w /usr/bin/dockerd -k docker` to
    /// `/etc/audit/rules.d/docker.rules`, then `augenrules --load`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.1.3
    DH103,
    "1.1.3",
    "dockerd",
    "Auditing is configured for the Docker daemon",
    |h: &Host| first(
        h,
        &[
            "/usr/bin/dockerd",
            "/usr/sbin/dockerd",
            "/usr/local/bin/dockerd"
        ]
    )
);
audit_check!(
    /// ## What it does
    /// Checks that the Linux audit subsystem watches `/run/containerd` (the
    /// rules loaded, from `auditctl -l`, and the rule files in
    /// `/etc/audit/audit.rules` and `/etc/audit/rules.d/`).
    ///
    /// ## Why is this bad?
    /// containerd keeps the state and sockets of running containers there;
    /// a write to it changes what runs without going through Docker's API,
    /// and only an audit rule records it.
    ///
    /// ## Use instead
    /// Add `-w /run/containerd -k docker` to
    /// `/etc/audit/rules.d/docker.rules`, then `augenrules --load`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.1.4
    DH104,
    "1.1.4",
    "/run/containerd",
    "Auditing is configured for /run/containerd",
    |_: &Host| Some("/run/containerd".to_string())
);
audit_check!(
    /// ## What it does
    /// Checks that the Linux audit subsystem watches Docker's root
    /// directory (`/var/lib/docker`) (the rules loaded, from `auditctl -l`,
    /// and the rule files in `/etc/audit/audit.rules` and
    /// `/etc/audit/rules.d/`).
    ///
    /// ## Why is this bad?
    /// It holds every image layer, container file system and volume: a
    /// change there alters containers behind the API's back, and without an
    /// audit rule nobody can tell who made it.
    ///
    /// ## Use instead
    /// Add `-w /var/lib/docker -k docker` to
    /// `/etc/audit/rules.d/docker.rules`, then `augenrules --load`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.1.5
    DH105,
    "1.1.5",
    "Docker's root directory",
    "Auditing is configured for /var/lib/docker",
    |h: &Host| Some(
        h.info("DockerRootDir")
            .and_then(|v| v.as_str())
            .unwrap_or("/var/lib/docker")
            .to_string()
    )
);
audit_check!(
    /// ## What it does
    /// Checks that the Linux audit subsystem watches `/etc/docker` (the
    /// rules loaded, from `auditctl -l`, and the rule files in
    /// `/etc/audit/audit.rules` and `/etc/audit/rules.d/`).
    ///
    /// ## Why is this bad?
    /// It holds daemon.json, the daemon's TLS keys and the registries'
    /// certificates: a change there reconfigures the daemon or whom it
    /// trusts, and should leave a record.
    ///
    /// ## Use instead
    /// Add `-w /etc/docker -k docker` to `/etc/audit/rules.d/docker.rules`,
    /// then `augenrules --load`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.1.6
    DH106,
    "1.1.6",
    "/etc/docker",
    "Auditing is configured for /etc/docker",
    |_: &Host| Some("/etc/docker".to_string())
);
audit_check!(
    /// ## What it does
    /// Checks that the Linux audit subsystem watches the `docker.service`
    /// unit (the rules loaded, from `auditctl -l`, and the rule files in
    /// `/etc/audit/audit.rules` and `/etc/audit/rules.d/`).
    ///
    /// ## Why is this bad?
    /// The unit decides the daemon's command line: an edit can turn off
    /// TLS, authorization plugins or user namespaces at the next start,
    /// silently unless audited.
    ///
    /// ## Use instead
    /// Add `-w /usr/lib/systemd/system/docker.service -k docker` to
    /// `/etc/audit/rules.d/docker.rules`, then `augenrules --load`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.1.7
    DH107,
    "1.1.7",
    "the docker.service unit",
    "Auditing is configured for docker.service",
    |h: &Host| h.unit("docker.service")
);
audit_check!(
    /// ## What it does
    /// Checks that the Linux audit subsystem watches containerd's socket
    /// (`containerd.sock`) (the rules loaded, from `auditctl -l`, and the
    /// rule files in `/etc/audit/audit.rules` and `/etc/audit/rules.d/`).
    ///
    /// ## Why is this bad?
    /// Whoever talks to containerd's socket can start containers without
    /// Docker's API and its authorization plugins; an audit rule records
    /// who used it.
    ///
    /// ## Use instead
    /// Add `-w /run/containerd/containerd.sock -k docker` to
    /// `/etc/audit/rules.d/docker.rules`, then `augenrules --load`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.1.8
    DH108,
    "1.1.8",
    "containerd.sock",
    "Auditing is configured for containerd.sock",
    |h: &Host| first(
        h,
        &[
            "/run/containerd/containerd.sock",
            "/var/run/containerd/containerd.sock"
        ]
    )
);
audit_check!(
    /// ## What it does
    /// Checks that the Linux audit subsystem watches the `docker.socket`
    /// unit (the rules loaded, from `auditctl -l`, and the rule files in
    /// `/etc/audit/audit.rules` and `/etc/audit/rules.d/`).
    ///
    /// ## Why is this bad?
    /// The socket unit decides who may open the daemon's socket (its owner,
    /// group and mode), and with it who is root on the host.
    ///
    /// ## Use instead
    /// Add `-w /usr/lib/systemd/system/docker.socket -k docker` to
    /// `/etc/audit/rules.d/docker.rules`, then `augenrules --load`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.1.9
    DH109,
    "1.1.9",
    "the docker.socket unit",
    "Auditing is configured for docker.socket",
    |h: &Host| h.unit("docker.socket")
);
audit_check!(
    /// ## What it does
    /// Checks that the Linux audit subsystem watches `/etc/default/docker`
    /// (the rules loaded, from `auditctl -l`, and the rule files in
    /// `/etc/audit/audit.rules` and `/etc/audit/rules.d/`).
    ///
    /// ## Why is this bad?
    /// On Debian-family hosts it holds the daemon's options
    /// (`DOCKER_OPTS`); a change there weakens the daemon at its next
    /// start.
    ///
    /// ## Use instead
    /// Add `-w /etc/default/docker -k docker` to
    /// `/etc/audit/rules.d/docker.rules`, then `augenrules --load`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.1.10
    DH110,
    "1.1.10",
    "/etc/default/docker",
    "Auditing is configured for /etc/default/docker",
    |_: &Host| Some("/etc/default/docker".to_string())
);
audit_check!(
    /// ## What it does
    /// Checks that the Linux audit subsystem watches
    /// `/etc/docker/daemon.json` (the rules loaded, from `auditctl -l`, and
    /// the rule files in `/etc/audit/audit.rules` and
    /// `/etc/audit/rules.d/`).
    ///
    /// ## Why is this bad?
    /// The daemon's settings (TLS, authorization plugins, user namespaces,
    /// logging, registries) decide what every container may do; a change to
    /// them should leave a record.
    ///
    /// ## Use instead
    /// Add `-w /etc/docker/daemon.json -k docker` to
    /// `/etc/audit/rules.d/docker.rules`, then `augenrules --load`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.1.11
    DH111,
    "1.1.11",
    "daemon.json",
    "Auditing is configured for /etc/docker/daemon.json",
    |h: &Host| Some(h.daemon_json_path())
);
audit_check!(
    /// ## What it does
    /// Checks that the Linux audit subsystem watches
    /// `/etc/containerd/config.toml` (the rules loaded, from `auditctl -l`,
    /// and the rule files in `/etc/audit/audit.rules` and
    /// `/etc/audit/rules.d/`).
    ///
    /// ## Why is this bad?
    /// containerd's configuration names the runtimes, registries and
    /// plugins every container goes through; a change there alters all of
    /// them.
    ///
    /// ## Use instead
    /// Add `-w /etc/containerd/config.toml -k docker` to
    /// `/etc/audit/rules.d/docker.rules`, then `augenrules --load`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.1.12
    DH112,
    "1.1.12",
    "/etc/containerd/config.toml",
    "Auditing is configured for /etc/containerd/config.toml",
    |_: &Host| Some("/etc/containerd/config.toml".to_string())
);
audit_check!(
    /// ## What it does
    /// Checks that the Linux audit subsystem watches
    /// `/etc/sysconfig/docker` (the rules loaded, from `auditctl -l`, and
    /// the rule files in `/etc/audit/audit.rules` and
    /// `/etc/audit/rules.d/`).
    ///
    /// ## Why is this bad?
    /// On Red Hat-family hosts it holds the daemon's options; a change
    /// there weakens the daemon at its next start.
    ///
    /// ## Use instead
    /// Add `-w /etc/sysconfig/docker -k docker` to
    /// `/etc/audit/rules.d/docker.rules`, then `augenrules --load`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.1.13
    DH113,
    "1.1.13",
    "/etc/sysconfig/docker",
    "Auditing is configured for /etc/sysconfig/docker",
    |_: &Host| Some("/etc/sysconfig/docker".to_string())
);
audit_check!(
    /// ## What it does
    /// Checks that the Linux audit subsystem watches the `containerd`
    /// binary (the rules loaded, from `auditctl -l`, and the rule files in
    /// `/etc/audit/audit.rules` and `/etc/audit/rules.d/`).
    ///
    /// ## Why is this bad?
    /// containerd starts and supervises every container as root: a replaced
    /// binary controls all of them.
    ///
    /// ## Use instead
    /// Add `-w /usr/bin/containerd -k docker` to
    /// `/etc/audit/rules.d/docker.rules`, then `augenrules --load`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.1.14
    DH114,
    "1.1.14",
    "containerd",
    "Auditing is configured for /usr/bin/containerd",
    |h: &Host| first(h, &["/usr/bin/containerd", "/usr/local/bin/containerd"])
);
audit_check!(
    /// ## What it does
    /// Checks that the Linux audit subsystem watches the `containerd-shim`
    /// binary (the rules loaded, from `auditctl -l`, and the rule files in
    /// `/etc/audit/audit.rules` and `/etc/audit/rules.d/`).
    ///
    /// ## Why is this bad?
    /// A shim runs as root beside each container and holds its standard
    /// streams and exit status: a replaced shim sees and controls the
    /// container.
    ///
    /// ## Use instead
    /// Add `-w /usr/bin/containerd-shim -k docker` to
    /// `/etc/audit/rules.d/docker.rules`, then `augenrules --load`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.1.15
    DH115,
    "1.1.15",
    "containerd-shim",
    "Auditing is configured for containerd-shim",
    |h: &Host| first(
        h,
        &["/usr/bin/containerd-shim", "/usr/local/bin/containerd-shim"]
    )
);
audit_check!(
    /// ## What it does
    /// Checks that the Linux audit subsystem watches the
    /// `containerd-shim-runc-v1` binary (the rules loaded, from `auditctl
    /// -l`, and the rule files in `/etc/audit/audit.rules` and
    /// `/etc/audit/rules.d/`).
    ///
    /// ## Why is this bad?
    /// The v1 runc shim runs as root beside each container it starts: a
    /// replaced one sees and controls them.
    ///
    /// ## Use instead
    /// Add `-w /usr/bin/containerd-shim-runc-v1 -k docker` to
    /// `/etc/audit/rules.d/docker.rules`, then `augenrules --load`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.1.16
    DH116,
    "1.1.16",
    "containerd-shim-runc-v1",
    "Auditing is configured for containerd-shim-runc-v1",
    |h: &Host| first(
        h,
        &[
            "/usr/bin/containerd-shim-runc-v1",
            "/usr/local/bin/containerd-shim-runc-v1"
        ]
    )
);
audit_check!(
    /// ## What it does
    /// Checks that the Linux audit subsystem watches the
    /// `containerd-shim-runc-v2` binary (the rules loaded, from `auditctl
    /// -l`, and the rule files in `/etc/audit/audit.rules` and
    /// `/etc/audit/rules.d/`).
    ///
    /// ## Why is this bad?
    /// The v2 runc shim, the one current containerd uses, runs as root
    /// beside each container: a replaced one sees and controls them.
    ///
    /// ## Use instead
    /// Add `-w /usr/bin/containerd-shim-runc-v2 -k docker` to
    /// `/etc/audit/rules.d/docker.rules`, then `augenrules --load`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.1.17
    DH117,
    "1.1.17",
    "containerd-shim-runc-v2",
    "Auditing is configured for containerd-shim-runc-v2",
    |h: &Host| first(
        h,
        &[
            "/usr/bin/containerd-shim-runc-v2",
            "/usr/local/bin/containerd-shim-runc-v2"
        ]
    )
);
audit_check!(
    /// ## What it does
    /// Checks that the Linux audit subsystem watches `runc` (the rules
    /// loaded, from `auditctl -l`, and the rule files in
    /// `/etc/audit/audit.rules` and `/etc/audit/rules.d/`).
    ///
    /// ## Why is this bad?
    /// runc creates every container's namespaces and cgroups as root; a
    /// replaced runc, or its known escapes, is the host.
    ///
    /// ## Use instead
    /// Add `-w /usr/bin/runc -k docker` to
    /// `/etc/audit/rules.d/docker.rules`, then `augenrules --load`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.1.18
    DH118,
    "1.1.18",
    "runc",
    "Auditing is configured for runc",
    |h: &Host| first(
        h,
        &["/usr/bin/runc", "/usr/sbin/runc", "/usr/local/bin/runc"]
    )
);

check! {
    /// ## What it does
    /// A reminder: harden the host itself (manual).
    ///
    /// ## Why is this bad?
    /// Containers share the host's kernel; a weak host weakens them all.
    ///
    /// ## Use instead
    /// Follow your OS's hardening guide (e.g. its CIS benchmark), patch the
    /// kernel, and run nothing else on container hosts.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.2.1
    DH121: "1.2.1",
    title: "The host is hardened",
    severity: Info,
    scored: false,
    fix: "follow the hardening guide of the host's OS",
    run: |_| Outcome::note("review the host's hardening by hand"),
}

check! {
    /// ## What it does
    /// Reports the daemon's version, to compare with the current release.
    ///
    /// ## Why is this bad?
    /// Old engines miss security fixes (container escapes in runc and the
    /// engine have been fixed in point releases).
    ///
    /// ## Use instead
    /// Keep Docker Engine, containerd and runc up to date.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.2.2
    DH122: "1.2.2",
    title: "The Docker version is up to date",
    severity: Info,
    scored: false,
    fix: "upgrade Docker Engine, containerd and runc",
    run: docker_version,
}

fn docker_version(host: &Host) -> Outcome {
    let version = host
        .version
        .as_ref()
        .and_then(|v| v.get("Version"))
        .and_then(|v| v.as_str());
    match version {
        Some(v) => Outcome::info(format!(
            "Docker Engine {v}: compare with the current release"
        )),
        None => Outcome::info("the daemon was not reached; version unknown"),
    }
}
