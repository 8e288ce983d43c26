//! Section 2: the daemon's configuration. Options are read from
//! daemon.json and the dockerd command line (dockerd refuses an option
//! given both ways, so exactly one of them decides); what only the running
//! daemon knows comes from `GET /info` and `GET /version`.

use serde_json::Value;

use super::Outcome;
use shipshape_core::host::{Host, Setting};

/// A daemon option as dockerd sees it.
struct Opt {
    /// Its value; `None` when it is not set and dockerd's default applies.
    setting: Option<Setting>,
    /// Every value of a repeatable option: each flag given, each element
    /// of a daemon.json array, each key of a daemon.json object.
    values: Vec<String>,
    /// What was seen, and where.
    seen: String,
}

/// A JSON value as text: strings as they are, the rest as JSON.
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Looks up a daemon option: `key` in daemon.json, or any of `flags` on
/// the dockerd command line. `Err` is the INFO to report when it cannot
/// be told: daemon.json cannot be read, or it does not set the option and
/// no dockerd command line was found to look at.
fn option(host: &Host, key: &str, flags: &[&str]) -> Result<Opt, Outcome> {
    let path = host.daemon_json_path();
    match host.setting(key, flags) {
        Some(Setting::Flag(last)) => {
            let mut values = Vec::new();
            let mut given = Vec::new();
            for flag in flags {
                for value in host.flag_values(flag) {
                    let bare =
                        value == "true" && host.dockerd_args.iter().flatten().any(|a| a == flag);
                    given.push(if bare {
                        format!("`{flag}`")
                    } else if flag.starts_with("--") {
                        format!("`{flag}={value}`")
                    } else {
                        format!("`{flag} {value}`")
                    });
                    values.push(value);
                }
            }
            Ok(Opt {
                setting: Some(Setting::Flag(last)),
                values,
                seen: format!("dockerd runs with {}", given.join(" ")),
            })
        }
        Some(Setting::Config(value)) => {
            let values = match &value {
                Value::Array(items) => items.iter().map(text).collect(),
                Value::Object(map) => map.keys().cloned().collect(),
                Value::Null => Vec::new(),
                other => vec![text(other)],
            };
            Ok(Opt {
                seen: format!("{path} sets `\"{key}\": {value}`"),
                setting: Some(Setting::Config(value)),
                values,
            })
        }
        None => {
            if let Some(Err(e)) = host.daemon_json() {
                return Err(Outcome::info(format!(
                    "cannot parse {e}; whether `{key}` is set is unknown"
                )));
            }
            if host.exists(&path) && host.read(&path).is_none() {
                return Err(Outcome::info(format!(
                    "cannot read {path}; whether `{key}` is set is unknown"
                )));
            }
            let in_file = if host.exists(&path) {
                format!("`{key}` is not set in {path}")
            } else {
                format!("`{key}` is not set (there is no {path})")
            };
            if host.dockerd_args.is_none() {
                return Err(Outcome::info(format!(
                    "{in_file}, and no dockerd command line was found to look at; \
                     whether it is set there is unknown"
                )));
            }
            Ok(Opt {
                setting: None,
                values: Vec::new(),
                seen: format!("{in_file} nor on the dockerd command line"),
            })
        }
    }
}

/// Returns the option, or from the check the INFO saying it is unknown.
macro_rules! option_or_info {
    ($host:expr, $key:literal, $flags:expr) => {
        match option($host, $key, $flags) {
            Ok(opt) => opt,
            Err(info) => return info,
        }
    };
}

/// A field of `GET /info`, or the INFO saying why it is not known.
fn info_field<'a>(host: &'a Host, key: &str) -> Result<&'a Value, Outcome> {
    if host.info.is_none() {
        return Err(Outcome::info(format!(
            "the daemon was not reached, so `{key}` (GET /info) is unknown"
        )));
    }
    host.info(key)
        .ok_or_else(|| Outcome::info(format!("GET /info has no `{key}`")))
}

