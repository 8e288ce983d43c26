use super::Checker;
use super::unpinned::Unpinned;
use shipshape_dockerfile::pkg;
use shipshape_dockerfile::shell::{Arg, Cmd};

rule! {
    /// ## What it does
    /// Flags the gems of a `gem install` given without a version
    /// (`rails` instead of `rails:7.1.3`) when no `-v`/`--version` applies.
    ///
    /// Local `.gem` files are accepted; arguments after `--` are build
    /// options, not gems. Arguments only known at build time (`$GEMS`) are
    /// not judged.
    ///
    /// One finding per RUN lists its unpinned packages, each marked in the
    /// excerpt, so a long install line is one item to fix, not dozens.
    ///
    /// ## Why is this bad?
    /// Without a version, RubyGems installs the newest release on the day
    /// of the build. Two builds of the same Dockerfile then ship different
    /// code, and a new or hijacked release is picked up automatically.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM ruby:3.3-slim
    /// RUN gem install bundler
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM ruby:3.3-slim
    /// RUN gem install bundler:2.5.11
    /// ```
    ///
    /// ## References
    /// - hadolint DL3028
    id: "DF062",
    name: "gem-install-unpinned",
    title: "gem install without versions",
    severity: Low,
    aliases: ["DL3028"],
    check: check,
}

const VALUE_FLAGS: &[&str] = &[
    "-i",
    "--install-dir",
    "-n",
    "--bindir",
    "-s",
    "--source",
    "-P",
    "--trust-policy",
    "--platform",
    "-g",
    "--file",
    "--build-root",
    "--config-file",
    "--target-rbconfig",
    "-p",
    "--http-proxy",
];

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for (_, _, script) in model.runs() {
        let mut found = Vec::new();
        for cmd in script.find("gem") {
            if cmd.subcommand(VALUE_FLAGS) != Some("install")
                || cmd.has_any_flag(&["-v", "--version"])
            {
                continue;
            }
            for arg in gems(cmd) {
                let name = arg.value.as_str();
                if name.contains(':') || name.ends_with(".gem") || pkg::is_dynamic(name) {
                    continue;
                }
                found.push(Unpinned {
                    span: arg.span,
                    name: name.to_string(),
                    message: format!(
                        "`{name}` is not pinned: use `{name}:<version>` or `-v <version>`"
                    ),
                });
            }
        }
        super::unpinned::report_unpinned(cx, found, "pin each as `name:<version>`");
    }
}

/// The gems of `gem install`: operands before `--`, after which come build
/// options for native extensions.
fn gems(cmd: &Cmd) -> Vec<&Arg> {
    let end = cmd
        .args
        .iter()
        .position(|a| a.value == "--")
        .unwrap_or(cmd.args.len());
    let before = cmd.args.get(..end).unwrap_or_default();
    cmd.operands(VALUE_FLAGS)
        .into_iter()
        .filter(|a| before.iter().any(|b| std::ptr::eq(b, *a)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_each_unpinned_gem() {
        assert_eq!(
            lines(
                &RULE,
                "FROM ruby:3.3\nRUN gem install bundler rake:13.2.1\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM ruby:3.3\nRUN gem install --no-document \\\n  rails \\\n  puma\n"
            ),
            vec![3, 4]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM ruby:3.3\nRUN gem install mysql2 -- --with-mysql-config=/usr/bin/mysql_config\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM ruby:3.3\nONBUILD RUN gem install bundler\n"),
            vec![2]
        );
    }

    #[test]
    fn silent_on_versions_and_files() {
        assert_silent(
            &RULE,
            "FROM ruby:3.3\nRUN gem install bundler:2.5.11 rake:13.2.1\n",
        );
        assert_silent(&RULE, "FROM ruby:3.3\nRUN gem install bundler -v 2.5.11\n");
        assert_silent(
            &RULE,
            "FROM ruby:3.3\nRUN gem install --version=2.5.11 bundler\n",
        );
        assert_silent(&RULE, "FROM ruby:3.3\nRUN gem install ./pkg/app-1.0.gem\n");
        assert_silent(
            &RULE,
            "FROM ruby:3.3\nRUN gem install -i /opt/gems -n /usr/local/bin rake:13.2.1\n",
        );
        assert_silent(
            &RULE,
            "FROM ruby:3.3\nRUN gem install rake:13.2.1 -- --with-x\n",
        );
        assert_silent(
            &RULE,
            "FROM ruby:3.3\nRUN gem update --system && gem list\n",
        );
    }
}
