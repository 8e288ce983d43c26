use super::Checker;
use shipshape_dockerfile::pkg;

rule! {
    /// ## What it does
    /// Flags `apt-get upgrade`, `dist-upgrade` and `full-upgrade` (and the
    /// same with `apt` or `aptitude`, including `safe-upgrade`) in a RUN.
    ///
    /// The same check runs on each build step an image's history recorded
    /// (`shipshape image`); IM009, its former image twin, is an alias.
    ///
    /// ## Why is this bad?
    /// Upgrading in the Dockerfile installs whatever the mirror offers on
    /// the day of the build, so the same Dockerfile builds a different image
    /// every time and the result cannot be reproduced. The upgraded files
    /// are stored a second time in a new layer on top of the base image's,
    /// making the image larger, and a `dist-upgrade` can even move the
    /// system to packages the base image was never tested with. Security
    /// fixes belong in the base image: move to a newer tag or digest of it,
    /// which the image maintainers rebuild with the fixes.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12.5-slim
    /// RUN apt-get update && apt-get -y upgrade && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// ```
    ///
    /// ## References
    /// - trivy DS-0024, dockle DKL-DI-0003
    /// - CIS Docker Benchmark 4.4 (rebuild images with security patches)
    id: "DF054",
    name: "apt-upgrade",
    title: "apt upgrade in a RUN",
    severity: Medium,
    aliases: ["DS024", "DS-0024", "AVD-DS-0024", "DKL-DI-0003", "IM009"],
    check: check,
}

const UPGRADES: &[&str] = &["upgrade", "dist-upgrade", "full-upgrade", "safe-upgrade"];

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for (_, _, script) in model.runs() {
        for cmd in script.iter().filter(|c| c.is_any(pkg::APT_TOOLS)) {
            let Some(sub) = pkg::apt_subcommand(cmd).filter(|s| UPGRADES.contains(s)) else {
                continue;
            };
            cx.report(
                cmd.arg_span(sub),
                format!(
                    "`{} {sub}` makes the image depend on the day it is built: update the base image to a newer tag or digest instead",
                    cmd.program()
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_upgrades() {
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN apt-get update && apt-get upgrade -y\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN apt-get -y dist-upgrade\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN apt full-upgrade -y\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN aptitude safe-upgrade -y\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nONBUILD RUN apt-get upgrade -y\n"),
            vec![2]
        );
    }

    #[test]
    fn silent_on_installs_and_other_tools() {
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN apt-get update && apt-get install -y --only-upgrade openssl=3.0.15-1\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN pip install --upgrade pip==24.0\n",
        );
        assert_silent(&RULE, "FROM alpine:3.20\nRUN apk upgrade --no-cache\n");
        assert_silent(&RULE, "FROM debian:12\nRUN echo apt-get upgrade\n");
    }
}
