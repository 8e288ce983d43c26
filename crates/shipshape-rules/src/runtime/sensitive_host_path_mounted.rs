use super::Checker;
use super::docker_socket_mounted::{clean_path, is_runtime_socket};

rule! {
    /// ## What it does
    /// Flags a host directory mounted into a container when it is one of
    /// the host's system directories: `/`, `/boot`, `/dev`, `/etc`,
    /// `/lib`, `/proc`, `/sys`, `/usr`, `/var/lib/docker`,
    /// `/var/lib/kubelet` or `/root`, read-only or not; or a path inside
    /// one of them mounted read-write. A read-only file from one of them,
    /// such as `/etc/localtime:/etc/localtime:ro`, is fine. Runtime
    /// sockets are reported by `docker-socket-mounted` instead.
    ///
    /// ## Why is this bad?
    /// These directories are the host's own state. Read-only, they still
    /// hand the container the host's password hashes and keys (`/etc`,
    /// `/root`), every other container's files and secrets
    /// (`/var/lib/docker`, `/var/lib/kubelet`), or the host's processes
    /// and kernel (`/proc`, `/sys`). Writable, they let the container
    /// change the host: add a user or a cron job in `/etc`, replace a
    /// binary in `/usr`, rewrite a kernel setting in `/sys`, which is an
    /// escape in all but name.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   agent:
    ///     image: example/agent:5.0
    ///     volumes:
    ///       - /etc:/host/etc:ro
    ///       - /var/lib/docker:/var/lib/docker
    /// ```
    ///
    /// ## Use instead
    /// Mount only the files the service needs, read-only:
    /// ```yaml
    /// services:
    ///   agent:
    ///     image: example/agent:5.0
    ///     volumes:
    ///       - /etc/localtime:/etc/localtime:ro
    ///       - /var/log/app:/logs:ro
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.6 (do not mount sensitive host system
    ///   directories on containers)
    /// - trivy KSV121; kubesec ProcMount
    id: "RT014",
    name: "sensitive-host-path-mounted",
    title: "Sensitive host directory mounted",
    severity: High,
    aliases: ["CIS-5.6", "KSV121", "AVD-KSV-0121", "ProcMount"],
    check: check,
}

/// The host's system directories, with what each exposes.
const SENSITIVE: &[(&str, &str)] = &[
    ("/", "the whole host file system"),
    ("/boot", "the host's kernel and boot loader"),
    ("/dev", "every host device"),
    ("/etc", "the host's configuration, users and keys"),
    ("/lib", "the host's libraries and kernel modules"),
    ("/proc", "the host's processes and kernel settings"),
    ("/sys", "the host's kernel and device settings"),
    ("/usr", "the host's programs and libraries"),
    (
        "/var/lib/docker",
        "every container's files and the runtime's state",
    ),
    (
        "/var/lib/kubelet",
        "the kubelet's state, other pods' secrets among it",
    ),
    ("/root", "root's home, its keys and credentials"),
];

fn check(cx: &mut Checker<'_>) {
    let name = &cx.spec.name;
    for mount in &cx.spec.mounts {
        let Some(host) = &mount.host_path else {
            continue;
        };
        if !host.starts_with('/') || is_runtime_socket(host) {
            continue;
        }
        let path = clean_path(host);
        let message = if let Some((_, what)) = SENSITIVE.iter().find(|(dir, _)| *dir == path) {
            let mode = if mount.read_only { "" } else { " read-write" };
            format!("{name} mounts the host's `{path}`{mode}: it exposes {what}")
        } else if !mount.read_only
            && let Some((dir, what)) = SENSITIVE
                .iter()
                .find(|(dir, _)| *dir != "/" && is_inside(&path, dir))
        {
            format!(
                "{name} mounts the host's `{path}` read-write, inside `{dir}` ({what}): writes there change the host"
            )
        } else {
            continue;
        };
        cx.report(&mount.at, message);
    }
}

/// Whether `path` is strictly inside the directory `dir`.
fn is_inside(path: &str, dir: &str) -> bool {
    path.strip_prefix(dir)
        .is_some_and(|rest| rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::runtime::test_support::*;

    #[test]
    fn fires_on_system_directories() {
        let compose = "services:\n  a:\n    image: a:1\n    volumes:\n      - /:/host:ro\n      - /etc/:/host/etc:ro\n      - /etc/ssl/certs:/certs\n      - /var/lib/docker/volumes:/v:rw\n      - /etc/localtime:/etc/localtime:ro\n      - /etcetera:/x\n";
        assert_eq!(lines(&RULE, compose), vec![5, 6, 7, 8]);
        let found = findings(&RULE, compose);
        assert!(found[1].message.contains("the host's `/etc`: it exposes"));
        assert!(found[2].message.contains("read-write, inside `/etc`"));
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    volumeMounts:\n    - name: proc\n      mountPath: /host/proc\n      readOnly: true\n  volumes:\n  - name: proc\n    hostPath:\n      path: /proc\n";
        assert_eq!(lines(&RULE, pod), vec![16]);
    }

    #[test]
    fn silent_on_read_only_files_and_other_paths() {
        assert_silent(
            &RULE,
            "services:\n  a:\n    image: a:1\n    volumes:\n      - /etc/localtime:/etc/localtime:ro\n      - type: bind\n        source: /usr/share/zoneinfo\n        target: /usr/share/zoneinfo\n        read_only: true\n      - /srv/app:/app\n      - /var/run/docker.sock:/var/run/docker.sock\n      - data:/etc\n",
        );
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    volumeMounts:\n    - name: tz\n      mountPath: /etc/localtime\n      readOnly: true\n  volumes:\n  - name: tz\n    hostPath:\n      path: /etc/localtime\n";
        assert_silent(&RULE, pod);
    }
}