/// `SecurityOptions` of `GET /info` (`name=seccomp,profile=builtin`, ...).
fn security_options(host: &Host) -> Result<Vec<String>, Outcome> {
    let options = info_field(host, "SecurityOptions")?;
    Ok(options.as_array().into_iter().flatten().map(text).collect())
}

check! {
    /// ## What it does
    /// Reports whether the daemon runs rootless (`name=rootless` among the
    /// `SecurityOptions` of `GET /info`). Manual: whether the workloads
    /// allow rootless mode is for you to judge.
    ///
    /// ## Why is this bad?
    /// A daemon running as root makes every escape from a container, and
    /// every client of its socket, root on the host. A rootless daemon and
    /// its containers run as an unprivileged user.
    ///
    /// ## Use instead
    /// Where the workloads allow it, run the daemon in rootless mode
    /// (`dockerd-rootless-setuptool.sh install`).
    ///
    /// ## References
    /// - CIS Docker Benchmark 2.1
    /// - <https://docs.docker.com/engine/security/rootless/>
    DH201: "2.1",
    title: "The daemon runs as a non-root user, if possible",
    severity: Info,
    scored: false,
    fix: "run the daemon in rootless mode where the workloads allow it",
    run: rootless,
}

fn rootless(host: &Host) -> Outcome {
    let options = match security_options(host) {
        Ok(o) => o,
        Err(info) => return info,
    };
    if options.iter().any(|o| o == "name=rootless") {
        Outcome::info(
            "GET /info lists `name=rootless` in SecurityOptions: the daemon runs rootless",
        )
    } else {
        Outcome::note(format!(
            "the daemon runs as root (SecurityOptions: {}); review whether rootless mode would do",
            options.join(" ")
        ))
    }
}

check! {
    /// ## What it does
    /// Checks that inter-container communication on the default bridge is
    /// off: `"icc": false` in daemon.json or `--icc=false` for dockerd.
    ///
    /// ## Why is this bad?
    /// By default every container on the default bridge network can reach
    /// every other one on any port. A compromised container can then probe
    /// and attack its neighbours, or sniff what they expose.
    ///
    /// ## Use instead
    /// Set `"icc": false` in daemon.json, and link containers that must
    /// talk through user-defined networks.
    ///
    /// ## References
    /// - CIS Docker Benchmark 2.2
    /// - <https://docs.docker.com/engine/network/drivers/bridge/>
    DH202: "2.2",
    title: "Network traffic between containers on the default bridge is restricted",
    severity: Medium,
    scored: true,
    fix: "set `\"icc\": false` in daemon.json",
    run: icc,
}

fn icc(host: &Host) -> Outcome {
    let opt = option_or_info!(host, "icc", &["--icc"]);
    match opt.setting.as_ref().map(Setting::as_bool) {
        Some(Some(false)) => Outcome::pass(opt.seen),
        None => Outcome::warn("dockerd icc", format!("{}; the default is true", opt.seen)),
        Some(_) => Outcome::warn("dockerd icc", opt.seen),
    }
}

check! {
    /// ## What it does
    /// Checks that the daemon logs at level `info`: `log-level` in
    /// daemon.json or `-l`/`--log-level` for dockerd (`info` when unset),
    /// and that debug mode (`"debug": true`, `-D`), which forces level
    /// `debug`, is off.
    ///
    /// ## Why is this bad?
    /// Above `info` (`warn`, `error`, `fatal`) the daemon drops events an
    /// investigation needs; at `debug` it logs too much to read, and
    /// possibly secrets.
    ///
    /// ## Use instead
    /// Leave the level unset, or set `"log-level": "info"` in daemon.json.
    ///
    /// ## References
    /// - CIS Docker Benchmark 2.3
    DH203: "2.3",
    title: "The daemon's logging level is info",
    severity: Low,
    scored: true,
    fix: "set `\"log-level\": \"info\"` in daemon.json (or leave it unset)",
    run: log_level,
}

