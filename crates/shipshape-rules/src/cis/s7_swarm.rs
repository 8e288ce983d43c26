//! Section 7: swarm mode, checked only where swarm mode is active.

use serde_json::Value;

use super::Outcome;
use shipshape_core::host::Host;

fn inactive(host: &Host) -> Option<Outcome> {
    (!host.swarm_active()).then(|| Outcome::info("swarm mode is not active: not applicable"))
}

/// Declares a swarm check with its own test when swarm mode is active.
macro_rules! swarm_check {
    (
        $(#[doc = $doc:literal])*
        $name:ident, $number:literal, $title:literal, $scored:literal, $fix:literal, $run:expr
    ) => {
        check! {
            $(#[doc = $doc])*
            $name: $number,
            title: $title,
            severity: Medium,
            scored: $scored,
            fix: $fix,
            run: |host: &Host| inactive(host).unwrap_or_else(|| $run(host)),
        }
    };
}

fn swarm<'a>(host: &'a Host, pointer: &str) -> Option<&'a Value> {
    host.info.as_ref()?.pointer(&format!("/Swarm{pointer}"))
}

swarm_check!(
    /// ## What it does
    /// On a swarm manager, reads how many managers the swarm has (`docker
    /// info`); INFO when swarm mode is not active.
    ///
    /// ## Why is this bad?
    /// Managers hold the swarm's keys and run the Raft consensus: too few
    /// and one failure stops the cluster's control, too many and each is
    /// one more place to steal the keys from.
    ///
    /// ## Use instead
    /// Run 3 or 5 managers, no more than the cluster needs.
    ///
    /// ## References
    /// - CIS Docker Benchmark 7.1
    DH701,
    "7.1",
    "The minimum number of manager nodes has been created",
    true,
    "run 3 or 5 managers, no more than needed",
    |host: &Host| match swarm(host, "/Managers").and_then(Value::as_i64) {
        Some(n) => Outcome::info(format!(
            "{n} manager nodes (an odd number, as few as the fault tolerance needs)"
        )),
        None => Outcome::info("the number of managers is not known"),
    }
);
swarm_check!(
    /// ## What it does
    /// On a swarm node, reads the address the swarm listens on; INFO when
    /// swarm mode is not active.
    ///
    /// ## Why is this bad?
    /// Listening on every interface exposes the swarm's management port
    /// (2377) to every network the host is on.
    ///
    /// ## Use instead
    /// Initialise or join the swarm with `--listen-addr <ip>:2377` on the
    /// management interface.
    ///
    /// ## References
    /// - CIS Docker Benchmark 7.2
    DH702,
    "7.2",
    "Swarm services are bound to a specific host interface",
    true,
    "init the swarm with `--listen-addr <ip>:2377`",
    |host: &Host| match swarm(host, "/NodeAddr").and_then(Value::as_str) {
        Some(addr) => Outcome::info(format!("the node listens on {addr}")),
        None => Outcome::note("review the swarm listen address"),
    }
);
swarm_check!(
    /// ## What it does
    /// Reports NOTE on a swarm node: whether each overlay network is
    /// encrypted must be reviewed (`docker network inspect`); INFO when
    /// swarm mode is not active.
    ///
    /// ## Why is this bad?
    /// Traffic on an overlay network crosses the hosts' network in clear
    /// text unless encrypted, readable by anyone on the path.
    ///
    /// ## Use instead
    /// Create overlay networks with `--opt encrypted`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 7.3
    DH703,
    "7.3",
    "All Docker swarm overlay networks are encrypted",
    true,
    "create overlay networks with `--opt encrypted`",
    |_: &Host| Outcome::note("review overlay networks for `encrypted` (`docker network inspect`)")
);
swarm_check!(
    /// ## What it does
    /// Reports NOTE on a swarm node: how services receive their secrets
    /// must be reviewed; INFO when swarm mode is not active.
    ///
    /// ## Why is this bad?
    /// Secrets in environment variables or images are readable by anyone
    /// who can inspect the service or pull the image; swarm secrets are
    /// encrypted at rest and given only to the services that need them.
    ///
    /// ## Use instead
    /// Store service secrets with `docker secret` and give them to services
    /// with `--secret`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 7.4
    DH704,
    "7.4",
    "Docker's secret management commands are used for managing secrets",
    false,
    "store service secrets with `docker secret`",
    |_: &Host| Outcome::note("review how services get their secrets")
);
swarm_check!(
    /// ## What it does
    /// On a swarm manager, reads whether auto-lock is on; INFO when swarm
    /// mode is not active.
    ///
    /// ## Why is this bad?
    /// Without auto-lock the keys that decrypt the swarm's Raft log, and
    /// with it every secret, sit on the manager's disk; whoever copies the
    /// disk has them.
    ///
    /// ## Use instead
    /// `docker swarm update --autolock=true`, and keep the unlock key
    /// offline.
    ///
    /// ## References
    /// - CIS Docker Benchmark 7.5
    DH705,
    "7.5",
    "Swarm manager is run in auto-lock mode",
    true,
    "`docker swarm update --autolock=true`",
    |host: &Host| match swarm(host, "/Cluster/Spec/EncryptionConfig/AutoLockManagers")
        .and_then(Value::as_bool)
    {
        Some(true) => Outcome::pass("managers auto-lock"),
        Some(false) => Outcome::warn("swarm autolock", "managers do not auto-lock"),
        None => Outcome::info("auto-lock setting not known"),
    }
);
swarm_check!(
    /// ## What it does
    /// Reports NOTE on a swarm manager: how often the unlock key is rotated
    /// must be reviewed; INFO when swarm mode is not active.
    ///
    /// ## Why is this bad?
    /// An unlock key that never changes stays valid for anyone who once saw
    /// it.
    ///
    /// ## Use instead
    /// `docker swarm unlock-key --rotate` on a schedule.
    ///
    /// ## References
    /// - CIS Docker Benchmark 7.6
    DH706,
    "7.6",
    "Swarm manager auto-lock key is rotated periodically",
    false,
    "`docker swarm unlock-key --rotate` on a schedule",
    |_: &Host| Outcome::note("review the rotation of the unlock key")
);
swarm_check!(
    /// ## What it does
    /// On a swarm manager, reads the node certificates' lifetime; INFO when
    /// swarm mode is not active.
    ///
    /// ## Why is this bad?
    /// A node certificate that lives long stays usable long after the node
    /// is lost or compromised.
    ///
    /// ## Use instead
    /// `docker swarm update --cert-expiry` to a short period (the default
    /// is 90 days).
    ///
    /// ## References
    /// - CIS Docker Benchmark 7.7
    DH707,
    "7.7",
    "Node certificates are rotated as appropriate",
    false,
    "`docker swarm update --cert-expiry` to a short period",
    |host: &Host| match swarm(host, "/Cluster/Spec/CAConfig/NodeCertExpiry").and_then(Value::as_i64)
    {
        Some(ns) => Outcome::info(format!(
            "node certificates expire after {} hours",
            ns / 3_600_000_000_000
        )),
        None => Outcome::note("review node certificate expiry"),
    }
);
swarm_check!(
    /// ## What it does
    /// Reports NOTE on a swarm manager: how often the swarm's CA is rotated
    /// must be reviewed; INFO when swarm mode is not active.
    ///
    /// ## Why is this bad?
    /// The CA key signs every node certificate; a CA that never changes
    /// keeps trusting whatever a stolen key signed.
    ///
    /// ## Use instead
    /// `docker swarm ca --rotate` on a schedule and after any suspected
    /// compromise.
    ///
    /// ## References
    /// - CIS Docker Benchmark 7.8
    DH708,
    "7.8",
    "CA certificates are rotated as appropriate",
    false,
    "`docker swarm ca --rotate` on a schedule",
    |_: &Host| Outcome::note("review the rotation of the swarm CA")
);
swarm_check!(
    /// ## What it does
    /// Reports NOTE on a swarm node: whether data traffic uses its own
    /// interface must be reviewed; INFO when swarm mode is not active.
    ///
    /// ## Why is this bad?
    /// With management and data traffic on one interface, a flood or
    /// capture on the data path reaches the management plane too.
    ///
    /// ## Use instead
    /// Initialise the swarm with `--data-path-addr` on a separate
    /// interface.
    ///
    /// ## References
    /// - CIS Docker Benchmark 7.9
    DH709,
    "7.9",
    "Management plane traffic is separated from data plane traffic",
    false,
    "init with `--data-path-addr` on a separate interface",
    |_: &Host| Outcome::note("review the data path address")
);
