//! DF041, the Dockerfile rule about installing an SSH server, checked on
//! the files of an image or a root file system: OpenSSH's `sshd`
//! (`/usr/sbin/sshd`, `/sbin/sshd`) or Dropbear (`/usr/sbin/dropbear`,
//! `/usr/bin/dropbear`) as a file. IM108, the image rule that repeated it,
//! is an alias.

use crate::dockerfile::ssh_server_installed;

use super::file_support::is_regular;
use super::{Checker, Rule};

/// DF041 on the image's files.
pub static RULE: Rule = Rule {
    meta: ssh_server_installed::RULE.meta,
    check,
};

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
    use crate::image::test_support::assert_silent;

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
