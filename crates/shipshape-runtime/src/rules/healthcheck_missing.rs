use super::Checker;

rule! {
    /// ## What it does
    /// Flags a container known to have no health check: neither its image
    /// nor its settings define one. Only a live or inspected container is
    /// known for sure; a compose service may inherit one from its image,
    /// so it is not flagged here (see `healthcheck-disabled`).
    ///
    /// ## Why is this bad?
    /// Without a health check Docker only knows whether the main process
    /// runs, not whether it serves. A hung or broken service keeps its
    /// `running` status, restart policies never act, and orchestration
    /// routes traffic to it.
    ///
    /// ## Example
    /// A container as `docker inspect` shows it:
    /// ```json
    /// {"Id": "4f2a", "Name": "/api", "Config": {"Image": "example/api:1.4"},
    ///  "HostConfig": {}}
    /// ```
    ///
    /// ## Use instead
    /// Define a `HEALTHCHECK` in the image, or `--health-cmd` /
    /// compose `healthcheck:` when running it:
    /// ```json
    /// {"Id": "4f2a", "Name": "/api",
    ///  "Config": {"Image": "example/api:1.4",
    ///             "Healthcheck": {"Test": ["CMD", "/app/healthcheck"]}},
    ///  "HostConfig": {}}
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.27 (container health is checked at runtime)
    id: "RT035",
    name: "healthcheck-missing",
    title: "Container has no health check",
    severity: Low,
    aliases: ["CIS-5.27"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    let spec = cx.spec;
    // A health check turned off is `healthcheck-disabled`'s to report.
    if spec.healthcheck_disabled.as_ref().is_some_and(|f| f.value) {
        return;
    }
    if let Some(field) = spec.has_healthcheck.as_ref().filter(|f| !f.value) {
        let message = format!(
            "{} has no health check (none in its image or its settings): Docker cannot tell a hung service from a working one",
            spec.name
        );
        cx.report(&field.at, message);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::inspect;
    use crate::rules::check;
    use crate::rules::test_support::assert_silent;

    fn container(healthcheck: &str) -> Vec<String> {
        let json = format!(
            r#"{{"Id": "abc", "Name": "/web", "Config": {{"Image": "web:1"{healthcheck}}}, "HostConfig": {{}}}}"#
        );
        let specs = inspect::read_file(&json).expect("inspect");
        check(&specs, &[&RULE])
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn fires_on_containers_without_a_health_check() {
        let found = container("");
        assert_eq!(found.len(), 1);
        assert!(found[0].contains("has no health check"), "{found:?}");
    }

    #[test]
    fn silent_with_a_health_check_turned_off_or_unknown() {
        assert!(container(r#", "Healthcheck": {"Test": ["CMD", "true"]}"#).is_empty());
        // Turned off: healthcheck-disabled reports it.
        assert!(container(r#", "Healthcheck": {"Test": ["NONE"]}"#).is_empty());
        // A compose service may inherit its image's health check.
        assert_silent(&RULE, "services:\n  a:\n    image: a:1\n");
    }
}
