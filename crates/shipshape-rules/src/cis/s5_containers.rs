//! Section 5: the container runtime. Most checks are the runtime rules of
//! `shipshape-runtime` run on each container's `RuntimeSpec` (the same
//! rules that check compose files and Kubernetes manifests); their findings
//! point at the container and field. A few checks look at the daemon.

use crate::runtime::{RULES, check};
use serde_json::Value;
use shipshape_core::Finding;
use shipshape_runtime::inspect;

use super::Outcome;
use shipshape_core::host::Host;

/// The runtime rules' findings on every container examined.
pub fn container_findings(host: &Host) -> &[Finding] {
    host.container_findings.get_or_init(|| {
        let specs: Vec<_> = host
            .containers
            .iter()
            .filter_map(|c| inspect::spec(&c.inspect, c.processes.clone()))
            .collect();
        check(&specs, RULES)
    })
}

/// The findings of the runtime rules `ids`.
pub fn findings_of(host: &Host, ids: &[&str]) -> Vec<Finding> {
    container_findings(host)
        .iter()
        .filter(|f| ids.contains(&f.rule.id))
        .cloned()
        .collect()
}

/// PASS, WARN or INFO for a check made of runtime rules.
fn by_rules(host: &Host, ids: &[&str]) -> Outcome {
    let checked = match containers_seen(host) {
        Ok(n) => n,
        Err(outcome) => return outcome,
    };
    let found = rule_evidence(host, ids);
    if found.is_empty() {
        Outcome::pass(format!(
            "none of the {checked} containers examined ({})",
            ids.join(", ")
        ))
    } else {
        Outcome::warn_all("containers", found)
    }
}

/// The findings of the runtime rules `ids`, one evidence line each.
fn rule_evidence(host: &Host, ids: &[&str]) -> Vec<String> {
    findings_of(host, ids)
        .iter()
        .map(|f| format!("{} ({})", f.message, f.rule.id))
        .collect()
}

