use super::Checker;
use shipshape_runtime::spec::Platform;

rule! {
    /// ## What it does
    /// Flags a container whose root file system is writable: compose
    /// without `read_only: true`, Kubernetes without
    /// `securityContext.readOnlyRootFilesystem: true`.
    ///
    /// ## Why is this bad?
    /// With a writable root file system, an attacker who gets code
    /// execution can replace the application's binaries and libraries,
    /// drop tools and implants, or edit configuration so the change
    /// survives until the container is recreated. A read-only root makes
    /// the image what actually runs, and forces the places the
    /// application writes to (`/tmp`, a cache, a data volume) to be
    /// declared, where they can be sized, reviewed and kept `noexec`.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: example/api:3.2
    /// ```
    ///
    /// ## Use instead
    /// Make the root read-only and mount writable space only where needed:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: example/api:3.2
    ///     read_only: true
    ///     tmpfs: [/tmp]
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.13 (mount the container's root file system
    ///   as read only)
    /// - trivy KSV014; kubesec ReadOnlyRootFilesystem
    id: "RT007",
    name: "root-filesystem-writable",
    title: "Container root file system is writable",
    severity: Low,
    aliases: ["CIS-5.13", "KSV014", "AVD-KSV-0014", "ReadOnlyRootFilesystem"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    let name = &cx.spec.name;
    let (on, off) = match cx.spec.platform {
        Platform::Docker => (
            cx.spec.say("`read_only: true`", "`--read-only`"),
            cx.spec.say("`read_only: false`", "no `--read-only`"),
        ),
        Platform::Kubernetes => (
            "`readOnlyRootFilesystem: true`",
            "`readOnlyRootFilesystem: false`",
        ),
    };
    let consequence = "an intruder can modify the application's files";
    match &cx.spec.read_only_root {
        Some(field) if field.value => {}
        Some(field) => {
            let message = format!("{name} sets {off}: {consequence}");
            cx.report(&field.at, message);
        }
        None => {
            let message = format!("{name} does not set {on}: {consequence}");
            cx.report_missing(message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::runtime::test_support::*;

    #[test]
    fn fires_when_the_root_is_writable() {
        assert_eq!(lines(&RULE, "services:\n  a:\n    image: a:1\n"), vec![2]);
        assert_eq!(
            lines(
                &RULE,
                "services:\n  a:\n    image: a:1\n    read_only: false\n"
            ),
            vec![4]
        );
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n  - name: d\n    image: d:1\n    securityContext:\n      readOnlyRootFilesystem: false\n";
        assert_eq!(lines(&RULE, pod), vec![7, 12]);
    }

    #[test]
    fn silent_when_the_root_is_read_only() {
        assert_silent(
            &RULE,
            "services:\n  a:\n    image: a:1\n    read_only: true\n",
        );
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    securityContext:\n      readOnlyRootFilesystem: true\n";
        assert_silent(&RULE, pod);
    }
}
