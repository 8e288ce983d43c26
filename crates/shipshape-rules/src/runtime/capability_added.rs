use super::Checker;
use super::capability_added_dangerous::DANGEROUS;

rule! {
    /// ## What it does
    /// Flags each capability added beyond the runtime's default set, such
    /// as `SYS_NICE`, `SYS_RESOURCE`, `IPC_LOCK` or `LINUX_IMMUTABLE`.
    /// The capabilities that lead straight onto the host are reported by
    /// `capability-added-dangerous` instead, and adding one Docker already
    /// grants (`CHOWN`, `NET_BIND_SERVICE`...) is not reported.
    ///
    /// ## Why is this bad?
    /// Docker and containerd start containers with a short list of
    /// capabilities: `AUDIT_WRITE`, `CHOWN`, `DAC_OVERRIDE`, `FOWNER`,
    /// `FSETID`, `KILL`, `MKNOD`, `NET_BIND_SERVICE`, `NET_RAW`,
    /// `SETFCAP`, `SETGID`, `SETPCAP`, `SETUID` and `SYS_CHROOT`. Every
    /// capability on top is kernel privilege the application keeps for its
    /// whole life and an attacker inherits with it: `SYS_RESOURCE` lifts
    /// resource limits, `SYS_NICE` starves other workloads of CPU,
    /// `LINUX_IMMUTABLE` changes files marked immutable. Each one should be
    /// a deliberate, reviewed exception.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   db:
    ///     image: example/db:15
    ///     cap_add: [SYS_NICE, SYS_RESOURCE]
    /// ```
    ///
    /// ## Use instead
    /// Keep to the default set, or better, drop everything and add back
    /// only what the process needs:
    /// ```yaml
    /// services:
    ///   db:
    ///     image: example/db:15
    ///     cap_drop: [ALL]
    ///     cap_add: [CHOWN, SETUID, SETGID]
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.4 (restrict Linux kernel capabilities)
    /// - trivy KSV022
    /// - capabilities(7)
    id: "RT003",
    name: "capability-added",
    title: "Container adds a capability beyond the default set",
    severity: Medium,
    aliases: ["CIS-5.4", "KSV022", "AVD-KSV-0022"],
    check: check,
}

/// The capabilities Docker and containerd grant by default.
const DEFAULT: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "NET_RAW",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

fn check(cx: &mut Checker<'_>) {
    for cap in &cx.spec.cap_add {
        let name = cap.value.as_str();
        if DEFAULT.contains(&name) || DANGEROUS.iter().any(|(d, _)| *d == name) {
            continue;
        }
        let message = format!(
            "{} adds capability `{name}`, beyond the runtime's default set",
            cx.spec.name
        );
        cx.report(&cap.at, message);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::runtime::test_support::*;

    #[test]
    fn fires_on_capabilities_beyond_the_default_set() {
        let compose = "services:\n  a:\n    image: a:1\n    cap_add:\n      - CHOWN\n      - SYS_NICE\n      - CAP_IPC_LOCK\n";
        assert_eq!(lines(&RULE, compose), vec![6, 7]);
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    securityContext:\n      capabilities:\n        drop: [ALL]\n        add:\n        - NET_BIND_SERVICE\n        - SYS_RESOURCE\n";
        assert_eq!(lines(&RULE, pod), vec![14]);
    }

    #[test]
    fn silent_on_default_and_dangerous_capabilities() {
        assert_silent(
            &RULE,
            "services:\n  a:\n    image: a:1\n    cap_add: [NET_BIND_SERVICE, CHOWN]\n",
        );
        // Reported by capability-added-dangerous, not twice.
        assert_silent(
            &RULE,
            "services:\n  a:\n    image: a:1\n    cap_add: [SYS_ADMIN, ALL]\n",
        );
        assert_silent(&RULE, "services:\n  a:\n    image: a:1\n");
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    securityContext:\n      capabilities:\n        add: [SETUID, SYS_PTRACE]\n";
        assert_silent(&RULE, pod);
    }
}
