use super::Checker;
use shipshape_runtime::spec::Platform;

rule! {
    /// ## What it does
    /// Flags a Kubernetes container port with a `hostPort`: the port is
    /// opened on the node itself, outside the cluster's networking. Docker
    /// publishing is covered by the interface and privileged-port rules.
    ///
    /// ## Why is this bad?
    /// A `hostPort` makes the pod reachable on the node's address by anyone
    /// who can reach the node, around `Service`s, `NetworkPolicy`s and
    /// ingress controls that normally decide who may talk to it. It also
    /// ties the pod to nodes where that port is free, so two replicas cannot
    /// share a node and scheduling fails in surprising ways.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: example/web:4.2
    ///     ports:
    ///     - containerPort: 8080
    ///       hostPort: 8080
    /// ```
    ///
    /// ## Use instead
    /// Expose the pod through a `Service` (`NodePort` or `LoadBalancer` if
    /// it must be reached from outside):
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: example/web:4.2
    ///     ports:
    ///     - containerPort: 8080
    /// ```
    ///
    /// ## References
    /// - trivy KSV024
    /// - Kubernetes Pod Security Standards, `baseline` level (host ports)
    id: "RT028",
    name: "host-port",
    title: "Kubernetes hostPort used",
    severity: Medium,
    aliases: ["KSV024", "AVD-KSV-0024"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    let spec = cx.spec;
    if spec.platform != Platform::Kubernetes {
        return;
    }
    // `hostPort: 0` is the same as leaving it out.
    for port in spec
        .ports
        .iter()
        .filter(|p| p.published && p.host_port != Some(0))
    {
        let number = port
            .host_port
            .map_or_else(String::new, |n| format!(" `{n}`"));
        let message = format!(
            "{} opens host port{number} on the node: it is reachable around Services and NetworkPolicies",
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
    fn fires_on_host_ports() {
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    ports:\n    - containerPort: 80\n    - containerPort: 8080\n      hostPort: 8080\n";
        assert_eq!(lines(&RULE, pod), vec![12]);
    }

    #[test]
    fn silent_without_host_ports_and_on_docker() {
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    ports:\n    - containerPort: 8080\n    - containerPort: 9090\n      hostPort: 0\n";
        assert_silent(&RULE, pod);
        assert_silent(
            &RULE,
            "services:\n  a:\n    image: a:1\n    ports:\n      - \"8080:80\"\n",
        );
    }
}
