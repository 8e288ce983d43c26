//! Section 3: who owns the daemon's files (its units, configuration,
//! certificates and sockets), and who may read or write them.

use shipshape_core::Status;

use super::Outcome;
use shipshape_core::host::{Host, Stat};

/// What a file must be.
#[derive(Debug, Clone, Copy)]
enum Want {
    /// Owned by uid 0 and gid 0.
    RootRoot,
    /// Owned by uid 0, whatever its group.
    Root,
    /// Owned by uid 0 and the `docker` group.
    RootDocker,
    /// No permission bit outside these: `0o644` is "644 or tighter".
    Mode(u32),
}

/// The files a check looks at, or the INFO when there is none to look at.
type Files = Result<Vec<String>, Outcome>;

/// `path is root:root 0644`.
fn describe(host: &Host, path: &str, stat: &Stat) -> String {
    format!("{path} is {} {:04o}", host.owner(stat), stat.mode)
}

/// Why a file is not as wanted, or `None` when it is.
fn fault(host: &Host, stat: &Stat, want: Want) -> Option<String> {
    match want {
        Want::RootRoot => (stat.uid != 0 || stat.gid != 0).then(|| "not root:root".to_string()),
        Want::Root => (stat.uid != 0).then(|| "not owned by root".to_string()),
        Want::RootDocker => match host.group_id("docker") {
            Some(gid) if stat.uid == 0 && stat.gid == gid => None,
            Some(_) => Some("not root:docker".to_string()),
            None => Some("not root:docker (there is no `docker` group in /etc/group)".to_string()),
        },
        Want::Mode(max) => {
            let extra = stat.mode & !max;
            (extra != 0).then(|| format!("not {max:o} or tighter (bits {extra:04o} are set)"))
        }
    }
}

/// Checks every file of `files`: PASS when all are as wanted, WARN naming
/// those that are not, INFO when none is there.
fn examine(host: &Host, files: Files, want: Want) -> Outcome {
    let paths = match files {
        Ok(paths) => paths,
        Err(info) => return info,
    };
    let mut faults = Vec::new();
    let mut fine = Vec::new();
    let mut bad = Vec::new();
    let mut found = 0;
    for path in &paths {
        let Some(stat) = host.stat(path) else {
            fine.push(format!("{path} not found"));
            continue;
        };
        found += 1;
        let line = describe(host, path, &stat);
        match fault(host, &stat, want) {
            Some(why) => {
                faults.push(format!("{line}: {why}"));
                bad.push(path.as_str());
            }
            None => fine.push(line),
        }
    }
    let (status, subject) = if !bad.is_empty() {
        (Status::Warn, bad.join(", "))
    } else if found == 0 {
        (Status::Info, String::new())
    } else {
        (Status::Pass, String::new())
    };
    faults.append(&mut fine);
    Outcome {
        status,
        evidence: faults,
        subject,
    }
}

/// The systemd unit `name`, where systemd would find it.
fn unit(host: &Host, name: &str) -> Files {
    host.unit(name).map(|p| vec![p]).ok_or_else(|| {
        Outcome::info(format!(
            "no {name} unit in /etc/systemd/system, /run/systemd/system, \
             /usr/lib/systemd/system or /lib/systemd/system"
        ))
    })
}

/// One fixed path.
fn file(path: &str) -> Files {
    Ok(vec![path.to_string()])
}

/// The first of `paths` that exists (the first, to report it missing);
/// INFO when it is not a socket.
fn socket(host: &Host, paths: &[&str]) -> Files {
    let path = paths
        .iter()
        .find(|p| host.exists(p))
        .or(paths.first())
        .map_or_else(String::new, |p| p.to_string());
    match host.stat(&path) {
        Some(stat) if !stat.is_socket => Err(Outcome::info(format!(
            "{path} is not a socket ({} {:04o})",
            host.owner(&stat),
            stat.mode
        ))),
        _ => Ok(vec![path]),
    }
}

/// Every `*.crt` in the registry directories under
/// `/etc/docker/certs.d/`.
fn registry_certs(host: &Host) -> Files {
    let certs: Vec<String> = host
        .list("/etc/docker/certs.d")
        .iter()
        .flat_map(|dir| host.list(dir))
        .filter(|f| f.ends_with(".crt"))
        .collect();
    if certs.is_empty() {
        Err(Outcome::info(
            "no registry certificates (*.crt) under /etc/docker/certs.d/*/",
        ))
    } else {
        Ok(certs)
    }
}

