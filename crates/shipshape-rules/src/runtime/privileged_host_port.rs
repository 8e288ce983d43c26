use super::Checker;

rule! {
    /// ## What it does
    /// Flags a port published on a privileged host port, below 1024:
    /// compose `ports: ["80:80"]`, Kubernetes `hostPort: 80`.
    ///
    /// ## Why is this bad?
    /// Ports below 1024 are where the host's own well-known services live
    /// (SSH, DNS, HTTP, SMTP...). Mapping a container onto one can shadow or
    /// collide with a host service, and on hosts where the runtime binds
    /// them on the container's behalf it bypasses the rule that only root
    /// may listen there. Publish on a high port and let a load balancer or
    /// reverse proxy own the well-known one.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: example/web:4.2
    ///     ports:
    ///       - "80:8080"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: example/web:4.2
    ///     ports:
    ///       - "8080:8080"
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.8 (do not map privileged ports in containers)
    id: "RT025",
    name: "privileged-host-port",
    title: "Privileged host port published",
    severity: Low,
    aliases: ["CIS-5.8"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    let spec = cx.spec;
    for port in spec.ports.iter().filter(|p| p.published) {
        if let Some(host_port) = port.host_port.filter(|p| (1..1024).contains(p)) {
            let message = format!(
                "{} publishes privileged host port `{host_port}`: ports below 1024 belong to the host's well-known services",
                spec.name
            );
            cx.report(&port.at, message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::runtime::test_support::*;

    #[test]
    fn fires_on_low_host_ports() {
        let compose = "services:\n  a:\n    image: a:1\n    ports:\n      - \"80:80\"\n      - \"8443:443\"\n      - target: 53\n        published: 53\n        protocol: udp\n";
        assert_eq!(lines(&RULE, compose), vec![5, 7]);
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    ports:\n    - containerPort: 8080\n      hostPort: 80\n";
        assert_eq!(lines(&RULE, pod), vec![11]);
    }

    #[test]
    fn silent_on_high_or_unpublished_ports() {
        assert_silent(
            &RULE,
            "services:\n  a:\n    image: a:1\n    ports:\n      - \"8080:80\"\n      - \"443\"\n",
        );
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    ports:\n    - containerPort: 80\n";
        assert_silent(&RULE, pod);
    }
}
