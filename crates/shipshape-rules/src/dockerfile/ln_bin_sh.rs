use super::Checker;

rule! {
    /// ## What it does
    /// Flags `ln` in a `RUN` instruction that replaces `/bin/sh` (or
    /// `/usr/bin/sh`) with a link to another shell, as in
    /// `ln -sf /bin/bash /bin/sh`.
    ///
    /// ## Why is this bad?
    /// Swapping `/bin/sh` changes the shell of every script and package
    /// maintainer script in the image, not just of the Dockerfile's `RUN`
    /// instructions, and the change is invisible to anyone reading the
    /// Dockerfile later. Package upgrades may also restore the original link.
    /// The `SHELL` instruction changes the shell `RUN` uses, and only that.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// RUN ln -sf /bin/bash /bin/sh
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// SHELL ["/bin/bash", "-c"]
    /// ```
    ///
    /// ## References
    /// - hadolint DL4005
    id: "DF083",
    name: "ln-bin-sh",
    title: "RUN replaces /bin/sh instead of using SHELL",
    severity: Medium,
    aliases: ["DL4005"],
    check: check,
}

const SH: &[&str] = &["/bin/sh", "/usr/bin/sh"];

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for (_, _, script) in model.runs() {
        for cmd in script.find("ln") {
            let operands = cmd.args_no_flags(&["-S", "--suffix"]);
            // `ln TARGET LINK`: the last operand is the link being made.
            if operands.len() < 2 {
                continue;
            }
            let Some(link) = operands.last().filter(|a| SH.contains(&a.value.as_str())) else {
                continue;
            };
            let target = operands.first().map_or("", |a| a.value.as_str());
            cx.report(
                link.span,
                format!(
                    "`ln` replaces `{}` with `{target}`: set the shell for RUN with `SHELL [\"{target}\", \"-c\"]` instead",
                    link.value
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
    fn fires_when_bin_sh_is_replaced() {
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN ln -sf /bin/bash /bin/sh\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN rm /bin/sh && ln -s bash /bin/sh\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN ln -s -f -- /usr/bin/zsh /usr/bin/sh\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN apt-get update && \\\n  ln -sf /bin/bash /bin/sh\n"
            ),
            vec![3]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nONBUILD RUN ln -sf /bin/bash /bin/sh\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn silent_when_bin_sh_is_only_the_target() {
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN ln -s /bin/sh /usr/local/bin/sh\n",
        );
        assert_silent(&RULE, "FROM debian:12\nRUN ln -s /bin/sh\n");
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN ln -sf /usr/bin/python3 /usr/bin/python\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nSHELL [\"/bin/bash\", \"-c\"]\nRUN echo /bin/sh\n",
        );
    }
}