fn log_level(host: &Host) -> Outcome {
    let opt = option_or_info!(host, "log-level", &["--log-level", "-l"]);
    let debug = option(host, "debug", &["--debug", "-D"])
        .ok()
        .filter(|d| d.setting.as_ref().and_then(Setting::as_bool) == Some(true));
    if let Some(debug) = debug {
        return Outcome::warn(
            "dockerd debug",
            format!("{}: debug mode logs at level debug", debug.seen),
        );
    }
    match &opt.setting {
        None => Outcome::pass(format!("{}; the default is info", opt.seen)),
        Some(level) if level.text() == "info" => Outcome::pass(opt.seen),
        Some(_) => Outcome::warn("dockerd log-level", opt.seen),
    }
}

check! {
    /// ## What it does
    /// Checks that Docker manages the host's iptables rules: not turned off
    /// with `"iptables": false` in daemon.json or `--iptables=false`.
    ///
    /// ## Why is this bad?
    /// With iptables management off, published ports and network
    /// isolation depend on rules written by hand, which drift from what
    /// the containers need and leave ports open or isolation missing.
    ///
    /// ## Use instead
    /// Remove `iptables` from daemon.json and `--iptables=false` from the
    /// command line (the default is true).
    ///
    /// ## References
    /// - CIS Docker Benchmark 2.4
    /// - <https://docs.docker.com/engine/network/packet-filtering-firewalls/>
    DH204: "2.4",
    title: "Docker is allowed to make changes to iptables",
    severity: Medium,
    scored: true,
    fix: "remove `\"iptables\": false` from daemon.json (and `--iptables=false`)",
    run: iptables,
}

fn iptables(host: &Host) -> Outcome {
    let opt = option_or_info!(host, "iptables", &["--iptables"]);
    match opt.setting.as_ref().map(Setting::as_bool) {
        None => Outcome::pass(format!("{}; the default is true", opt.seen)),
        Some(Some(true)) => Outcome::pass(opt.seen),
        Some(_) => Outcome::warn("dockerd iptables", opt.seen),
    }
}

check! {
    /// ## What it does
    /// Checks that no insecure registry is configured:
    /// `insecure-registries` in daemon.json or `--insecure-registry` for
    /// dockerd.
    ///
    /// ## Why is this bad?
    /// The daemon talks to an insecure registry over plain HTTP or without
    /// checking its certificate. Anyone on the path can read the images or
    /// swap them for their own.
    ///
    /// ## Use instead
    /// Give the registry a TLS certificate (its CA under
    /// `/etc/docker/certs.d/HOST:PORT/ca.crt`) and remove it from the
    /// insecure list.
    ///
    /// ## References
    /// - CIS Docker Benchmark 2.5
    /// - <https://docs.docker.com/reference/cli/dockerd/#insecure-registries>
    DH205: "2.5",
    title: "Insecure registries are not used",
    severity: High,
    scored: true,
    fix: "remove `insecure-registries` from daemon.json and serve the registry over TLS",
    run: insecure_registries,
}

fn insecure_registries(host: &Host) -> Outcome {
    let opt = option_or_info!(host, "insecure-registries", &["--insecure-registry"]);
    if opt.values.is_empty() {
        Outcome::pass(opt.seen)
    } else {
        Outcome::warn(
            format!("dockerd insecure registries {}", opt.values.join(", ")),
            opt.seen,
        )
    }
}

check! {
    /// ## What it does
    /// Checks that the storage driver (`Driver` in `GET /info`) is not
    /// `aufs`.
    ///
    /// ## Why is this bad?
    /// aufs is out of the mainline kernel, unmaintained, and has known
    /// kernel crashes; current Docker releases no longer support it.
    ///
    /// ## Use instead
    /// Use `overlay2` (the default on current kernels).
    ///
    /// ## References
    /// - CIS Docker Benchmark 2.6
    /// - <https://docs.docker.com/engine/storage/drivers/select-storage-driver/>
    DH206: "2.6",
    title: "The aufs storage driver is not used",
    severity: Low,
    scored: true,
    fix: "switch to the overlay2 storage driver",
    run: storage_driver,
}

