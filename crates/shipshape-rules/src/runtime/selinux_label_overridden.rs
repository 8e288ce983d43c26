use super::Checker;

rule! {
    /// ## What it does
    /// Flags a container whose SELinux label is switched off or replaced:
    /// compose `security_opt: ["label:disable"]`, `label:type:spc_t` or any
    /// type other than the container types (`container_t`,
    /// `container_init_t`, `container_kvm_t`), or a `label:user:` /
    /// `label:role:`; Kubernetes `seLinuxOptions` with such a `type`, or any
    /// `user` or `role`. Setting only the MCS `level` is fine.
    ///
    /// ## Why is this bad?
    /// On SELinux hosts (RHEL, Fedora, CentOS Stream) the `container_t`
    /// type is what keeps a container away from host files, other
    /// containers' files and the container runtime itself, even when it
    /// runs as root or a volume is mounted by mistake. `label:disable` or
    /// the `spc_t` ("super privileged container") type lifts all of that;
    /// another user or role can grant far more than a container should
    /// have.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   backup:
    ///     image: example/backup:2.0
    ///     security_opt:
    ///       - label:disable
    /// ```
    ///
    /// ## Use instead
    /// Keep the default label; to share files between containers, give
    /// them the same MCS level instead:
    /// ```yaml
    /// services:
    ///   backup:
    ///     image: example/backup:2.0
    ///     security_opt:
    ///       - label:level:s0:c100,c200
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.3 (verify SELinux security options are set)
    /// - trivy KSV025
    /// - Kubernetes Pod Security Standards, `baseline` level (SELinux)
    id: "RT020",
    name: "selinux-label-overridden",
    title: "SELinux label disabled or overridden",
    severity: Medium,
    aliases: ["CIS-5.3", "KSV025", "AVD-KSV-0025"],
    check: check,
}

/// SELinux types meant for containers.
const CONTAINER_TYPES: &[&str] = &["container_t", "container_init_t", "container_kvm_t"];

fn check(cx: &mut Checker<'_>) {
    let Some(field) = &cx.spec.selinux else {
        return;
    };
    let label = field.value.trim();
    let (key, value) = label.split_once(':').unwrap_or((label, ""));
    let problem = match key {
        "disable" => "turns SELinux labelling off (`disable`)".to_string(),
        "type" if !value.is_empty() && !CONTAINER_TYPES.contains(&value) => {
            format!("runs with SELinux type `{value}` instead of a container type")
        }
        "user" | "role" if !value.is_empty() => {
            format!("sets the SELinux {key} to `{value}`")
        }
        _ => return,
    };
    let message = format!(
        "{} {problem}: SELinux no longer keeps it away from host files and other containers",
        cx.spec.name
    );
    cx.report(&field.at, message);
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::runtime::test_support::*;

    #[test]
    fn fires_on_disabled_or_replaced_labels() {
        let compose = "services:\n  a:\n    image: a:1\n    security_opt: [\"label:disable\"]\n  b:\n    image: b:1\n    security_opt:\n      - label=type:spc_t\n  c:\n    image: c:1\n    security_opt:\n      - label:user:system_u\n";
        assert_eq!(lines(&RULE, compose), vec![4, 8, 12]);
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    securityContext:\n      seLinuxOptions:\n        type: spc_t\n";
        assert_eq!(lines(&RULE, pod), vec![11]);
        let role = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  securityContext:\n    seLinuxOptions:\n      role: sysadm_r\n  containers:\n  - name: c\n    image: c:1\n";
        assert_eq!(lines(&RULE, role), vec![8]);
    }

    #[test]
    fn silent_on_container_types_and_levels() {
        let compose = "services:\n  a:\n    image: a:1\n    security_opt:\n      - label:level:s0:c100,c200\n  b:\n    image: b:1\n    security_opt: [\"label:type:container_init_t\"]\n  c:\n    image: c:1\n";
        assert_silent(&RULE, compose);
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    securityContext:\n      seLinuxOptions:\n        type: container_t\n        level: \"s0:c123,c456\"\n";
        assert_silent(&RULE, pod);
    }
}
