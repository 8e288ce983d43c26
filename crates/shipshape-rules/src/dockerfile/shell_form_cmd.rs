use super::{Checker, Repair};
use shipshape_dockerfile::syntax::ast::{Args, Command, Keyword, ShellText};
use shipshape_dockerfile::syntax::words::{split_words, unquote};

rule! {
    /// ## What it does
    /// Flags `CMD`, `ENTRYPOINT` and `HEALTHCHECK CMD` written in shell form
    /// (`CMD node server.js`) instead of exec form
    /// (`CMD ["node", "server.js"]`).
    ///
    /// ## Why is this bad?
    /// The shell form runs `/bin/sh -c "<command>"` (or the `SHELL` in
    /// effect). The shell then is PID 1 and the real program its child:
    /// `sh` does not forward `SIGTERM` or `SIGINT`, so `docker stop` waits
    /// out its timeout and kills the program with `SIGKILL`, with no chance
    /// to finish requests or flush data, and zombie processes are not
    /// reaped. A shell-form `ENTRYPOINT` also ignores `CMD` and the
    /// arguments of `docker run`. Every form needs a shell in the image,
    /// which minimal and distroless images do not have; a shell-form health
    /// check spawns one on every probe.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-alpine
    /// CMD node server.js
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22-alpine
    /// CMD ["node", "server.js"]
    /// ```
    ///
    /// ## Fix
    /// Unsafe (`--unsafe-fixes`), offered when the command has no shell syntax:
    /// `--fix` writes the exec form. The program becomes PID 1 and receives the
    /// stop signal, which is the point, but it also no longer runs under the
    /// shell.
    ///
    /// ## References
    /// - hadolint DL3025
    /// - Docker documentation: shell and exec form of CMD and ENTRYPOINT
    id: "DF096",
    name: "shell-form-cmd",
    title: "CMD or ENTRYPOINT in shell form",
    severity: Medium,
    aliases: ["DL3025"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    let escape = cx.model.file.escape;
    for (_, inst) in cx.model.insts() {
        let body = inst.body;
        let text = match &body.args {
            Args::Cmd(Command::Shell(text))
            | Args::Entrypoint(Command::Shell(text))
            | Args::Healthcheck(Some(Command::Shell(text))) => text,
            _ => continue,
        };
        if text.script.trim().is_empty() {
            continue;
        }
        let shell = match inst.shell {
            Some(words) => words
                .iter()
                .map(|w| w.value.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            None => "/bin/sh -c".to_string(),
        };
        let kw = match body.keyword {
            Keyword::Healthcheck => "HEALTHCHECK CMD",
            other => other.as_str(),
        };
        let exec = exec_form(text, escape);
        let fix = match &exec {
            Some(args) => format!("write it in exec form, `{kw} {args}`"),
            None => {
                let script = match body.keyword {
                    Keyword::Healthcheck => "/usr/local/bin/healthcheck.sh",
                    _ => "/usr/local/bin/start.sh",
                };
                format!("use exec form, e.g. `{kw} [\"{script}\"]` with the logic in a script")
            }
        };
        let why = match body.keyword {
            Keyword::Healthcheck => {
                format!("needs a shell in the image and starts `{shell}` on every probe")
            }
            Keyword::Entrypoint => format!(
                "runs under `{shell}`, which as PID 1 does not forward SIGTERM to the program, \
                 and ignores `CMD` and `docker run` arguments"
            ),
            _ => format!(
                "runs under `{shell}`, which as PID 1 does not forward SIGTERM to the program"
            ),
        };
        let message = format!("`{kw}` in shell form {why}: {fix}");
        // Unsafe: the program becomes PID 1 and gets the signals, and
        // nothing the shell did (expansions) happens any more.
        let fix = exec.map(|args| Repair::unsafe_("write it in exec form", (text.span, args)));
        cx.report_fix(text.span, message, fix);
    }
}

/// The exec form of a simple shell command (words only, no expansions,
/// redirections or operators), as a JSON array.
fn exec_form(text: &ShellText, escape: char) -> Option<String> {
    const SPECIAL: &[char] = &[
        '$', '`', '&', '|', ';', '<', '>', '(', ')', '*', '?', '[', '~', '{', '#', '\n',
    ];
    let mut args = Vec::new();
    for (s, e) in split_words(&text.script, escape) {
        let raw = text.script.get(s..e)?;
        if raw.contains(SPECIAL) || raw.contains(escape) {
            return None;
        }
        let value = unquote(raw, escape);
        if value.is_empty() {
            return None;
        }
        args.push(json_string(&value));
    }
    (!args.is_empty()).then(|| format!("[{}]", args.join(", ")))
}

fn json_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for ch in value.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            _ => out.push(ch),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_shell_forms() {
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nCMD node server.js\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nENTRYPOINT /entrypoint.sh\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM alpine:3.20\nHEALTHCHECK --interval=5s CMD curl -f http://localhost/ || exit 1\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nONBUILD CMD make run\n"),
            vec![2]
        );
        // Not valid JSON, so BuildKit treats it as shell form.
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nCMD ['node', 'server.js']\n"),
            vec![2]
        );
    }

    #[test]
    fn suggests_the_exec_form() {
        let found = findings_with(
            &RULE,
            "FROM alpine:3.20\nCMD node \"my server.js\"\n",
            &Default::default(),
        );
        assert!(
            found[0]
                .message
                .contains(r#"`CMD ["node", "my server.js"]`"#),
            "{}",
            found[0].message
        );
        let found = findings_with(
            &RULE,
            "FROM alpine:3.20\nCMD echo $HOME && run\n",
            &Default::default(),
        );
        assert!(
            found[0].message.contains("in a script"),
            "{}",
            found[0].message
        );
        let found = findings_with(
            &RULE,
            "FROM alpine:3.20\nSHELL [\"/bin/bash\", \"-c\"]\nENTRYPOINT app\n",
            &Default::default(),
        );
        assert!(
            found[0].message.contains("`/bin/bash -c`"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn silent_on_exec_forms() {
        assert_silent(&RULE, "FROM alpine:3.20\nCMD [\"node\", \"server.js\"]\n");
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nENTRYPOINT [\"/sbin/tini\", \"--\"]\nCMD []\n",
        );
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nHEALTHCHECK CMD [\"curl\", \"-f\", \"http://localhost/\"]\n",
        );
        assert_silent(&RULE, "FROM alpine:3.20\nHEALTHCHECK NONE\n");
        assert_silent(&RULE, "FROM alpine:3.20\nRUN make\n");
    }
}
