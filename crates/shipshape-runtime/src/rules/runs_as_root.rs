use super::Checker;
use crate::spec::{Platform, RuntimeSpec};

rule! {
    /// ## What it does
    /// Flags a container that runs as root, or may: compose `user` unset
    /// or set to root (`root`, `0`, `0:0`, `root:root`, `0:1000`...);
    /// Kubernetes `runAsUser: 0`, or neither `runAsNonRoot: true` nor a
    /// non-zero `runAsUser` in the container's or the pod's
    /// `securityContext`. Without a user, the container runs as the
    /// image's `USER`, and that is root unless the image says otherwise.
    ///
    /// ## Why is this bad?
    /// Root in a container is the same uid 0 as root on the host, held
    /// back only by namespaces, dropped capabilities and the seccomp
    /// profile. Any gap in those (a writable host mount, an added
    /// capability, a kernel bug) is far more dangerous with uid 0 on the
    /// other side: files it writes on a host mount belong to root, and
    /// most escapes need root in the container to begin with. Running as
    /// an ordinary user removes that starting point.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   worker:
    ///     image: example/worker:2.0
    ///     user: root
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   worker:
    ///     image: example/worker:2.0
    ///     user: "10001:10001"
    /// ```
    ///
    /// In Kubernetes, set `runAsNonRoot: true` (and a `runAsUser` if the
    /// image has no numeric `USER`) in the `securityContext`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.1 (create a user for the container)
    /// - trivy KSV012, KSV105; kubesec RunAsNonRoot
    id: "RT006",
    name: "runs-as-root",
    title: "Container runs as root",
    severity: Medium,
    aliases: ["KSV012", "AVD-KSV-0012", "KSV105", "RunAsNonRoot"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    match cx.spec.platform {
        Platform::Docker => docker(cx),
        Platform::Kubernetes => kubernetes(cx),
    }
}

fn docker(cx: &mut Checker<'_>) {
    let name = &cx.spec.name;
    match &cx.spec.user {
        Some(user) if is_root(&user.value) => {
            let message = format!(
                "{name} runs as root ({}`{}`)",
                cx.spec.say("`user: ", "user "),
                user.value.trim()
            )
            .replace("``", "`");
            cx.report(&user.at, message);
        }
        Some(user) if !user.value.trim().is_empty() => {}
        _ => {
            let message = match cx.spec.source {
                // A container's user already merges its image's `USER`.
                crate::spec::Source::Container(_) => {
                    format!(
                        "{name} runs as root: neither its image (`USER`) nor `--user` sets a user"
                    )
                }
                crate::spec::Source::File(_) => format!(
                    "{name} sets no `user`: it runs as the image's user, root unless the image sets `USER`"
                ),
            };
            cx.report_missing(message);
        }
    }
}

fn kubernetes(cx: &mut Checker<'_>) {
    let spec = cx.spec;
    let name = &spec.name;
    if let Some(user) = &spec.user {
        let uid = user.value.trim().parse::<u64>().ok();
        if uid == Some(0) {
            cx.report(&user.at, format!("{name} runs as root (`runAsUser: 0`)"));
            return;
        }
        if uid.is_some() {
            return;
        }
    }
    if RuntimeSpec::is_on(&spec.run_as_non_root).is_some() {
        return;
    }
    let consequence = "it runs as the image's user, root unless the image sets `USER`";
    match &spec.run_as_non_root {
        Some(field) => {
            let message = format!(
                "{name} sets `runAsNonRoot: false` and no non-zero `runAsUser`: {consequence}"
            );
            cx.report(&field.at, message);
        }
        None => {
            let message = format!(
                "{name} sets neither `runAsNonRoot: true` nor a non-zero `runAsUser`: {consequence}"
            );
            cx.report_missing(message);
        }
    }
}

/// Whether a Docker `user` (`name`, `uid`, `user:group`) is root.
fn is_root(user: &str) -> bool {
    let who = user.split(':').next().unwrap_or(user).trim();
    who == "root" || who.parse::<u64>() == Ok(0)
}

#[cfg(test)]
mod tests {
    use super::{RULE, is_root};
    use crate::rules::test_support::*;

    #[test]
    fn root_users() {
        for user in ["0", "root", "0:0", "root:root", "0:1000", "00"] {
            assert!(is_root(user), "{user}");
        }
        for user in ["1000", "1000:0", "app", "rooter", "10001:10001"] {
            assert!(!is_root(user), "{user}");
        }
    }

    #[test]
    fn fires_on_root_or_unset_compose_user() {
        assert_eq!(
            lines(
                &RULE,
                "services:\n  a:\n    image: a:1\n    user: \"0:0\"\n"
            ),
            vec![4]
        );
        assert_eq!(lines(&RULE, "services:\n  a:\n    image: a:1\n"), vec![2]);
    }

    #[test]
    fn fires_on_root_or_unconstrained_kubernetes_user() {
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  securityContext:\n    runAsUser: 0\n  containers:\n  - name: c\n    image: c:1\n";
        assert_eq!(lines(&RULE, pod), vec![7]);
        let unset = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n  - name: d\n    image: d:1\n    securityContext:\n      runAsNonRoot: false\n";
        assert_eq!(lines(&RULE, unset), vec![7, 12]);
    }

    #[test]
    fn silent_for_non_root_users() {
        assert_silent(
            &RULE,
            "services:\n  a:\n    image: a:1\n    user: \"1000:1000\"\n",
        );
        assert_silent(&RULE, "services:\n  a:\n    image: a:1\n    user: app\n");
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  securityContext:\n    runAsNonRoot: true\n  containers:\n  - name: c\n    image: c:1\n  - name: d\n    image: d:1\n    securityContext:\n      runAsUser: 1000\n";
        assert_silent(&RULE, pod);
    }
}
