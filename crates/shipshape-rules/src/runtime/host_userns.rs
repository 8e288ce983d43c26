use super::Checker;
use shipshape_runtime::spec::{Platform, RuntimeSpec};

rule! {
    /// ## What it does
    /// Flags a container that is explicitly kept in the host's user
    /// namespace: compose `userns_mode: host` (which opts a service out of
    /// the daemon's `userns-remap`), Kubernetes `hostUsers: true` written
    /// in the pod spec.
    ///
    /// ## Why is this bad?
    /// A user namespace maps root in the container to an unprivileged uid
    /// on the host, so that an escape, or a file written through a host
    /// mount, lands as a nobody instead of as root. Opting out undoes
    /// that protection where someone went to the trouble of setting it
    /// up: uid 0 in the container is uid 0 on the host again.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   builder:
    ///     image: example/builder:9
    ///     userns_mode: host
    /// ```
    ///
    /// ## Use instead
    /// Leave the service in the remapped user namespace:
    /// ```yaml
    /// services:
    ///   builder:
    ///     image: example/builder:9
    /// ```
    ///
    /// In Kubernetes, set `hostUsers: false` to run the pod in its own
    /// user namespace.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.31 (do not share the host's user
    ///   namespaces)
    id: "RT012",
    name: "host-userns",
    title: "Container shares the host's user namespace",
    severity: Medium,
    aliases: ["CIS-5.31", "HostUsers"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    if let Some(field) = RuntimeSpec::is_on(&cx.spec.host_userns) {
        let setting = match cx.spec.platform {
            Platform::Docker => cx.spec.say("`userns_mode: host`", "`--userns host`"),
            Platform::Kubernetes => "`hostUsers: true`",
        };
        let message = format!(
            "{} uses the host's user namespace ({setting}): root in the container is root on the host",
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
    fn fires_on_host_user_namespace() {
        assert_eq!(
            lines(
                &RULE,
                "services:\n  a:\n    image: a:1\n    userns_mode: host\n"
            ),
            vec![4]
        );
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostUsers: true\n  containers:\n  - name: c\n    image: c:1\n";
        assert_eq!(lines(&RULE, pod), vec![6]);
    }

    #[test]
    fn silent_without_host_user_namespace() {
        assert_silent(&RULE, "services:\n  a:\n    image: a:1\n");
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostUsers: false\n  containers:\n  - name: c\n    image: c:1\n";
        assert_silent(&RULE, pod);
        let unset = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n";
        assert_silent(&RULE, unset);
    }
}
