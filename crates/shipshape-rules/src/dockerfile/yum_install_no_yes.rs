use super::{Checker, Repair};
use shipshape_dockerfile::pkg;

rule! {
    /// ## What it does
    /// Flags `yum install`, `yum groupinstall` and `yum localinstall`
    /// without `-y`/`--assumeyes` (or `yes |` in front).
    ///
    /// ## Why is this bad?
    /// A build has no terminal. When `yum` asks whether to go on, it reads
    /// end-of-input, takes it as "no" and aborts, and the build fails.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM centos:7
    /// RUN yum install httpd-2.4.6 && yum clean all
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM centos:7
    /// RUN yum install -y httpd-2.4.6 && yum clean all
    /// ```
    ///
    /// ## Fix
    /// Safe: `--fix` adds `-y`. Without it the build stops at the prompt and
    /// fails.
    ///
    /// ## References
    /// - hadolint DL3030
    id: "DF064",
    name: "yum-install-no-yes",
    title: "yum install without -y",
    severity: Medium,
    aliases: ["DL3030"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for (_, inst, script) in model.runs() {
        for cmd in script.find("yum") {
            let Some(sub) =
                pkg::rpm_subcommand(cmd).filter(|s| pkg::RPM_INSTALLS_ASKING.contains(s))
            else {
                continue;
            };
            if cmd.has_any_flag(&["-y", "--assumeyes"]) || pkg::fed_by_yes(script, cmd) {
                continue;
            }
            let message =
                format!("`yum {sub}` will stop at its confirmation prompt and fail: add `-y`");
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
            lines(&RULE, "FROM centos:7\nRUN yum install httpd\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM centos:7\nRUN yum groupinstall 'Development Tools'\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM centos:7\nRUN yum --enablerepo=epel localinstall /tmp/x.rpm\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM centos:7\nONBUILD RUN yum install httpd\n"),
            vec![2]
        );
    }

    #[test]
    fn silent_with_a_yes() {
        assert_silent(&RULE, "FROM centos:7\nRUN yum install -y httpd\n");
        assert_silent(&RULE, "FROM centos:7\nRUN yum -qy install httpd\n");
        assert_silent(
            &RULE,
            "FROM centos:7\nRUN yum --assumeyes groupinstall 'Development Tools'\n",
        );
        assert_silent(&RULE, "FROM centos:7\nRUN yes | yum install httpd\n");
        assert_silent(
            &RULE,
            "FROM centos:7\nRUN yum clean all && yum makecache && dnf install httpd\n",
        );
    }
}
