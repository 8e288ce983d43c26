use super::Checker;
use shipshape_runtime::spec::Profile;

rule! {
    /// ## What it does
    /// Flags a container that runs without a seccomp profile: compose
    /// `security_opt: ["seccomp:unconfined"]`, `docker run --security-opt
    /// seccomp=unconfined`, Kubernetes `seccompProfile.type: Unconfined` or
    /// the older `seccomp.security.alpha.kubernetes.io` annotation set to
    /// `unconfined`.
    ///
    /// ## Why is this bad?
    /// Seccomp is the filter between the container and the kernel's several
    /// hundred system calls. The default profile blocks the few dozen an
    /// application never needs and attackers love: `keyctl`, `add_key`,
    /// `unshare`, `bpf`, `ptrace` on older kernels, `mount`. Most container
    /// escapes through kernel bugs go through one of them. Turning seccomp
    /// off hands every one of those calls to whatever code runs in the
    /// container.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   worker:
    ///     image: example/worker:3.4
    ///     security_opt:
    ///       - seccomp:unconfined
    /// ```
    ///
    /// ## Use instead
    /// Keep the default profile, or write a custom one that allows only the
    /// extra call the service needs:
    /// ```yaml
    /// services:
    ///   worker:
    ///     image: example/worker:3.4
    ///     security_opt:
    ///       - seccomp:./seccomp/worker.json
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.22 (do not disable the default seccomp profile)
    /// - trivy KSV104, kubesec SeccompUnconfined
    id: "RT017",
    name: "seccomp-unconfined",
    title: "Seccomp is turned off",
    severity: High,
    aliases: ["CIS-5.22", "KSV104", "AVD-KSV-0104", "SeccompUnconfined"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    if let Some(field) = &cx.spec.seccomp
        && field.value == Profile::Unconfined
    {
        let message = format!(
            "{} runs with seccomp `unconfined`: every system call reaches the kernel, including those used to escape containers",
            cx.spec.name
        );
        cx.report(&field.at, message);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::runtime::test_support::*;

    #[test]
    fn fires_on_unconfined_services_and_containers() {
        let compose = "services:\n  a:\n    image: a:1\n    security_opt:\n      - seccomp:unconfined\n  b:\n    image: b:1\n    security_opt: [\"seccomp=unconfined\"]\n";
        assert_eq!(lines(&RULE, compose), vec![5, 8]);
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    securityContext:\n      seccompProfile:\n        type: Unconfined\n";
        assert_eq!(lines(&RULE, pod), vec![11]);
        let annotated = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    seccomp.security.alpha.kubernetes.io/pod: unconfined\nspec:\n  containers:\n  - name: c\n    image: c:1\n";
        assert_eq!(lines(&RULE, annotated), vec![6]);
    }

    #[test]
    fn silent_with_a_profile() {
        assert_silent(
            &RULE,
            "services:\n  a:\n    image: a:1\n    security_opt: [\"seccomp:default\"]\n",
        );
        assert_silent(&RULE, "services:\n  a:\n    image: a:1\n");
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n  containers:\n  - name: c\n    image: c:1\n";
        assert_silent(&RULE, pod);
    }
}
