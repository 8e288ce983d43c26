use super::Checker;

rule! {
    /// ## What it does
    /// Flags a mount whose propagation is shared with the host: compose
    /// `shared` or `rshared` (`/src:/dst:rshared`, or
    /// `bind: {propagation: rshared}` in the long syntax), Kubernetes
    /// `mountPropagation: Bidirectional`.
    ///
    /// ## Why is this bad?
    /// With shared propagation, a mount made inside the container under
    /// that path appears on the host, and in every other container that
    /// shares it. A compromised container can then mount over host paths,
    /// hide files from host tools or plant a file system where host
    /// processes will read it; the isolation of the mount namespace is
    /// gone for that tree. Only storage drivers and similar node agents
    /// need it, and they should be reviewed as such.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   storage:
    ///     image: example/storage:1.0
    ///     volumes:
    ///       - /mnt/data:/data:rshared
    /// ```
    ///
    /// ## Use instead
    /// Keep the default private propagation, or `rslave` if the container
    /// must see mounts made on the host:
    /// ```yaml
    /// services:
    ///   storage:
    ///     image: example/storage:1.0
    ///     volumes:
    ///       - /mnt/data:/data:rslave
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.20 (do not set the mount propagation mode
    ///   to shared)
    id: "RT015",
    name: "mount-propagation-shared",
    title: "Mount propagation shared with the host",
    severity: Medium,
    aliases: ["CIS-5.20"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    for mount in &cx.spec.mounts {
        let Some(propagation) = &mount.propagation else {
            continue;
        };
        let shared = ["shared", "rshared", "bidirectional"]
            .iter()
            .any(|p| propagation.value.eq_ignore_ascii_case(p));
        if !shared {
            continue;
        }
        let path = mount.host_path.as_deref().unwrap_or(&mount.target);
        let message = format!(
            "{} mounts `{path}` with `{}` propagation: mounts made in the container appear on the host",
            cx.spec.name, propagation.value
        );
        cx.report(&propagation.at, message);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::runtime::test_support::*;

    #[test]
    fn fires_on_shared_propagation() {
        let compose = "services:\n  a:\n    image: a:1\n    volumes:\n      - /mnt/a:/a:ro,shared\n      - /mnt/b:/b\n      - type: bind\n        source: /mnt/c\n        target: /c\n        bind:\n          propagation: rshared\n";
        assert_eq!(lines(&RULE, compose), vec![5, 11]);
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    volumeMounts:\n    - name: data\n      mountPath: /data\n      mountPropagation: Bidirectional\n  volumes:\n  - name: data\n    hostPath:\n      path: /mnt/data\n";
        assert_eq!(lines(&RULE, pod), vec![12]);
    }

    #[test]
    fn silent_on_private_or_slave_propagation() {
        assert_silent(
            &RULE,
            "services:\n  a:\n    image: a:1\n    volumes:\n      - /mnt/a:/a:rslave\n      - /mnt/b:/b:ro\n",
        );
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    volumeMounts:\n    - name: data\n      mountPath: /data\n      mountPropagation: HostToContainer\n  volumes:\n  - name: data\n    hostPath:\n      path: /mnt/data\n";
        assert_silent(&RULE, pod);
    }
}
