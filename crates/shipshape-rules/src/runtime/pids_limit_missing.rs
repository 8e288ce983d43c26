use super::Checker;
use shipshape_runtime::spec::Platform;

rule! {
    /// ## What it does
    /// Flags a Docker container with no process limit: no compose
    /// `pids_limit` or `deploy.resources.limits.pids`, or one of `0` or
    /// less, which means unlimited. Kubernetes is not checked: its process
    /// limit is set per node by the kubelet, not in the manifest.
    ///
    /// ## Why is this bad?
    /// Every process takes a slot in the host's process table. A fork bomb,
    /// or a service that spawns a child per request and never reaps them,
    /// fills that table and then nothing on the host can start a process:
    /// not your shell, not `sshd`, not the container runtime. A PID limit
    /// contains the damage to the one container.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   builder:
    ///     image: example/builder:7.1
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   builder:
    ///     image: example/builder:7.1
    ///     pids_limit: 200
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.29 (use the PIDs cgroup limit)
    id: "RT023",
    name: "pids-limit-missing",
    title: "No process (PID) limit",
    severity: Low,
    aliases: ["CIS-5.29"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    if cx.spec.platform != Platform::Docker {
        return;
    }
    match &cx.spec.pids_limit {
        None => {
            let message = format!(
                "{} has no process limit ({}): a fork bomb in it can leave the host unable to start processes",
                cx.spec.name,
                cx.spec.say("`pids_limit`", "`--pids-limit`")
            );
            cx.report_missing(message);
        }
        Some(field) if field.value <= 0 => {
            let message = format!(
                "{} sets its process limit to `{}`, which means unlimited: a fork bomb in it can leave the host unable to start processes",
                cx.spec.name, field.value
            );
            cx.report(&field.at, message);
        }
        Some(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::runtime::test_support::*;

    #[test]
    fn fires_without_a_limit_or_with_an_unlimited_one() {
        let compose = "services:\n  a:\n    image: a:1\n  b:\n    image: b:1\n    pids_limit: -1\n  c:\n    image: c:1\n    deploy:\n      resources:\n        limits:\n          pids: 0\n";
        assert_eq!(lines(&RULE, compose), vec![2, 6, 12]);
    }

    #[test]
    fn silent_with_a_limit_and_on_kubernetes() {
        assert_silent(
            &RULE,
            "services:\n  a:\n    image: a:1\n    pids_limit: 100\n",
        );
        assert_silent(
            &RULE,
            "services:\n  a:\n    image: a:1\n    deploy:\n      resources:\n        limits:\n          pids: 100\n",
        );
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n";
        assert_silent(&RULE, pod);
    }
}
