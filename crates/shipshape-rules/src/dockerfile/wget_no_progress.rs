use super::{Checker, Repair};

rule! {
    /// ## What it does
    /// Flags `wget` run without any of `--progress`, `-q`/`--quiet`,
    /// `-nv`/`--no-verbose`, `-o`/`--output-file` or `-a`/`--append-output`.
    ///
    /// ## Why is this bad?
    /// Without a terminal, `wget` prints a progress line for every few
    /// kilobytes, so a single large download can add thousands of lines to the
    /// build log and bury the output that matters.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// RUN wget https://example.com/tool-1.2.tar.gz
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// RUN wget --progress=dot:giga https://example.com/tool-1.2.tar.gz
    /// ```
    ///
    /// ## Fix
    /// Safe: `--fix` adds `--progress=dot:giga`. Only the build log changes.
    ///
    /// ## References
    /// - hadolint DL3047
    id: "DF082",
    name: "wget-no-progress",
    title: "wget without a quiet progress setting",
    severity: Info,
    aliases: ["DL3047"],
    check: check,
}

const QUIET: &[&str] = &[
    "--progress",
    "-q",
    "--quiet",
    "--no-verbose",
    "-o",
    "--output-file",
    "-a",
    "--append-output",
];

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for (_, inst, script) in model.runs() {
        for cmd in script.find("wget") {
            if cmd.has_any_flag(QUIET) || cmd.has_arg("-nv") {
                continue;
            }
            let message = "`wget` prints a progress line every few kilobytes into the build log: add `--progress=dot:giga`, `-nv` or `-q`";
            let fix = cx
                .add_after_program(inst, cmd, "--progress=dot:giga")
                .map(|edit| Repair::safe("add --progress=dot:giga", edit));
            cx.report_fix(cmd.span, message, fix);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_noisy_wget() {
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN wget https://x/a.tgz\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN wget -O /tmp/a.tgz https://x/a.tgz\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN wget -nc https://x/a.tgz\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN echo x && \\\n  wget https://x/a.tgz\n"
            ),
            vec![3]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nONBUILD RUN wget https://x/a.tgz\n"),
            vec![2]
        );
    }

    #[test]
    fn silent_with_progress_or_quiet_options() {
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN wget --progress=dot:giga https://x/a.tgz\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN wget --progress bar:force https://x/a.tgz\n",
        );
        assert_silent(&RULE, "FROM debian:12\nRUN wget -q https://x/a.tgz\n");
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN wget -qO- https://x/a.tgz | tar xz\n",
        );
        assert_silent(&RULE, "FROM debian:12\nRUN wget --quiet https://x/a.tgz\n");
        assert_silent(&RULE, "FROM debian:12\nRUN wget -nv https://x/a.tgz\n");
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN wget --no-verbose https://x/a.tgz\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN wget -o /tmp/wget.log https://x/a.tgz\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN wget --append-output=/tmp/wget.log https://x/a.tgz\n",
        );
        assert_silent(&RULE, "FROM debian:12\nRUN curl -fsSLO https://x/a.tgz\n");
    }
}
