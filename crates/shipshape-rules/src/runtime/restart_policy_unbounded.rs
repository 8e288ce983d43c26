use super::Checker;
use shipshape_runtime::spec::Platform;

/// Retries the benchmark accepts for `on-failure`.
const MAX_RETRIES: u64 = 5;

rule! {
    /// ## What it does
    /// Flags a Docker restart policy that restarts without bound: compose
    /// `restart: always` or `unless-stopped`, `on-failure` with no retry
    /// limit or one above 5, and a `deploy.restart_policy` without a small
    /// `max_attempts`. `restart: "no"`, `on-failure:5` and no policy at all
    /// (Docker's default is `no`) are fine. Kubernetes is not checked: its
    /// restarts back off on their own.
    ///
    /// ## Why is this bad?
    /// A container that crashes on start, whether from a bad configuration
    /// or because an attacker keeps knocking it over, is restarted forever:
    /// each start burns CPU, fills logs and can hammer the databases and
    /// APIs it connects to, while the failure stays hidden behind a
    /// container that always looks recently started. A retry limit turns a
    /// crash loop into a stopped container someone will notice.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   consumer:
    ///     image: example/consumer:1.0
    ///     restart: always
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   consumer:
    ///     image: example/consumer:1.0
    ///     restart: on-failure:5
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.15 (set the `on-failure` restart policy to 5)
    id: "RT029",
    name: "restart-policy-unbounded",
    title: "Restart policy without a retry limit",
    severity: Low,
    aliases: ["CIS-5.15"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    if cx.spec.platform != Platform::Docker {
        return;
    }
    let Some(field) = &cx.spec.restart else {
        return;
    };
    let restart = &field.value;
    let restarts = matches!(
        restart.policy.as_str(),
        "always" | "unless-stopped" | "on-failure"
    );
    if !restarts || restart.max_retries.is_some_and(|n| n <= MAX_RETRIES) {
        return;
    }
    let limit = match restart.max_retries {
        Some(n) => format!("up to {n} times"),
        None => "without limit".to_string(),
    };
    let message = format!(
        "{} restarts {limit} (`{}`): a crash loop goes on hammering its dependencies instead of stopping; use `on-failure:{MAX_RETRIES}`",
        cx.spec.name, restart.policy
    );
    cx.report(&field.at, message);
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::runtime::test_support::*;

    #[test]
    fn fires_on_unbounded_restarts() {
        let compose = "services:\n  a:\n    image: a:1\n    restart: always\n  b:\n    image: b:1\n    restart: unless-stopped\n  c:\n    image: c:1\n    restart: on-failure\n  d:\n    image: d:1\n    restart: on-failure:10\n  e:\n    image: e:1\n    deploy:\n      restart_policy:\n        condition: any\n";
        assert_eq!(lines(&RULE, compose), vec![4, 7, 10, 13, 17]);
    }

    #[test]
    fn silent_on_bounded_or_no_restarts() {
        let compose = "services:\n  a:\n    image: a:1\n    restart: \"no\"\n  b:\n    image: b:1\n    restart: on-failure:5\n  c:\n    image: c:1\n  d:\n    image: d:1\n    deploy:\n      restart_policy:\n        condition: on-failure\n        max_attempts: 3\n";
        assert_silent(&RULE, compose);
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  restartPolicy: Always\n  containers:\n  - name: c\n    image: c:1\n";
        assert_silent(&RULE, pod);
    }
}
