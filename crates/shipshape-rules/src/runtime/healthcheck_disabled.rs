use super::Checker;
use shipshape_runtime::spec::RuntimeSpec;

rule! {
    /// ## What it does
    /// Flags a compose service that switches its health check off:
    /// `healthcheck: {disable: true}` or `test: ["NONE"]`, which also
    /// cancels a `HEALTHCHECK` the image defines.
    ///
    /// ## Why is this bad?
    /// A health check is how Docker learns that a running process has
    /// stopped doing its job: hung on a lock, lost its database, serving
    /// errors. Without one the container shows as `running` while it is
    /// broken, `depends_on: condition: service_healthy` cannot wait for it,
    /// and Swarm keeps routing traffic to it. Switching off the check the
    /// image author wrote throws that signal away.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: example/api:1.8
    ///     healthcheck:
    ///       disable: true
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   api:
    ///     image: example/api:1.8
    ///     healthcheck:
    ///       test: ["CMD", "curl", "-fsS", "http://localhost:8080/health"]
    ///       interval: 30s
    ///       retries: 3
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.27 (check container health at runtime)
    id: "RT030",
    name: "healthcheck-disabled",
    title: "Health check disabled",
    severity: Low,
    aliases: ["CIS-5.27"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    if let Some(field) = RuntimeSpec::is_on(&cx.spec.healthcheck_disabled) {
        let message = format!(
            "{} disables its health check: it shows as running while broken, and neither `depends_on` nor Swarm can tell",
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
    fn fires_on_disabled_health_checks() {
        let compose = "services:\n  a:\n    image: a:1\n    healthcheck:\n      disable: true\n  b:\n    image: b:1\n    healthcheck:\n      test: [\"NONE\"]\n";
        assert_eq!(lines(&RULE, compose), vec![4, 8]);
    }

    #[test]
    fn silent_with_a_health_check_or_none_written() {
        let compose = "services:\n  a:\n    image: a:1\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n  b:\n    image: b:1\n    healthcheck:\n      disable: false\n  c:\n    image: c:1\n";
        assert_silent(&RULE, compose);
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n";
        assert_silent(&RULE, pod);
    }
}
