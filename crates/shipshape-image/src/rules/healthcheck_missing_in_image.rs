use super::Checker;

rule! {
    /// ## What it does
    /// Flags an image whose config has no health check
    /// (`config.Healthcheck` is not set) or turns off the one it inherited
    /// (`HEALTHCHECK NONE`).
    ///
    /// ## Why is this bad?
    /// Without a health check, Docker and Swarm only know whether the
    /// process is running, not whether it works: a server that deadlocks,
    /// loses its database or stops accepting connections keeps its
    /// container "up", keeps receiving traffic and is never restarted.
    /// A `HEALTHCHECK` in the image makes the container report `unhealthy`
    /// so the runtime, a load balancer or an operator can act.
    /// Kubernetes ignores it and uses its own probes; images meant only for
    /// Kubernetes, and images that run a job or a command line tool rather
    /// than a service, can ignore this rule.
    ///
    /// ## Example
    /// ```json
    /// {"config": {"Cmd": ["/app/server"], "ExposedPorts": {"8080/tcp": {}}}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"config": {"Cmd": ["/app/server"], "ExposedPorts": {"8080/tcp": {}},
    ///   "Healthcheck": {"Test": ["CMD", "/app/server", "healthcheck"], "Interval": 30000000000}}}
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.6, dockle CIS-DI-0006
    /// - shipshape DF097 (the same check on a Dockerfile, where `HEALTHCHECK NONE` passes as a visible choice)
    id: "IM004",
    name: "healthcheck-missing-in-image",
    title: "Image has no health check",
    severity: Low,
    aliases: ["CIS-DI-0006", "CIS-4.6", "DF097"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    let spec = &cx.image.spec;
    if spec.has_healthcheck() {
        return;
    }
    let message = if spec.healthcheck.is_some() {
        "the image turns its health check off (`HEALTHCHECK NONE`): its containers report running even when the service has stopped working"
    } else {
        "the image has no health check (`config.Healthcheck` is not set): its containers report running even when the service has stopped working; add a `HEALTHCHECK`"
    };
    cx.report_config("config.Healthcheck", message);
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::history::fields;
    use crate::rules::test_support::*;

    #[test]
    fn fires_without_a_health_check() {
        for json in [
            "{}",
            r#"{"config": {"Cmd": ["nginx"]}}"#,
            r#"{"config": {"Healthcheck": {"Test": ["NONE"]}}}"#,
            r#"{"config": {"Healthcheck": {"Test": []}}}"#,
            r#"{"config": {"Healthcheck": {"Interval": 1000}}}"#,
        ] {
            let found = findings(&RULE, json);
            assert_eq!(fields(&found), ["config.Healthcheck"], "{json}");
        }
        let found = findings(&RULE, r#"{"config": {"Healthcheck": {"Test": ["NONE"]}}}"#);
        assert!(found[0].message.contains("HEALTHCHECK NONE"));
    }

    #[test]
    fn silent_with_a_health_check() {
        assert_silent(
            &RULE,
            r#"{"config": {"Healthcheck": {"Test": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]}}}"#,
        );
        assert_silent(
            &RULE,
            r#"{"config": {"Healthcheck": {"Test": ["CMD", "/bin/healthcheck"]}}}"#,
        );
    }
}
