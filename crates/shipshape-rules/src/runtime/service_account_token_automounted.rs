use super::Checker;
use shipshape_runtime::spec::Platform;

rule! {
    /// ## What it does
    /// Flags a Kubernetes pod that does not turn off the automatic mount of
    /// its service account token: `automountServiceAccountToken` is missing
    /// from the pod spec or is `true`.
    ///
    /// ## Why is this bad?
    /// By default every pod gets a token for its service account at
    /// `/var/run/secrets/kubernetes.io/serviceaccount`. Most applications
    /// never talk to the Kubernetes API, but anyone who gets code running in
    /// the container (a remote code execution bug, a malicious dependency)
    /// picks up the token and can do whatever that account is allowed to:
    /// read Secrets, list pods, sometimes create workloads. Not mounting it
    /// takes that step away.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///       - name: web
    ///         image: example/web:4.2
    /// ```
    ///
    /// ## Use instead
    /// Turn it off in the pod (or on the service account) and mount a token
    /// only into the workloads that call the API:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   template:
    ///     spec:
    ///       automountServiceAccountToken: false
    ///       containers:
    ///       - name: web
    ///         image: example/web:4.2
    /// ```
    ///
    /// ## References
    /// - trivy KSV036, kubesec AutomountServiceAccountToken
    /// - CIS Kubernetes Benchmark 5.1.6 (mount service account tokens only where necessary)
    id: "RT034",
    name: "service-account-token-automounted",
    title: "Service account token mounted automatically",
    severity: Low,
    aliases: ["KSV036", "AVD-KSV-0036", "AutomountServiceAccountToken"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    if cx.spec.platform != Platform::Kubernetes {
        return;
    }
    let consequence =
        "code running in it can use the Kubernetes API with the pod's service account";
    match &cx.spec.automount_token {
        Some(field) if !field.value => {}
        Some(field) => {
            let message = format!(
                "{} mounts its service account token (`automountServiceAccountToken: true`): {consequence}",
                cx.spec.workload
            );
            cx.report(&field.at, message);
        }
        None => {
            let message = format!(
                "{} does not set `automountServiceAccountToken: false`: {consequence}",
                cx.spec.workload
            );
            cx.report_missing_in_workload(message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::runtime::test_support::*;

    #[test]
    fn fires_when_the_token_is_mounted() {
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n";
        assert_eq!(lines(&RULE, pod), vec![5]);
        let explicit = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  automountServiceAccountToken: true\n  containers:\n  - name: c\n    image: c:1\n  - name: d\n    image: d:1\n";
        assert_eq!(lines(&RULE, explicit), vec![6]);
        assert!(findings(&RULE, explicit)[0].message.starts_with("Pod `p` "));
    }

    #[test]
    fn silent_when_turned_off_and_on_docker() {
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  automountServiceAccountToken: false\n  containers:\n  - name: c\n    image: c:1\n";
        assert_silent(&RULE, pod);
        assert_silent(&RULE, "services:\n  a:\n    image: a:1\n");
    }
}
