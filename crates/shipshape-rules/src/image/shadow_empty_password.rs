use super::Checker;
use super::file_support::{contents_of, numbered_lines};

rule! {
    /// ## What it does
    /// Flags accounts whose password field is empty: lines of `/etc/shadow`
    /// whose second field is empty, and lines of `/etc/passwd` whose second
    /// field is empty (the password is then taken from there, not from
    /// `/etc/shadow`). A locked field (`!`, `*`, `!!`, `!` followed by a
    /// hash) or `x` in `/etc/passwd` is fine. Comments and NIS `+`/`-`
    /// lines are skipped.
    ///
    /// ## Why is this bad?
    /// An empty password field means *no password*: `su`, `login` and any
    /// PAM service that allows it let anyone in as that user without asking
    /// for anything. For `root`, any process in the container that can run
    /// `su` becomes root. Alpine's images shipped exactly this for years
    /// (CVE-2019-5021): `root` with an empty password, so anyone who
    /// installed `shadow` or `linux-pam` got a password-less root. Accounts
    /// in images should be locked; containers need no passwords.
    ///
    /// ## Example
    /// ```text
    /// 640 0:42 etc/shadow = root::19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::
    /// ```
    ///
    /// ## Use instead
    /// Lock the account (`passwd -l root`, or `usermod -p '*' root`):
    /// ```text
    /// 640 0:42 etc/shadow = root:*:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::
    /// ```
    ///
    /// ## References
    /// - dockle DKL-LI-0001
    /// - CVE-2019-5021 (Alpine Linux images with an empty root password)
    /// - `shadow(5)`, `passwd(5)`
    id: "IM105",
    name: "shadow-empty-password",
    title: "Account with an empty password",
    severity: Critical,
    aliases: ["DKL-LI-0001"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    let mut found = Vec::new();
    for path in ["etc/passwd", "etc/shadow"] {
        let Some((entry, text)) = contents_of(&cx.image.files, path) else {
            continue;
        };
        for (line, text) in numbered_lines(text) {
            let t = text.trim();
            if t.is_empty() || t.starts_with('#') || t.starts_with('+') || t.starts_with('-') {
                continue;
            }
            let mut fields = t.split(':');
            let (Some(user), Some(password)) = (fields.next(), fields.next()) else {
                continue;
            };
            if password.is_empty() && !user.is_empty() {
                let message = format!(
                    "`{user}` has an empty password in /{path}: anyone can become `{user}` (with `su` or `login`) without a password; lock it with `passwd -l {user}`"
                );
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
    fn fires_on_empty_password_fields_with_their_lines() {
        assert_eq!(
            places(
                &RULE,
                "640 0:42 etc/shadow = # local\\nroot:!:19000::::::\\n\\napp::19000:0:99999:7:::\\nguest::::::::\n\
                 644 0:0 etc/passwd = root:x:0:0:root:/root:/bin/sh\\nops::0:0::/root:/bin/sh\n"
            ),
            [
                ("etc/passwd".to_string(), Some(2)),
                ("etc/shadow".to_string(), Some(4)),
                ("etc/shadow".to_string(), Some(5)),
            ]
        );
        let found = findings(&RULE, "640 0:42 etc/shadow = root:::0:::::\n");
        assert!(
            found[0]
                .message
                .starts_with("`root` has an empty password in /etc/shadow")
        );
    }

    #[test]
    fn silent_on_locked_and_hashed_accounts() {
        assert_silent(
            &RULE,
            "640 0:42 etc/shadow = root:*:19000:0:99999:7:::\\nbin:!:19000::::::\\nold:!!:19000::::::\\nlocked:!$6$salt$hash:19000::::::\\nme:$6$salt$hash:19000:0:99999:7:::\\n# x::\\n+::::::::\\nbroken\n\
             644 0:0 etc/passwd = root:x:0:0:root:/root:/bin/sh\\n+::::::\n\
             644 0:0 etc/gshadow = root:::\n\
             644 0:0 app/etc/shadow = root::0:::::\n",
        );
    }
}
