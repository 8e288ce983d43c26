use super::Checker;
use shipshape_runtime::spec::{Platform, RuntimeSpec};

rule! {
    /// ## What it does
    /// Flags a container that shares the host's process namespace:
    /// compose `pid: host`, Kubernetes `hostPID: true` (a pod-level
    /// setting, so it is reported once per pod).
    ///
    /// ## Why is this bad?
    /// With the host's PID namespace the container sees every process on
    /// the machine, with its command line and environment under `/proc`,
    /// which often hold passwords and tokens. As root, or with
    /// `SYS_PTRACE`, it can signal, trace or inject code into host
    /// processes, and `nsenter --target 1` turns that into a shell on the
    /// host.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   agent:
    ///     image: example/agent:5.0
    ///     pid: host
    /// ```
    ///
    /// ## Use instead
    /// Keep the container in its own PID namespace; share one with a
    /// specific container if a sidecar must see its processes:
    /// ```yaml
    /// services:
    ///   agent:
    ///     image: example/agent:5.0
    ///     pid: "service:app"
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.16 (do not share the host's process
    ///   namespace)
    /// - trivy KSV010; kubesec HostPID
    id: "RT009",
    name: "host-pid",
    title: "Container shares the host's process namespace",
    severity: High,
    aliases: ["CIS-5.16", "KSV010", "AVD-KSV-0010", "HostPID"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    if let Some(field) = RuntimeSpec::is_on(&cx.spec.host_pid) {
        let setting = match cx.spec.platform {
            Platform::Docker => cx.spec.say("`pid: host`", "`--pid host`"),
            Platform::Kubernetes => "`hostPID: true`",
        };
        let message = format!(
            "{} shares the host's process namespace ({setting}): it sees and can signal every process on the host",
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
    fn fires_on_host_pid() {
        assert_eq!(
            lines(&RULE, "services:\n  a:\n    image: a:1\n    pid: host\n"),
            vec![4]
        );
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostPID: true\n  containers:\n  - name: c\n    image: c:1\n";
        assert_eq!(lines(&RULE, pod), vec![6]);
    }

    #[test]
    fn silent_without_host_pid() {
        assert_silent(
            &RULE,
            "services:\n  a:\n    image: a:1\n    pid: \"container:b\"\n",
        );
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostPID: false\n  containers:\n  - name: c\n    image: c:1\n";
        assert_silent(&RULE, pod);
    }
}