fn storage_driver(host: &Host) -> Outcome {
    let driver = match info_field(host, "Driver") {
        Ok(d) => text(d),
        Err(info) => return info,
    };
    if driver == "aufs" {
        Outcome::warn(
            "dockerd storage driver aufs",
            "the storage driver is aufs (GET /info)",
        )
    } else {
        Outcome::pass(format!("the storage driver is {driver} (GET /info)"))
    }
}

/// Whether a `-H` address listens on TCP (dockerd reads an address
/// without a scheme as TCP).
fn is_tcp(address: &str) -> bool {
    !(address.is_empty()
        || address.starts_with("unix://")
        || address.starts_with("fd://")
        || address.starts_with("npipe://"))
}

check! {
    /// ## What it does
    /// When the daemon listens on TCP (`hosts` in daemon.json, `-H` or
    /// `--host` for dockerd, other than `unix://` and `fd://`), checks that
    /// it verifies clients' certificates: `"tlsverify": true` or
    /// `--tlsverify`. INFO when the daemon is not on TCP.
    ///
    /// ## Why is this bad?
    /// The API is root on the host. Without `tlsverify` anyone who reaches
    /// the port can start a privileged container; `tls` alone encrypts the
    /// traffic but lets any client in.
    ///
    /// ## Use instead
    /// Set `"tlsverify": true` with `tlscacert`, `tlscert` and `tlskey`,
    /// and give clients certificates signed by that CA; or do not listen
    /// on TCP and use SSH (`DOCKER_HOST=ssh://...`).
    ///
    /// ## References
    /// - CIS Docker Benchmark 2.7
    /// - <https://docs.docker.com/engine/security/protect-access/>
    DH207: "2.7",
    title: "TLS authentication is configured for a daemon on TCP",
    severity: High,
    scored: true,
    fix: "set `\"tlsverify\": true` with tlscacert, tlscert and tlskey in daemon.json",
    run: tls,
}

fn tls(host: &Host) -> Outcome {
    let hosts = option_or_info!(host, "hosts", &["-H", "--host"]);
    let tcp: Vec<&str> = hosts
        .values
        .iter()
        .map(String::as_str)
        .filter(|h| is_tcp(h))
        .collect();
    if tcp.is_empty() {
        return Outcome::info(format!(
            "{}: the daemon does not listen on TCP, so TLS does not apply",
            hosts.seen
        ));
    }
    let listed = tcp.join(", ");
    let verify = option_or_info!(host, "tlsverify", &["--tlsverify"]);
    if verify.setting.as_ref().and_then(Setting::as_bool) == Some(true) {
        return Outcome::pass(format!(
            "the daemon listens on {listed} ({}) and {}",
            hosts.seen, verify.seen
        ));
    }
    let tls_only = option(host, "tls", &["--tls"])
        .ok()
        .and_then(|o| o.setting)
        .and_then(|s| s.as_bool())
        == Some(true);
    let why = if tls_only {
        "TLS is on but client certificates are not checked: any client is let in"
    } else {
        "no TLS: whoever reaches the port controls the daemon"
    };
    Outcome::warn_all(
        format!("dockerd {listed}"),
        vec![
            format!("the daemon listens on {listed} ({})", hosts.seen),
            format!("{}; {why}", verify.seen),
        ],
    )
}

