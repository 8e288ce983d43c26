use super::Checker;
use super::unpinned::Unpinned;
use shipshape_dockerfile::pkg;

rule! {
    /// ## What it does
    /// Flags the packages of an `apt-get install` given without a version
    /// (`curl` instead of `curl=7.88.1-10+deb12u5`).
    ///
    /// One finding per RUN lists its unpinned packages, each marked in the
    /// excerpt, so a long install line is one item to fix, not dozens.
    ///
    /// ## Why is this bad?
    /// Without a version, `apt-get` installs whatever the mirror offers on
    /// the day of the build. Two builds of the same Dockerfile then ship
    /// different software, a new upstream release can break the image
    /// without any change to the Dockerfile, and what a given image
    /// contains cannot be told from its source.
    ///
    /// Packages given as `name=version`, as a release selection
    /// (`name/bookworm-backports`), as a path or as a `.deb` file are
    /// accepted; the values of `-t`/`--target-release` and `-o` are not
    /// packages. Arguments only known at build time (`$PACKAGES`) are not
    /// judged.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// RUN apt-get update \
    ///  && apt-get install -y --no-install-recommends curl \
    ///  && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// RUN apt-get update \
    ///  && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u7 \
    ///  && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## References
    /// - hadolint DL3008
    /// - Docker build best practices: pin package versions
    id: "DF050",
    name: "apt-get-install-unpinned",
    title: "apt-get install without package versions",
    severity: Low,
    aliases: ["DL3008"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for (_, _, script) in model.runs() {
        let found = script
            .iter()
            .filter(|c| pkg::is_apt_get_install(c))
            .flat_map(|cmd| {
                pkg::unpinned(cmd, pkg::APT_VALUE_FLAGS, |name| {
                    name.contains(['=', '/']) || name.ends_with(".deb")
                })
            })
            .map(|arg| Unpinned {
                span: arg.span,
                name: arg.value.clone(),
                message: format!("`{0}` is not pinned: use `{0}=<version>`", arg.value),
            })
            .collect();
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
                "FROM debian:12\nRUN apt-get install -y curl git=1:2.39\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN apt-get install -y \\\n  curl \\\n  wget\n"
            ),
            vec![3, 4]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN sudo apt-get -t bookworm-backports install -y vim\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nONBUILD RUN apt-get install -y curl\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN [\"apt-get\", \"install\", \"-y\", \"curl\"]\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn one_finding_per_run_marks_each_package() {
        let src = "FROM debian:12\nRUN apt-get install -y curl \\\n  git=1:2.39 wget \\\n && apt-get install -y make\nRUN apt-get install -y vim\n";
        assert_eq!(
            marked(&RULE, src, &Default::default()),
            vec![vec![2, 3, 4], vec![5]]
        );
        assert_eq!(
            messages(&RULE, src),
            vec![
                "3 packages are not pinned: `curl`, `wget`, `make`; pin each as `name=<version>`",
                "`vim` is not pinned: use `vim=<version>`",
            ]
        );
        let many: String = (0..10).map(|i| format!(" p{i}")).collect();
        let message = &messages(
            &RULE,
            &format!("FROM debian:12\nRUN apt-get install -y{many}\n"),
        )[0];
        assert!(
            message.starts_with("10 packages are not pinned: `p0`,"),
            "{message}"
        );
        assert!(message.contains("`p7`, and 2 more;"), "{message}");
    }

    #[test]
    fn silent_on_versions_files_and_option_values() {
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN apt-get install -y curl=7.88.1-10 git=1:2.39.5-0\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN apt-get install -y ./pkg.deb /tmp/x.deb vim/bookworm-backports\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN apt-get -t bookworm-backports -o Dpkg::Options::=--force-confnew install -y vim=2:9.0\n",
        );
        assert_silent(&RULE, "FROM debian:12\nRUN apt-get install -y $PACKAGES\n");
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN apt-get update && apt-get upgrade -y && apt install curl\n",
        );
    }
}
