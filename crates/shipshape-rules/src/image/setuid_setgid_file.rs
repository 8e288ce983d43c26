use shipshape_core::Severity;

use super::Checker;
use super::file_support::{file_name, is_regular, parent};
use shipshape_image::files::Entry;

rule! {
    /// ## What it does
    /// Lists every regular file whose setuid or setgid bit takes effect when
    /// it is run: setuid on an executable file, setgid on a file that its
    /// group may execute (setgid without group execute is the old mandatory
    /// locking marker and grants nothing).
    ///
    /// The tools a Linux distribution ships setuid or setgid on purpose are
    /// reported at *Info*: owned by root, in `/bin`, `/sbin`, `/usr/bin`,
    /// `/usr/sbin` or an OpenSSH helper directory, and named `passwd`, `su`,
    /// `sudo`, `doas`, `mount`, `umount`, `chsh`, `chfn`, `newgrp`,
    /// `gpasswd`, `chage`, `expiry`, `unix_chkpwd`, `pam_timestamp_check`,
    /// `ping`, `ping6`, `ssh-keysign`, `wall`, `write`, `bsd-write` or
    /// `crontab`. Every other one is reported at *Medium* (the rule's
    /// severity), including polkit's `pkexec`: it does nothing without a
    /// polkit daemon, which containers do not run, and it was the PwnKit
    /// local root hole (CVE-2021-4034). `sudo` is expected here because
    /// IM107 already reports it.
    ///
    /// ## Why is this bad?
    /// A setuid program runs as its owner, usually root, whoever starts it;
    /// a setgid one runs with its group. Each is a way from an unprivileged
    /// process in the container to more privilege: one memory bug or
    /// careless option in it is a local root exploit, as sudo's Baron
    /// Samedit and pkexec's PwnKit were. A service running as a non-root
    /// user gains nothing from these files but the risk. An unexpected
    /// setuid file (an application binary, a copied shell) is either a
    /// mistake or a backdoor.
    ///
    /// ## Example
    /// ```text
    /// 4755 0:0 usr/local/bin/backup-helper
    /// ```
    ///
    /// ## Use instead
    /// Clear the bits in the build (`RUN find / -xdev -perm /6000 -type f
    /// -exec chmod a-s {} +`), or give a program the one capability it needs
    /// (`setcap cap_net_bind_service=+ep`) instead of root. At run time,
    /// `--security-opt no-new-privileges` makes the kernel ignore the bits:
    /// ```text
    /// 755 0:0 usr/local/bin/backup-helper
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.8, dockle CIS-DI-0008
    /// - shipshape IM107 (sudo installed)
    id: "IM101",
    name: "setuid-setgid-file",
    title: "Setuid or setgid file",
    severity: Medium,
    aliases: ["CIS-DI-0008", "CIS-4.8"],
    check: check,
}

/// Distribution tools that are setuid or setgid by design.
const EXPECTED: &[&str] = &[
    "passwd",
    "su",
    "sudo",
    "doas",
    "mount",
    "umount",
    "chsh",
    "chfn",
    "newgrp",
    "gpasswd",
    "chage",
    "expiry",
    "unix_chkpwd",
    "pam_timestamp_check",
    "ping",
    "ping6",
    "ssh-keysign",
    "ssh-agent",
    "wall",
    "write",
    "bsd-write",
    "crontab",
];

/// Where a distribution installs them.
const SYSTEM_DIRS: &[&str] = &[
    "bin",
    "sbin",
    "usr/bin",
    "usr/sbin",
    "usr/lib/openssh",
    "usr/libexec/openssh",
    "usr/lib/ssh",
];

/// Whether the kernel honours the setuid bit (the file is executable by
/// someone) and the setgid bit (its group may execute it).
fn effective_bits(mode: u32) -> (bool, bool) {
    let setuid = mode & 0o4000 != 0 && mode & 0o111 != 0;
    let setgid = mode & 0o2000 != 0 && mode & 0o010 != 0;
    (setuid, setgid)
}

fn expected(path: &str, entry: &Entry) -> bool {
    entry.uid == 0 && EXPECTED.contains(&file_name(path)) && SYSTEM_DIRS.contains(&parent(path))
}

