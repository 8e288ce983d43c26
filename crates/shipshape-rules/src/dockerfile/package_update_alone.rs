use super::Checker;
use shipshape_dockerfile::pkg;

rule! {
    /// ## What it does
    /// Flags a package-index update that is not followed, in the same RUN,
    /// by an install or upgrade with the same package manager:
    /// `apt-get update` / `apt update` without `install`, `apk update`
    /// without `add`, `yum makecache` / `dnf makecache` without `install`,
    /// `zypper refresh` without `install`.
    ///
    /// `yum update`, `dnf update` and `zypper update` upgrade packages, so
    /// they are not index updates and are not flagged here.
    ///
    /// The same check runs on each build step an image's history recorded
    /// (`shipshape image`); IM014, its former image twin, is an alias.
    ///
    /// ## Why is this bad?
    /// The build cache keeps the layer of a RUN as long as its text does not
    /// change. An index update in a RUN of its own is therefore not run
    /// again when a later RUN's package list changes: the install runs
    /// against an index that may be weeks old, installs outdated, possibly
    /// vulnerable versions, or fails when the mirror has dropped them. The
    /// index also stays in the image for nothing.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// RUN apt-get update
    /// RUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u7 \
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
    /// - trivy DS-0017, dockle CIS-DI-0007
    /// - CIS Docker Benchmark 4.7 (do not use update instructions alone)
    id: "DF056",
    name: "package-update-alone",
    title: "Package index updated without an install",
    severity: High,
    aliases: ["DS017", "DS-0017", "AVD-DS-0017", "CIS-DI-0007", "CIS-4.7", "IM014"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for (_, _, script) in model.runs() {
        for cmd in script.iter() {
            let Some(sub) = pkg::update_alone(script, cmd) else {
                continue;
            };
            cx.report(
                cmd.arg_span(sub),
                format!(
                    "`{} {sub}` installs nothing in this RUN, so its cached layer leaves later installs with a stale index: update and install in the same RUN",
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
    fn fires_on_updates_alone() {
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN apt update && echo done\n"),
            vec![2]
        );
        assert_eq!(lines(&RULE, "FROM alpine:3.20\nRUN apk update\n"), vec![2]);
        assert_eq!(lines(&RULE, "FROM fedora:40\nRUN dnf makecache\n"), vec![2]);
        assert_eq!(
            lines(
                &RULE,
                "FROM opensuse/leap:15.6\nRUN zypper --non-interactive refresh\n"
            ),
            vec![2]
        );
        // The install has to follow the update, with the same manager.
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN apt-get install -y x && apt-get update\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN apt-get update && apk add x\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nONBUILD RUN apt-get update\n"),
            vec![2]
        );
    }

    #[test]
    fn silent_when_an_install_follows() {
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN apt-get update && apt install -y curl\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN apt-get update && apt-get -y dist-upgrade\n",
        );
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nRUN apk update && apk add --no-cache curl\n",
        );
        assert_silent(
            &RULE,
            "FROM fedora:40\nRUN dnf makecache && dnf install -y curl\n",
        );
        assert_silent(
            &RULE,
            "FROM opensuse/leap:15.6\nRUN zypper ref && zypper -n in curl\n",
        );
        assert_silent(&RULE, "FROM centos:7\nRUN yum update -y\n");
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN pip install --upgrade pip==24.0\n",
        );
    }
}
