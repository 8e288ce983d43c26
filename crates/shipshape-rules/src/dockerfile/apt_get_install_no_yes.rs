use super::{Checker, Repair};
use shipshape_dockerfile::pkg;
use shipshape_dockerfile::shell::Cmd;

rule! {
    /// ## What it does
    /// Flags an `apt-get install` that does not answer its questions by
    /// itself: no `-y`/`--yes`/`--assume-yes`, no `-qq` (or `-q -q`,
    /// `-q=2`), no `-o APT::Get::Assume-Yes=true`, and no `yes |` in front.
    ///
    /// ## Why is this bad?
    /// A build has no terminal. When `apt-get` asks whether to go on, it
    /// reads end-of-input, takes it as "no" and aborts, so the build fails
    /// as soon as an install pulls in a dependency.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12.7-slim
    /// RUN apt-get update \
    ///  && apt-get install --no-install-recommends curl=7.88.1-10+deb12u7 \
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
    /// Safe: `--fix` adds `-y`. Without it the build stops at the prompt and
    /// fails, so no working build changes.
    ///
    /// ## References
    /// - hadolint DL3014, trivy DS-0021
    id: "DF052",
    name: "apt-get-install-no-yes",
    title: "apt-get install without -y",
    severity: Medium,
    aliases: ["DL3014", "DS021", "DS-0021", "AVD-DS-0021"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    let model = cx.model;
    for (_, inst, script) in model.runs() {
        for cmd in script.iter().filter(|c| pkg::is_apt_get_install(c)) {
            if answers_yes(cmd) || pkg::fed_by_yes(script, cmd) {
                continue;
            }
            let message =
                "`apt-get install` will stop at its confirmation prompt and fail: add `-y`";
            let fix = cx
                .add_after_word(inst, cmd, "install", "-y")
                .map(|edit| Repair::safe("add -y", edit));
            cx.report_fix(cmd.arg_span("install"), message, fix);
        }
    }
}

fn answers_yes(cmd: &Cmd) -> bool {
    if cmd.has_any_flag(&["-y", "--yes", "--assume-yes"]) {
        return true;
    }
    let mut quiet = 0;
    let mut args = cmd
        .args
        .iter()
        .map(|a| a.value.as_str())
        .take_while(|v| *v != "--");
    while let Some(v) = args.next() {
        if let Some(level) = v.strip_prefix("-q=").or_else(|| v.strip_prefix("--quiet=")) {
            quiet += level.parse::<u32>().unwrap_or(0);
        } else if v == "--quiet" {
            quiet += 1;
        } else if let Some(cluster) = v.strip_prefix('-').filter(|c| !c.starts_with('-')) {
            quiet += cluster
                .chars()
                .take_while(char::is_ascii_alphabetic)
                .filter(|c| *c == 'q')
                .count() as u32;
        }
        let option = if v == "-o" || v == "--option" {
            args.next()
        } else {
            v.strip_prefix("--option=").or_else(|| {
                v.strip_prefix("-o")
                    .map(|o| o.strip_prefix('=').unwrap_or(o))
            })
        };
        if let Some((key, value)) = option.and_then(|o| o.split_once('=')) {
            let key = key.to_ascii_lowercase();
            if (key == "apt::get::assume-yes" || key == "apt::get::assume_yes") && is_true(value) {
                return true;
            }
        }
    }
    quiet >= 2
}

fn is_true(value: &str) -> bool {
    matches!(
        value.to_ascii_lowercase().as_str(),
        "1" | "true" | "yes" | "on"
    )
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_without_a_yes() {
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN apt-get update && apt-get install curl\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nRUN apt-get install -q curl\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN apt-get install -o APT::Get::Assume-Yes=false curl\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM debian:12\nRUN echo y && apt-get install curl\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM debian:12\nONBUILD RUN apt-get install curl\n"),
            vec![2]
        );
    }

    #[test]
    fn silent_with_any_form_of_yes() {
        for flags in [
            "-y",
            "--yes",
            "--assume-yes",
            "-qy",
            "-yq",
            "-qq",
            "-q -q",
            "-q=2",
            "--quiet=2",
            "-o APT::Get::Assume-Yes=true",
        ] {
            assert_silent(
                &RULE,
                &format!("FROM debian:12\nRUN apt-get install {flags} curl\n"),
            );
        }
        assert_silent(&RULE, "FROM debian:12\nRUN apt-get -y install curl\n");
        assert_silent(&RULE, "FROM debian:12\nRUN yes | apt-get install curl\n");
        assert_silent(
            &RULE,
            "FROM debian:12\nRUN apt-get update && apt install curl\n",
        );
    }
}