check! {
    /// ## What it does
    /// Reports the daemon-wide default ulimits (`default-ulimits` in
    /// daemon.json, `--default-ulimit` for dockerd). Manual: which limits
    /// suit the workloads is for you to judge.
    ///
    /// ## Why is this bad?
    /// Without default ulimits a container that sets none inherits the
    /// daemon's own limits, usually very high, and one container can
    /// exhaust file descriptors or processes for the whole host.
    ///
    /// ## Use instead
    /// Set defaults in daemon.json, e.g.
    /// `"default-ulimits": {"nofile": {"Name": "nofile", "Soft": 64000, "Hard": 64000}}`,
    /// and override them per container where needed.
    ///
    /// ## References
    /// - CIS Docker Benchmark 2.8
    DH208: "2.8",
    title: "The default ulimits are set appropriately",
    severity: Info,
    scored: false,
    fix: "set `default-ulimits` in daemon.json to limits that suit the workloads",
    run: default_ulimits,
}

fn default_ulimits(host: &Host) -> Outcome {
    let opt = option_or_info!(host, "default-ulimits", &["--default-ulimit"]);
    if opt.values.is_empty() {
        Outcome::note(format!(
            "{}: containers that set no ulimits get the daemon's own; \
             review whether defaults are needed",
            opt.seen
        ))
    } else {
        Outcome::info(format!(
            "{}: review that these limits suit the workloads",
            opt.seen
        ))
    }
}

check! {
    /// ## What it does
    /// Checks that user namespace remapping is on: `userns-remap` in
    /// daemon.json or `--userns-remap` for dockerd.
    ///
    /// ## Why is this bad?
    /// Without remapping, root in a container is uid 0 on the host: a
    /// process that escapes the container, or writes to a mounted host
    /// path, does so as root.
    ///
    /// ## Use instead
    /// Set `"userns-remap": "default"` (or a user of your own with ranges in
    /// `/etc/subuid` and `/etc/subgid`) in daemon.json.
    ///
    /// ## References
    /// - CIS Docker Benchmark 2.9
    /// - <https://docs.docker.com/engine/security/userns-remap/>
    DH209: "2.9",
    title: "User namespace support is enabled",
    severity: Medium,
    scored: true,
    fix: "set `\"userns-remap\": \"default\"` in daemon.json",
    run: userns_remap,
}

fn userns_remap(host: &Host) -> Outcome {
    let opt = option_or_info!(host, "userns-remap", &["--userns-remap"]);
    match &opt.setting {
        Some(s) if !s.text().is_empty() => Outcome::pass(opt.seen),
        Some(_) => Outcome::warn(
            "dockerd userns-remap",
            format!("{}: remapping is off", opt.seen),
        ),
        None => Outcome::warn(
            "dockerd userns-remap",
            format!("{}; the default is no remapping", opt.seen),
        ),
    }
}

check! {
    /// ## What it does
    /// Checks that the containers' default cgroup parent is not changed:
    /// no `cgroup-parent` in daemon.json nor `--cgroup-parent` for dockerd.
    ///
    /// ## Why is this bad?
    /// Containers placed under another cgroup take their resource limits
    /// from it. Moved without care, they can escape the limits meant for
    /// them, or starve what else runs in that cgroup.
    ///
    /// ## Use instead
    /// Leave `cgroup-parent` unset, or confirm that the cgroup it names is
    /// meant for all containers and limited as they need.
    ///
    /// ## References
    /// - CIS Docker Benchmark 2.10
    DH210: "2.10",
    title: "The default cgroup usage is confirmed",
    severity: Low,
    scored: true,
    fix: "remove `cgroup-parent` from daemon.json unless containers belong under that cgroup",
    run: cgroup_parent,
}

fn cgroup_parent(host: &Host) -> Outcome {
    let opt = option_or_info!(host, "cgroup-parent", &["--cgroup-parent"]);
    match &opt.setting {
        Some(s) if !s.text().is_empty() => Outcome::warn(
            "dockerd cgroup-parent",
            format!(
                "{}: confirm that containers are meant to run under it",
                opt.seen
            ),
        ),
        _ => Outcome::pass(format!("{}; containers use the default parent", opt.seen)),
    }
}

