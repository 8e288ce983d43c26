use super::Checker;
use shipshape_dockerfile::shell::{Arg, Cmd};

rule! {
    /// ## What it does
    /// Flags a package manager installing a remote login server: an SSH
    /// server (`openssh-server`, Alpine's `openssh`, Debian's `ssh`
    /// metapackage, `dropbear`) or a telnet server (`telnetd`,
    /// `telnet-server`, `inetutils-telnetd`). It looks at `apt-get`/`apt
    /// install`, `apk add`, `yum`/`dnf`/`microdnf install` and
    /// `zypper install`.
    ///
    /// The same check runs on the files of an image or a root file system
    /// (`shipshape image`, `shipshape fs`): OpenSSH's `sshd` (`usr/sbin/sshd`,
    /// `sbin/sshd`) or Dropbear (`usr/sbin/dropbear`, `usr/bin/dropbear`)
    /// present as a file. IM108, its former image twin, is an alias.
    ///
    /// ## Why is this bad?
    /// A container should run one process, not a login service. An SSH or
    /// telnet daemon adds a network-facing service with its own keys,
    /// passwords and vulnerabilities, and host keys baked into the image are
    /// shared by every container started from it. Telnet sends credentials in
    /// clear text. To get a shell in a running container use `docker exec` or
    /// `kubectl exec`; to fetch private sources at build time use
    /// `RUN --mount=type=ssh`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// RUN apt-get update && apt-get install -y --no-install-recommends openssh-server
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// RUN apt-get update && apt-get install -y --no-install-recommends openssh-client
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.3 (no unnecessary packages) and 5.7 (no
    ///   sshd inside containers); trivy DS-0004 flags the related `EXPOSE 22`
    id: "DF041",
    name: "ssh-server-installed",
    title: "Remote login server installed",
    severity: Medium,
    aliases: ["IM108", "CIS-5.7"],
    check: check,
}

/// Packages that bring a login server with any package manager.
const SERVERS: &[&str] = &[
    "openssh-server",
    "openssh-server-pam",
    "dropbear",
    "dropbear-bin",
    "dropbear-run",
    "telnetd",
    "telnetd-ssl",
    "telnet-server",
    "inetutils-telnetd",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Manager {
    Apt,
    Apk,
    Rpm,
}

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for (_, _, script) in model.runs() {
        for cmd in script.iter() {
            let Some((manager, packages)) = installed(cmd) else {
                continue;
            };
            for arg in packages {
                let name = package_name(&arg.value, manager);
                if is_server(name, manager) {
                    let what = if name.contains("telnet") {
                        "a telnet server"
                    } else {
                        "an SSH server"
                    };
                    cx.report(
                        arg.span,
                        format!(
                            "`{}` installs {what}: do not run a login service in a container; use `docker exec` or `kubectl exec` to get a shell",
                            arg.value
                        ),
                    );
                }
            }
        }
    }
}

/// The packages `cmd` installs, if it is an install command.
fn installed(cmd: &Cmd) -> Option<(Manager, Vec<&Arg>)> {
    let (manager, verbs, takes_value): (Manager, &[&str], &[&str]) = match cmd.program() {
        "apt-get" | "apt" | "aptitude" => (
            Manager::Apt,
            &["install"],
            &["-o", "-t", "--target-release", "-c", "--config-file"],
        ),
        "apk" => (
            Manager::Apk,
            &["add"],
            &[
                "-t",
                "--virtual",
                "-X",
                "--repository",
                "-p",
                "--root",
                "--repositories-file",
                "--keys-dir",
                "--arch",
                "--cache-dir",
            ],
        ),
        "yum" | "dnf" | "microdnf" | "dnf5" => (
            Manager::Rpm,
            &["install"],
            &[
                "-c",
                "--config",
                "--installroot",
                "--releasever",
                "-x",
                "--exclude",
                "--enablerepo",
                "--disablerepo",
                "--repo",
                "--repoid",
                "--setopt",
                "-d",
                "--debuglevel",
                "-e",
                "--errorlevel",
            ],
        ),
        "zypper" => (
            Manager::Rpm,
            &["install", "in"],
            &[
                "-r",
                "--repo",
                "-t",
                "--type",
                "--from",
                "-R",
                "--root",
                "-D",
                "--reposd-dir",
                "-C",
                "--cache-dir",
                "--raw-cache-dir",
                "--solv-cache-dir",
                "--pkg-cache-dir",
                "-c",
                "--config",
            ],
        ),
        _ => return None,
    };
    let words = cmd.args_no_flags(takes_value);
    let (verb, packages) = words.split_first()?;
    verbs
        .contains(&verb.value.as_str())
        .then(|| (manager, packages.to_vec()))
}

/// The package name without version, release or architecture.
fn package_name(arg: &str, manager: Manager) -> &str {
    let name = arg.split(['=', '<', '>', '~']).next().unwrap_or(arg);
    match manager {
        Manager::Apt => {
            let name = name.split(':').next().unwrap_or(name);
            if name.starts_with('/') || name.starts_with('.') {
                name
            } else {
                name.split('/').next().unwrap_or(name)
            }
        }
        Manager::Apk => name,
        // `openssh-server-8.7p1-38.el9.x86_64`: cut at the first `-` before a digit.
        Manager::Rpm => {
            let cut = name
                .char_indices()
                .find(|&(i, c)| {
                    c == '-'
                        && name
                            .get(i + 1..)
                            .is_some_and(|r| r.starts_with(|d: char| d.is_ascii_digit()))
                })
                .map_or(name.len(), |(i, _)| i);
            name.get(..cut).unwrap_or(name)
        }
    }
}

fn is_server(name: &str, manager: Manager) -> bool {
    SERVERS.contains(&name)
        // Alpine's `openssh` pulls in the server; elsewhere it is client tools.
        || (manager == Manager::Apk && name == "openssh")
        // Debian's `ssh` metapackage depends on openssh-server.
        || (manager == Manager::Apt && name == "ssh")
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_ssh_and_telnet_servers() {
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN apt-get install -y openssh-server=1:9.2p1-2\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN apt install -y ssh\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN apt-get -y install \\\n  curl \\\n  telnetd\n"
            ),
            vec![4]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nRUN apk add --no-cache openssh\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20\nRUN apk add dropbear=2024.85-r0 openssh-server~9\n"
            ),
            vec![2, 2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM rockylinux:9\nRUN yum install -y openssh-server-8.7p1\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM rockylinux:9\nRUN dnf -y install telnet-server\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM rockylinux:9\nRUN microdnf install openssh-server\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM opensuse/leap:15.6\nRUN zypper -n in openssh-server\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN sudo apt-get install -y openssh-server:amd64\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nONBUILD RUN apt-get install -y openssh-server\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn silent_on_clients_and_other_commands() {
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN apt-get install -y openssh-client ssh-askpass telnet\n",
        );
        assert_silent(
            &RULE,
            "FROM rockylinux:9\nRUN yum install -y openssh openssh-clients\n",
        );
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nRUN apk add --no-cache openssh-client\n",
        );
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nRUN apk add -t .build-deps openssh-client\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN apt-get remove -y openssh-server\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN apt-get install -y -t bookworm-backports git\n",
        );
        assert_silent(&RULE, "FROM alpine:3.20\nRUN apk del openssh\n");
        assert_silent(&RULE, "FROM debian:12\nRUN echo openssh-server\n");
    }
}
