use super::Checker;
use super::unpinned::Unpinned;
use shipshape_dockerfile::pkg;

rule! {
    /// ## What it does
    /// Flags the packages of a `zypper install` (`zypper in`) given without
    /// a version (`curl` instead of `curl=8.6.0` or `'curl>=8.6'`).
    ///
    /// Comparisons (`=`, `>=`, `>`, `<=`, `<`), `.rpm` files and paths are
    /// accepted. Installs of patterns, patches or products (`-t pattern`)
    /// are not checked. Arguments only known at build time (`$PACKAGES`)
    /// are not judged.
    ///
    /// One finding per RUN lists its unpinned packages, each marked in the
    /// excerpt, so a long install line is one item to fix, not dozens.
    ///
    /// ## Why is this bad?
    /// Without a version, `zypper` installs whatever the repositories offer
    /// on the day of the build. Two builds of the same Dockerfile then ship
    /// different software, and a new release can break the image without
    /// any change to the Dockerfile.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM opensuse/leap:15.6
    /// RUN zypper --non-interactive install curl && zypper clean --all
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM opensuse/leap:15.6
    /// RUN zypper --non-interactive install 'curl=8.6.0' && zypper clean --all
    /// ```
    ///
    /// ## References
    /// - hadolint DL3037
    id: "DF070",
    name: "zypper-install-unpinned",
    title: "zypper install without package versions",
    severity: Low,
    aliases: ["DL3037"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for (_, _, script) in model.runs() {
        let mut found = Vec::new();
        for cmd in script.find("zypper") {
            if !matches!(pkg::zypper_subcommand(cmd), Some("install" | "in")) {
                continue;
            }
            let kind = cmd.flag_value("-t").or_else(|| cmd.flag_value("--type"));
            if kind.is_some_and(|k| k != "package") {
                continue;
            }
            found.extend(
                pkg::unpinned(cmd, pkg::ZYPPER_VALUE_FLAGS, |name| {
                    name.contains(['=', '<', '>', '/']) || name.ends_with(".rpm")
                })
                .map(|arg| Unpinned {
                    span: arg.span,
                    name: arg.value.clone(),
                    message: format!("`{0}` is not pinned: use `{0}=<version>`", arg.value),
                }),
            );
        }
        super::unpinned::report_unpinned(cx, found, "pin each as `name=<version>`");
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_each_unpinned_package() {
        assert_eq!(
            lines(
                &RULE,
                "FROM opensuse/leap:15.6\nRUN zypper -n install curl 'git=2.43.0'\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM opensuse/leap:15.6\nRUN zypper -n in \\\n  curl \\\n  vim\n"
            ),
            vec![3, 4]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM opensuse/leap:15.6\nRUN zypper -n in -t package curl\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM opensuse/leap:15.6\nONBUILD RUN zypper -n in curl\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn silent_on_versions_files_and_patterns() {
        assert_silent(
            &RULE,
            "FROM opensuse/leap:15.6\nRUN zypper -n in 'curl=8.6.0' 'git>=2.43' 'vim<10' 'tar>1' 'gzip<=2'\n",
        );
        assert_silent(
            &RULE,
            "FROM opensuse/leap:15.6\nRUN zypper -n in /tmp/x.rpm https://example.com/y-1.0.rpm\n",
        );
        assert_silent(
            &RULE,
            "FROM opensuse/leap:15.6\nRUN zypper -n in -t pattern devel_basis\n",
        );
        assert_silent(
            &RULE,
            "FROM opensuse/leap:15.6\nRUN zypper -n --root /x -r repo-oss in 'curl=8.6.0'\n",
        );
        assert_silent(
            &RULE,
            "FROM opensuse/leap:15.6\nRUN zypper -n in $PACKAGES && zypper -n rm curl\n",
        );
    }
}
