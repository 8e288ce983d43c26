use super::Checker;

rule! {
    /// ## What it does
    /// Flags a RUN that calls `apt` rather than `apt-get` or `apt-cache`.
    ///
    /// ## Why is this bad?
    /// `apt` is the front-end for people at a terminal. Its command-line
    /// interface is not promised to stay stable between releases (it warns
    /// so itself when its output is not a terminal), and its progress
    /// output and prompts are made for humans. `apt-get` and `apt-cache`
    /// are the tools meant for scripts.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// RUN apt update \
    ///  && apt install -y --no-install-recommends curl=7.88.1-10+deb12u7 \
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
    /// - hadolint DL3027
    id: "DF055",
    name: "apt-in-run",
    title: "apt used in a RUN",
    severity: Medium,
    aliases: ["DL3027"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for (_, _, script) in model.runs() {
        for cmd in script.find("apt") {
            cx.report(
                cmd.span,
                "`apt` is for interactive use and its interface may change: use `apt-get` (or `apt-cache` to query)",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_each_apt_call() {
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN apt update &&\\\n  apt install -y curl\n"
            ),
            vec![2, 3]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN sudo /usr/bin/apt install -y curl\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nONBUILD RUN apt install -y curl\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN [\"apt\", \"install\", \"-y\", \"curl\"]\n"
            ),
            vec![2]
        );
        assert_fires(&RULE, "FROM debian:12\nRUN sh -c 'apt list --installed'\n");
    }

    #[test]
    fn silent_on_apt_get_and_apt_cache() {
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN apt-cache policy curl && echo apt\n",
        );
        assert_silent(&RULE, "FROM debian:12\nRUN aptitude install -y curl\n");
    }
}
