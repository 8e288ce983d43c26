//! Section 7: swarm mode, checked only where swarm mode is active.

use serde_json::Value;

use super::Outcome;
use crate::host::Host;

fn inactive(host: &Host) -> Option<Outcome> {
    (!host.swarm_active()).then(|| Outcome::info("swarm mode is not active: not applicable"))
}

/// Declares a swarm check with its own test when swarm mode is active.
macro_rules! swarm_check {
    ($name:ident, $number:literal, $title:literal, $scored:literal, $fix:literal, $run:expr) => {
        check! {
            /// ## What it does
            /// A swarm-mode check; on a host where swarm mode is not active
            /// it is not applicable (INFO).
            ///
            /// ## Why is this bad?
            /// Swarm managers hold the cluster's keys and secrets and
            /// schedule every service: their configuration decides the
            /// cluster's security.
            ///
            /// ## Use instead
            /// As the fix line says.
            ///
            /// ## References
            /// - CIS Docker Benchmark section 7
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
    DH703,
    "7.3",
    "All Docker swarm overlay networks are encrypted",
    true,
    "create overlay networks with `--opt encrypted`",
    |_: &Host| Outcome::note("review overlay networks for `encrypted` (`docker network inspect`)")
);
swarm_check!(
    DH704,
    "7.4",
    "Docker's secret management commands are used for managing secrets",
    false,
    "store service secrets with `docker secret`",
    |_: &Host| Outcome::note("review how services get their secrets")
);
swarm_check!(
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
    DH706,
    "7.6",
    "Swarm manager auto-lock key is rotated periodically",
    false,
    "`docker swarm unlock-key --rotate` on a schedule",
    |_: &Host| Outcome::note("review the rotation of the unlock key")
);
swarm_check!(
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
    DH708,
    "7.8",
    "CA certificates are rotated as appropriate",
    false,
    "`docker swarm ca --rotate` on a schedule",
    |_: &Host| Outcome::note("review the rotation of the swarm CA")
);
swarm_check!(
    DH709,
    "7.9",
    "Management plane traffic is separated from data plane traffic",
    false,
    "init with `--data-path-addr` on a separate interface",
    |_: &Host| Outcome::note("review the data path address")
);
