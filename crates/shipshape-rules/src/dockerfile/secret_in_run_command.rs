use super::Checker;
use shipshape_core::secrets::find_secret;
use shipshape_dockerfile::syntax::ast::{Args, Command};

rule! {
    /// ## What it does
    /// Flags a `RUN` whose command holds a credential of a known shape: an
    /// AWS access key ID, a GitHub, GitLab or Slack token, a Slack webhook,
    /// a Stripe live key, a Google API key, a JSON Web Token, a private key,
    /// or a URL with a password (`curl -H "Authorization: token ghp_…"`,
    /// `git clone https://user:pass@…`, `echo AKIA… > …`). Here-documents
    /// count as part of the command. A password that is a variable
    /// (`https://user:$TOKEN@…`) is not flagged.
    ///
    /// The same check runs on every build step an image's history recorded
    /// (`shipshape image`), where the command is kept word for word; IM015,
    /// its former image twin, is an alias.
    ///
    /// ## Why is this bad?
    /// The command of every `RUN` is stored in the image's history:
    /// `docker history --no-trunc` shows it to anyone who can pull the
    /// image, even when no file in the image holds the credential any more.
    /// It is also in the Dockerfile, and so in the repository and its
    /// history. Treat it as leaked and revoke it.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add --no-cache git \
    ///  && git clone https://deploy:Xk29fLwQ@git.example.com/app.git /src
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// # syntax=docker/dockerfile:1
    /// FROM alpine:3.20
    /// RUN apk add --no-cache git
    /// RUN --mount=type=secret,id=git_token \
    ///     git clone "https://deploy:$(cat /run/secrets/git_token)@git.example.com/app.git" /src
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.10, dockle CIS-DI-0010
    /// - Docker documentation: build secrets (`RUN --mount=type=secret`)
    id: "DF109",
    name: "secret-in-run-command",
    title: "A RUN command holds a credential",
    severity: Critical,
    aliases: ["IM015", "history-command-secret", "CIS-DI-0010", "CIS-4.10"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    for (_, inst, _) in cx.model.runs() {
        let Args::Run(command) = &inst.body.args else {
            continue;
        };
        let text = match command {
            Command::Shell(shell) => shell.script.clone(),
            Command::Exec { args, .. } => args
                .iter()
                .map(|w| w.value.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        };
        if let Some(secret) = find_secret(&text) {
            cx.report_secret(
                inst.body.span,
                format!(
                    "this `RUN` holds {} ({}) in its command, which the image's history keeps word for word; revoke it and pass it with `RUN --mount=type=secret` instead",
                    secret.kind, secret.shown
                ),
                &secret.found,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_credentials_in_commands() {
        for (text, line) in [
            (
                "FROM a:1\nRUN curl -fsSL -H 'Authorization: token ghp_0123456789abcdefghijABCDEFGHIJ012345' https://api.github.com/x\n",
                2,
            ),
            ("FROM a:1\nRUN echo AKIAIOSFODNN7EXAMPLE > /root/key\n", 2),
            (
                "FROM a:1\nRUN apk add git \\\n && git clone https://deploy:Xk29fLw@git.example.com/app.git\n",
                2,
            ),
            (
                "FROM a:1\nRUN [\"git\", \"clone\", \"https://u:Xk29fLw@git.example.com/a.git\"]\n",
                2,
            ),
            (
                "FROM a:1\nRUN <<EOF\nset -e\nexport TOKEN=glpat-abcdefghij0123456789\nEOF\n",
                2,
            ),
            (
                "FROM a:1\nONBUILD RUN echo xoxb-123456789012-abcdefghij > /etc/slack\n",
                2,
            ),
        ] {
            assert_eq!(lines(&RULE, text), vec![line], "{text}");
        }
    }

    #[test]
    fn masks_the_credential_alone() {
        let found = findings_with(
            &RULE,
            "FROM a:1\nRUN git clone https://deploy:Xk29fLw@git.example.com/app.git\n",
            &crate::dockerfile::Options::default(),
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].secret.as_deref(), Some("Xk29fLw"));
        assert!(!found[0].message.contains("Xk29fLw"));
    }

    #[test]
    fn silent_without_a_credential() {
        for text in [
            "FROM a:1\nRUN git clone https://git.example.com/app.git\n",
            "FROM a:1\nRUN git clone https://deploy:$GIT_TOKEN@git.example.com/app.git\n",
            "FROM a:1\nRUN --mount=type=secret,id=t curl -H \"Authorization: token $(cat /run/secrets/t)\" https://x\n",
            "FROM a:1\nRUN echo xAKIAIOSFODNN7EXAMPLE\n",
            "FROM a:1\nENV T=ghp_0123456789abcdefghijABCDEFGHIJ012345\n",
        ] {
            assert_silent(&RULE, text);
        }
    }
}
