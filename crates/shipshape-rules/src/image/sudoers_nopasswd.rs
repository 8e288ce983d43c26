use super::Checker;
use super::file_support::{contents, is_regular, numbered_lines};

rule! {
    /// ## What it does
    /// Reads `/etc/sudoers` and the files of `/etc/sudoers.d/` that sudo
    /// includes (it skips names containing a `.` or ending in `~`, and so
    /// does this rule), and reports every line, with its number, that
    /// grants commands with the `NOPASSWD:` tag, or that turns
    /// authentication off with `Defaults !authenticate`. Comments are
    /// skipped; `#1000` at the start of a line is a user ID, not a comment.
    ///
    /// ## Why is this bad?
    /// `NOPASSWD` lets the user run the listed commands as root (or the
    /// run-as user) without proving anything. In a container nobody types
    /// passwords, so the usual reason for this line is that sudo is there
    /// only to give the service user root on demand: then any code running
    /// as that user, such as an attacker who got in through the service,
    /// gets root with one `sudo`. Even a narrow command list is often
    /// enough, as many tools (editors, pagers, `find`, `tar`, package
    /// managers) can run a shell.
    ///
    /// ## Example
    /// ```text
    /// 440 0:0 etc/sudoers.d/app = app ALL=(ALL) NOPASSWD: ALL
    /// ```
    ///
    /// ## Use instead
    /// Do the work that needs root at build time, before `USER`, and leave
    /// sudo and its rules out of the image; keep only rules that ask for a
    /// password if sudo must stay:
    /// ```text
    /// 440 0:0 etc/sudoers = root ALL=(ALL:ALL) ALL\n%sudo ALL=(ALL:ALL) ALL\n@includedir /etc/sudoers.d
    /// ```
    ///
    /// ## References
    /// - `sudoers(5)`: tags `NOPASSWD` and `PASSWD`, `Defaults authenticate`, `@includedir`
    /// - shipshape IM107 (sudo installed)
    id: "IM110",
    name: "sudoers-nopasswd",
    title: "sudo without a password",
    severity: Medium,
    aliases: [],
    check: check,
}

/// Whether sudo reads this file: `etc/sudoers`, or a file directly in
/// `etc/sudoers.d` whose name has no `.` and does not end in `~`.
fn sudoers_file(path: &str) -> bool {
    path == "etc/sudoers"
        || path.strip_prefix("etc/sudoers.d/").is_some_and(|name| {
            !name.is_empty() && !name.contains(['/', '.']) && !name.ends_with('~')
        })
}

/// A line without its comment. `#` followed by a digit is a user or group
/// ID (`#1000`), not a comment.
fn strip_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'#' && !bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
            return line.get(..i).unwrap_or(line);
        }
    }
    line
}

/// Whether a line carries the `NOPASSWD:` tag (as a word, followed by a
/// colon).
fn has_nopasswd(line: &str) -> bool {
    line.match_indices("NOPASSWD").any(|(i, word)| {
        let before = line.get(..i).and_then(|b| b.chars().next_back());
        let after = line.get(i + word.len()..).unwrap_or("");
        !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            && after.trim_start().starts_with(':')
    })
}

/// Whether a `Defaults` line turns authentication off.
fn no_authentication(line: &str) -> bool {
    let mut words = line.split(|c: char| c.is_whitespace() || c == ',');
    words.next().is_some_and(|w| w.starts_with("Defaults")) && words.any(|w| w == "!authenticate")
}

fn check(cx: &mut Checker<'_>) {
    let files = &cx.image.files;
    let mut found = Vec::new();
    for (path, entry) in files.iter() {
        if !sudoers_file(path) || !is_regular(entry) {
            continue;
        }
        let Some(text) = contents(files, entry) else {
            continue;
        };
        let mut who = String::new();
        let mut continued = false;
        for (line, raw) in numbered_lines(text) {
            let code = strip_comment(&raw);
            let trimmed = code.trim();
            if !continued {
                who = trimmed.split_whitespace().next().unwrap_or("").to_string();
            }
            continued = trimmed.ends_with('\\');
            let message = if has_nopasswd(code) {
                let subject = match who.strip_prefix('%') {
                    Some(group) => format!("members of group `{group}`"),
                    None => format!("`{who}`"),
                };
                format!(
                    "/{path} lets {subject} run commands through sudo without a password (NOPASSWD): any process running as them can become root"
                )
            } else if no_authentication(code) {
                format!(
                    "/{path} turns sudo's authentication off (`!authenticate`): every sudo rule works without a password"
                )
            } else {
                continue;
            };
            found.push((entry.layer, path.to_string(), line, message));
        }
    }
    for (layer, path, line, message) in found {
        cx.report_file(Some(layer), &path, Some(line), message);
    }
}

