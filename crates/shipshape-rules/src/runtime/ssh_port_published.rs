use super::Checker;
use shipshape_runtime::spec::Platform;

rule! {
    /// ## What it does
    /// Flags a container that exposes port 22: a compose `ports` entry whose
    /// container port is 22, a Kubernetes `containerPort: 22`. That is an
    /// SSH server running inside the container.
    ///
    /// ## Why is this bad?
    /// An SSH daemon in a container is one more network service with its
    /// own keys, passwords and vulnerabilities to manage, usually forgotten
    /// when the image is updated. It invites treating the container as a
    /// pet to log in to and patch by hand. `docker exec` and `kubectl exec`
    /// already give a shell, authenticated and audited by the platform.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   app:
    ///     image: example/app:2.3
    ///     ports:
    ///       - "2222:22"
    /// ```
    ///
    /// ## Use instead
    /// Drop the SSH server and open a shell when needed with
    /// `docker compose exec app sh`:
    /// ```yaml
    /// services:
    ///   app:
    ///     image: example/app:2.3
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.7 (do not run sshd within containers)
    id: "RT027",
    name: "ssh-port-published",
    title: "SSH port exposed by a container",
    severity: Medium,
    aliases: ["CIS-5.7"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    let spec = cx.spec;
    let exec = match spec.platform {
        Platform::Docker => "docker exec",
        Platform::Kubernetes => "kubectl exec",
    };
    for port in spec.ports.iter().filter(|p| p.container_port == Some(22)) {
        let message = format!(
            "{} exposes container port `22`, an SSH server in the container: one more service to secure; use `{exec}` for a shell",
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
    fn fires_on_container_port_22() {
        let compose = "services:\n  a:\n    image: a:1\n    ports:\n      - \"8080:80\"\n      - \"22:22\"\n      - target: 22\n        published: 2222\n";
        assert_eq!(lines(&RULE, compose), vec![6, 7]);
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    ports:\n    - name: ssh\n      containerPort: 22\n";
        assert_eq!(lines(&RULE, pod), vec![11]);
    }

    #[test]
    fn silent_on_other_ports() {
        assert_silent(
            &RULE,
            "services:\n  a:\n    image: a:1\n    ports:\n      - \"22:8022\"\n",
        );
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    ports:\n    - containerPort: 8022\n";
        assert_silent(&RULE, pod);
    }
}
