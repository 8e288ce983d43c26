use super::Checker;

rule! {
    /// ## What it does
    /// Flags an image whose configuration exposes port 22
    /// (`config.ExposedPorts` holds `22/tcp`), the port of SSH servers.
    ///
    /// ## Why is this bad?
    /// An exposed 22 says the image expects to run an SSH server: another
    /// daemon to patch, passwords or keys baked into the image, and a way
    /// in that bypasses `docker exec` and its audit trail. `EXPOSE` also
    /// tells orchestrators and `docker run -P` to publish the port.
    ///
    /// ## Example
    /// ```json
    /// {"config": {"ExposedPorts": {"22/tcp": {}, "8080/tcp": {}}}}
    /// ```
    ///
    /// ## Use instead
    /// Remove the SSH server and the `EXPOSE 22`; use `docker exec` (or
    /// `kubectl exec`) to get a shell:
    /// ```json
    /// {"config": {"ExposedPorts": {"8080/tcp": {}}}}
    /// ```
    ///
    /// ## References
    /// - trivy DS-0004 (port 22 exposed), CIS Docker Benchmark 5.7
    /// - shipshape DF040 (the same check on a Dockerfile)
    id: "IM016",
    name: "image-ssh-port-exposed",
    title: "Image exposes SSH port 22",
    severity: Medium,
    aliases: ["DF040"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    let ssh: Vec<String> = cx
        .image
        .spec
        .exposed_ports
        .iter()
        .filter(|p| {
            let (port, proto) = p.split_once('/').unwrap_or((p.as_str(), "tcp"));
            port.trim() == "22" && proto.eq_ignore_ascii_case("tcp")
        })
        .cloned()
        .collect();
    for port in ssh {
        cx.report_config(
            "config.ExposedPorts",
            format!(
                "the image exposes `{port}`, the SSH port: remove the SSH server and its `EXPOSE`, and use `docker exec` for a shell"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::test_support::*;

    #[test]
    fn fires_on_port_22() {
        for ports in [
            r#"{"22/tcp": {}}"#,
            r#"{"8080/tcp": {}, "22/tcp": {}}"#,
            r#"{"22": {}}"#,
        ] {
            let json = format!(r#"{{"config": {{"ExposedPorts": {ports}}}}}"#);
            assert_eq!(findings(&RULE, &json).len(), 1, "{ports}");
        }
    }

    #[test]
    fn silent_on_other_ports() {
        for ports in [
            r#"{"2222/tcp": {}}"#,
            r#"{"22/udp": {}}"#,
            r#"{"8022/tcp": {}}"#,
            "{}",
        ] {
            assert_silent(
                &RULE,
                &format!(r#"{{"config": {{"ExposedPorts": {ports}}}}}"#),
            );
        }
        assert_silent(&RULE, "{}");
    }
}
