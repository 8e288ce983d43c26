use super::{Checker, Repair};
use shipshape_dockerfile::pkg;

rule! {
    /// ## What it does
    /// Flags `zypper install`, `remove`, `source-install` and `patch` (and
    /// their short forms `in`, `rm`, `si`) run without `-n`/
    /// `--non-interactive` or `-y`/`--no-confirm`.
    ///
    /// ## Why is this bad?
    /// A build has no terminal. When `zypper` asks whether to go on, the
    /// build waits on input that never comes or aborts, and fails.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM opensuse/leap:15.6
    /// RUN zypper install 'curl=8.6.0' && zypper clean --all
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM opensuse/leap:15.6
    /// RUN zypper --non-interactive install 'curl=8.6.0' && zypper clean --all
    /// ```
    ///
    /// ## Fix
    /// Safe: `--fix` adds the global `--non-interactive` after `zypper`.
    /// Without it the build stops at the prompt.
    ///
    /// ## References
    /// - hadolint DL3034
    id: "DF067",
    name: "zypper-no-yes",
    title: "zypper without non-interactive mode",
    severity: Medium,
    aliases: ["DL3034"],
    check: check,
}

const ASKING: &[&str] = &[
    "install",
    "in",
    "remove",
    "rm",
    "source-install",
    "si",
    "patch",
];

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for (_, inst, script) in model.runs() {
        for cmd in script.find("zypper") {
            let Some(sub) = pkg::zypper_subcommand(cmd).filter(|s| ASKING.contains(s)) else {
                continue;
            };
            if cmd.has_any_flag(&["-n", "--non-interactive", "-y", "--no-confirm"])
                || pkg::fed_by_yes(script, cmd)
            {
                continue;
            }
            let message = format!(
                "`zypper {sub}` will stop at its confirmation prompt: add `--non-interactive` (`-n`)"
            );
            // `-n` is a global option: it goes before the subcommand.
            let fix = cx
                .add_after_program(inst, cmd, "--non-interactive")
                .map(|edit| Repair::safe("add --non-interactive", edit));
            cx.report_fix(cmd.arg_span(sub), message, fix);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_without_non_interactive_mode() {
        assert_eq!(
            lines(&RULE, "FROM opensuse/leap:15.6\nRUN zypper install curl\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM opensuse/leap:15.6\nRUN zypper in curl && zypper rm vim\n"
            ),
            vec![2, 2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM opensuse/leap:15.6\nRUN zypper --root /x patch\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM opensuse/leap:15.6\nONBUILD RUN zypper si curl\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn silent_in_non_interactive_mode() {
        assert_silent(
            &RULE,
            "FROM opensuse/leap:15.6\nRUN zypper -n install curl\n",
        );
        assert_silent(
            &RULE,
            "FROM opensuse/leap:15.6\nRUN zypper --non-interactive in curl\n",
        );
        assert_silent(
            &RULE,
            "FROM opensuse/leap:15.6\nRUN zypper install -y curl && zypper rm --no-confirm vim\n",
        );
        assert_silent(
            &RULE,
            "FROM opensuse/leap:15.6\nRUN zypper refresh && zypper search curl\n",
        );
    }
}
