use super::Checker;

rule! {
    /// ## What it does
    /// Flags a published port bound to every interface of the host: compose
    /// `ports: ["8080:80"]` or `["80"]` (no host address, or `0.0.0.0` /
    /// `::`), Kubernetes `hostPort` without `hostIP`.
    ///
    /// ## Why is this bad?
    /// Without a host address the port is open on every network the host is
    /// on: the public interface as well as the private one. Docker also
    /// writes its own firewall rules for published ports, ahead of `ufw` or
    /// `firewalld`, so a database meant for the local app can end up
    /// reachable from the internet without anyone noticing. Binding to the
    /// address that should serve it (often `127.0.0.1`) makes the exposure a
    /// decision.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16.4
    ///     ports:
    ///       - "5432:5432"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16.4
    ///     ports:
    ///       - "127.0.0.1:5432:5432"
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.14 (bind incoming container traffic to a specific host interface)
    id: "RT026",
    name: "port-bound-to-all-interfaces",
    title: "Port published on every host interface",
    severity: Low,
    aliases: ["CIS-5.14"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    let spec = cx.spec;
    for port in spec.ports.iter().filter(|p| p.published) {
        let everywhere = port
            .host_ip
            .as_deref()
            .is_none_or(|ip| matches!(ip, "0.0.0.0" | "::"));
        if !everywhere {
            continue;
        }
        let which = match (port.host_port, port.container_port) {
            (Some(host), _) => format!("host port `{host}`"),
            (None, Some(container)) => format!("container port `{container}`"),
            (None, None) => "a port".to_string(),
        };
        let message = format!(
            "{} publishes {which} on every host interface: it is reachable from every network the host is on",
            spec.name
        );
        cx.report(&port.at, message);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::runtime::test_support::*;

    #[test]
    fn fires_on_ports_without_a_host_address() {
        let compose = "services:\n  a:\n    image: a:1\n    ports:\n      - \"8080:80\"\n      - \"127.0.0.1:8081:81\"\n      - \"82\"\n      - \"0.0.0.0:8083:83\"\n      - target: 84\n        published: 8084\n";
        assert_eq!(lines(&RULE, compose), vec![5, 7, 8, 9]);
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    ports:\n    - containerPort: 8080\n      hostPort: 8080\n";
        assert_eq!(lines(&RULE, pod), vec![11]);
    }

    #[test]
    fn silent_on_bound_or_unpublished_ports() {
        let compose = "services:\n  a:\n    image: a:1\n    ports:\n      - \"127.0.0.1:8080:80\"\n      - \"[::1]:8081:81\"\n      - target: 82\n        published: 8082\n        host_ip: 10.0.0.5\n";
        assert_silent(&RULE, compose);
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    ports:\n    - containerPort: 80\n    - containerPort: 8080\n      hostPort: 8080\n      hostIP: 10.0.0.5\n";
        assert_silent(&RULE, pod);
    }
}
