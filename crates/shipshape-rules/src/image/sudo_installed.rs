use super::Checker;
use super::file_support::is_regular;

rule! {
    /// ## What it does
    /// Flags images that contain `sudo` or `doas` as a file: `/usr/bin/sudo`,
    /// `/bin/sudo`, `/usr/bin/doas` or `/bin/doas`. (A symbolic link at one
    /// of these paths is not reported; the file it points to is.)
    ///
    /// ## Why is this bad?
    /// `sudo` exists to let a user become root. In a container that means a
    /// non-root `USER` is only as strong as the sudoers policy: one
    /// `NOPASSWD` rule, a writable script in an allowed command, or a bug
    /// in the setuid `sudo` binary itself (Baron Samedit, CVE-2021-3156,
    /// was root for any local user) and the process is root. Nothing in a
    /// running container should need to change user; the build steps that
    /// need root run as root before `USER`. `sudo` in a Dockerfile also
    /// behaves differently from an interactive shell (no TTY, `env_reset`),
    /// which makes builds fragile.
    ///
    /// ## Example
    /// ```text
    /// 4755 0:0 usr/bin/sudo
    /// 440 0:0 etc/sudoers = root ALL=(ALL:ALL) ALL
    /// ```
    ///
    /// ## Use instead
    /// Do the privileged steps before `USER` and leave `sudo` out; use
    /// `gosu` or `su-exec` in an entrypoint that must drop from root to a
    /// user at start:
    /// ```text
    /// 755 0:0 usr/local/bin/gosu
    /// ```
    ///
    /// ## References
    /// - dockle DKL-DI-0001
    /// - CVE-2021-3156 (sudo heap overflow, Baron Samedit)
    /// - shipshape IM110 (NOPASSWD in sudoers), IM101 (setuid files)
    id: "IM107",
    name: "sudo-installed",
    title: "sudo installed",
    severity: Medium,
    aliases: ["DKL-DI-0001"],
    check: check,
}

const PATHS: &[&str] = &["bin/doas", "bin/sudo", "usr/bin/doas", "usr/bin/sudo"];

fn check(cx: &mut Checker<'_>) {
    for path in PATHS {
        let Some(entry) = cx.image.files.get(path).filter(|e| is_regular(e)) else {
            continue;
        };
        let tool = path.rsplit('/').next().unwrap_or(path);
        let layer = entry.layer;
        let message = format!(
            "`{tool}` is installed (/{path}): it lets a process in the container become root; do root's work before `USER` and leave it out"
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
    fn fires_on_sudo_and_doas_files() {
        assert_eq!(
            paths(
                &RULE,
                "4755 0:0 usr/bin/sudo\n4755 0:0 bin/sudo\n4755 0:0 usr/bin/doas\n644 0:0 etc/sudoers\n"
            ),
            ["bin/sudo", "usr/bin/doas", "usr/bin/sudo"]
        );
    }

    #[test]
    fn silent_without_the_binary() {
        assert_silent(
            &RULE,
            "777 0:0 usr/bin/sudo -> /usr/local/bin/fake\n\
             755 0:0 usr/bin/sudo.d/\n\
             644 0:0 etc/sudoers = root ALL=(ALL) ALL\n\
             755 0:0 usr/local/bin/gosu\n\
             755 0:0 usr/sbin/sudo_logsrvd\n\
             755 0:0 usr/bin/sudoreplay\n",
        );
    }
}
