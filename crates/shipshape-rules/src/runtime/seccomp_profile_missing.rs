use super::Checker;
use shipshape_runtime::spec::Platform;

rule! {
    /// ## What it does
    /// Flags a Kubernetes container that asks for no seccomp profile: no
    /// `seccompProfile` in the container's or the pod's `securityContext`
    /// and no seccomp annotation. Docker is not checked: it applies its
    /// default profile unless told otherwise.
    ///
    /// ## Why is this bad?
    /// Unlike Docker, Kubernetes runs a container *unconfined* by default:
    /// every system call reaches the kernel, including the rarely needed
    /// ones that most kernel-bug escapes rely on. Only a kubelet started
    /// with the `SeccompDefault` feature turns the runtime's profile on for
    /// everything, and you cannot tell from the manifest whether the nodes
    /// it lands on do. Saying `RuntimeDefault` in the manifest makes the
    /// protection explicit and portable, and the Pod Security `restricted`
    /// level requires it.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: api
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///       - name: api
    ///         image: example/api:1.8
    /// ```
    ///
    /// ## Use instead
    /// Set the profile once for the whole pod:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: api
    /// spec:
    ///   template:
    ///     spec:
    ///       securityContext:
    ///         seccompProfile:
    ///           type: RuntimeDefault
    ///       containers:
    ///       - name: api
    ///         image: example/api:1.8
    /// ```
    ///
    /// ## References
    /// - trivy KSV030, kubesec SeccompAny
    /// - Kubernetes Pod Security Standards, `restricted` level (seccomp)
    id: "RT018",
    name: "seccomp-profile-missing",
    title: "No seccomp profile on Kubernetes",
    severity: Low,
    aliases: ["KSV030", "AVD-KSV-0030", "SeccompAny"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    if cx.spec.platform == Platform::Kubernetes && cx.spec.seccomp.is_none() {
        let message = format!(
            "{} sets no seccomp profile: Kubernetes runs it unconfined unless the kubelet's `SeccompDefault` is on; set `seccompProfile.type: RuntimeDefault`",
            cx.spec.name
        );
        cx.report_missing(message);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::runtime::test_support::*;

    #[test]
    fn fires_on_containers_without_a_profile() {
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n  - name: d\n    image: d:1\n";
        assert_eq!(lines(&RULE, pod), vec![7, 9]);
    }

    #[test]
    fn silent_with_a_profile_and_on_docker() {
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n  containers:\n  - name: c\n    image: c:1\n";
        assert_silent(&RULE, pod);
        let container = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    securityContext:\n      seccompProfile:\n        type: Localhost\n        localhostProfile: profiles/c.json\n";
        assert_silent(&RULE, container);
        assert_silent(&RULE, "services:\n  a:\n    image: a:1\n");
    }
}
