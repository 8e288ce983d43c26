use super::Checker;
use shipshape_runtime::spec::Platform;

rule! {
    /// ## What it does
    /// Flags a container with no CPU limit: no compose `cpus`, `cpu_quota`
    /// or `deploy.resources.limits.cpus`, no Kubernetes
    /// `resources.limits.cpu`.
    ///
    /// ## Why is this bad?
    /// A container without a CPU limit can use every core of the host. A
    /// busy loop, a crypto miner dropped in through a vulnerability, or just
    /// a heavy batch job then starves everything else on the machine,
    /// including health checks and the agents that would notice the
    /// problem. A limit keeps one container's bad day its own.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   worker:
    ///     image: example/worker:3.4
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   worker:
    ///     image: example/worker:3.4
    ///     cpus: "1.5"
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.12 (set container CPU priority appropriately)
    /// - trivy KSV011, kubesec LimitsCPU
    id: "RT022",
    name: "cpu-limit-missing",
    title: "No CPU limit",
    severity: Low,
    aliases: ["CIS-5.12", "KSV011", "AVD-KSV-0011", "LimitsCPU"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    if cx.spec.cpu_limit.is_some() {
        return;
    }
    let setting = match cx.spec.platform {
        Platform::Docker => cx
            .spec
            .say("`cpus` or `deploy.resources.limits.cpus`", "`--cpus`"),
        Platform::Kubernetes => "`resources.limits.cpu`",
    };
    let message = format!(
        "{} has no CPU limit ({setting}): it can take every core and starve the rest of the host",
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
        assert_eq!(lines(&RULE, compose), vec![5]);
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    resources:\n      limits:\n        memory: 256Mi\n";
        assert_eq!(lines(&RULE, pod), vec![7]);
    }

    #[test]
    fn silent_with_a_limit() {
        assert_silent(&RULE, "services:\n  a:\n    image: a:1\n    cpus: 2\n");
        assert_silent(
            &RULE,
            "services:\n  a:\n    image: a:1\n    deploy:\n      resources:\n        limits:\n          cpus: \"0.5\"\n",
        );
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    resources:\n      limits:\n        cpu: 500m\n";
        assert_silent(&RULE, pod);
    }
}
