use super::Checker;
use shipshape_runtime::spec::{Platform, RuntimeSpec};

rule! {
    /// ## What it does
    /// Flags a container that shares the host's network namespace:
    /// compose `network_mode: host`, Kubernetes `hostNetwork: true` (a
    /// pod-level setting, so it is reported once per pod).
    ///
    /// ## Why is this bad?
    /// In the host's network namespace the container sees and uses the
    /// node's interfaces directly. It can bind any port on the host,
    /// reach services listening only on `localhost` (the kubelet, the
    /// Docker API on a TCP port, databases bound to `127.0.0.1`, cloud
    /// metadata endpoints), and with `NET_RAW` capture the traffic of
    /// every other workload on the node. Network policies and published
    /// port rules no longer apply to it.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   proxy:
    ///     image: example/proxy:1.25
    ///     network_mode: host
    /// ```
    ///
    /// ## Use instead
    /// Publish the ports the service needs:
    /// ```yaml
    /// services:
    ///   proxy:
    ///     image: example/proxy:1.25
    ///     ports: ["443:8443"]
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.10 (do not share the host's network
    ///   namespace)
    /// - trivy KSV009; kubesec HostNetwork
    id: "RT008",
    name: "host-network",
    title: "Container shares the host's network namespace",
    severity: High,
    aliases: ["CIS-5.10", "KSV009", "AVD-KSV-0009", "HostNetwork"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    if let Some(field) = RuntimeSpec::is_on(&cx.spec.host_network) {
        let setting = match cx.spec.platform {
            Platform::Docker => cx.spec.say("`network_mode: host`", "`--network host`"),
            Platform::Kubernetes => "`hostNetwork: true`",
        };
        let message = format!(
            "{} uses the host's network ({setting}): it can reach every host interface and local-only service",
            cx.spec.workload
        );
        cx.report(&field.at, message);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::runtime::test_support::*;

    #[test]
    fn fires_on_host_network() {
        assert_eq!(
            lines(
                &RULE,
                "services:\n  a:\n    image: a:1\n    network_mode: host\n"
            ),
            vec![4]
        );
        let pod = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      hostNetwork: true\n      containers:\n      - name: a\n        image: a:1\n      - name: b\n        image: b:1\n";
        assert_eq!(lines(&RULE, pod), vec![8]);
        assert!(
            findings(&RULE, pod)[0]
                .message
                .starts_with("Deployment `d` uses the host's network (`hostNetwork: true`)")
        );
    }

    #[test]
    fn silent_without_host_network() {
        assert_silent(
            &RULE,
            "services:\n  a:\n    image: a:1\n    network_mode: bridge\n",
        );
        assert_silent(&RULE, "services:\n  a:\n    image: a:1\n");
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostNetwork: false\n  containers:\n  - name: c\n    image: c:1\n";
        assert_silent(&RULE, pod);
    }
}