fn check(cx: &mut Checker<'_>) {
    let mut found = Vec::new();
    for (path, entry) in cx.image.files.iter() {
        if !is_regular(entry) {
            continue;
        }
        let (setuid, setgid) = effective_bits(entry.mode);
        let what = match (setuid, setgid) {
            (true, true) => format!("setuid (uid {}) and setgid (gid {})", entry.uid, entry.gid),
            (true, false) => format!("setuid (uid {})", entry.uid),
            (false, true) => format!("setgid (gid {})", entry.gid),
            (false, false) => continue,
        };
        let mode = entry.mode;
        let (severity, message) = if expected(path, entry) {
            (
                Severity::Info,
                format!(
                    "/{path} is {what}, mode {mode:04o}: expected for a distribution's tools; remove if unused"
                ),
            )
        } else {
            let runs_as = if setuid {
                format!("runs as uid {} whoever starts it", entry.uid)
            } else {
                format!("runs with gid {} whoever starts it", entry.gid)
            };
            (
                Severity::Medium,
                format!(
                    "/{path} is {what}, mode {mode:04o}: it {runs_as}; clear the bit unless it is needed"
                ),
            )
        };
        found.push((severity, entry.layer, path.to_string(), message));
    }
    for (severity, layer, path, message) in found {
        cx.report_file_with_severity(severity, Some(layer), &path, None, message);
    }
}

#[cfg(test)]
mod tests {
    use shipshape_core::Severity::{Info, Medium};

    use super::super::file_support::testing::*;
    use super::RULE;
    use crate::image::test_support::{assert_silent, files, findings};
    use shipshape_image::files::{Entry, Kind};

    #[test]
    fn distribution_tools_are_info_others_medium() {
        let listing = "4755 0:0 usr/bin/passwd\n\
                       4755 0:0 bin/su\n\
                       2755 0:42 usr/bin/chage\n\
                       2755 0:42 usr/sbin/unix_chkpwd\n\
                       4755 0:0 usr/lib/openssh/ssh-keysign\n\
                       2755 0:5 usr/bin/wall\n\
                       4755 0:0 usr/bin/pkexec\n\
                       4755 0:0 usr/lib/dbus-1.0/dbus-daemon-launch-helper\n\
                       4755 0:0 app/passwd\n\
                       4755 1000:1000 usr/bin/su\n\
                       6755 0:0 usr/local/bin/tool\n\
                       4711 0:0 opt/x/run\n";
        assert_eq!(
            severities(&RULE, listing),
            [
                ("app/passwd".to_string(), Medium),
                ("bin/su".to_string(), Info),
                ("opt/x/run".to_string(), Medium),
                ("usr/bin/chage".to_string(), Info),
                ("usr/bin/passwd".to_string(), Info),
                ("usr/bin/pkexec".to_string(), Medium),
                ("usr/bin/su".to_string(), Medium),
                ("usr/bin/wall".to_string(), Info),
                (
                    "usr/lib/dbus-1.0/dbus-daemon-launch-helper".to_string(),
                    Medium
                ),
                ("usr/lib/openssh/ssh-keysign".to_string(), Info),
                ("usr/local/bin/tool".to_string(), Medium),
                ("usr/sbin/unix_chkpwd".to_string(), Info),
            ]
        );
    }

    #[test]
    fn messages_say_what_and_why() {
        let found = findings(
            &RULE,
            "6755 0:50 usr/local/bin/tool\n2755 0:42 usr/bin/chage\n",
        );
        assert_eq!(
            found[0].message,
            "/usr/bin/chage is setgid (gid 42), mode 2755: expected for a distribution's tools; remove if unused"
        );
        assert_eq!(
            found[1].message,
            "/usr/local/bin/tool is setuid (uid 0) and setgid (gid 50), mode 6755: it runs as uid 0 whoever starts it; clear the bit unless it is needed"
        );
        assert_eq!(found[1].rule.severity, Medium);
    }

    #[test]
    fn silent_on_bits_that_grant_nothing() {
        assert_silent(
            &RULE,
            "755 0:0 usr/bin/ls\n\
             4644 0:0 app/setuid-but-not-executable\n\
             2644 0:0 app/locking-marker\n\
             2705 0:0 app/setgid-without-group-exec\n\
             2775 0:1000 srv/shared/\n\
             1777 0:0 tmp/\n\
             777 0:0 usr/bin/sh -> /bin/busybox\n",
        );
    }

    #[test]
    fn hard_links_count_and_carry_their_layer() {
        let mut image = files("755 0:0 usr/bin/ls\n");
        image.files.insert(
            "usr/local/bin/newgrp".to_string(),
            Entry {
                kind: Kind::Hardlink("usr/bin/newgrp".to_string()),
                mode: 0o4755,
                uid: 0,
                gid: 0,
                size: 0,
                layer: 4,
                content: None,
                condensed: None,
                unread: None,
            },
        );
        let found = run(&RULE, &image);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Medium);
        assert_eq!(layer(&found[0]).as_deref(), Some("4"));
    }
}
