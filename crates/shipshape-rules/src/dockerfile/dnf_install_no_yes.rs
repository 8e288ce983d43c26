use super::{Checker, Repair};
use shipshape_dockerfile::pkg;

rule! {
    /// ## What it does
    /// Flags `dnf` or `microdnf` `install`, `groupinstall` and
    /// `localinstall` without `-y`/`--assumeyes` (or `yes |` in front).
    ///
    /// ## Why is this bad?
    /// A build has no terminal. When `dnf` asks whether to go on, it reads
    /// end-of-input, takes it as "no" and aborts, and the build fails.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM fedora:40
    /// RUN dnf install httpd-2.4.62 && dnf clean all
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM fedora:40
    /// RUN dnf install -y httpd-2.4.62 && dnf clean all
    /// ```
    ///
    /// ## Fix
    /// Safe: `--fix` adds `-y`. Without it the build stops at the prompt and
    /// fails.
    ///
    /// ## References
    /// - hadolint DL3038
    id: "DF071",
    name: "dnf-install-no-yes",
    title: "dnf install without -y",
    severity: Medium,
    aliases: ["DL3038"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for (_, inst, script) in model.runs() {
        for cmd in script.iter().filter(|c| c.is_any(pkg::DNF_TOOLS)) {
            let Some(sub) =
                pkg::rpm_subcommand(cmd).filter(|s| pkg::RPM_INSTALLS_ASKING.contains(s))
            else {
                continue;
            };
            if cmd.has_any_flag(&["-y", "--assumeyes"]) || pkg::fed_by_yes(script, cmd) {
                continue;
            }
            let message = format!(
                "`{} {sub}` will stop at its confirmation prompt and fail: add `-y`",
                cmd.program()
            );
            let fix = cx
                .add_after_word(inst, cmd, sub, "-y")
                .map(|edit| Repair::safe("add -y", edit));
            cx.report_fix(cmd.arg_span(sub), message, fix);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_without_a_yes() {
        assert_eq!(
            lines(&RULE, "FROM fedora:40\nRUN dnf install httpd\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4\nRUN microdnf install httpd\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM fedora:40\nRUN dnf --setopt=tsflags=nodocs groupinstall 'Development Tools'\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM fedora:40\nONBUILD RUN dnf localinstall /tmp/x.rpm\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn silent_with_a_yes() {
        assert_silent(&RULE, "FROM fedora:40\nRUN dnf install -y httpd\n");
        assert_silent(&RULE, "FROM fedora:40\nRUN dnf -qy install httpd\n");
        assert_silent(
            &RULE,
            "FROM fedora:40\nRUN microdnf --assumeyes install httpd\n",
        );
        assert_silent(&RULE, "FROM fedora:40\nRUN yes | dnf install httpd\n");
        assert_silent(
            &RULE,
            "FROM fedora:40\nRUN dnf makecache && dnf clean all && yum install httpd\n",
        );
    }
}