/// The file a TLS option of the daemon names (`tlscacert`, ...).
fn tls_file(host: &Host, key: &str, flag: &str) -> Files {
    if let Some(setting) = host.setting(key, &[flag]) {
        return Ok(vec![setting.text()]);
    }
    let path = host.daemon_json_path();
    Err(Outcome::info(match host.daemon_json() {
        Some(Err(e)) => format!("cannot parse {e}; whether `{key}` is set is unknown"),
        _ if host.dockerd_args.is_none() => format!(
            "`{key}` is not set in {path}, and no dockerd command line was found to look at; \
             whether it is set there is unknown"
        ),
        _ => format!("`{key}` is not set in {path} nor on the dockerd command line"),
    }))
}

/// Declares a file check: `files` gives the paths, `want` what each must
/// be.
macro_rules! file_check {
    (
        $(#[doc = $doc:literal])*
        $name:ident: $number:literal,
        title: $title:literal,
        severity: $sev:ident,
        fix: $fix:literal,
        files: $files:expr,
        want: $want:expr $(,)?
    ) => {
        check! {
            $(#[doc = $doc])*
            $name: $number,
            title: $title,
            severity: $sev,
            scored: true,
            fix: $fix,
            run: |host: &Host| examine(host, ($files)(host), $want),
        }
    };
}

file_check! {
    /// ## What it does
    /// Checks that the `docker.service` unit file is owned by root:root.
    ///
    /// ## Why is this bad?
    /// The unit decides how dockerd is started, as root. Whoever owns the
    /// file can add flags or swap the binary it runs.
    ///
    /// ## Use instead
    /// `chown root:root` the unit file (see `systemctl show -p FragmentPath docker.service`).
    ///
    /// ## References
    /// - CIS Docker Benchmark 3.1
    DH301: "3.1",
    title: "The docker.service file is owned by root:root",
    severity: Medium,
    fix: "chown root:root the docker.service unit file",
    files: |h: &Host| unit(h, "docker.service"),
    want: Want::RootRoot,
}

file_check! {
    /// ## What it does
    /// Checks that the `docker.service` unit file's mode is 644 or tighter.
    ///
    /// ## Why is this bad?
    /// A unit file writable by its group or by others lets them change how
    /// dockerd starts as root.
    ///
    /// ## Use instead
    /// `chmod 644` the unit file.
    ///
    /// ## References
    /// - CIS Docker Benchmark 3.2
    DH302: "3.2",
    title: "The docker.service file permissions are 644 or more restrictive",
    severity: Medium,
    fix: "chmod 644 the docker.service unit file",
    files: |h: &Host| unit(h, "docker.service"),
    want: Want::Mode(0o644),
}

file_check! {
    /// ## What it does
    /// Checks that the `docker.socket` unit file is owned by root:root.
    ///
    /// ## Why is this bad?
    /// The socket unit decides where the daemon's socket is created and
    /// who may connect to it. Whoever owns the file can open the daemon
    /// to more users.
    ///
    /// ## Use instead
    /// `chown root:root` the unit file.
    ///
    /// ## References
    /// - CIS Docker Benchmark 3.3
    DH303: "3.3",
    title: "The docker.socket file is owned by root:root",
    severity: Medium,
    fix: "chown root:root the docker.socket unit file",
    files: |h: &Host| unit(h, "docker.socket"),
    want: Want::RootRoot,
}

file_check! {
    /// ## What it does
    /// Checks that the `docker.socket` unit file's mode is 644 or tighter.
    ///
    /// ## Why is this bad?
    /// A socket unit writable by its group or by others lets them change
    /// the socket's owner and mode, and so who controls the daemon.
    ///
    /// ## Use instead
    /// `chmod 644` the unit file.
    ///
    /// ## References
    /// - CIS Docker Benchmark 3.4
    DH304: "3.4",
    title: "The docker.socket file permissions are 644 or more restrictive",
    severity: Medium,
    fix: "chmod 644 the docker.socket unit file",
    files: |h: &Host| unit(h, "docker.socket"),
    want: Want::Mode(0o644),
}

file_check! {
    /// ## What it does
    /// Checks that the `/etc/docker` directory is owned by root:root.
    ///
    /// ## Why is this bad?
    /// `/etc/docker` holds daemon.json, TLS keys and registry certificates.
    /// Whoever owns it can replace any of them.
    ///
    /// ## Use instead
    /// `chown root:root /etc/docker`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 3.5
    DH305: "3.5",
    title: "The /etc/docker directory is owned by root:root",
    severity: Medium,
    fix: "chown root:root /etc/docker",
    files: |_: &Host| file("/etc/docker"),
    want: Want::RootRoot,
}

file_check! {
    /// ## What it does
    /// Checks that the `/etc/docker` directory's mode is 755 or tighter.
    ///
    /// ## Why is this bad?
    /// A directory writable by its group or by others lets them add,
    /// remove or rename the daemon's configuration and certificates.
    ///
    /// ## Use instead
    /// `chmod 755 /etc/docker`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 3.6
    DH306: "3.6",
    title: "The /etc/docker directory permissions are 755 or more restrictive",
    severity: Medium,
    fix: "chmod 755 /etc/docker",
    files: |_: &Host| file("/etc/docker"),
    want: Want::Mode(0o755),
}

file_check! {
    /// ## What it does
    /// Checks that every registry certificate (`*.crt` in the directories
    /// under `/etc/docker/certs.d/`) is owned by root.
    ///
    /// ## Why is this bad?
    /// These certificates decide which registries the daemon trusts.
    /// Whoever owns one can swap it and have the daemon pull from a
    /// registry of their own.
    ///
    /// ## Use instead
    /// `chown root:root /etc/docker/certs.d/*/*.crt`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 3.7
    DH307: "3.7",
    title: "Registry certificate files are owned by root",
    severity: Low,
    fix: "chown root:root /etc/docker/certs.d/*/*.crt",
    files: registry_certs,
    want: Want::Root,
}

file_check! {
    /// ## What it does
    /// Checks that every registry certificate (`*.crt` in the directories
    /// under `/etc/docker/certs.d/`) has mode 444 or tighter.
    ///
    /// ## Why is this bad?
    /// A certificate anyone may write can be replaced with one for a
    /// registry of theirs; nothing ever needs to write it.
    ///
    /// ## Use instead
    /// `chmod 444 /etc/docker/certs.d/*/*.crt`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 3.8
    DH308: "3.8",
    title: "Registry certificate file permissions are 444 or more restrictive",
    severity: Low,
    fix: "chmod 444 /etc/docker/certs.d/*/*.crt",
    files: registry_certs,
    want: Want::Mode(0o444),
}

file_check! {
    /// ## What it does
    /// Checks that the TLS CA certificate of the daemon (`tlscacert` in
    /// daemon.json, `--tlscacert` for dockerd) is owned by root:root.
    ///
    /// ## Why is this bad?
    /// The CA decides which client certificates the daemon accepts.
    /// Whoever owns it can add a CA of their own and connect as a trusted
    /// client.
    ///
    /// ## Use instead
    /// `chown root:root` the CA certificate.
    ///
    /// ## References
    /// - CIS Docker Benchmark 3.9
    DH309: "3.9",
    title: "The TLS CA certificate file is owned by root:root",
    severity: Medium,
    fix: "chown root:root the file `tlscacert` names",
    files: |h: &Host| tls_file(h, "tlscacert", "--tlscacert"),
    want: Want::RootRoot,
}

file_check! {
    /// ## What it does
    /// Checks that the TLS CA certificate of the daemon (`tlscacert`,
    /// `--tlscacert`) has mode 444 or tighter.
    ///
    /// ## Why is this bad?
    /// A CA certificate others may write can be replaced, and with it the
    /// set of clients the daemon trusts.
    ///
    /// ## Use instead
    /// `chmod 444` the CA certificate.
    ///
    /// ## References
    /// - CIS Docker Benchmark 3.10
    DH310: "3.10",
    title: "The TLS CA certificate file permissions are 444 or more restrictive",
    severity: Medium,
    fix: "chmod 444 the file `tlscacert` names",
    files: |h: &Host| tls_file(h, "tlscacert", "--tlscacert"),
    want: Want::Mode(0o444),
}

file_check! {
    /// ## What it does
    /// Checks that the daemon's TLS certificate (`tlscert` in daemon.json,
    /// `--tlscert` for dockerd) is owned by root:root.
    ///
    /// ## Why is this bad?
    /// Whoever owns the server certificate can replace it, and clients
    /// then trust whatever presents the new one.
    ///
    /// ## Use instead
    /// `chown root:root` the server certificate.
    ///
    /// ## References
    /// - CIS Docker Benchmark 3.11
    DH311: "3.11",
    title: "The Docker server certificate file is owned by root:root",
    severity: Medium,
    fix: "chown root:root the file `tlscert` names",
    files: |h: &Host| tls_file(h, "tlscert", "--tlscert"),
    want: Want::RootRoot,
}

file_check! {
    /// ## What it does
    /// Checks that the daemon's TLS certificate (`tlscert`, `--tlscert`)
    /// has mode 444 or tighter.
    ///
    /// ## Why is this bad?
    /// A server certificate others may write can be replaced; nothing
    /// ever needs to write it.
    ///
    /// ## Use instead
    /// `chmod 444` the server certificate.
    ///
    /// ## References
    /// - CIS Docker Benchmark 3.12
    DH312: "3.12",
    title: "The Docker server certificate file permissions are 444 or more restrictive",
    severity: Medium,
    fix: "chmod 444 the file `tlscert` names",
    files: |h: &Host| tls_file(h, "tlscert", "--tlscert"),
    want: Want::Mode(0o444),
}

file_check! {
    /// ## What it does
    /// Checks that the daemon's TLS key (`tlskey` in daemon.json,
    /// `--tlskey` for dockerd) is owned by root:root.
    ///
    /// ## Why is this bad?
    /// Whoever owns the server key can read it, and impersonate the
    /// daemon to its clients.
    ///
    /// ## Use instead
    /// `chown root:root` the server key.
    ///
    /// ## References
    /// - CIS Docker Benchmark 3.13
    DH313: "3.13",
    title: "The Docker server certificate key file is owned by root:root",
    severity: High,
    fix: "chown root:root the file `tlskey` names",
    files: |h: &Host| tls_file(h, "tlskey", "--tlskey"),
    want: Want::RootRoot,
}

file_check! {
    /// ## What it does
    /// Checks that the daemon's TLS key (`tlskey`, `--tlskey`) has mode 400
    /// or tighter: readable by its owner only.
    ///
    /// ## Why is this bad?
    /// Anyone who can read the server key can impersonate the daemon, and
    /// read traffic recorded earlier where the cipher allows.
    ///
    /// ## Use instead
    /// `chmod 400` the server key.
    ///
    /// ## References
    /// - CIS Docker Benchmark 3.14
    DH314: "3.14",
    title: "The Docker server certificate key file permissions are 400",
    severity: High,
    fix: "chmod 400 the file `tlskey` names",
    files: |h: &Host| tls_file(h, "tlskey", "--tlskey"),
    want: Want::Mode(0o400),
}

file_check! {
    /// ## What it does
    /// Checks that the daemon's socket (`/var/run/docker.sock`) is owned by
    /// root and the `docker` group. INFO when it is not a socket.
    ///
    /// ## Why is this bad?
    /// Connecting to the socket is root on the host. Any other owner, or
    /// any other group, gives that to users who were not meant to have it.
    ///
    /// ## Use instead
    /// `chown root:docker /var/run/docker.sock` (set `SocketUser` and
    /// `SocketGroup` in docker.socket so it stays so).
    ///
    /// ## References
    /// - CIS Docker Benchmark 3.15
    DH315: "3.15",
    title: "The Docker socket file is owned by root:docker",
    severity: High,
    fix: "chown root:docker /var/run/docker.sock",
    files: |h: &Host| socket(h, &["/var/run/docker.sock", "/run/docker.sock"]),
    want: Want::RootDocker,
}

file_check! {
    /// ## What it does
    /// Checks that the daemon's socket (`/var/run/docker.sock`) has mode
    /// 660 or tighter. INFO when it is not a socket.
    ///
    /// ## Why is this bad?
    /// With any bit for others, every local user can connect to the
    /// daemon, which is root on the host.
    ///
    /// ## Use instead
    /// `chmod 660 /var/run/docker.sock` (`SocketMode=0660` in docker.socket).
    ///
    /// ## References
    /// - CIS Docker Benchmark 3.16
    DH316: "3.16",
    title: "The Docker socket file permissions are 660 or more restrictive",
    severity: High,
    fix: "chmod 660 /var/run/docker.sock",
    files: |h: &Host| socket(h, &["/var/run/docker.sock", "/run/docker.sock"]),
    want: Want::Mode(0o660),
}

file_check! {
    /// ## What it does
    /// Checks that daemon.json (`/etc/docker/daemon.json`, or the file
    /// `--config-file` names) is owned by root:root.
    ///
    /// ## Why is this bad?
    /// daemon.json sets every daemon option; whoever owns it can open the
    /// daemon on TCP, turn off isolation, or add registries.
    ///
    /// ## Use instead
    /// `chown root:root /etc/docker/daemon.json`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 3.17
    DH317: "3.17",
    title: "The daemon.json file is owned by root:root",
    severity: Medium,
    fix: "chown root:root /etc/docker/daemon.json",
    files: |h: &Host| Ok(vec![h.daemon_json_path()]),
    want: Want::RootRoot,
}

file_check! {
    /// ## What it does
    /// Checks that daemon.json (`/etc/docker/daemon.json`, or the file
    /// `--config-file` names) has mode 644 or tighter.
    ///
    /// ## Why is this bad?
    /// A daemon.json writable by its group or by others lets them change
    /// any daemon option at the next reload or restart.
    ///
    /// ## Use instead
    /// `chmod 644 /etc/docker/daemon.json`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 3.18
    DH318: "3.18",
    title: "The daemon.json file permissions are 644 or more restrictive",
    severity: Medium,
    fix: "chmod 644 /etc/docker/daemon.json",
    files: |h: &Host| Ok(vec![h.daemon_json_path()]),
    want: Want::Mode(0o644),
}

file_check! {
    /// ## What it does
    /// Checks that `/etc/default/docker` is owned by root:root.
    ///
    /// ## Why is this bad?
    /// On Debian-style systems this file adds options to dockerd's command
    /// line; whoever owns it can change how the daemon runs.
    ///
    /// ## Use instead
    /// `chown root:root /etc/default/docker`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 3.19
    DH319: "3.19",
    title: "The /etc/default/docker file is owned by root:root",
    severity: Medium,
    fix: "chown root:root /etc/default/docker",
    files: |_: &Host| file("/etc/default/docker"),
    want: Want::RootRoot,
}

file_check! {
    /// ## What it does
    /// Checks that `/etc/default/docker` has mode 644 or tighter.
    ///
    /// ## Why is this bad?
    /// Writable by its group or by others, it lets them add options to
    /// dockerd's command line.
    ///
    /// ## Use instead
    /// `chmod 644 /etc/default/docker`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 3.20
    DH320: "3.20",
    title: "The /etc/default/docker file permissions are 644 or more restrictive",
    severity: Medium,
    fix: "chmod 644 /etc/default/docker",
    files: |_: &Host| file("/etc/default/docker"),
    want: Want::Mode(0o644),
}

file_check! {
    /// ## What it does
    /// Checks that `/etc/sysconfig/docker` has mode 644 or tighter.
    ///
    /// ## Why is this bad?
    /// On Red Hat-style systems this file adds options to dockerd's command
    /// line; writable by its group or by others, it lets them change how
    /// the daemon runs.
    ///
    /// ## Use instead
    /// `chmod 644 /etc/sysconfig/docker`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 3.21
    DH321: "3.21",
    title: "The /etc/sysconfig/docker file permissions are 644 or more restrictive",
    severity: Medium,
    fix: "chmod 644 /etc/sysconfig/docker",
    files: |_: &Host| file("/etc/sysconfig/docker"),
    want: Want::Mode(0o644),
}

file_check! {
    /// ## What it does
    /// Checks that `/etc/sysconfig/docker` is owned by root:root.
    ///
    /// ## Why is this bad?
    /// Whoever owns the file can add options to dockerd's command line.
    ///
    /// ## Use instead
    /// `chown root:root /etc/sysconfig/docker`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 3.22
    DH322: "3.22",
    title: "The /etc/sysconfig/docker file is owned by root:root",
    severity: Medium,
    fix: "chown root:root /etc/sysconfig/docker",
    files: |_: &Host| file("/etc/sysconfig/docker"),
    want: Want::RootRoot,
}

file_check! {
    /// ## What it does
    /// Checks that containerd's socket (`/run/containerd/containerd.sock`)
    /// is owned by root:root. INFO when it is not a socket.
    ///
    /// ## Why is this bad?
    /// containerd runs every container; a client of its socket can start
    /// privileged ones without going through dockerd at all.
    ///
    /// ## Use instead
    /// `chown root:root /run/containerd/containerd.sock`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 3.23
    DH323: "3.23",
    title: "The containerd socket file is owned by root:root",
    severity: High,
    fix: "chown root:root /run/containerd/containerd.sock",
    files: |h: &Host| socket(
        h,
        &["/run/containerd/containerd.sock", "/var/run/containerd/containerd.sock"]
    ),
    want: Want::RootRoot,
}

file_check! {
    /// ## What it does
    /// Checks that containerd's socket (`/run/containerd/containerd.sock`)
    /// has mode 660 or tighter. INFO when it is not a socket.
    ///
    /// ## Why is this bad?
    /// With any bit for others, every local user can drive containerd and
    /// start privileged containers.
    ///
    /// ## Use instead
    /// `chmod 660 /run/containerd/containerd.sock`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 3.24
    DH324: "3.24",
    title: "The containerd socket file permissions are 660 or more restrictive",
    severity: High,
    fix: "chmod 660 /run/containerd/containerd.sock",
    files: |h: &Host| socket(
        h,
        &["/run/containerd/containerd.sock", "/var/run/containerd/containerd.sock"]
    ),
    want: Want::Mode(0o660),
}