check! {
    /// ## What it does
    /// Checks that the base device size is not changed: no `dm.basesize`
    /// in `storage-opts` in daemon.json nor in `--storage-opt` for dockerd.
    ///
    /// ## Why is this bad?
    /// A larger base device lets every container grow its file system
    /// further, and a single container can then fill the host's storage.
    ///
    /// ## Use instead
    /// Remove `dm.basesize` unless a larger size is really needed.
    ///
    /// ## References
    /// - CIS Docker Benchmark 2.11
    DH211: "2.11",
    title: "The base device size is not changed until needed",
    severity: Low,
    scored: true,
    fix: "remove `dm.basesize` from `storage-opts` in daemon.json",
    run: base_size,
}

fn base_size(host: &Host) -> Outcome {
    let opt = option_or_info!(host, "storage-opts", &["--storage-opt"]);
    if opt.values.iter().any(|v| v.contains("dm.basesize")) {
        Outcome::warn("dockerd dm.basesize", opt.seen)
    } else {
        Outcome::pass(opt.seen)
    }
}

check! {
    /// ## What it does
    /// Checks that an authorization plugin is configured:
    /// `authorization-plugins` in daemon.json or `--authorization-plugin`
    /// for dockerd.
    ///
    /// ## Why is this bad?
    /// Without one, any client that may reach the daemon may do anything
    /// through it; there is no way to allow some users only some commands.
    ///
    /// ## Use instead
    /// Install an authorization plugin and list it in
    /// `"authorization-plugins"` in daemon.json.
    ///
    /// ## References
    /// - CIS Docker Benchmark 2.12
    /// - <https://docs.docker.com/engine/extend/plugins_authorization/>
    DH212: "2.12",
    title: "Authorization for Docker client commands is enabled",
    severity: Low,
    scored: true,
    fix: "install an authorization plugin and list it in `authorization-plugins` in daemon.json",
    run: authorization,
}

fn authorization(host: &Host) -> Outcome {
    let opt = option_or_info!(host, "authorization-plugins", &["--authorization-plugin"]);
    if opt.values.is_empty() {
        Outcome::warn(
            "dockerd authorization-plugins",
            format!("{}: every client of the daemon may do everything", opt.seen),
        )
    } else {
        Outcome::pass(opt.seen)
    }
}

check! {
    /// ## What it does
    /// Checks that the default logging driver (`LoggingDriver` in
    /// `GET /info`) sends logs off the host, rather than keeping them in
    /// local files (`json-file`, `local`) or dropping them (`none`).
    ///
    /// ## Why is this bad?
    /// Logs kept only on the host are lost with it, and whoever takes it
    /// over can rewrite them. A central log store keeps the record.
    ///
    /// ## Use instead
    /// Set `log-driver` (e.g. `syslog`, `journald` forwarded off the host,
    /// `fluentd`, `gelf`) and its `log-opts` in daemon.json.
    ///
    /// ## References
    /// - CIS Docker Benchmark 2.13
    /// - <https://docs.docker.com/engine/logging/configure/>
    DH213: "2.13",
    title: "Centralized and remote logging is configured",
    severity: Low,
    scored: true,
    fix: "set `log-driver` in daemon.json to a driver that ships logs off the host",
    run: logging_driver,
}

fn logging_driver(host: &Host) -> Outcome {
    let driver = match info_field(host, "LoggingDriver") {
        Ok(d) => text(d),
        Err(info) => return info,
    };
    match driver.as_str() {
        "json-file" | "local" => Outcome::warn(
            format!("dockerd log-driver {driver}"),
            format!("the logging driver is {driver} (GET /info): logs stay on the host"),
        ),
        "none" => Outcome::warn(
            "dockerd log-driver none",
            "the logging driver is none (GET /info): container logs are dropped",
        ),
        _ => Outcome::pass(format!("the logging driver is {driver} (GET /info)")),
    }
}

