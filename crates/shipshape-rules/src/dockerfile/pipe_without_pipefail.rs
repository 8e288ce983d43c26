use super::{Checker, Repair};
use shipshape_dockerfile::model::is_posix_shell;
use shipshape_dockerfile::shell::Cmd;
use shipshape_dockerfile::syntax::ast::Word;

rule! {
    /// ## What it does
    /// Flags a `RUN` with a pipe (`a | b`) that runs without `pipefail`: no
    /// `SHELL` in effect passes `-o pipefail`, and the script does not turn
    /// it on (`set -o pipefail`, `set -euo pipefail`) before the pipe.
    /// Non-POSIX shells (PowerShell, cmd) are skipped.
    ///
    /// ## Why is this bad?
    /// A pipeline's exit status is that of its last command. In
    /// `curl -fsSL https://example.com/a.tgz | tar xz`, a failed download
    /// still lets the step succeed when `tar` exits 0, so the build goes on
    /// with missing or partial files and the error shows up much later, if at
    /// all. With `pipefail` the pipeline fails when any of its commands does.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// RUN curl -fsSL https://example.com/a.tgz | tar -xz -C /opt
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// SHELL ["/bin/bash", "-o", "pipefail", "-c"]
    /// RUN curl -fsSL https://example.com/a.tgz | tar -xz -C /opt
    /// ```
    ///
    /// ## Fix
    /// Unsafe (`--unsafe-fixes`): `--fix` puts `SHELL ["/bin/bash", "-o",
    /// "pipefail", "-c"]` before the first such RUN of the stage, which needs
    /// bash in the image and makes a failing pipe fail the build.
    ///
    /// ## References
    /// - hadolint DL4006
    id: "DF084",
    name: "pipe-without-pipefail",
    title: "Pipe in RUN without pipefail",
    severity: Low,
    aliases: ["DL4006"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    // One SHELL per stage: it covers every later RUN of the stage.
    let mut shell_added = std::collections::BTreeSet::new();
    for (stage, inst, script) in model.runs() {
        if !script.has_pipes() || !is_posix_shell(inst.shell) {
            continue;
        }
        let exec_form = matches!(&inst.body.args, shipshape_dockerfile::syntax::ast::Args::Run(c) if c.is_exec());
        // The SHELL does not apply to exec form, which names its own program.
        if !exec_form && inst.shell.is_some_and(shell_sets_pipefail) {
            continue;
        }
        let Some(piped) = script.iter().find(|c| c.pipe_index > 0) else {
            continue;
        };
        // `set -o pipefail` or `bash -o pipefail -c '...'` before the pipe.
        let enabled = script
            .iter()
            .take_while(|c| !std::ptr::eq(*c, piped))
            .any(|c| (c.is("set") || c.is_any(SHELLS)) && enables_pipefail(c));
        if enabled {
            continue;
        }
        let first = script
            .iter()
            .find(|c| c.pipeline == piped.pipeline && c.pipe_index == 0)
            .map_or("the first command", |c| c.program());
        let message = format!(
            "`{first} | {}` hides a failure of `{first}`: use `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` or start the script with `set -o pipefail`",
            piped.program()
        );
        let line = (!exec_form && !inst.onbuild && shell_added.insert(stage.index))
            .then(|| cx.whole_lines(inst.node.span))
            .flatten();
        // Unsafe: the image must have bash.
        let fix = line.map(|line| {
            let indent: String = cx.source()[line.start..]
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            Repair::unsafe_(
                "run the stage's later RUNs under bash with pipefail",
                (
                    shipshape_dockerfile::source::Span::new(line.start, line.start),
                    format!("{indent}SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n"),
                ),
            )
        });
        cx.report_fix(piped.span, message, fix);
    }
}

const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"];

/// `-o pipefail` among a command's arguments (`-o pipefail`, `-euo pipefail`).
fn enables_pipefail(cmd: &Cmd) -> bool {
    let values: Vec<&str> = cmd.args.iter().map(|a| a.value.as_str()).collect();
    sets_pipefail(&values)
}

fn shell_sets_pipefail(shell: &[Word]) -> bool {
    let values: Vec<&str> = shell.iter().skip(1).map(|w| w.value.as_str()).collect();
    sets_pipefail(&values)
}

fn sets_pipefail(args: &[&str]) -> bool {
    args.windows(2).any(|pair| {
        let [flag, value] = pair else { return false };
        *value == "pipefail"
            && flag
                .strip_prefix('-')
                .is_some_and(|cluster| !cluster.starts_with('-') && cluster.ends_with('o'))
    })
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_pipes_without_pipefail() {
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN curl -fsSL https://x | tar xz\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN apt-get update && \\\n  curl -fsSL https://x \\\n  | tar xz\n"
            ),
            vec![4]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nSHELL [\"/bin/bash\", \"-c\"]\nRUN a | b\n"
            ),
            vec![3]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN a | b; set -o pipefail; c | d\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN set +o pipefail; a | b\n"),
            vec![2]
        );
        assert_eq!(lines(&RULE, "FROM debian:12\nONBUILD RUN a | b\n"), vec![2]);
        // A SHELL of another stage does not apply.
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12 AS a\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nFROM debian:12\nRUN a | b\n"
            ),
            vec![4]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN [\"sh\", \"-c\", \"a | b\"]\n"),
            vec![2]
        );
    }

    #[test]
    fn silent_with_pipefail_or_without_pipes() {
        assert_silent(
            &RULE,
            "FROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN a | b\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nSHELL [\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"]\nRUN a | b\n",
        );
        assert_silent(&RULE, "FROM debian:12\nRUN set -o pipefail && a | b\n");
        assert_silent(&RULE, "FROM debian:12\nRUN set -euxo pipefail; a | b\n");
        assert_silent(&RULE, "FROM debian:12\nRUN bash -o pipefail -c 'a | b'\n");
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN [\"bash\", \"-eo\", \"pipefail\", \"-c\", \"a | b\"]\n",
        );
        assert_silent(&RULE, "FROM debian:12\nRUN a || b && c\n");
        assert_silent(&RULE, "FROM debian:12\nRUN echo 'a | b'\n");
        assert_silent(
            &RULE,
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-Command\"]\nRUN Get-ChildItem | Select-Object Name\n",
        );
        // The SHELL of the stage this one is built on carries over.
        assert_silent(
            &RULE,
            "FROM debian:12 AS base\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nFROM base\nRUN a | b\n",
        );
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN <<EOF\nset -eo pipefail\ncurl -fsSL https://x | tar xz\nEOF\n",
        );
    }
}
