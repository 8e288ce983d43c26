use super::Checker;
use shipshape_runtime::spec::Platform;

rule! {
    /// ## What it does
    /// Flags a container with no memory limit: no compose `mem_limit` or
    /// `deploy.resources.limits.memory`, no Kubernetes
    /// `resources.limits.memory`.
    ///
    /// ## Why is this bad?
    /// Without a limit a container may take all of the host's memory. A
    /// leak, a traffic spike or a deliberate denial of service then pushes
    /// the whole machine into swap or wakes the kernel's OOM killer, which
    /// may pick a neighbour, the container runtime or the kubelet instead of
    /// the culprit. With a limit, only the container that overreaches is
    /// killed and restarted.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: example/api:1.8
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   api:
    ///     image: example/api:1.8
    ///     deploy:
    ///       resources:
    ///         limits:
    ///           memory: 512M
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.11 (limit memory usage for containers)
    /// - trivy KSV018, kubesec LimitsMemory
    id: "RT021",
    name: "memory-limit-missing",
    title: "No memory limit",
    severity: Low,
    aliases: ["CIS-5.11", "KSV018", "AVD-KSV-0018", "LimitsMemory"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    if cx.spec.memory_limit.is_some() {
        return;
    }
    let setting = match cx.spec.platform {
        Platform::Docker => cx.spec.say(
            "`mem_limit` or `deploy.resources.limits.memory`",
            "`--memory`",
        ),
        Platform::Kubernetes => "`resources.limits.memory`",
    };
    let message = format!(
        "{} has no memory limit ({setting}): it can exhaust the host's memory and get its neighbours killed",
        cx.spec.name
    );
    cx.report_missing(message);
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::runtime::test_support::*;

    #[test]
    fn fires_without_a_limit() {
        let compose = "services:\n  a:\n    image: a:1\n    cpus: \"0.5\"\n  b:\n    image: b:1\n    mem_limit: 256m\n";
        assert_eq!(lines(&RULE, compose), vec![2]);
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    resources:\n      requests:\n        memory: 128Mi\n";
        assert_eq!(lines(&RULE, pod), vec![7]);
    }

    #[test]
    fn silent_with_a_limit() {
        assert_silent(
            &RULE,
            "services:\n  a:\n    image: a:1\n    mem_limit: 256m\n",
        );
        assert_silent(
            &RULE,
            "services:\n  a:\n    image: a:1\n    deploy:\n      resources:\n        limits:\n          memory: 256M\n",
        );
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    resources:\n      limits:\n        memory: 256Mi\n";
        assert_silent(&RULE, pod);
    }
}
