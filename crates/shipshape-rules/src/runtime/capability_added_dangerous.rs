use super::Checker;

rule! {
    /// ## What it does
    /// Flags each capability added with `cap_add` (compose, `docker run
    /// --cap-add`) or `securityContext.capabilities.add` (Kubernetes) that
    /// opens a way onto the host: `SYS_ADMIN`, `NET_ADMIN`, `SYS_MODULE`,
    /// `SYS_PTRACE`, `SYS_RAWIO`, `SYS_BOOT`, `SYS_TIME`,
    /// `DAC_READ_SEARCH`, `NET_RAW`, `BPF`, `PERFMON`, `MAC_ADMIN`,
    /// `MAC_OVERRIDE`, `SYSLOG`, and `ALL`.
    ///
    /// ## Why is this bad?
    /// Capabilities are the pieces root is split into. These are the
    /// pieces that reach past the container: `SYS_ADMIN` mounts file
    /// systems and is close to full root, `SYS_MODULE` loads code into the
    /// host kernel, `SYS_PTRACE` reads and rewrites other processes'
    /// memory, `DAC_READ_SEARCH` opens host files by handle (the "shocker"
    /// escape), `NET_ADMIN` and `NET_RAW` rewrite or spoof traffic on the
    /// node's network. An attacker who gets code execution in the
    /// container inherits them, and most published container escapes
    /// start from one of them.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   backup:
    ///     image: example/backup:1.4
    ///     cap_add: [SYS_ADMIN]
    /// ```
    ///
    /// ## Use instead
    /// Do the privileged part outside the container (mount the share on
    /// the host and bind it in), or grant a narrow capability:
    /// ```yaml
    /// services:
    ///   backup:
    ///     image: example/backup:1.4
    ///     volumes:
    ///       - /mnt/backup-share:/backup
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.4 (restrict Linux kernel capabilities)
    /// - trivy KSV005, KSV119, KSV120; kubesec CapSysAdmin
    /// - capabilities(7)
    id: "RT002",
    name: "capability-added-dangerous",
    title: "Container adds a dangerous capability",
    severity: High,
    aliases: ["CIS-5.4", "KSV005", "AVD-KSV-0005", "KSV119", "KSV120", "CapSysAdmin"],
    check: check,
}

/// The capabilities this rule reports, with what each one allows.
pub(super) const DANGEROUS: &[(&str, &str)] = &[
    ("ALL", "every capability at once"),
    (
        "SYS_ADMIN",
        "mounting file systems and most administration calls, near-root on the host",
    ),
    (
        "NET_ADMIN",
        "changing network interfaces, routes and firewall rules",
    ),
    ("SYS_MODULE", "loading kernel modules into the host kernel"),
    (
        "SYS_PTRACE",
        "tracing other processes and reading their memory",
    ),
    ("SYS_RAWIO", "raw access to I/O ports and kernel memory"),
    ("SYS_BOOT", "rebooting the host"),
    ("SYS_TIME", "setting the host's clock"),
    (
        "DAC_READ_SEARCH",
        "reading any file by handle, past permission checks",
    ),
    (
        "NET_RAW",
        "raw sockets: spoofing packets on the node's network",
    ),
    ("BPF", "loading BPF programs into the kernel"),
    (
        "PERFMON",
        "kernel performance monitoring, which exposes kernel and process data",
    ),
    ("MAC_ADMIN", "changing the AppArmor or SELinux policy"),
    ("MAC_OVERRIDE", "bypassing the AppArmor or SELinux policy"),
    ("SYSLOG", "reading the kernel log and kernel addresses"),
];

fn check(cx: &mut Checker<'_>) {
    for cap in &cx.spec.cap_add {
        let Some((name, allows)) = DANGEROUS.iter().find(|(name, _)| *name == cap.value) else {
            continue;
        };
        let message = format!("{} adds capability `{name}`: {allows}", cx.spec.name);
        cx.report(&cap.at, message);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::runtime::test_support::*;

    #[test]
    fn fires_on_each_dangerous_capability() {
        let compose = "services:\n  a:\n    image: a:1\n    cap_add:\n      - CHOWN\n      - CAP_SYS_ADMIN\n      - sys_ptrace\n";
        assert_eq!(lines(&RULE, compose), vec![6, 7]);
        let found = findings(&RULE, compose);
        assert!(found[0].message.contains("`SYS_ADMIN`: mounting"));
        assert!(found[1].message.contains("memory"));
        assert_eq!(
            lines(
                &RULE,
                "services:\n  a:\n    image: a:1\n    cap_add: [ALL]\n"
            ),
            vec![4]
        );
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    securityContext:\n      capabilities:\n        add: [NET_BIND_SERVICE]\n  - name: d\n    image: d:1\n    securityContext:\n      capabilities:\n        add:\n        - NET_ADMIN\n";
        assert_eq!(lines(&RULE, pod), vec![17]);
    }

    #[test]
    fn silent_on_harmless_or_no_capabilities() {
        assert_silent(
            &RULE,
            "services:\n  a:\n    image: a:1\n    cap_add: [CHOWN, NET_BIND_SERVICE]\n    cap_drop: [SYS_ADMIN]\n",
        );
        assert_silent(&RULE, "services:\n  a:\n    image: a:1\n");
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    securityContext:\n      capabilities:\n        drop: [ALL]\n        add: [NET_BIND_SERVICE]\n";
        assert_silent(&RULE, pod);
    }
}
