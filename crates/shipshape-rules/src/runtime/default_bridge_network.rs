use super::Checker;

rule! {
    /// ## What it does
    /// Flags a container attached to Docker's default `bridge` network
    /// (`docker0`): a live container's networks, or compose
    /// `network_mode: bridge`.
    ///
    /// ## Why is this bad?
    /// Every container on the default bridge can reach every other on any
    /// port unless the daemon runs with `icc: false`, and the default
    /// bridge has no name resolution to limit who talks to whom. A
    /// compromised container can probe all its neighbours.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: example/api:1.4
    ///     network_mode: bridge
    /// ```
    ///
    /// ## Use instead
    /// A user-defined network per application (compose creates one by
    /// default):
    /// ```yaml
    /// services:
    ///   api:
    ///     image: example/api:1.4
    ///     networks: [backend]
    /// networks:
    ///   backend: {}
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.30 (the default bridge docker0 is not used)
    id: "RT037",
    name: "default-bridge-network",
    title: "Container on the default bridge network",
    severity: Low,
    aliases: ["CIS-5.30"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    if let Some(network) = cx.spec.networks.iter().find(|n| n.value == "bridge") {
        let message = format!(
            "{} is on the default `bridge` network: every container there can reach it unless the daemon sets `icc: false`; use a network of its own",
            cx.spec.name
        );
        cx.report(&network.at, message);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::runtime::test_support::*;

    #[test]
    fn fires_on_the_default_bridge() {
        assert_eq!(
            lines(
                &RULE,
                "services:\n  a:\n    image: a:1\n    network_mode: bridge\n"
            ),
            vec![4]
        );
        let live = r#"{"Id": "1", "Name": "/c", "Config": {}, "HostConfig": {},
            "NetworkSettings": {"Networks": {"bridge": {}}}}"#;
        assert_eq!(findings(&RULE, live).len(), 1);
    }

    #[test]
    fn silent_on_other_networks() {
        assert_silent(
            &RULE,
            "services:\n  a:\n    image: a:1\n    networks: [backend]\nnetworks:\n  backend: {}\n",
        );
        let live = r#"{"Id": "1", "Name": "/c", "Config": {}, "HostConfig": {},
            "NetworkSettings": {"Networks": {"app_default": {}}}}"#;
        assert_silent(&RULE, live);
    }
}
