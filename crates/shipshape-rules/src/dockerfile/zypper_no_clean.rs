use super::Checker;
use shipshape_dockerfile::pkg;
use shipshape_dockerfile::shell::Cmd;

rule! {
    /// ## What it does
    /// Flags `zypper install` (`zypper in`) not followed in the same RUN by
    /// `zypper clean` (`zypper cc`) or by removing `/var/cache/zypp`.
    ///
    /// A RUN whose `/var/cache/zypp` is a cache or tmpfs mount keeps the
    /// cache out of the image and is not flagged.
    ///
    /// ## Why is this bad?
    /// `zypper` keeps repository metadata and downloaded packages under
    /// `/var/cache/zypp`. Left in the layer they are shipped with every
    /// pull; removed in a later RUN they still take room in this one.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM opensuse/leap:15.6
    /// RUN zypper --non-interactive install 'curl=8.6.0'
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM opensuse/leap:15.6
    /// RUN zypper --non-interactive install 'curl=8.6.0' && zypper clean --all
    /// ```
    ///
    /// ## Fix
    /// Safe: `--fix` ends the RUN with `&& zypper clean --all` when the install
    /// is its last command. Only the cache goes.
    ///
    /// ## References
    /// - hadolint DL3036, trivy DS-0020
    id: "DF069",
    name: "zypper-no-clean",
    title: "zypper cache left in the image",
    severity: Low,
    aliases: ["DL3036", "DS020", "DS-0020", "AVD-DS-0020"],
    check: check,
}

const CACHE: &str = "/var/cache/zypp";

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for (stage, inst, script) in model.runs() {
        if pkg::mount_covers(stage, inst, &[CACHE]) {
            continue;
        }
        for cmd in script.find("zypper") {
            let Some(sub) = pkg::zypper_subcommand(cmd).filter(|s| matches!(*s, "install" | "in"))
            else {
                continue;
            };
            if pkg::later(script, cmd, cleans) {
                continue;
            }
            let message = format!(
                "`zypper {sub}` leaves its cache in the layer: end this RUN with `zypper clean --all`"
            );
            let fix = cx.append_fix(inst, script, "zypper clean --all");
            cx.report_fix(cmd.arg_span(sub), message, fix);
        }
    }
}

fn cleans(cmd: &Cmd) -> bool {
    (cmd.is("zypper") && matches!(pkg::zypper_subcommand(cmd), Some("clean" | "cc")))
        || pkg::removes(cmd, CACHE)
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_without_a_clean() {
        assert_eq!(
            lines(
                &RULE,
                "FROM opensuse/leap:15.6\nRUN zypper -n install curl\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM opensuse/leap:15.6\nRUN zypper clean && zypper -n in curl\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM opensuse/leap:15.6\nRUN zypper -n in curl\nRUN zypper clean\n"
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
    fn silent_with_a_clean_or_a_mount() {
        assert_silent(
            &RULE,
            "FROM opensuse/leap:15.6\nRUN zypper -n install curl && zypper clean --all\n",
        );
        assert_silent(
            &RULE,
            "FROM opensuse/leap:15.6\nRUN zypper -n in curl && zypper cc -a\n",
        );
        assert_silent(
            &RULE,
            "FROM opensuse/leap:15.6\nRUN zypper -n in curl && rm -rf /var/cache/zypp/*\n",
        );
        assert_silent(
            &RULE,
            "FROM opensuse/leap:15.6\nRUN --mount=type=cache,target=/var/cache/zypp zypper -n in curl\n",
        );
        assert_silent(&RULE, "FROM opensuse/leap:15.6\nRUN zypper -n rm curl\n");
    }
}
