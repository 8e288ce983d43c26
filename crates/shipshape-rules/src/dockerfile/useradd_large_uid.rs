use super::{Checker, Repair};
use shipshape_dockerfile::shell::{Arg, Cmd};

rule! {
    /// ## What it does
    /// Flags `useradd -u <uid>` (or `--uid`) with a UID of more than five
    /// digits, unless `-l`/`--no-log-init` is given.
    ///
    /// ## Why is this bad?
    /// `useradd` records the new user in `/var/log/lastlog` and
    /// `/var/log/faillog`, which are indexed by UID. The files are sparse on
    /// disk, but image layers do not keep them sparse: a UID like `123456789`
    /// can add gigabytes of zeros to the image and make builds crawl.
    /// `--no-log-init` skips those records.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// RUN useradd -u 123456789 app
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// RUN useradd --no-log-init -u 123456789 app
    /// ```
    ///
    /// ## Fix
    /// Safe: `--fix` adds `--no-log-init`. The user is the same; only the
    /// sparse lastlog and faillog files are not filled.
    ///
    /// ## References
    /// - hadolint DL3046
    id: "DF085",
    name: "useradd-large-uid",
    title: "useradd with a large UID and without --no-log-init",
    severity: Medium,
    aliases: ["DL3046"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for (_, inst, script) in model.runs() {
        for cmd in script.find("useradd") {
            if cmd.has_any_flag(&["-l", "--no-log-init"]) {
                continue;
            }
            let Some((arg, uid)) = uid_arg(cmd) else {
                continue;
            };
            if uid.len() > 5 && uid.chars().all(|c| c.is_ascii_digit()) {
                let message = format!(
                    "`useradd -u {uid}` without `--no-log-init` fills /var/log/lastlog and faillog with zeros up to UID {uid}: add `--no-log-init`"
                );
                let fix = cx
                    .add_after_program(inst, cmd, "--no-log-init")
                    .map(|edit| Repair::safe("add --no-log-init", edit));
                cx.report_fix(arg.span, message, fix);
            }
        }
    }
}

/// The argument holding the UID and the UID: `-u 1000`, `-u1000`,
/// `--uid 1000`, `--uid=1000`, `-mu 1000`.
fn uid_arg(cmd: &Cmd) -> Option<(&Arg, &str)> {
    let mut args = cmd.args.iter();
    while let Some(arg) = args.next() {
        let v = arg.value.as_str();
        if v == "--" {
            return None;
        }
        if v == "--uid" {
            return args.next().map(|n| (n, n.value.as_str()));
        }
        if let Some(uid) = v.strip_prefix("--uid=") {
            return Some((arg, uid));
        }
        let Some(cluster) = v.strip_prefix('-').filter(|c| !c.starts_with('-')) else {
            continue;
        };
        // Flags before `u` in a cluster must take no value (`-m`, `-r`...).
        let Some(pos) = cluster.find('u') else {
            continue;
        };
        let before = cluster.get(..pos).unwrap_or("");
        if !before
            .chars()
            .all(|c| matches!(c, 'm' | 'M' | 'r' | 'N' | 'U' | 'o' | 'D'))
        {
            continue;
        }
        let rest = cluster.get(pos + 1..).unwrap_or("");
        if rest.is_empty() {
            return args.next().map(|n| (n, n.value.as_str()));
        }
        return Some((arg, rest));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_large_uids_without_no_log_init() {
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN useradd -u 123456 app\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN useradd --uid=1000000 app\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN useradd --uid 1000000 app\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN useradd -u1000000 app\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN useradd -mu 1000000 -s /bin/sh app\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN groupadd -g 1000000 app && \\\n  useradd -g app -u 1000000 app\n"
            ),
            vec![3]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nONBUILD RUN useradd -u 123456 app\n"),
            vec![2]
        );
    }

    #[test]
    fn silent_on_small_uids_or_with_no_log_init() {
        assert_silent(&RULE, "FROM debian:12\nRUN useradd -u 10001 app\n");
        assert_silent(&RULE, "FROM debian:12\nRUN useradd -l -u 123456 app\n");
        assert_silent(&RULE, "FROM debian:12\nRUN useradd -lm -u 123456 app\n");
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN useradd --no-log-init --uid=123456 app\n",
        );
        assert_silent(&RULE, "FROM debian:12\nRUN useradd -u \"${APP_UID}\" app\n");
        assert_silent(&RULE, "FROM debian:12\nRUN useradd -m app\n");
        assert_silent(&RULE, "FROM debian:12\nRUN adduser -u 123456 app\n");
        assert_silent(&RULE, "FROM debian:12\nRUN useradd -c user123456 app\n");
    }
}