check! {
    /// ## What it does
    /// Checks that containers cannot gain new privileges by default:
    /// `"no-new-privileges": true` in daemon.json or `--no-new-privileges`
    /// for dockerd.
    ///
    /// ## Why is this bad?
    /// Without it, a process in a container can gain privileges through
    /// setuid and setgid binaries or file capabilities, a common step of
    /// privilege escalation.
    ///
    /// ## Use instead
    /// Set `"no-new-privileges": true` in daemon.json.
    ///
    /// ## References
    /// - CIS Docker Benchmark 2.14
    DH214: "2.14",
    title: "Containers are restricted from acquiring new privileges",
    severity: Medium,
    scored: true,
    fix: "set `\"no-new-privileges\": true` in daemon.json",
    run: no_new_privileges,
}

fn no_new_privileges(host: &Host) -> Outcome {
    let opt = option_or_info!(host, "no-new-privileges", &["--no-new-privileges"]);
    match opt.setting.as_ref().map(Setting::as_bool) {
        Some(Some(true)) => Outcome::pass(opt.seen),
        None => Outcome::warn(
            "dockerd no-new-privileges",
            format!("{}; the default is false", opt.seen),
        ),
        Some(_) => Outcome::warn("dockerd no-new-privileges", opt.seen),
    }
}

check! {
    /// ## What it does
    /// Checks that live restore is on (`LiveRestoreEnabled` in
    /// `GET /info`), so containers keep running while the daemon is down.
    /// INFO in swarm mode, where dockerd refuses live restore.
    ///
    /// ## Why is this bad?
    /// Without live restore, stopping or upgrading the daemon stops every
    /// container: patching the daemon costs an outage, so it tends to be
    /// put off.
    ///
    /// ## Use instead
    /// Set `"live-restore": true` in daemon.json and reload the daemon.
    ///
    /// ## References
    /// - CIS Docker Benchmark 2.15
    /// - <https://docs.docker.com/engine/daemon/live-restore/>
    DH215: "2.15",
    title: "Live restore is enabled",
    severity: Low,
    scored: true,
    fix: "set `\"live-restore\": true` in daemon.json",
    run: live_restore,
}

fn live_restore(host: &Host) -> Outcome {
    let enabled = match info_field(host, "LiveRestoreEnabled") {
        Ok(v) => v.as_bool() == Some(true),
        Err(info) => return info,
    };
    if enabled {
        Outcome::pass("LiveRestoreEnabled is true (GET /info)")
    } else if host.swarm_active() {
        Outcome::info(
            "LiveRestoreEnabled is false (GET /info), and swarm mode is active, \
             where dockerd refuses live restore",
        )
    } else {
        Outcome::warn(
            "dockerd live-restore",
            "LiveRestoreEnabled is false (GET /info)",
        )
    }
}

check! {
    /// ## What it does
    /// Checks that the userland proxy is off: `"userland-proxy": false` in
    /// daemon.json or `--userland-proxy=false` for dockerd.
    ///
    /// ## Why is this bad?
    /// The userland proxy (`docker-proxy`) is one more process per
    /// published port, and more code exposed to the network, where the
    /// kernel's NAT rules already do the job.
    ///
    /// ## Use instead
    /// Set `"userland-proxy": false` in daemon.json (the kernel's hairpin
    /// NAT then serves published ports).
    ///
    /// ## References
    /// - CIS Docker Benchmark 2.16
    DH216: "2.16",
    title: "The userland proxy is disabled",
    severity: Low,
    scored: true,
    fix: "set `\"userland-proxy\": false` in daemon.json",
    run: userland_proxy,
}

fn userland_proxy(host: &Host) -> Outcome {
    let opt = option_or_info!(host, "userland-proxy", &["--userland-proxy"]);
    match opt.setting.as_ref().map(Setting::as_bool) {
        Some(Some(false)) => Outcome::pass(opt.seen),
        None => Outcome::warn(
            "dockerd userland-proxy",
            format!("{}; the default is true", opt.seen),
        ),
        Some(_) => Outcome::warn("dockerd userland-proxy", opt.seen),
    }
}

