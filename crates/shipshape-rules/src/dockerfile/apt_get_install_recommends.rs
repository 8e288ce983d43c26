use super::{Checker, Repair};
use shipshape_dockerfile::pkg;
use shipshape_dockerfile::shell::Cmd;

rule! {
    /// ## What it does
    /// Flags an `apt-get install` without `--no-install-recommends` (or
    /// `-o APT::Install-Recommends=false`).
    ///
    /// ## Why is this bad?
    /// By default `apt-get` also installs the packages the requested ones
    /// merely recommend: documentation, optional tools, whole desktop
    /// libraries. They make the image larger, slower to pull, and add
    /// software, and vulnerabilities, nobody asked for.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// RUN apt-get update \
    ///  && apt-get install -y curl=7.88.1-10+deb12u7 \
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
    /// ## Fix
    /// Unsafe (`--unsafe-fixes`): `--fix` adds `--no-install-recommends`, which
    /// changes the installed set; a package the image relies on may have come
    /// in only as a recommendation.
    ///
    /// ## References
    /// - hadolint DL3015, trivy DS-0029
    /// - Docker build best practices: `apt-get`
    id: "DF053",
    name: "apt-get-install-recommends",
    title: "apt-get install pulls in recommended packages",
    severity: Low,
    aliases: ["DL3015", "DS029", "DS-0029", "AVD-DS-0029"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for (_, inst, script) in model.runs() {
        for cmd in script.iter().filter(|c| pkg::is_apt_get_install(c)) {
            if cmd.has_flag("--no-install-recommends") || recommends_off(cmd) {
                continue;
            }
            let message = "`apt-get install` also installs recommended packages: add `--no-install-recommends`";
            // Unsafe: a package the image relies on may come in only
            // as a recommendation.
            let fix = cx
                .add_after_word(inst, cmd, "install", "--no-install-recommends")
                .map(|edit| Repair::unsafe_("add --no-install-recommends", edit));
            cx.report_fix(cmd.arg_span("install"), message, fix);
        }
    }
}

/// `-o APT::Install-Recommends=false` in any of its spellings.
fn recommends_off(cmd: &Cmd) -> bool {
    let mut args = cmd
        .args
        .iter()
        .map(|a| a.value.as_str())
        .take_while(|v| *v != "--");
    while let Some(v) = args.next() {
        let option = if v == "-o" || v == "--option" {
            args.next()
        } else {
            v.strip_prefix("--option=").or_else(|| {
                v.strip_prefix("-o")
                    .map(|o| o.strip_prefix('=').unwrap_or(o))
            })
        };
        if let Some((key, value)) = option.and_then(|o| o.split_once('='))
            && key.eq_ignore_ascii_case("APT::Install-Recommends")
            && matches!(
                value.to_ascii_lowercase().as_str(),
                "false" | "0" | "no" | "off"
            )
        {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_without_no_install_recommends() {
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN apt-get install -y -o APT::Install-Recommends=true curl\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN apt-get install -y curl -- --no-install-recommends\n"
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
    }

    #[test]
    fn silent_when_recommends_are_off() {
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN apt-get --no-install-recommends install -y curl\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN apt-get install -y -o APT::Install-Recommends=false curl\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN apt-get install -y -o=apt::install-recommends=0 curl\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN apt-get install -y --option=APT::Install-Recommends=false curl\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN apt-get update && apt-get remove -y curl\n",
        );
    }
}
