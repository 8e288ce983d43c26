use super::Checker;

rule! {
    /// ## What it does
    /// Flags a running container with an SSH server among its processes
    /// (`sshd`, `dropbear`), as the Engine API lists them (`docker top`).
    ///
    /// ## Why is this bad?
    /// An SSH server is one more service to patch, one more set of keys
    /// and passwords to manage and leak, and a way in that bypasses the
    /// access control of the Docker API. `docker exec` already gives a
    /// shell, audited and without another daemon.
    ///
    /// ## Example
    /// A container whose processes include `sshd`:
    /// ```json
    /// {"Id": "9c1d", "Name": "/legacy", "Config": {"Image": "example/legacy:3"},
    ///  "HostConfig": {}, "Processes": ["/usr/sbin/sshd -D", "/app/server"]}
    /// ```
    ///
    /// ## Use instead
    /// Run only the service; use `docker exec -it legacy sh` to get in:
    /// ```json
    /// {"Id": "9c1d", "Name": "/legacy", "Config": {"Image": "example/legacy:3"},
    ///  "HostConfig": {}, "Processes": ["/app/server"]}
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.7 (do not run sshd within containers)
    id: "RT036",
    name: "ssh-server-running",
    title: "SSH server running in the container",
    severity: Medium,
    aliases: ["CIS-5.7"],
    check: check,
}

/// Program names of SSH servers.
const SERVERS: &[&str] = &["sshd", "dropbear"];

/// Interpreters whose first argument is the program that really runs.
const INTERPRETERS: &[&str] = &["sh", "ash", "bash", "dash", "python", "python3", "perl"];

/// The name of the program a command line runs: `sshd` for
/// `/usr/sbin/sshd -D`, `sshd: root@pts/0` or `/bin/sh /usr/sbin/sshd`.
fn program(command: &str) -> &str {
    fn base(word: &str) -> &str {
        let name = word.rsplit('/').next().unwrap_or(word);
        name.trim_end_matches(':')
    }
    let mut words = command.split_whitespace();
    let first = base(words.next().unwrap_or(""));
    if INTERPRETERS.contains(&first)
        && let Some(script) = words.find(|w| !w.starts_with('-'))
    {
        return base(script);
    }
    first
}

fn check(cx: &mut Checker<'_>) {
    let Some(processes) = &cx.spec.processes else {
        return;
    };
    for command in processes {
        if SERVERS.contains(&program(command)) {
            let message = format!(
                "{} runs an SSH server (`{}`): another daemon and set of keys to secure; use `docker exec` instead",
                cx.spec.name,
                command.trim()
            );
            cx.report_missing(message);
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::runtime::test_support::*;

    fn container(processes: &str) -> String {
        format!(
            r#"{{"Id": "1", "Name": "/c", "Config": {{}}, "HostConfig": {{}}, "Processes": {processes}}}"#
        )
    }

    #[test]
    fn fires_on_ssh_servers() {
        assert_eq!(
            findings(&RULE, &container(r#"["/usr/sbin/sshd -D"]"#)).len(),
            1
        );
        assert_eq!(
            findings(&RULE, &container(r#"["dropbear -F -E", "app"]"#)).len(),
            1
        );
        assert_eq!(
            findings(&RULE, &container(r#"["sshd: root@pts/0"]"#)).len(),
            1
        );
    }

    #[test]
    fn silent_without_one() {
        assert_silent(
            &RULE,
            &container(r#"["/app/server --ssh-port 22", "sshd-exporter"]"#),
        );
        assert_silent(&RULE, &container("null"));
        assert_silent(&RULE, &container(r#"["/bin/sh -c echo sshd"]"#));
        assert_silent(
            &RULE,
            "services:\n  a:\n    image: a:1\n    command: /usr/sbin/sshd -D\n",
        );
    }
}