#[cfg(test)]
mod tests {
    use super::super::file_support::testing::*;
    use super::{RULE, has_nopasswd, strip_comment};
    use crate::image::test_support::{assert_silent, findings};

    #[test]
    fn fires_on_each_nopasswd_line() {
        assert_eq!(
            places(
                &RULE,
                "440 0:0 etc/sudoers = # sudoers\\nroot ALL=(ALL:ALL) ALL\\n%wheel ALL=(ALL) NOPASSWD: ALL\\n@includedir /etc/sudoers.d\n\
                 440 0:0 etc/sudoers.d/app = app ALL=(root) NOPASSWD:/usr/bin/apt-get, /usr/bin/systemctl\\n#1000 ALL=(ALL) NOPASSWD : ALL\n\
                 440 0:0 etc/sudoers.d/ci = Defaults:ci !authenticate\\nci ALL=(ALL) ALL\n"
            ),
            [
                ("etc/sudoers".to_string(), Some(3)),
                ("etc/sudoers.d/app".to_string(), Some(1)),
                ("etc/sudoers.d/app".to_string(), Some(2)),
                ("etc/sudoers.d/ci".to_string(), Some(1)),
            ]
        );
    }

    #[test]
    fn messages_name_the_user_or_group() {
        let found = findings(
            &RULE,
            "440 0:0 etc/sudoers = %admin ALL=(ALL) \\\\\\n    NOPASSWD: ALL\\ndeploy ALL = NOPASSWD: /bin/systemctl restart app\n",
        );
        assert_eq!(found.len(), 2);
        assert_eq!(place(&found[0]), ("etc/sudoers".to_string(), Some(2)));
        assert!(
            found[0].message.contains("members of group `admin`"),
            "{}",
            found[0].message
        );
        assert!(
            found[1].message.contains("lets `deploy` run"),
            "{}",
            found[1].message
        );
    }

    #[test]
    fn silent_on_comments_ignored_files_and_look_alikes() {
        assert_silent(
            &RULE,
            "440 0:0 etc/sudoers = # %wheel ALL=(ALL) NOPASSWD: ALL\\nroot ALL=(ALL:ALL) ALL # not NOPASSWD: here\\nCmnd_Alias NOPASSWD_CMDS = /bin/ls\\nDefaults env_reset, authenticate\n\
             440 0:0 etc/sudoers.d/README = # Files in this directory are read by sudo.\\n# app ALL=(ALL) NOPASSWD: ALL\n\
             440 0:0 etc/sudoers.d/app.bak = app ALL=(ALL) NOPASSWD: ALL\n\
             440 0:0 etc/sudoers.d/app~ = app ALL=(ALL) NOPASSWD: ALL\n\
             440 0:0 etc/sudoers.d/old/app = app ALL=(ALL) NOPASSWD: ALL\n\
             644 0:0 usr/share/doc/sudo/examples/sudoers = app ALL=(ALL) NOPASSWD: ALL\n",
        );
    }

    #[test]
    fn helpers() {
        assert_eq!(
            strip_comment("#1000 ALL=(#0) ALL # x"),
            "#1000 ALL=(#0) ALL "
        );
        assert_eq!(strip_comment("## Comment"), "");
        assert!(has_nopasswd("a ALL=(ALL) NOPASSWD:ALL"));
        assert!(has_nopasswd("a ALL=(ALL) SETENV: NOPASSWD: ALL"));
        assert!(!has_nopasswd("Cmnd_Alias NOPASSWD_CMDS = /bin/ls"));
        assert!(!has_nopasswd("Cmnd_Alias X_NOPASSWD = /bin/ls"));
    }
}
