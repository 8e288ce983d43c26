use super::Checker;

rule! {
    /// ## What it does
    /// Flags a mount of a container runtime's API socket from the host:
    /// `docker.sock`, `containerd.sock`, `crio.sock`, `podman.sock`
    /// wherever they live, or a directory that holds them (`/run`,
    /// `/var/run`, `/run/containerd`...). Compose bind mounts and
    /// Kubernetes `hostPath` volumes alike. Mounting it read-only
    /// (`:ro`, `readOnly: true`) does not make it safe: that only stops
    /// the socket file from being replaced, not API calls through it.
    ///
    /// ## Why is this bad?
    /// The socket is the runtime's full API, served as root. Whoever can
    /// write to it can start a new container that is privileged, uses the
    /// host's namespaces and mounts `/`, which is root on the host in one
    /// command. Any bug that gives an attacker code execution in the
    /// container (or a leaked dashboard, CI job or plugin running in it)
    /// becomes control of the host and of every container on it.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   ci-runner:
    ///     image: example/runner:16
    ///     volumes:
    ///       - /var/run/docker.sock:/var/run/docker.sock:ro
    /// ```
    ///
    /// ## Use instead
    /// Build images without a daemon (BuildKit rootless, kaniko, buildah),
    /// or put a filtering proxy that allows only the API calls the tool
    /// needs between it and the socket:
    /// ```yaml
    /// services:
    ///   ci-runner:
    ///     image: example/runner:16
    ///     environment:
    ///       DOCKER_HOST: tcp://socket-proxy:2375
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.32 (do not mount the Docker socket inside
    ///   containers)
    /// - trivy KSV006; kubesec DockerSock
    id: "RT013",
    name: "docker-socket-mounted",
    title: "Container runtime socket mounted",
    severity: Critical,
    aliases: ["CIS-5.32", "KSV006", "AVD-KSV-0006", "DockerSock"],
    check: check,
}

/// How the API sockets of container runtimes are named.
const SOCKETS: &[&str] = &[
    "docker.sock",
    "dockerd.sock",
    "dockershim.sock",
    "containerd.sock",
    "crio.sock",
    "podman.sock",
];

/// Directories that hold a runtime socket.
const SOCKET_DIRS: &[&str] = &[
    "/run",
    "/var/run",
    "/run/containerd",
    "/var/run/containerd",
    "/run/crio",
    "/var/run/crio",
    "/run/podman",
    "/var/run/podman",
];

/// An absolute host path with repeated and trailing slashes, `.` and `..`
/// resolved: `/var/run/` → `/var/run`. Other paths are returned as they
/// are, less trailing slashes.
pub(super) fn clean_path(path: &str) -> String {
    if !path.starts_with('/') {
        return path.trim_end_matches('/').to_string();
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    format!("/{}", parts.join("/"))
}

/// Whether a host path is a runtime socket or a directory holding one.
pub(super) fn is_runtime_socket(host_path: &str) -> bool {
    let path = clean_path(host_path);
    SOCKETS.iter().any(|s| path.ends_with(s)) || SOCKET_DIRS.contains(&path.as_str())
}

fn check(cx: &mut Checker<'_>) {
    for mount in &cx.spec.mounts {
        let Some(host) = &mount.host_path else {
            continue;
        };
        if !is_runtime_socket(host) {
            continue;
        }
        let path = clean_path(host);
        let what = if SOCKET_DIRS.contains(&path.as_str()) {
            format!("`{path}`, which holds the container runtime socket")
        } else {
            format!("the container runtime socket `{path}`")
        };
        let read_only = if mount.read_only {
            " (read-only does not stop API calls)"
        } else {
            ""
        };
        let message = format!(
            "{} mounts {what}{read_only}: it can start a privileged container and take over the host",
            cx.spec.name
        );
        cx.report(&mount.at, message);
    }
}

#[cfg(test)]
mod tests {
    use super::{RULE, clean_path, is_runtime_socket};
    use crate::runtime::test_support::*;

    #[test]
    fn socket_paths() {
        assert_eq!(
            clean_path("/var//run/./docker.sock/"),
            "/var/run/docker.sock"
        );
        assert_eq!(clean_path("/var/lib/../run/"), "/var/run");
        assert_eq!(clean_path("/"), "/");
        for path in [
            "/var/run/docker.sock",
            "/run/user/1000/docker.sock",
            "/run/containerd/containerd.sock",
            "/var/run/crio/crio.sock",
            "/run/podman/podman.sock",
            "/var/run/",
            "/run/containerd",
            "~/.docker/run/docker.sock",
        ] {
            assert!(is_runtime_socket(path), "{path}");
        }
        for path in [
            "/var/run/app",
            "/run/secrets",
            "/var/lib/docker",
            "/",
            "./data",
        ] {
            assert!(!is_runtime_socket(path), "{path}");
        }
    }

    #[test]
    fn fires_on_runtime_sockets() {
        let compose = "services:\n  a:\n    image: a:1\n    volumes:\n      - ./data:/data\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n      - type: bind\n        source: /run\n        target: /host/run\n";
        assert_eq!(lines(&RULE, compose), vec![6, 7]);
        let found = findings(&RULE, compose);
        assert!(
            found[0]
                .message
                .contains("read-only does not stop API calls")
        );
        assert!(found[1].message.contains("`/run`, which holds"));
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    volumeMounts:\n    - name: sock\n      mountPath: /run/containerd/containerd.sock\n      readOnly: true\n  volumes:\n  - name: sock\n    hostPath:\n      path: /run/containerd/containerd.sock\n      type: Socket\n";
        assert_eq!(lines(&RULE, pod), vec![16]);
    }

    #[test]
    fn silent_on_other_mounts() {
        assert_silent(
            &RULE,
            "services:\n  a:\n    image: a:1\n    volumes:\n      - data:/var/run/docker.sock\n      - /var/run/app:/var/run/app\n      - ./docker.sock.d:/etc/x\n",
        );
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    volumeMounts:\n    - name: logs\n      mountPath: /logs\n  volumes:\n  - name: logs\n    hostPath:\n      path: /var/log/app\n";
        assert_silent(&RULE, pod);
    }
}
