use super::Checker;
use shipshape_runtime::spec::Profile;

rule! {
    /// ## What it does
    /// Flags a container that runs without an AppArmor profile: compose
    /// `security_opt: ["apparmor:unconfined"]`, `docker run --security-opt
    /// apparmor=unconfined`, Kubernetes `appArmorProfile.type: Unconfined`
    /// or the annotation
    /// `container.apparmor.security.beta.kubernetes.io/<container>: unconfined`.
    ///
    /// ## Why is this bad?
    /// On Ubuntu and Debian hosts AppArmor is a second wall around the
    /// container: the default profile denies writes to `/proc` and `/sys`
    /// files that control the host, mounting file systems, and access to
    /// the kernel's debugging interfaces. Several published container
    /// escapes were stopped by it alone. Switching it off removes that wall
    /// for a process that usually never needed the access.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   agent:
    ///     image: example/agent:5.0
    ///     security_opt:
    ///       - apparmor:unconfined
    /// ```
    ///
    /// ## Use instead
    /// Keep the default profile, or load a custom one that allows what the
    /// service really needs:
    /// ```yaml
    /// services:
    ///   agent:
    ///     image: example/agent:5.0
    ///     security_opt:
    ///       - apparmor:agent-profile
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.2 (verify an AppArmor profile is enabled)
    /// - trivy KSV002, kubesec ApparmorUnconfined
    id: "RT019",
    name: "apparmor-unconfined",
    title: "AppArmor is turned off",
    severity: Medium,
    aliases: ["CIS-5.2", "KSV002", "AVD-KSV-0002", "ApparmorUnconfined"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    if let Some(field) = &cx.spec.apparmor
        && field.value == Profile::Unconfined
    {
        let message = format!(
            "{} runs with AppArmor `unconfined`: nothing stops it writing host controls under `/proc` and `/sys` or mounting file systems",
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
    fn fires_on_unconfined_services_and_containers() {
        let compose = "services:\n  a:\n    image: a:1\n    security_opt:\n      - no-new-privileges:true\n      - apparmor:unconfined\n";
        assert_eq!(lines(&RULE, compose), vec![6]);
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    securityContext:\n      appArmorProfile:\n        type: Unconfined\n";
        assert_eq!(lines(&RULE, pod), vec![11]);
        let annotated = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    metadata:\n      annotations:\n        container.apparmor.security.beta.kubernetes.io/c: unconfined\n    spec:\n      containers:\n      - name: c\n        image: c:1\n      - name: other\n        image: o:1\n";
        assert_eq!(lines(&RULE, annotated), vec![9]);
    }

    #[test]
    fn silent_with_a_profile() {
        assert_silent(
            &RULE,
            "services:\n  a:\n    image: a:1\n    security_opt: [\"apparmor:docker-default\"]\n",
        );
        assert_silent(&RULE, "services:\n  a:\n    image: a:1\n");
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    securityContext:\n      appArmorProfile:\n        type: RuntimeDefault\n";
        assert_silent(&RULE, pod);
        let annotated = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/c: runtime/default\nspec:\n  containers:\n  - name: c\n    image: c:1\n";
        assert_silent(&RULE, annotated);
    }
}
