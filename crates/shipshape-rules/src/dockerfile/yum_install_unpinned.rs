use super::Checker;

rule! {
    /// ## What it does
    /// Flags the packages of a `yum install` given without a version
    /// (`httpd` instead of `httpd-2.4.6`), and each module of
    /// `yum module install` given without a stream (`nodejs` instead of
    /// `nodejs:18`).
    ///
    /// A package counts as versioned when what follows its name looks like
    /// a version (`-2.4.6`, `-2.4.6-99.el7`), so `python3-devel` is not
    /// versioned. `.rpm` files, paths, groups (`@name`), capabilities
    /// (`perl(JSON)`) and comparisons are accepted. Arguments only known at
    /// build time (`$PACKAGES`) are not judged.
    ///
    /// One finding per RUN lists its unpinned packages, each marked in the
    /// excerpt, so a long install line is one item to fix, not dozens.
    ///
    /// ## Why is this bad?
    /// Without a version, `yum` installs whatever the repositories offer on
    /// the day of the build. Two builds of the same Dockerfile then ship
    /// different software, and a new release can break the image without
    /// any change to the Dockerfile.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM centos:7
    /// RUN yum install -y httpd && yum clean all
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM centos:7
    /// RUN yum install -y httpd-2.4.6 && yum clean all
    /// ```
    ///
    /// ## References
    /// - hadolint DL3033
    id: "DF066",
    name: "yum-install-unpinned",
    title: "yum install without package versions",
    severity: Low,
    aliases: ["DL3033"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    super::unpinned::report_rpm_unpinned(cx, |c| c.is("yum"));
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
                "FROM centos:7\nRUN yum install -y httpd mod_ssl-2.4.6\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM centos:7\nRUN yum install -y \\\n  python3-devel \\\n  gcc-c++\n"
            ),
            vec![3, 4]
        );
        assert_eq!(
            lines(&RULE, "FROM centos:8\nRUN yum module install -y nodejs\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM centos:7\nRUN yum --enablerepo epel install -y jq\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM centos:7\nONBUILD RUN yum install -y httpd\n"),
            vec![2]
        );
    }

    #[test]
    fn silent_on_versions_files_and_groups() {
        assert_silent(
            &RULE,
            "FROM centos:7\nRUN yum install -y httpd-2.4.6 python3-devel-3.6.8-18.el7 'git >= 1.8'\n",
        );
        assert_silent(
            &RULE,
            "FROM centos:7\nRUN yum install -y /tmp/x.rpm https://example.com/y-1.0.rpm @core 'perl(JSON)'\n",
        );
        assert_silent(
            &RULE,
            "FROM centos:8\nRUN yum module install -y nodejs:18\n",
        );
        assert_silent(
            &RULE,
            "FROM centos:7\nRUN yum groupinstall -y 'Development Tools' && yum remove -y x\n",
        );
        assert_silent(&RULE, "FROM centos:7\nRUN yum install -y $PACKAGES\n");
        assert_silent(&RULE, "FROM fedora:40\nRUN dnf install -y httpd\n");
    }
}
