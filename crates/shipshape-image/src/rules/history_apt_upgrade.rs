use super::Checker;
use super::history::{apk_subcommand, apt_subcommand, runs};

rule! {
    /// ## What it does
    /// Flags build steps in the image's history that upgrade every
    /// installed package: `apt-get upgrade`, `apt-get dist-upgrade`,
    /// `apt full-upgrade`, `aptitude safe-upgrade`, `apk upgrade`.
    /// Upgrading a named package (`apt-get install --only-upgrade openssl`)
    /// is not flagged. The history includes the steps of the base image.
    ///
    /// ## Why is this bad?
    /// An upgrade in a build step makes the image depend on the day it was
    /// built: two builds of the same Dockerfile get different packages, and
    /// the image's contents no longer match what its base image's tag
    /// says. A distribution upgrade can also replace packages the base
    /// image was tested with, or pull in an init system and services a
    /// container does not need. Take fixes by moving to a newer base image
    /// tag or digest, and upgrade single packages by name and version when
    /// a fix cannot wait.
    ///
    /// ## Example
    /// ```json
    /// {"history": [
    ///   {"created_by": "/bin/sh -c #(nop) ADD file:9a3c0d1f in / "},
    ///   {"created_by": "/bin/sh -c apt-get update && apt-get dist-upgrade -y && rm -rf /var/lib/apt/lists/*"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"history": [
    ///   {"created_by": "/bin/sh -c #(nop) ADD file:1b7d4e2a in / "},
    ///   {"created_by": "/bin/sh -c apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 && rm -rf /var/lib/apt/lists/*"}]}
    /// ```
    ///
    /// ## References
    /// - dockle DKL-DI-0003
    /// - shipshape DF054 (the same check on a Dockerfile)
    id: "IM009",
    name: "history-apt-upgrade",
    title: "Build step upgrades all packages",
    severity: Low,
    aliases: ["DKL-DI-0003", "DF054"],
    check: check,
}

const APT_UPGRADES: &[&str] = &["upgrade", "dist-upgrade", "full-upgrade", "safe-upgrade"];

fn check(cx: &mut Checker<'_>) {
    for run in runs(&cx.image.spec) {
        let upgrade = run.script.iter().find(|c| {
            apt_subcommand(c).is_some_and(|s| APT_UPGRADES.contains(&s))
                || apk_subcommand(c) == Some("upgrade")
        });
        if let Some(cmd) = upgrade {
            let message = format!(
                "build step {} upgrades every installed package: {}; the image then depends on the day it was built: move to a newer base image instead",
                run.index,
                run.quote(cmd.span)
            );
            cx.report_history(run.index, message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::history::{fields, history_json as steps};
    use crate::rules::test_support::*;

    #[test]
    fn fires_on_upgrades() {
        let found = findings(
            &RULE,
            &steps(&[
                "/bin/sh -c #(nop) ADD file:9a3c0d1f in / ",
                "/bin/sh -c apt-get update && apt-get upgrade -y && rm -rf /var/lib/apt/lists/*",
                "RUN /bin/sh -c apt-get -y dist-upgrade # buildkit",
                "/bin/sh -c apt full-upgrade -y",
                "/bin/sh -c apk upgrade --no-cache",
                "/bin/sh -c apk -U upgrade",
                "/bin/sh -c aptitude safe-upgrade -y",
            ]),
        );
        assert_eq!(
            fields(&found),
            [
                "history[1]",
                "history[2]",
                "history[3]",
                "history[4]",
                "history[5]",
                "history[6]"
            ]
        );
        assert!(found[1].message.contains("`apt-get -y dist-upgrade`"));
    }

    #[test]
    fn silent_on_installs_and_other_tools() {
        assert_silent(
            &RULE,
            &steps(&[
                "/bin/sh -c apt-get update && apt-get install -y --only-upgrade openssl=3.0.15-1~deb12u1",
                "/bin/sh -c apk add --no-cache --upgrade busybox",
                "/bin/sh -c pip install --upgrade pip==24.0",
                "/bin/sh -c echo apt-get upgrade",
                "/bin/sh -c yum update -y",
                "/bin/sh -c #(nop)  LABEL note=apt-get upgrade",
                "/bin/sh -c apt-get install -y upgrade-system",
            ]),
        );
    }
}
