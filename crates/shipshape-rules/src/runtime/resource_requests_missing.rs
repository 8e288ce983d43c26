use super::Checker;
use shipshape_runtime::spec::Platform;

rule! {
    /// ## What it does
    /// Flags a Kubernetes container that requests no CPU or no memory:
    /// `resources.requests.cpu` or `resources.requests.memory` is missing
    /// and there is no limit for that resource either (Kubernetes uses a
    /// limit as the request when only the limit is written). Docker is not
    /// checked: compose reservations only matter to Swarm.
    ///
    /// ## Why is this bad?
    /// The scheduler places pods by their requests. A container that
    /// requests nothing is placed as if it needed nothing, so nodes get
    /// overcommitted; under pressure it is in the `BestEffort` (or low
    /// `Burstable`) class and is the first to be throttled or evicted. Its
    /// real needs also stay invisible to capacity planning and autoscaling.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    /// spec:
    ///   containers:
    ///   - name: api
    ///     image: example/api:1.8
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    /// spec:
    ///   containers:
    ///   - name: api
    ///     image: example/api:1.8
    ///     resources:
    ///       requests:
    ///         cpu: 250m
    ///         memory: 256Mi
    /// ```
    ///
    /// ## References
    /// - trivy KSV015 (CPU requests), KSV016 (memory requests)
    /// - kubesec RequestsCPU, RequestsMemory
    id: "RT024",
    name: "resource-requests-missing",
    title: "No CPU or memory request",
    severity: Low,
    aliases: [
        "KSV015",
        "KSV016",
        "AVD-KSV-0015",
        "AVD-KSV-0016",
        "RequestsCPU",
        "RequestsMemory",
    ],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    let spec = cx.spec;
    if spec.platform != Platform::Kubernetes {
        return;
    }
    // A limit without a request becomes the request.
    let cpu = spec.cpu_request.is_some() || spec.cpu_limit.is_some();
    let memory = spec.memory_request.is_some() || spec.memory_limit.is_some();
    let missing = match (cpu, memory) {
        (true, true) => return,
        (false, false) => "`resources.requests.cpu` or `resources.requests.memory`",
        (false, true) => "`resources.requests.cpu`",
        (true, false) => "`resources.requests.memory`",
    };
    let message = format!(
        "{} sets no {missing}: the scheduler reserves nothing for it, so nodes get overcommitted and it is among the first evicted",
        spec.name
    );
    cx.report_missing(message);
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::runtime::test_support::*;

    #[test]
    fn fires_without_requests() {
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n  - name: d\n    image: d:1\n    resources:\n      requests:\n        memory: 128Mi\n";
        assert_eq!(lines(&RULE, pod), vec![7, 9]);
        let found = findings(&RULE, pod);
        assert!(found[0].message.contains("`resources.requests.cpu` or"));
        assert!(found[1].message.contains("no `resources.requests.cpu`:"));
    }

    #[test]
    fn silent_with_requests_or_limits_and_on_docker() {
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    resources:\n      requests:\n        cpu: 250m\n        memory: 128Mi\n  - name: d\n    image: d:1\n    resources:\n      limits:\n        cpu: 500m\n        memory: 256Mi\n";
        assert_silent(&RULE, pod);
        assert_silent(&RULE, "services:\n  a:\n    image: a:1\n");
    }
}
