use super::Checker;

rule! {
    /// ## What it does
    /// Flags a container that does not drop `ALL` capabilities: no
    /// `cap_drop: [ALL]` in compose, no `capabilities.drop: [ALL]` in a
    /// Kubernetes `securityContext`. Dropping a few named capabilities
    /// still leaves the rest of the default set, so that is reported too.
    ///
    /// ## Why is this bad?
    /// Without a drop, a container keeps the runtime's default set:
    /// `NET_RAW` (raw sockets, packet spoofing on the node's network),
    /// `DAC_OVERRIDE` (ignore file permissions), `SETUID`/`SETGID`,
    /// `MKNOD`, `SYS_CHROOT` and more. Most applications need none of
    /// them, yet each is one more tool for an attacker who gets code
    /// execution, and several kernel exploits rely on one of them being
    /// present. Dropping `ALL` and adding back the one or two a process
    /// really uses makes the grant explicit and reviewable.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: example/api:3.2
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   api:
    ///     image: example/api:3.2
    ///     cap_drop: [ALL]
    ///     cap_add: [NET_BIND_SERVICE]
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.4 (restrict Linux kernel capabilities)
    /// - trivy KSV003, KSV004; kubesec CapDropAll
    id: "RT004",
    name: "capabilities-not-dropped",
    title: "Container does not drop all capabilities",
    severity: Low,
    aliases: ["KSV003", "AVD-KSV-0003", "KSV004", "CapDropAll"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    let spec = cx.spec;
    if spec.drops_all() {
        return;
    }
    let message = if spec.cap_drop.is_empty() {
        format!(
            "{} drops no capabilities: it keeps the runtime's default set, `NET_RAW` and `DAC_OVERRIDE` among them",
            spec.name
        )
    } else {
        let dropped: Vec<String> = spec
            .cap_drop
            .iter()
            .map(|c| format!("`{}`", c.value))
            .collect();
        format!(
            "{} drops {} but not `ALL`: it keeps the rest of the runtime's default set",
            spec.name,
            dropped.join(", ")
        )
    };
    cx.report_missing(message);
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::runtime::test_support::*;

    #[test]
    fn fires_when_all_is_not_dropped() {
        assert_eq!(lines(&RULE, "services:\n  a:\n    image: a:1\n"), vec![2]);
        let some = "services:\n  a:\n    image: a:1\n    cap_drop: [NET_RAW, MKNOD]\n";
        assert_eq!(lines(&RULE, some), vec![2]);
        assert!(
            findings(&RULE, some)[0]
                .message
                .contains("drops `NET_RAW`, `MKNOD` but not `ALL`")
        );
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    securityContext:\n      capabilities:\n        drop: [NET_RAW]\n";
        assert_eq!(lines(&RULE, pod), vec![7]);
    }

    #[test]
    fn silent_when_all_is_dropped() {
        assert_silent(
            &RULE,
            "services:\n  a:\n    image: a:1\n    cap_drop:\n      - all\n    cap_add: [CHOWN]\n",
        );
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    securityContext:\n      capabilities:\n        drop: [ALL]\n";
        assert_silent(&RULE, pod);
    }
}
