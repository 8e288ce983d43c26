use super::Checker;
use shipshape_runtime::spec::RuntimeSpec;

rule! {
    /// ## What it does
    /// Flags a compose service that shares the host's UTS namespace:
    /// `uts: host` (`docker run --uts=host`). Kubernetes has no separate
    /// setting; a pod with `hostNetwork: true` gets the host's UTS
    /// namespace along with its network, and `host-network` reports that.
    ///
    /// ## Why is this bad?
    /// The UTS namespace holds the host name and NIS domain name. Sharing
    /// the host's lets a container with `SYS_ADMIN` rename the host,
    /// which breaks logging, monitoring and anything that identifies the
    /// machine by name, and it tells every process in the container which
    /// machine it is on. It removes one more layer between the container
    /// and the host for no benefit to most applications.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   app:
    ///     image: example/app:4.1
    ///     uts: host
    /// ```
    ///
    /// ## Use instead
    /// Give the container its own host name if it needs a stable one:
    /// ```yaml
    /// services:
    ///   app:
    ///     image: example/app:4.1
    ///     hostname: app
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.21 (do not share the host's UTS namespace)
    id: "RT011",
    name: "host-uts",
    title: "Container shares the host's UTS namespace",
    severity: Medium,
    aliases: ["CIS-5.21"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    if let Some(field) = RuntimeSpec::is_on(&cx.spec.host_uts) {
        let message = format!(
            "{} shares the host's UTS namespace ({}): it can see, and with `SYS_ADMIN` change, the host name",
            cx.spec.workload,
            cx.spec.say("`uts: host`", "`--uts host`")
        );
        cx.report(&field.at, message);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::runtime::test_support::*;

    #[test]
    fn fires_on_host_uts() {
        assert_eq!(
            lines(&RULE, "services:\n  a:\n    image: a:1\n    uts: host\n"),
            vec![4]
        );
    }

    #[test]
    fn silent_without_host_uts() {
        assert_silent(&RULE, "services:\n  a:\n    image: a:1\n    uts: \"\"\n");
        assert_silent(&RULE, "services:\n  a:\n    image: a:1\n");
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n";
        assert_silent(&RULE, pod);
    }
}