/// Declares a check made of runtime rules: those that carry its number as
/// an alias (`CIS-5.x`) run on every container, and each finding names the
/// container and the field. The doc comment says what the check looks at
/// and why; `shipshape rule` shows each rule's doc below it.
macro_rules! runtime_check {
    (
        $(#[doc = $doc:literal])*
        $name:ident, $number:literal, $title:literal, $sev:ident, $fix:literal
    ) => {
        check! {
            $(#[doc = $doc])*
            $name: $number,
            title: $title,
            severity: $sev,
            scored: true,
            fix: $fix,
            run: |host: &Host| by_rules(host, &rules_of($number)),
        }
    };
}

/// The runtime rule ids of a check number: the rules that carry it as an
/// alias (`CIS-5.4`), so that `--ignore CIS-5.4` and the check agree on
/// one list.
pub fn rules_of(number: &str) -> Vec<&'static str> {
    let alias = format!("CIS-{number}");
    RULES
        .iter()
        .filter(|r| {
            r.meta
                .aliases
                .iter()
                .any(|a| a.eq_ignore_ascii_case(&alias))
        })
        .map(|r| r.meta.id)
        .collect()
}

check! {
    /// ## What it does
    /// Checks whether swarm mode is active on this host.
    ///
    /// ## Why is this bad?
    /// Swarm mode opens management ports (2377, 7946, 4789) and keeps the
    /// cluster's keys on the host; if the host is not meant to be in a
    /// swarm, that is attack surface for nothing.
    ///
    /// ## Use instead
    /// `docker swarm leave` on hosts that are not part of a swarm.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.1
    DH501: "5.1",
    title: "Swarm mode is not enabled, if not needed",
    severity: Low,
    scored: true,
    fix: "`docker swarm leave` where the host does not belong to a swarm",
    run: swarm_mode,
}

fn swarm_mode(host: &Host) -> Outcome {
    match host
        .info("Swarm")
        .and_then(|s| s.get("LocalNodeState"))
        .and_then(Value::as_str)
    {
        Some("active") => Outcome::warn(
            "swarm mode",
            "swarm mode is active; leave it if this host does not need it",
        ),
        Some(state) => Outcome::pass(format!("swarm mode is {state}")),
        None => Outcome::info("the Docker daemon was not reached; swarm state unknown"),
    }
}

check! {
    /// ## What it does
    /// Reads the AppArmor profile of every container (`AppArmorProfile` in
    /// `docker inspect`). A container whose profile is empty runs without
    /// AppArmor (the host has none, or Docker cannot use it), and one run
    /// with `--security-opt apparmor=unconfined` has it turned off (runtime
    /// rule RT019). Either is a WARN, as in docker-bench-security; only a
    /// named profile passes.
    ///
    /// ## Why is this bad?
    /// AppArmor's `docker-default` profile stops a container from writing
    /// to most of `/proc` and `/sys`, mounting file systems and tracing
    /// other processes. Without it, a process that escapes other controls
    /// meets one fewer wall. An empty setting is not a pass: nothing was
    /// applied.
    ///
    /// ## Use instead
    /// On hosts with AppArmor, leave Docker's default profile on or load a
    /// stricter one (`--security-opt apparmor=PROFILE`). On hosts without
    /// AppArmor (SELinux distributions), use SELinux (5.3) and record the
    /// exception.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.2; docker-bench-security check_5_2
    DH502: "5.2",
    title: "An AppArmor profile is enabled",
    severity: Medium,
    scored: true,
    fix: "run containers with an AppArmor profile (Docker's default is `docker-default`)",
    run: apparmor_profiles,
}

fn apparmor_profiles(host: &Host) -> Outcome {
    let (checked, mut warn) = match containers_seen(host) {
        Ok(n) => (n, Vec::new()),
        Err(outcome) => return outcome,
    };
    for c in &host.containers {
        let profile = c.inspect.get("AppArmorProfile").and_then(Value::as_str);
        if profile.is_none_or(str::is_empty) {
            warn.push(format!(
                "{} has no AppArmor profile (the host has no AppArmor, or Docker does not use it)",
                container_name(&c.inspect)
            ));
        }
    }
    warn.extend(rule_evidence(host, &rules_of("5.2")));
    settle(checked, warn, "an AppArmor profile")
}

check! {
    /// ## What it does
    /// Reads the security options of every container
    /// (`HostConfig.SecurityOpt`) and whether the daemon runs with SELinux
    /// (`docker info`'s security options). A container passes when SELinux
    /// labels it: the daemon has SELinux on and the container does not
    /// turn labelling off (`label=disable`, runtime rule RT020), or the
    /// container sets its own `label=` options. A container with no
    /// SELinux labelling at all is a WARN, as in docker-bench-security.
    ///
    /// ## Why is this bad?
    /// SELinux labels confine what a container's processes may touch on
    /// the host even when they run as root. Without a label (no SELinux on
    /// the daemon, or labelling disabled), that confinement is missing: an
    /// absent setting is not a pass.
    ///
    /// ## Use instead
    /// On SELinux hosts, start dockerd with `--selinux-enabled` and never
    /// use `--security-opt label=disable`. On hosts without SELinux, rely on
    /// AppArmor (5.2) and record the exception.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.3; docker-bench-security check_5_3
    DH503: "5.3",
    title: "SELinux security options are set",
    severity: Medium,
    scored: true,
    fix: "run the daemon with `--selinux-enabled` and never use `--security-opt label=disable`",
    run: selinux_options,
}

fn selinux_options(host: &Host) -> Outcome {
    let (checked, mut warn) = match containers_seen(host) {
        Ok(n) => (n, Vec::new()),
        Err(outcome) => return outcome,
    };
    let daemon_selinux = host
        .info("SecurityOptions")
        .and_then(Value::as_array)
        .is_some_and(|opts| {
            opts.iter()
                .filter_map(Value::as_str)
                .any(|o| o.contains("selinux"))
        });
    for c in &host.containers {
        let labels = c
            .inspect
            .pointer("/HostConfig/SecurityOpt")
            .and_then(Value::as_array)
            .is_some_and(|opts| {
                opts.iter()
                    .filter_map(Value::as_str)
                    .any(|o| o.starts_with("label=") || o.starts_with("label:"))
            });
        if !daemon_selinux && !labels {
            warn.push(format!(
                "{} has no SELinux options and the daemon does not run with SELinux",
                container_name(&c.inspect)
            ));
        }
    }
    warn.extend(rule_evidence(host, &rules_of("5.3")));
    settle(checked, warn, "SELinux labelling")
}

/// How many containers there are to check, or the INFO outcome when none.
fn containers_seen(host: &Host) -> Result<usize, Outcome> {
    if !host.daemon_reached {
        return Err(Outcome::info(
            "the Docker daemon was not reached; no containers to check",
        ));
    }
    if host.containers.is_empty() {
        return Err(Outcome::info("no containers to check"));
    }
    Ok(host.containers.len())
}

/// PASS when nothing warned, else WARN with every line.
fn settle(checked: usize, warn: Vec<String>, what: &str) -> Outcome {
    if warn.is_empty() {
        Outcome::pass(format!("all {checked} containers examined have {what}"))
    } else {
        Outcome::warn_all("containers", warn)
    }
}

fn container_name(inspect: &Value) -> String {
    let name = inspect
        .get("Name")
        .and_then(Value::as_str)
        .map(|n| n.trim_start_matches('/'))
        .filter(|n| !n.is_empty());
    let id = inspect.get("Id").and_then(Value::as_str).unwrap_or("?");
    format!("container `{}`", name.unwrap_or(id))
}
runtime_check!(
    /// ## What it does
    /// Looks at each container's capabilities: those added with `--cap-add`
    /// (or compose `cap_add`, Kubernetes `capabilities.add`) and whether
    /// the default set is kept instead of dropping `ALL`.
    ///
    /// ## Why is this bad?
    /// Every capability is a slice of root's power over the kernel.
    /// `SYS_ADMIN`, `NET_ADMIN`, `SYS_PTRACE` or `SYS_MODULE` each open a
    /// known path out of the container, and the default set still lets a
    /// process forge packets (`NET_RAW`) or change file ownership.
    ///
    /// ## Use instead
    /// `--cap-drop ALL` and `--cap-add` only what the service needs
    /// (`NET_BIND_SERVICE` for a low port).
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.4
    DH504,
    "5.4",
    "Linux kernel capabilities are restricted within containers",
    High,
    "drop ALL and add back only what the service needs"
);
runtime_check!(
    /// ## What it does
    /// Looks for containers started with `--privileged`
    /// (`HostConfig.Privileged`).
    ///
    /// ## Why is this bad?
    /// A privileged container has every capability, every host device and
    /// no seccomp, AppArmor or SELinux confinement: root in it can mount
    /// the host's disks or load kernel modules, so a compromise of the
    /// service is a compromise of the host.
    ///
    /// ## Use instead
    /// Run without `--privileged`; grant the one capability or device the
    /// service needs.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.5
    DH505,
    "5.5",
    "Privileged containers are not used",
    Critical,
    "do not run with `--privileged`"
);
runtime_check!(
    /// ## What it does
    /// Looks at each container's bind mounts for the host's system
    /// directories: `/`, `/boot`, `/dev`, `/etc`, `/lib`, `/proc`, `/sys`,
    /// `/usr` and what lies under them.
    ///
    /// ## Why is this bad?
    /// A container that can read or write the host's `/etc`, `/proc` or `/`
    /// can read its secrets, change its users and services, or reach its
    /// kernel settings; read-only mounts still leak credentials and
    /// configuration.
    ///
    /// ## Use instead
    /// Mount only the application's own data directories, read-only where
    /// possible.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.6
    DH506,
    "5.6",
    "Sensitive host system directories are not mounted",
    High,
    "do not mount /, /boot, /dev, /etc, /lib, /proc, /sys or /usr of the host"
);
runtime_check!(
    /// ## What it does
    /// Looks at the processes running in each container (`docker top`) for
    /// an SSH server (`sshd`, `dropbear`).
    ///
    /// ## Why is this bad?
    /// An SSH server is a second, separately managed way into the
    /// container, with its own keys and patch cycle, usually with host keys
    /// shared by every copy of the image; `docker exec` already gives an
    /// audited shell.
    ///
    /// ## Use instead
    /// Remove the SSH server from the image and use `docker exec` for a
    /// shell.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.7
    DH507,
    "5.7",
    "sshd is not run within containers",
    Medium,
    "remove the SSH server; use `docker exec`"
);
runtime_check!(
    /// ## What it does
    /// Looks at each container's published ports for host ports below 1024.
    ///
    /// ## Why is this bad?
    /// Ports below 1024 are the ones the host's own system services use and
    /// that clients trust as privileged; publishing a container there lets
    /// it stand in for one of them.
    ///
    /// ## Use instead
    /// Publish on a host port above 1024 (`-p 8443:443`) and put a proxy in
    /// front if a low port is needed.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.8
    DH508,
    "5.8",
    "Privileged ports are not mapped within containers",
    Low,
    "publish on host ports above 1024"
);

check! {
    /// ## What it does
    /// Lists the ports each container publishes, for review.
    ///
    /// ## Why is this bad?
    /// Every published port is reachable from outside the host.
    ///
    /// ## Use instead
    /// Publish only what clients need; keep the rest on internal networks.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.9
    DH509: "5.9",
    title: "Only needed ports are open on the container",
    severity: Info,
    scored: false,
    fix: "publish only the ports clients need",
    run: published_ports,
}

fn published_ports(host: &Host) -> Outcome {
    let lines: Vec<String> = host
        .containers
        .iter()
        .filter_map(|c| {
            let bindings = c.inspect.pointer("/HostConfig/PortBindings")?.as_object()?;
            let ports: Vec<String> = bindings
                .iter()
                .flat_map(|(port, hosts)| {
                    hosts.as_array().into_iter().flatten().map(move |h| {
                        let ip = h.get("HostIp").and_then(Value::as_str).unwrap_or("");
                        let hp = h.get("HostPort").and_then(Value::as_str).unwrap_or("");
                        format!(
                            "{}:{hp}->{port}",
                            if ip.is_empty() { "0.0.0.0" } else { ip }
                        )
                    })
                })
                .collect();
            (!ports.is_empty()).then(|| {
                format!(
                    "container `{}` publishes {}",
                    inspect::name(&c.inspect),
                    ports.join(", ")
                )
            })
        })
        .collect();
    if lines.is_empty() {
        Outcome::info("no container publishes a port")
    } else {
        let mut outcome = Outcome::info(String::new());
        outcome.evidence = lines;
        outcome
    }
}

runtime_check!(
    /// ## What it does
    /// Looks for containers that share the host's network namespace
    /// (`--network host`).
    ///
    /// ## Why is this bad?
    /// With the host's network stack a container sees every interface, can
    /// bind any port, reaches services listening on the host's loopback and
    /// bypasses the isolation and port rules Docker sets up.
    ///
    /// ## Use instead
    /// Use a user-defined bridge network and publish the ports the service
    /// needs.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.10
    DH510,
    "5.10",
    "The host's network namespace is not shared",
    High,
    "do not run with `--network host`"
);
runtime_check!(
    /// ## What it does
    /// Looks for containers without a memory limit (`--memory`,
    /// `HostConfig.Memory` 0).
    ///
    /// ## Why is this bad?
    /// A container without a limit can take the host's memory, by a leak or
    /// on purpose, until the kernel kills other containers or host
    /// processes.
    ///
    /// ## Use instead
    /// Run with `--memory` (and `--memory-swap`) sized for the service.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.11
    DH511,
    "5.11",
    "Memory usage for containers is limited",
    Low,
    "run with `--memory`"
);
runtime_check!(
    /// ## What it does
    /// Looks for containers with neither a CPU limit (`--cpus`,
    /// `--cpu-quota`) nor CPU shares (`--cpu-shares`).
    ///
    /// ## Why is this bad?
    /// Without one a single busy container can take every core and starve
    /// the others and the host's own services.
    ///
    /// ## Use instead
    /// Run with `--cpus` or `--cpu-shares` set for the service.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.12
    DH512,
    "5.12",
    "CPU priority is set appropriately on containers",
    Low,
    "run with `--cpus` or `--cpu-shares`"
);
runtime_check!(
    /// ## What it does
    /// Looks for containers whose root file system is writable (no
    /// `--read-only`).
    ///
    /// ## Why is this bad?
    /// A writable root file system lets an intruder change the container's
    /// programs and configuration and leave tools behind; a read-only one
    /// keeps the container as its image says.
    ///
    /// ## Use instead
    /// Run with `--read-only`, with volumes or `--tmpfs` for the paths that
    /// must be written.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.13
    DH513,
    "5.13",
    "The container's root filesystem is mounted as read only",
    Low,
    "run with `--read-only` and tmpfs or volumes for what must be written"
);
runtime_check!(
    /// ## What it does
    /// Looks at each container's published ports for those bound to every
    /// host interface (`0.0.0.0` or `::`).
    ///
    /// ## Why is this bad?
    /// A port published on every interface is reachable from every network
    /// the host is on, often bypassing the host firewall, when it was meant
    /// for one.
    ///
    /// ## Use instead
    /// Publish on the address that should reach it: `-p 127.0.0.1:8080:80`
    /// or the internal interface's address.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.14
    DH514,
    "5.14",
    "Incoming container traffic is bound to a specific host interface",
    Low,
    "publish as `-p 127.0.0.1:8080:80` or a specific address"
);
runtime_check!(
    /// ## What it does
    /// Looks at each container's restart policy for `always`,
    /// `unless-stopped`, or `on-failure` without a maximum (or above 5).
    ///
    /// ## Why is this bad?
    /// A container that fails and restarts without end hides the failure,
    /// burns resources and, for a crash an attacker can trigger, gives
    /// unlimited tries.
    ///
    /// ## Use instead
    /// Run with `--restart on-failure:5`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.15
    DH515,
    "5.15",
    "The 'on-failure' container restart policy is set to '5'",
    Low,
    "run with `--restart on-failure:5`"
);
runtime_check!(
    /// ## What it does
    /// Looks for containers that share the host's process namespace (`--pid
    /// host`).
    ///
    /// ## Why is this bad?
    /// A container in the host's PID namespace sees every process on the
    /// host, can read their environments and command lines, and, with
    /// enough privilege, signal or trace them.
    ///
    /// ## Use instead
    /// Run without `--pid host`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.16
    DH516,
    "5.16",
    "The host's process namespace is not shared",
    High,
    "do not run with `--pid host`"
);
runtime_check!(
    /// ## What it does
    /// Looks for containers that share the host's IPC namespace (`--ipc
    /// host`).
    ///
    /// ## Why is this bad?
    /// The host's IPC namespace holds shared memory and semaphores of host
    /// processes; a container sharing it can read or corrupt them.
    ///
    /// ## Use instead
    /// Run without `--ipc host`; share IPC between containers only with
    /// `--ipc container:NAME` where needed.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.17
    DH517,
    "5.17",
    "The host's IPC namespace is not shared",
    High,
    "do not run with `--ipc host`"
);
runtime_check!(
    /// ## What it does
    /// Looks for host devices passed into containers (`--device`).
    ///
    /// ## Why is this bad?
    /// A device node gives a container direct access to hardware or a
    /// kernel driver: a disk can be read or rewritten below the file
    /// system, and drivers are a path to the kernel.
    ///
    /// ## Use instead
    /// Pass no device unless the service needs it, and then with only the
    /// permissions it needs (`--device /dev/x:/dev/x:r`).
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.18
    DH518,
    "5.18",
    "Host devices are not directly exposed to containers",
    Medium,
    "pass no `--device` unless needed, read-only where possible"
);

check! {
    /// ## What it does
    /// Lists containers that run with the daemon's default ulimits.
    ///
    /// ## Why is this bad?
    /// Default ulimits may not suit a service; a runaway one can exhaust
    /// file descriptors or processes for the whole host.
    ///
    /// ## Use instead
    /// Set `--ulimit` per container where the defaults do not fit.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.19
    DH519: "5.19",
    title: "The default ulimit is overwritten at runtime if needed",
    severity: Info,
    scored: false,
    fix: "set `--ulimit` where the daemon's defaults do not fit",
    run: ulimits,
}

fn ulimits(host: &Host) -> Outcome {
    let defaults: Vec<String> = host
        .containers
        .iter()
        .filter(|c| {
            c.inspect
                .pointer("/HostConfig/Ulimits")
                .and_then(Value::as_array)
                .is_none_or(Vec::is_empty)
        })
        .map(|c| {
            format!(
                "container `{}` uses the default ulimits",
                inspect::name(&c.inspect)
            )
        })
        .collect();
    if defaults.is_empty() {
        Outcome::info("every container examined sets its ulimits (or none runs)")
    } else {
        let mut outcome = Outcome::info(String::new());
        outcome.evidence = defaults;
        outcome
    }
}

runtime_check!(
    /// ## What it does
    /// Looks at each container's mounts for `shared` or `rshared` mount
    /// propagation.
    ///
    /// ## Why is this bad?
    /// With shared propagation, mounts made inside the container appear on
    /// the host and the other way round, so a container can change what the
    /// host sees at that path.
    ///
    /// ## Use instead
    /// Mount with the default `private` propagation.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.20
    DH520,
    "5.20",
    "The mount propagation mode is not set to shared",
    Medium,
    "do not mount with `shared`/`rshared` propagation"
);
runtime_check!(
    /// ## What it does
    /// Looks for containers that share the host's UTS namespace (`--uts
    /// host`).
    ///
    /// ## Why is this bad?
    /// A container in the host's UTS namespace can change the host's
    /// hostname and domain name, which other services and logs rely on.
    ///
    /// ## Use instead
    /// Run without `--uts host`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.21
    DH521,
    "5.21",
    "The host's UTS namespace is not shared",
    Medium,
    "do not run with `--uts host`"
);
runtime_check!(
    /// ## What it does
    /// Looks for containers started with the seccomp profile turned off
    /// (`--security-opt seccomp=unconfined`).
    ///
    /// ## Why is this bad?
    /// Docker's default seccomp profile blocks about fifty system calls
    /// that containers do not need and that kernel exploits use; turning it
    /// off hands all of them back.
    ///
    /// ## Use instead
    /// Keep the default profile, or give a stricter one with
    /// `--security-opt seccomp=profile.json`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.22
    DH522,
    "5.22",
    "The default seccomp profile is not disabled",
    High,
    "do not run with `--security-opt seccomp=unconfined`"
);

check! {
    /// ## What it does
    /// A reminder that `docker exec --privileged` must not be used (manual:
    /// exec sessions leave no trace in the container's configuration).
    ///
    /// ## Why is this bad?
    /// A privileged exec session has every capability, whatever the
    /// container was started with.
    ///
    /// ## Use instead
    /// Review the daemon's audit log for `exec` with `Privileged: true`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.23
    DH523: "5.23",
    title: "docker exec commands are not used with the privileged option",
    severity: Info,
    scored: false,
    fix: "never use `docker exec --privileged`",
    run: |_| Outcome::note("review exec sessions in the daemon's audit trail"),
}

check! {
    /// ## What it does
    /// A reminder that `docker exec --user=root` must not be used (manual).
    ///
    /// ## Why is this bad?
    /// It undoes the non-root user the container runs as.
    ///
    /// ## Use instead
    /// Review the daemon's audit log for `exec` as root.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.24
    DH524: "5.24",
    title: "docker exec commands are not used with the user=root option",
    severity: Info,
    scored: false,
    fix: "never use `docker exec --user root`",
    run: |_| Outcome::note("review exec sessions in the daemon's audit trail"),
}

check! {
    /// ## What it does
    /// Lists containers with a cgroup parent of their own (`--cgroup-parent`).
    ///
    /// ## Why is this bad?
    /// A container outside the daemon's cgroup escapes the limits set for
    /// all containers.
    ///
    /// ## Use instead
    /// Use the default cgroup parent unless a policy requires another.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.25
    DH525: "5.25",
    title: "cgroup usage is confirmed",
    severity: Low,
    scored: true,
    fix: "run without `--cgroup-parent` unless required",
    run: cgroup_parent,
}

fn cgroup_parent(host: &Host) -> Outcome {
    if host.containers.is_empty() {
        return Outcome::info("no containers to check");
    }
    let custom: Vec<String> = host
        .containers
        .iter()
        .filter_map(|c| {
            let parent = c.inspect.pointer("/HostConfig/CgroupParent")?.as_str()?;
            (!parent.is_empty()).then(|| {
                format!(
                    "container `{}` uses cgroup parent `{parent}`",
                    inspect::name(&c.inspect)
                )
            })
        })
        .collect();
    if custom.is_empty() {
        Outcome::pass("every container uses the default cgroup parent")
    } else {
        Outcome::warn_all("HostConfig.CgroupParent", custom)
    }
}

runtime_check!(
    /// ## What it does
    /// Looks for containers started without `--security-opt
    /// no-new-privileges`.
    ///
    /// ## Why is this bad?
    /// Without it a process in the container can gain privileges through a
    /// setuid or setgid program or file capabilities, so a foothold as an
    /// ordinary user can become root.
    ///
    /// ## Use instead
    /// Run with `--security-opt no-new-privileges`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.26
    DH526,
    "5.26",
    "The container is restricted from acquiring additional privileges",
    Medium,
    "run with `--security-opt no-new-privileges`"
);
runtime_check!(
    /// ## What it does
    /// Looks for containers that have no health check (neither in their
    /// image nor in their run settings) or that turn it off.
    ///
    /// ## Why is this bad?
    /// Without a health check Docker only knows the main process is
    /// running, not that it works: a hung service keeps its `running`
    /// status and is never restarted or taken out of rotation.
    ///
    /// ## Use instead
    /// Add a `HEALTHCHECK` to the image, or run with `--health-cmd`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.27
    DH527,
    "5.27",
    "Container health is checked at runtime",
    Low,
    "add a HEALTHCHECK to the image or `--health-cmd`"
);

check! {
    /// ## What it does
    /// A reminder to pull the image version you mean (manual).
    ///
    /// ## Why is this bad?
    /// A cached old image can run instead of the patched one.
    ///
    /// ## Use instead
    /// Pin images by digest, or pull before running.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.28
    DH528: "5.28",
    title: "Docker commands always make use of the latest version of their image",
    severity: Info,
    scored: false,
    fix: "pin images by digest or pull before running",
    run: |_| Outcome::note("review how images are pulled before containers start"),
}

runtime_check!(
    /// ## What it does
    /// Looks for containers without a PIDs limit (`--pids-limit`).
    ///
    /// ## Why is this bad?
    /// Without a limit one container can fork until the host runs out of
    /// process ids, stopping every other container and host service (a fork
    /// bomb).
    ///
    /// ## Use instead
    /// Run with `--pids-limit` set for the service.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.29
    DH529,
    "5.29",
    "The PIDs cgroup limit is used",
    Low,
    "run with `--pids-limit`"
);
runtime_check!(
    /// ## What it does
    /// Looks for containers attached to Docker's default bridge network
    /// `docker0`.
    ///
    /// ## Why is this bad?
    /// On the default bridge every container can reach every other one, and
    /// no name resolution or isolation between applications is available.
    ///
    /// ## Use instead
    /// Create a user-defined network per application and attach its
    /// containers to it.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.30
    DH530,
    "5.30",
    "Docker's default bridge \"docker0\" is not used",
    Low,
    "attach containers to user-defined networks"
);
runtime_check!(
    /// ## What it does
    /// Looks for containers started with `--userns host` on a daemon that
    /// remaps user namespaces.
    ///
    /// ## Why is this bad?
    /// User-namespace remapping makes root in a container an unprivileged
    /// user on the host; `--userns host` turns that off for the container,
    /// so its root is the host's root again.
    ///
    /// ## Use instead
    /// Run without `--userns host`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.31
    DH531,
    "5.31",
    "The host's user namespaces are not shared",
    Medium,
    "do not run with `--userns host`"
);
runtime_check!(
    /// ## What it does
    /// Looks for containers that mount the Docker socket
    /// (`/var/run/docker.sock`, `/run/docker.sock`).
    ///
    /// ## Why is this bad?
    /// Whoever can talk to the Docker socket can start a privileged
    /// container that mounts the host's `/`: the socket is root on the
    /// host.
    ///
    /// ## Use instead
    /// Do not mount the socket; if a container must manage Docker, put an
    /// authorizing proxy with a narrow allow-list in between.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.32
    DH532,
    "5.32",
    "The Docker socket is not mounted inside any containers",
    Critical,
    "do not mount /var/run/docker.sock"
);
