use super::Checker;
use shipshape_dockerfile::pkg;

rule! {
    /// ## What it does
    /// Flags `zypper dist-upgrade` (`zypper dup`) in a RUN.
    ///
    /// ## Why is this bad?
    /// A distribution upgrade replaces the base image's packages with
    /// whatever the repositories offer on the day of the build, possibly
    /// with another release's. The same Dockerfile then builds a different
    /// system every time, the upgraded files are stored again in a new
    /// layer, and the result is not the base image that was tested. Move to
    /// a newer base image tag or digest instead.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM opensuse/leap:15.5
    /// RUN zypper --non-interactive dup && zypper clean --all
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM opensuse/leap:15.6
    /// ```
    ///
    /// ## References
    /// - hadolint DL3035
    id: "DF068",
    name: "zypper-dist-upgrade",
    title: "zypper dist-upgrade in a RUN",
    severity: Medium,
    aliases: ["DL3035"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for (_, _, script) in model.runs() {
        for cmd in script.find("zypper") {
            let Some(sub) =
                pkg::zypper_subcommand(cmd).filter(|s| matches!(*s, "dist-upgrade" | "dup"))
            else {
                continue;
            };
            cx.report(
                cmd.arg_span(sub),
                format!("`zypper {sub}` makes the image depend on the day it is built: use a newer base image instead"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_dist_upgrades() {
        assert_eq!(
            lines(
                &RULE,
                "FROM opensuse/leap:15.6\nRUN zypper -n dist-upgrade\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM opensuse/leap:15.6\nRUN zypper ref && zypper dup -y\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM opensuse/leap:15.6\nONBUILD RUN zypper dup -y\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn silent_on_other_subcommands() {
        assert_silent(
            &RULE,
            "FROM opensuse/leap:15.6\nRUN zypper -n install curl && zypper -n patch\n",
        );
        assert_silent(
            &RULE,
            "FROM opensuse/leap:15.6\nRUN zypper -n install dup\n",
        );
    }
}
