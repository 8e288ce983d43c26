use super::Checker;

rule! {
    /// ## What it does
    /// Flags each host device passed into a container with compose
    /// `devices` (`docker run --device`). Kubernetes has no such field;
    /// devices reach a pod through device plugins, or through a `hostPath`
    /// under `/dev`, which `sensitive-host-path-mounted` reports.
    ///
    /// ## Why is this bad?
    /// A device node is a direct line to a host driver, outside what the
    /// container's namespaces isolate. A raw disk (`/dev/sda`) lets the
    /// container read or rewrite the host's file systems under every
    /// permission check; `/dev/mem` or `/dev/kmsg` reach the kernel;
    /// `/dev/fuse` or `/dev/kvm` widen the kernel surface an exploit can
    /// use. Each device should be one the service cannot work without,
    /// passed with the narrowest permissions (`r` rather than `rwm`).
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   backup:
    ///     image: example/backup:1.4
    ///     devices:
    ///       - /dev/sda:/dev/sda
    /// ```
    ///
    /// ## Use instead
    /// Mount the file system on the host and bind only the directory the
    /// service needs:
    /// ```yaml
    /// services:
    ///   backup:
    ///     image: example/backup:1.4
    ///     volumes:
    ///       - /srv/data:/data:ro
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.18 (do not expose host devices directly to
    ///   containers)
    id: "RT016",
    name: "host-device",
    title: "Host device passed into the container",
    severity: Medium,
    aliases: ["CIS-5.18"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    for device in &cx.spec.devices {
        let host = device.value.split(':').next().unwrap_or(&device.value);
        let message = format!(
            "{} gets the host device `{host}`: direct access to a host driver, outside the container's isolation",
            cx.spec.name
        );
        cx.report(&device.at, message);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::runtime::test_support::*;

    #[test]
    fn fires_on_each_device() {
        let compose = "services:\n  a:\n    image: a:1\n    devices:\n      - /dev/fuse:/dev/fuse\n      - source: /dev/sda\n        target: /dev/xvda\n        permissions: r\n";
        assert_eq!(lines(&RULE, compose), vec![5, 6]);
        let found = findings(&RULE, compose);
        assert!(found[0].message.contains("device `/dev/fuse`:"));
        assert!(found[1].message.contains("device `/dev/sda`:"));
    }

    #[test]
    fn silent_without_devices() {
        assert_silent(&RULE, "services:\n  a:\n    image: a:1\n    devices: []\n");
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    resources:\n      limits:\n        nvidia.com/gpu: 1\n";
        assert_silent(&RULE, pod);
    }
}
