use std::collections::HashMap;

use super::Checker;
use super::file_support::{contents_of, numbered_lines};

rule! {
    /// ## What it does
    /// Checks `/etc/passwd` for a user name or UID used twice and
    /// `/etc/group` for a group name or GID used twice, and reports the
    /// later line, naming the earlier one. A user other than `root` with
    /// UID 0 is reported too: it is another root account. Comments and NIS
    /// `+`/`-` lines are skipped.
    ///
    /// ## Why is this bad?
    /// The kernel knows only numbers: two users with one UID are the same
    /// user to it, whatever their names. Files, processes and audit logs of
    /// one are the other's; a service account that shares a UID with
    /// another can read and kill its processes and change its files. A
    /// second UID 0 account (`toor`, `admin`) is a root login that reviews
    /// and `grep '^root:'` miss, a classic backdoor. A duplicated name makes
    /// lookups return whichever line comes first, so the account a tool
    /// changes may not be the one that logs in. Usually these come from
    /// `echo ... >> /etc/passwd` in a Dockerfile instead of `useradd`.
    ///
    /// ## Example
    /// ```text
    /// 644 0:0 etc/passwd = root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\nworker:x:1000:1000::/srv:/bin/sh
    /// ```
    ///
    /// ## Use instead
    /// Create accounts with `useradd`/`adduser` (`groupadd`/`addgroup`),
    /// which pick free IDs and refuse duplicates:
    /// ```text
    /// 644 0:0 etc/passwd = root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\nworker:x:1001:1001::/srv:/bin/sh
    /// ```
    ///
    /// ## References
    /// - dockle DKL-LI-0002
    /// - CIS Distribution Independent Linux Benchmark, *Ensure no duplicate UIDs/GIDs/user names/group names exist* and *Ensure root is the only UID 0 account*
    id: "IM106",
    name: "duplicate-user-or-group",
    title: "Duplicate user or group, or a second root account",
    severity: Medium,
    aliases: ["DKL-LI-0002"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    let mut found = Vec::new();
    for (path, kind, id_name) in [("etc/passwd", "user", "UID"), ("etc/group", "group", "GID")] {
        let Some((entry, text)) = contents_of(&cx.image.files, path) else {
            continue;
        };
        let mut names: HashMap<String, u32> = HashMap::new();
        let mut ids: HashMap<u64, (String, u32)> = HashMap::new();
        for (line, text) in numbered_lines(text) {
            let t = text.trim();
            if t.is_empty() || t.starts_with('#') || t.starts_with('+') || t.starts_with('-') {
                continue;
            }
            let fields: Vec<&str> = t.split(':').collect();
            let (Some(name), Some(id)) = (fields.first(), fields.get(2)) else {
                continue;
            };
            let name = name.trim();
            let id = id.trim().parse::<u64>().ok();
            let problem = if let Some(first) = names.get(name) {
                Some(format!(
                    "{kind} `{name}` is defined again in /{path} (first on line {first}): lookups use only one of them"
                ))
            } else if kind == "user" && id == Some(0) && name != "root" {
                Some(format!(
                    "`{name}` has UID 0 in /{path}: another root account, with all of root's powers under a name reviews miss"
                ))
            } else if let Some((other, first)) = id.and_then(|id| ids.get(&id)) {
                Some(format!(
                    "{kind} `{name}` has {id_name} {} like `{other}` (line {first}) in /{path}: to the kernel they are the same {kind}",
                    id.unwrap_or_default()
                ))
            } else {
                None
            };
            names.entry(name.to_string()).or_insert(line);
            if let Some(id) = id {
                ids.entry(id).or_insert((name.to_string(), line));
            }
            if let Some(message) = problem {
                found.push((entry.layer, path, line, message));
            }
        }
    }
    for (layer, path, line, message) in found {
        cx.report_file(Some(layer), path, Some(line), message);
    }
}

#[cfg(test)]
mod tests {
    use super::super::file_support::testing::*;
    use super::RULE;
    use crate::image::test_support::{assert_silent, findings};

    #[test]
    fn fires_on_the_later_duplicate() {
        assert_eq!(
            places(
                &RULE,
                "644 0:0 etc/passwd = root:x:0:0:root:/root:/bin/sh\\n# comment\\napp:x:1000:1000::/app:/bin/sh\\nworker:x:1000:1000::/srv:/bin/sh\\napp:x:1001:1001::/app:/bin/sh\n\
                 644 0:0 etc/group = root:x:0:\\napp:x:1000:\\nworker:x:1000:\\nroot:x:5:\n"
            ),
            [
                ("etc/passwd".to_string(), Some(4)),
                ("etc/passwd".to_string(), Some(5)),
                ("etc/group".to_string(), Some(3)),
                ("etc/group".to_string(), Some(4)),
            ]
        );
    }

    #[test]
    fn a_second_uid_0_is_another_root() {
        let found = findings(
            &RULE,
            "644 0:0 etc/passwd = root:x:0:0:root:/root:/bin/sh\\ntoor:x:0:0::/root:/bin/sh\n",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(place(&found[0]), ("etc/passwd".to_string(), Some(2)));
        assert!(found[0].message.contains("another root account"));
        // Even without a `root` line.
        let found = findings(&RULE, "644 0:0 etc/passwd = admin:x:0:0::/root:/bin/sh\n");
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn messages_name_the_first_line() {
        let found = findings(&RULE, "644 0:0 etc/group = www-data:x:33:\\nnginx:x:33:\n");
        assert_eq!(
            found[0].message,
            "group `nginx` has GID 33 like `www-data` (line 1) in /etc/group: to the kernel they are the same group"
        );
    }

    #[test]
    fn silent_on_unique_ids_and_shared_primary_groups() {
        assert_silent(
            &RULE,
            "644 0:0 etc/passwd = root:x:0:0:root:/root:/bin/sh\\ndaemon:x:1:1::/:/sbin/nologin\\napp:x:1000:100::/app:/bin/sh\\nweb:x:1001:100::/srv:/bin/sh\\n+::::::\\nbroken line\\nodd:x:notanumber:1::/:/bin/sh\\nodd2:x:notanumber:1::/:/bin/sh\n\
             644 0:0 etc/group = root:x:0:\\nusers:x:100:app,web\\nwheel:x:10:root\n\
             644 0:0 app/etc/passwd = a:x:0:0::/:/bin/sh\\nb:x:0:0::/:/bin/sh\n",
        );
    }
}
