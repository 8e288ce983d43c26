use super::Checker;
use shipshape_runtime::spec::Platform;

rule! {
    /// ## What it does
    /// Flags a container whose processes may gain privileges they did not
    /// start with: compose without `security_opt: [no-new-privileges:true]`
    /// (or with `no-new-privileges:false`), Kubernetes without
    /// `securityContext.allowPrivilegeEscalation: false` (or with it set
    /// to `true`).
    ///
    /// ## Why is this bad?
    /// Unless the kernel's `no_new_privs` flag is set, running a setuid or
    /// setgid binary, or one with file capabilities, raises the privileges
    /// of the process that runs it. An attacker who lands in the container
    /// as an unprivileged user can then turn a setuid binary left in the
    /// image (`su`, `passwd`, `mount`, or one they manage to plant) into
    /// root inside the container, one step closer to the host. The flag
    /// costs nothing for applications that do not rely on setuid, which is
    /// nearly all of them.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: example/web:1.8
    ///     user: "1000"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: example/web:1.8
    ///     user: "1000"
    ///     security_opt:
    ///       - no-new-privileges:true
    /// ```
    ///
    /// In Kubernetes, set `allowPrivilegeEscalation: false` in each
    /// container's `securityContext`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.26 (restrict the container from acquiring
    ///   additional privileges)
    /// - trivy KSV001; kubesec AllowPrivilegeEscalation
    id: "RT005",
    name: "privilege-escalation-allowed",
    title: "Container processes can gain privileges",
    severity: Medium,
    aliases: ["CIS-5.26", "KSV001", "AVD-KSV-0001", "AllowPrivilegeEscalation"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    let name = &cx.spec.name;
    let docker = cx.spec.platform == Platform::Docker;
    let consequence = "setuid binaries can raise a process's privileges";
    match &cx.spec.no_new_privileges {
        Some(field) if field.value => {}
        Some(field) => {
            let setting = if docker {
                "`no-new-privileges:false`"
            } else {
                "`allowPrivilegeEscalation: true`"
            };
            let message = format!("{name} sets {setting}: {consequence}");
            cx.report(&field.at, message);
        }
        None => {
            let setting = if docker {
                cx.spec.say(
                    "`no-new-privileges:true` in `security_opt`",
                    "`--security-opt no-new-privileges`",
                )
            } else {
                "`allowPrivilegeEscalation: false`"
            };
            let message = format!("{name} does not set {setting}: {consequence}");
            cx.report_missing(message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::runtime::test_support::*;

    #[test]
    fn fires_when_escalation_is_allowed() {
        assert_eq!(lines(&RULE, "services:\n  a:\n    image: a:1\n"), vec![2]);
        let off =
            "services:\n  a:\n    image: a:1\n    security_opt:\n      - no-new-privileges:false\n";
        assert_eq!(lines(&RULE, off), vec![5]);
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n  - name: d\n    image: d:1\n    securityContext:\n      allowPrivilegeEscalation: true\n";
        assert_eq!(lines(&RULE, pod), vec![7, 12]);
        assert!(
            findings(&RULE, pod)[1]
                .message
                .contains("sets `allowPrivilegeEscalation: true`")
        );
    }

    #[test]
    fn silent_when_no_new_privileges_is_set() {
        assert_silent(
            &RULE,
            "services:\n  a:\n    image: a:1\n    security_opt: [\"no-new-privileges:true\"]\n",
        );
        assert_silent(
            &RULE,
            "services:\n  a:\n    image: a:1\n    security_opt: [no-new-privileges]\n",
        );
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    securityContext:\n      allowPrivilegeEscalation: false\n";
        assert_silent(&RULE, pod);
    }
}
