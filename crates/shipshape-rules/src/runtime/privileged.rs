use super::Checker;
use shipshape_runtime::spec::RuntimeSpec;

rule! {
    /// ## What it does
    /// Flags a container that runs privileged: compose `privileged: true`,
    /// Kubernetes `securityContext.privileged: true`, `docker run
    /// --privileged`.
    ///
    /// ## Why is this bad?
    /// A privileged container gets every capability, every host device,
    /// and no seccomp, AppArmor or SELinux confinement. Root in it is root
    /// on the host: it can mount the host's disks, load kernel modules and
    /// escape in a single command. A bug in the application becomes a
    /// compromise of the whole machine.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   monitor:
    ///     image: example/monitor:2.1
    ///     privileged: true
    /// ```
    ///
    /// ## Use instead
    /// Grant only the capability or device the service needs:
    /// ```yaml
    /// services:
    ///   monitor:
    ///     image: example/monitor:2.1
    ///     cap_add: [SYS_PTRACE]
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.5 (do not use privileged containers)
    /// - trivy KSV017, kubesec Privileged
    id: "RT001",
    name: "privileged",
    title: "Container runs privileged",
    severity: Critical,
    aliases: ["CIS-5.5", "KSV017", "AVD-KSV-0017", "Privileged"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    if let Some(field) = RuntimeSpec::is_on(&cx.spec.privileged) {
        let message = format!(
            "{} runs privileged: every capability, every host device, no confinement",
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
    fn fires_on_privileged_services_and_containers() {
        assert_eq!(
            lines(
                &RULE,
                "services:\n  a:\n    image: a:1\n    privileged: true\n"
            ),
            vec![4]
        );
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    securityContext:\n      privileged: true\n";
        assert_eq!(lines(&RULE, pod), vec![10]);
    }

    #[test]
    fn silent_when_not_privileged() {
        assert_silent(
            &RULE,
            "services:\n  a:\n    image: a:1\n    privileged: false\n",
        );
        assert_silent(&RULE, "services:\n  a:\n    image: a:1\n");
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    securityContext:\n      privileged: false\n";
        assert_silent(&RULE, pod);
    }
}