check! {
    /// ## What it does
    /// Reports the daemon's default seccomp profile, from the
    /// `name=seccomp,profile=...` entry of `SecurityOptions` in `GET /info`
    /// (`builtin`, or `default` before Docker 23, is Docker's own).
    /// Manual: whether a custom profile is appropriate is for you to judge.
    ///
    /// ## Why is this bad?
    /// The seccomp profile decides which system calls containers may make.
    /// Docker's own blocks the most dangerous ones; a custom profile can
    /// block more of what the workloads never use, and `unconfined` blocks
    /// nothing.
    ///
    /// ## Use instead
    /// Where the workloads are known, write a stricter profile and set
    /// `"seccomp-profile": "/etc/docker/seccomp.json"` in daemon.json.
    ///
    /// ## References
    /// - CIS Docker Benchmark 2.17
    /// - <https://docs.docker.com/engine/security/seccomp/>
    DH217: "2.17",
    title: "A daemon-wide custom seccomp profile is applied if appropriate",
    severity: Info,
    scored: false,
    fix: "set `seccomp-profile` in daemon.json to a profile that suits the workloads",
    run: seccomp,
}

fn seccomp(host: &Host) -> Outcome {
    let options = match security_options(host) {
        Ok(o) => o,
        Err(info) => return info,
    };
    let Some(entry) = options.iter().find(|o| o.starts_with("name=seccomp")) else {
        return Outcome::note(format!(
            "no seccomp entry in SecurityOptions ({}): the daemon applies no seccomp profile",
            options.join(" ")
        ));
    };
    let profile = entry
        .split(',')
        .find_map(|part| part.strip_prefix("profile="))
        .unwrap_or("");
    match profile {
        "builtin" | "default" => Outcome::note(format!(
            "SecurityOptions has `{entry}`: Docker's own profile; \
             review whether a stricter one suits"
        )),
        "unconfined" => Outcome::note(format!(
            "SecurityOptions has `{entry}`: containers run without seccomp \
             unless they set a profile"
        )),
        _ => Outcome::info(format!(
            "SecurityOptions has `{entry}`: a custom profile is applied"
        )),
    }
}

check! {
    /// ## What it does
    /// Checks that experimental features are off (`ExperimentalBuild` in
    /// `GET /info`, else `Experimental` in `GET /version`).
    ///
    /// ## Why is this bad?
    /// Experimental features are not finished: they change without notice
    /// and have had less security review than stable ones.
    ///
    /// ## Use instead
    /// Remove `"experimental": true` from daemon.json and `--experimental`
    /// from the command line on production hosts.
    ///
    /// ## References
    /// - CIS Docker Benchmark 2.18
    DH218: "2.18",
    title: "Experimental features are not used in production",
    severity: Low,
    scored: true,
    fix: "remove `\"experimental\": true` from daemon.json",
    run: experimental,
}

fn experimental(host: &Host) -> Outcome {
    let version = host
        .version
        .as_ref()
        .and_then(|v| v.get("Version"))
        .and_then(Value::as_str)
        .map(|v| format!("Docker Engine {v}: "))
        .unwrap_or_default();
    let (on, seen) = if let Some(on) = host.info("ExperimentalBuild").and_then(Value::as_bool) {
        (
            on,
            format!("{version}ExperimentalBuild is {on} (GET /info)"),
        )
    } else if let Some(v) = &host.version {
        // GET /version leaves `Experimental` out when it is false.
        let on = v.get("Experimental").and_then(Value::as_bool) == Some(true);
        (on, format!("{version}Experimental is {on} (GET /version)"))
    } else {
        return Outcome::info(
            "neither `ExperimentalBuild` (GET /info) nor GET /version was seen, \
             so whether experimental features are on is unknown",
        );
    };
    if on {
        Outcome::warn("dockerd experimental", seen)
    } else {
        Outcome::pass(seen)
    }
}
