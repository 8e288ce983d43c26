use super::Checker;
use super::file_support::is_regular;

rule! {
    /// ## What it does
    /// Flags images that contain an SSH server: OpenSSH's `sshd`
    /// (`/usr/sbin/sshd`, `/sbin/sshd`) or Dropbear (`/usr/sbin/dropbear`,
    /// `/usr/bin/dropbear`), as a file.
    ///
    /// ## Why is this bad?
    /// A container runs one service and is reached through it; for a shell,
    /// `docker exec` and `kubectl exec` go through the runtime's API, which
    /// is authenticated, authorised and audited. An SSH server adds a
    /// second way in, with its own keys, passwords and patch cycle to
    /// manage, usually with host keys baked into the image (the same in
    /// every container) and often with `authorized_keys` or a root password
    /// to match. It also means a process manager to run it next to the
    /// real service.
    ///
    /// ## Example
    /// ```text
    /// 755 0:0 usr/sbin/sshd
    /// ```
    ///
    /// ## Use instead
    /// Leave the server out (`apt-get install openssh-client` if only the
    /// client is needed) and use `docker exec` or `kubectl exec`:
    /// ```text
    /// 755 0:0 usr/bin/ssh
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.7 (*Ensure sshd is not run within containers*)
    /// - shipshape IM103 (private keys, such as baked-in host keys)
    id: "IM108",
    name: "ssh-server-installed",
    title: "SSH server installed",
    severity: Medium,
    aliases: ["CIS-5.7"],
    check: check,
}

const PATHS: &[&str] = &[
    "sbin/sshd",
    "usr/bin/dropbear",
    "usr/sbin/dropbear",
    "usr/sbin/sshd",
];

fn check(cx: &mut Checker<'_>) {
    for path in PATHS {
        let Some(entry) = cx.image.files.get(path).filter(|e| is_regular(e)) else {
            continue;
        };
        let layer = entry.layer;
        let message = format!(
            "an SSH server is installed (/{path}): a second way into the container, with its own keys to manage; use `docker exec` or `kubectl exec`"
        );
        cx.report_file(Some(layer), path, None, message);
    }
}

#[cfg(test)]
mod tests {
    use super::super::file_support::testing::*;
    use super::RULE;
    use crate::rules::test_support::assert_silent;

    #[test]
    fn fires_on_sshd_and_dropbear() {
        assert_eq!(
            paths(
                &RULE,
                "755 0:0 usr/sbin/sshd\n755 0:0 usr/sbin/dropbear\n755 0:0 usr/bin/ssh\n"
            ),
            ["usr/sbin/dropbear", "usr/sbin/sshd"]
        );
    }

    #[test]
    fn silent_on_clients_configs_and_links() {
        assert_silent(
            &RULE,
            "755 0:0 usr/bin/ssh\n\
             755 0:0 usr/bin/dbclient\n\
             644 0:0 etc/ssh/sshd_config\n\
             777 0:0 usr/sbin/sshd -> /bin/false\n\
             755 0:0 usr/lib/openssh/sftp-server\n",
        );
    }
}
