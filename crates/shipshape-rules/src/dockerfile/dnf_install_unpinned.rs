use super::Checker;
use shipshape_dockerfile::pkg;

rule! {
    /// ## What it does
    /// Flags the packages of a `dnf install` or `microdnf install` given
    /// without a version (`httpd` instead of `httpd-2.4.62`), and each
    /// module of `dnf module install` given without a stream (`nodejs`
    /// instead of `nodejs:20`).
    ///
    /// A package counts as versioned when what follows its name looks like
    /// a version (`-2.4.62`, `-2.4.62-1.fc40`), so `python3-devel` is not
    /// versioned. `.rpm` files, paths, groups (`@name`), capabilities
    /// (`perl(JSON)`) and comparisons are accepted. Arguments only known at
    /// build time (`$PACKAGES`) are not judged.
    ///
    /// One finding per RUN lists its unpinned packages, each marked in the
    /// excerpt, so a long install line is one item to fix, not dozens.
    ///
    /// ## Why is this bad?
    /// Without a version, `dnf` installs whatever the repositories offer on
    /// the day of the build. Two builds of the same Dockerfile then ship
    /// different software, and a new release can break the image without
    /// any change to the Dockerfile.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM fedora:40
    /// RUN dnf install -y httpd && dnf clean all
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM fedora:40
    /// RUN dnf install -y httpd-2.4.62 && dnf clean all
    /// ```
    ///
    /// ## References
    /// - hadolint DL3041
    id: "DF073",
    name: "dnf-install-unpinned",
    title: "dnf install without package versions",
    severity: Low,
    aliases: ["DL3041"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    super::unpinned::report_rpm_unpinned(cx, |c| c.is_any(pkg::DNF_TOOLS));
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_each_unpinned_package_or_module() {
        assert_eq!(
            lines(
                &RULE,
                "FROM fedora:40\nRUN dnf install -y httpd mod_ssl-2.4.62\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM fedora:40\nRUN microdnf install -y \\\n  python3-devel \\\n  gcc-c++\n"
            ),
            vec![3, 4]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM rockylinux:9\nRUN dnf module install -y nodejs\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM fedora:40\nRUN dnf --setopt install_weak_deps=False install -y jq\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM fedora:40\nONBUILD RUN dnf5 install -y httpd\n"),
            vec![2]
        );
    }

    #[test]
    fn silent_on_versions_files_and_groups() {
        assert_silent(
            &RULE,
            "FROM fedora:40\nRUN dnf install -y httpd-2.4.62 python3-devel-3.12.4-1.fc40 'git >= 2.45'\n",
        );
        assert_silent(
            &RULE,
            "FROM fedora:40\nRUN dnf install -y /tmp/x.rpm @development-tools 'dnf-command(config-manager)'\n",
        );
        assert_silent(
            &RULE,
            "FROM rockylinux:9\nRUN dnf module install -y nodejs:20/common\n",
        );
        assert_silent(
            &RULE,
            "FROM fedora:40\nRUN dnf group install -y 'Development Tools' && dnf remove -y x\n",
        );
        assert_silent(&RULE, "FROM fedora:40\nRUN dnf install -y $PACKAGES\n");
        assert_silent(&RULE, "FROM centos:7\nRUN yum install -y httpd\n");
    }
}
