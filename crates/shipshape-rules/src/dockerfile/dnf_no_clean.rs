use super::Checker;
use shipshape_dockerfile::pkg;
use shipshape_dockerfile::shell::Cmd;

rule! {
    /// ## What it does
    /// Flags a `dnf` or `microdnf` install, reinstall or upgrade not
    /// followed in the same RUN by `dnf clean all` (`microdnf clean all`)
    /// or by removing the cache directory (`/var/cache/dnf`,
    /// `/var/cache/yum`, `/var/cache/libdnf5`).
    ///
    /// A RUN whose cache directory is a cache or tmpfs mount keeps the cache
    /// out of the image and is not flagged.
    ///
    /// ## Why is this bad?
    /// `dnf` keeps repository metadata, often over a hundred megabytes, and
    /// downloaded packages in its cache. Left in the layer they are shipped
    /// with every pull; removed in a later RUN they still take room in this
    /// one.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM fedora:40
    /// RUN dnf install -y httpd-2.4.62
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM fedora:40
    /// RUN dnf install -y httpd-2.4.62 && dnf clean all
    /// ```
    ///
    /// ## Fix
    /// Safe: `--fix` ends the RUN with `&& dnf clean all` (or `microdnf`) when
    /// the install is its last command. Only the cache goes.
    ///
    /// ## References
    /// - hadolint DL3040, trivy DS-0019 (dnf) and DS-0027 (microdnf)
    id: "DF072",
    name: "dnf-no-clean",
    title: "dnf cache left in the image",
    severity: Low,
    aliases: ["DL3040", "DS019", "DS-0019", "AVD-DS-0019", "DS027", "DS-0027", "AVD-DS-0027"],
    check: check,
}

const CACHES: &[&str] = &["/var/cache/dnf", "/var/cache/yum", "/var/cache/libdnf5"];

const FILLS_CACHE: &[&str] = &[
    "install",
    "groupinstall",
    "localinstall",
    "reinstall",
    "upgrade",
    "update",
];

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for (stage, inst, script) in model.runs() {
        if pkg::mount_covers(stage, inst, CACHES) {
            continue;
        }
        for cmd in script.iter().filter(|c| c.is_any(pkg::DNF_TOOLS)) {
            let Some(sub) = pkg::rpm_subcommand(cmd).filter(|s| FILLS_CACHE.contains(s)) else {
                continue;
            };
            if pkg::later(script, cmd, cleans) {
                continue;
            }
            let message = format!(
                "`{0} {sub}` leaves its cache in the layer: end this RUN with `{0} clean all`",
                cmd.program()
            );
            let fix = cx.append_fix(inst, script, &format!("{} clean all", cmd.program()));
            cx.report_fix(cmd.arg_span(sub), message, fix);
        }
    }
}

fn cleans(cmd: &Cmd) -> bool {
    let clean_all = (cmd.is_any(pkg::DNF_TOOLS) || cmd.is("yum"))
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
            lines(&RULE, "FROM fedora:40\nRUN dnf install -y httpd\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM fedora:40\nRUN microdnf install -y httpd && microdnf clean metadata\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM fedora:40\nRUN dnf clean all && dnf upgrade -y\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM fedora:40\nRUN dnf install -y httpd\nRUN dnf clean all\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM fedora:40\nONBUILD RUN dnf install -y httpd\n"),
            vec![2]
        );
    }

    #[test]
    fn silent_with_a_clean_or_a_mount() {
        assert_silent(
            &RULE,
            "FROM fedora:40\nRUN dnf install -y httpd && dnf clean all\n",
        );
        assert_silent(
            &RULE,
            "FROM fedora:40\nRUN microdnf install -y httpd && microdnf clean all\n",
        );
        assert_silent(
            &RULE,
            "FROM fedora:40\nRUN dnf install -y httpd && rm -rf /var/cache/dnf/*\n",
        );
        assert_silent(
            &RULE,
            "FROM fedora:41\nRUN dnf5 install -y httpd && rm -rf /var/cache/libdnf5\n",
        );
        assert_silent(
            &RULE,
            "FROM fedora:40\nRUN --mount=type=cache,target=/var/cache/dnf dnf install -y httpd\n",
        );
        assert_silent(
            &RULE,
            "FROM fedora:40\nRUN dnf remove -y httpd && yum install -y x\n",
        );
    }
}
