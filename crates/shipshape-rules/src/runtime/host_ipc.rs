use super::Checker;
use shipshape_runtime::spec::{Platform, RuntimeSpec};

rule! {
    /// ## What it does
    /// Flags a container that shares the host's IPC namespace: compose
    /// `ipc: host`, Kubernetes `hostIPC: true` (a pod-level setting, so it
    /// is reported once per pod).
    ///
    /// ## Why is this bad?
    /// The IPC namespace holds System V shared memory, semaphores and
    /// message queues, and POSIX shared memory under `/dev/shm`. Sharing
    /// the host's lets the container read and write the shared memory of
    /// host processes and other containers that use it (databases, caches,
    /// inter-process queues), leaking data or corrupting their state.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   cache:
    ///     image: example/cache:7
    ///     ipc: host
    /// ```
    ///
    /// ## Use instead
    /// Keep a private IPC namespace, or share one only between the
    /// containers that need it:
    /// ```yaml
    /// services:
    ///   cache:
    ///     image: example/cache:7
    ///     ipc: shareable
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.17 (do not share the host's IPC namespace)
    /// - trivy KSV008; kubesec HostIPC
    id: "RT010",
    name: "host-ipc",
    title: "Container shares the host's IPC namespace",
    severity: High,
    aliases: ["CIS-5.17", "KSV008", "AVD-KSV-0008", "HostIPC"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    if let Some(field) = RuntimeSpec::is_on(&cx.spec.host_ipc) {
        let setting = match cx.spec.platform {
            Platform::Docker => cx.spec.say("`ipc: host`", "`--ipc host`"),
            Platform::Kubernetes => "`hostIPC: true`",
        };
        let message = format!(
            "{} shares the host's IPC namespace ({setting}): it can read and write host processes' shared memory",
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
    fn fires_on_host_ipc() {
        assert_eq!(
            lines(&RULE, "services:\n  a:\n    image: a:1\n    ipc: host\n"),
            vec![4]
        );
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostIPC: true\n  containers:\n  - name: c\n    image: c:1\n";
        assert_eq!(lines(&RULE, pod), vec![6]);
    }

    #[test]
    fn silent_without_host_ipc() {
        assert_silent(&RULE, "services:\n  a:\n    image: a:1\n    ipc: private\n");
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n";
        assert_silent(&RULE, pod);
    }
}
