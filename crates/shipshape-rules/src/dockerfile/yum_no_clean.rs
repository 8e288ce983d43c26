use super::Checker;
use shipshape_dockerfile::pkg;
use shipshape_dockerfile::shell::Cmd;

rule! {
    /// ## What it does
    /// Flags `yum install` (and `groupinstall`, `localinstall`) not followed
    /// in the same RUN by `yum clean all` or by removing `/var/cache/yum`.
    ///
    /// `dnf clean all` and removing `/var/cache/dnf` count too (on newer
    /// systems `yum` is dnf). A RUN whose `/var/cache/yum` or
    /// `/var/cache/dnf` is a cache or tmpfs mount keeps the cache out of the
    /// image and is not flagged.
    ///
    /// ## Why is this bad?
    /// `yum` keeps repository metadata and often the downloaded packages in
    /// `/var/cache/yum`, easily a hundred megabytes. Left in the layer they
    /// are shipped with every pull; removed in a later RUN they still take
    /// room in this one.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM centos:7
    /// RUN yum install -y httpd-2.4.6
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM centos:7
    /// RUN yum install -y httpd-2.4.6 && yum clean all
    /// ```
    ///
    /// ## Fix
    /// Safe: `--fix` ends the RUN with `&& yum clean all` when the install is
    /// its last command. Only the cache goes; yum fetches metadata again when a
    /// later RUN needs it.
    ///
    /// ## References
    /// - hadolint DL3032, trivy DS-0015
    id: "DF065",
    name: "yum-no-clean",
    title: "yum cache left in the image",
    severity: Low,
    aliases: ["DL3032", "DS015", "DS-0015", "AVD-DS-0015"],
    check: check,
}

const CACHES: &[&str] = &["/var/cache/yum", "/var/cache/dnf"];

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for (stage, inst, script) in model.runs() {
        if pkg::mount_covers(stage, inst, CACHES) {
            continue;
        }
        for cmd in script.find("yum") {
            let Some(sub) =
                pkg::rpm_subcommand(cmd).filter(|s| pkg::RPM_INSTALLS_ASKING.contains(s))
            else {
                continue;
            };
            if pkg::later(script, cmd, cleans) {
                continue;
            }
            let message = format!(
                "`yum {sub}` leaves its cache in the layer: end this RUN with `yum clean all`"
            );
            let fix = cx.append_fix(inst, script, "yum clean all");
            cx.report_fix(cmd.arg_span(sub), message, fix);
        }
    }
}

fn cleans(cmd: &Cmd) -> bool {
    let clean_all = cmd.is_any(&["yum", "dnf"])
        && pkg::rpm_subcommand(cmd) == Some("clean")
        && cmd
            .operands(pkg::RPM_VALUE_FLAGS)
            .iter()
            .any(|a| a.value == "all");
    clean_all || CACHES.iter().any(|dir| pkg::removes(cmd, dir))
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_without_a_clean() {
        assert_eq!(
            lines(&RULE, "FROM centos:7\nRUN yum install -y httpd\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM centos:7\nRUN yum clean all && yum install -y httpd\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM centos:7\nRUN yum install -y httpd && yum clean packages\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM centos:7\nRUN yum install -y httpd\nRUN yum clean all\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM centos:7\nONBUILD RUN yum install -y httpd\n"),
            vec![2]
        );
    }

    #[test]
    fn silent_with_a_clean_or_a_mount() {
        assert_silent(
            &RULE,
            "FROM centos:7\nRUN yum install -y httpd && yum clean all\n",
        );
        assert_silent(
            &RULE,
            "FROM centos:7\nRUN yum install -y httpd && yum -q clean all && echo ok\n",
        );
        assert_silent(
            &RULE,
            "FROM centos:7\nRUN yum install -y httpd && rm -rf /var/cache/yum/*\n",
        );
        assert_silent(
            &RULE,
            "FROM rockylinux:9\nRUN yum install -y httpd && dnf clean all\n",
        );
        assert_silent(
            &RULE,
            "FROM centos:7\nRUN --mount=type=cache,target=/var/cache/yum yum install -y httpd\n",
        );
        assert_silent(&RULE, "FROM centos:7\nRUN yum remove -y httpd\n");
    }
}
