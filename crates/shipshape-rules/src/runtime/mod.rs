//! Every runtime rule, one file each. [`RULES`] is the registry: each rule
//! is listed once, grouped by area, in id order.
//!
//! Runtime rules look at a [`RuntimeSpec`] only, so the same rule checks a
//! compose service, a Kubernetes container and a live container.

use shipshape_core::{Finding, Location, RuleMeta};

use shipshape_runtime::spec::{Origin, RuntimeSpec};

/// The runtime area: its rules read a container's `RuntimeSpec` through a
/// [`Checker`].
pub struct Runtimes;

impl crate::Area for Runtimes {
    type Check = fn(&mut Checker<'_>);
}

/// A runtime rule: its metadata and its check.
pub type Rule = crate::Rule<Runtimes>;

/// What a rule's check gets: the spec and a way to report.
pub struct Checker<'a> {
    pub spec: &'a RuntimeSpec,
    /// The `trustedRegistries` setting (empty: no policy).
    pub trusted: &'a [String],
    rule: &'static RuleMeta,
    found: &'a mut Vec<Finding>,
}

impl Checker<'_> {
    /// Reports a finding of the running rule at the setting written at `at`.
    pub fn report(&mut self, at: &Origin, message: impl Into<String>) {
        let location = self.spec.location(at);
        self.push(location, message.into());
    }

    /// Reports a finding about a setting that is missing: it points at the
    /// service or container that lacks it.
    pub fn report_missing(&mut self, message: impl Into<String>) {
        let location = self.spec.location(&self.spec.at);
        self.push(location, message.into());
    }

    /// Reports a finding about a pod-level setting that is missing: it
    /// points at the pod spec, so the containers of one pod share it.
    pub fn report_missing_in_workload(&mut self, message: impl Into<String>) {
        let location = self.spec.location(&self.spec.workload_at);
        self.push(location, message.into());
    }

    /// Reports a finding about a credential written at `at`: `secret` is
    /// masked wherever the manifest is shown.
    pub fn report_secret(&mut self, at: &Origin, message: impl Into<String>, secret: &str) {
        let location = self.spec.location(at);
        self.found
            .push(Finding::new(self.rule, message.into(), location).with_secret(secret));
    }

    fn push(&mut self, location: Location, message: String) {
        self.found.push(Finding::new(self.rule, message, location));
    }
}

/// Runs `rules` on every spec. A setting shared by several containers (a
/// pod's `hostNetwork`, an anchor merged into several services) is reported
/// once per rule and place.
pub fn check(specs: &[RuntimeSpec], rules: &[&'static Rule]) -> Vec<Finding> {
    check_trusting(specs, rules, &[])
}

/// [`check`] with the `trustedRegistries` setting.
pub fn check_trusting(
    specs: &[RuntimeSpec],
    rules: &[&'static Rule],
    trusted: &[String],
) -> Vec<Finding> {
    let mut found = Vec::new();
    for spec in specs {
        for rule in rules {
            let mut cx = Checker {
                spec,
                trusted,
                rule: rule.meta,
                found: &mut found,
            };
            (rule.check)(&mut cx);
        }
    }
    // The same rule at the same place once, however many specs lead there;
    // the set borrows the locations rather than copying each one.
    let first: Vec<bool> = {
        let mut seen = std::collections::HashSet::with_capacity(found.len());
        found
            .iter()
            .map(|f| seen.insert((f.rule.id, &f.location)))
            .collect()
    };
    let mut keep = first.into_iter();
    found.retain(|_| keep.next().unwrap_or(true));
    found
}

/// Metadata of every runtime rule of its own (the Dockerfile rules it
/// also runs are listed with them).
pub fn metas() -> impl Iterator<Item = &'static RuleMeta> {
    RULES.iter().filter(|r| is_own(r)).map(|r| r.meta)
}

pub mod suppress;

mod apparmor_unconfined;
mod capabilities_not_dropped;
mod capability_added;
mod capability_added_dangerous;
pub mod config_twins;
mod cpu_limit_missing;
mod default_bridge_network;
mod docker_socket_mounted;
mod healthcheck_disabled;
mod host_device;
mod host_ipc;
mod host_network;
mod host_pid;
mod host_port;
mod host_userns;
mod host_uts;
mod image_latest_or_untagged;
mod image_not_pinned_by_digest;
mod memory_limit_missing;
mod mount_propagation_shared;
mod pids_limit_missing;
mod port_bound_to_all_interfaces;
mod privilege_escalation_allowed;
mod privileged;
mod privileged_host_port;
mod resource_requests_missing;
mod restart_policy_unbounded;
mod root_filesystem_writable;
mod seccomp_profile_missing;
mod seccomp_unconfined;
mod secret_in_environment;
mod selinux_label_overridden;
mod sensitive_host_path_mounted;
mod service_account_token_automounted;
mod ssh_port_published;
mod ssh_server_running;

/// The registry: every runtime rule, once.
pub static RULES: &[&Rule] = &[
    // Privileges
    &privileged::RULE,
    &capability_added_dangerous::RULE,
    &capability_added::RULE,
    &capabilities_not_dropped::RULE,
    &privilege_escalation_allowed::RULE,
    &root_filesystem_writable::RULE,
    // Host namespaces
    &host_network::RULE,
    &host_pid::RULE,
    &host_ipc::RULE,
    &host_uts::RULE,
    &host_userns::RULE,
    // Mounts and devices
    &docker_socket_mounted::RULE,
    &sensitive_host_path_mounted::RULE,
    &mount_propagation_shared::RULE,
    &host_device::RULE,
    // Confinement
    &seccomp_unconfined::RULE,
    &seccomp_profile_missing::RULE,
    &apparmor_unconfined::RULE,
    &selinux_label_overridden::RULE,
    // Resources
    &memory_limit_missing::RULE,
    &cpu_limit_missing::RULE,
    &pids_limit_missing::RULE,
    &resource_requests_missing::RULE,
    // Ports
    &privileged_host_port::RULE,
    &port_bound_to_all_interfaces::RULE,
    &ssh_port_published::RULE,
    &host_port::RULE,
    // Lifecycle
    &restart_policy_unbounded::RULE,
    &healthcheck_disabled::RULE,
    // Image
    &image_latest_or_untagged::RULE,
    &image_not_pinned_by_digest::RULE,
    // Secrets and service accounts
    &secret_in_environment::RULE,
    &service_account_token_automounted::RULE,
    // Live containers
    &ssh_server_running::RULE,
    &default_bridge_network::RULE,
    // The Dockerfile rules on what the container runs as (their own ids)
    &config_twins::ROOT_USER,
    &config_twins::NO_USER,
    &config_twins::NO_HEALTHCHECK,
    &config_twins::UNTRUSTED_REGISTRY,
];

/// Whether `rule` is a runtime rule of its own (RT), not a Dockerfile
/// rule run on the runtime spec.
pub fn is_own(rule: &Rule) -> bool {
    rule.meta.id.starts_with("RT")
}

#[cfg(test)]
pub(crate) mod test_support;
