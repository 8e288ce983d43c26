use super::Checker;
use super::history::run_script;
use shipshape_core::secrets::find_secret;

rule! {
    /// ## What it does
    /// Flags a build step whose recorded command holds a credential of a
    /// known shape: an AWS access key ID, a GitHub, GitLab or Slack token,
    /// a Slack webhook, a Stripe live key, a Google API key, a JSON Web
    /// Token, a private key, or a URL with a password, written into the
    /// command itself (`curl -H "Authorization: token ghp_…"`,
    /// `git clone https://user:pass@…`, `echo AKIA… > …`). Build arguments
    /// in front of the command are IM010's.
    ///
    /// ## Why is this bad?
    /// The image's history keeps every RUN command word for word:
    /// `docker history --no-trunc` and anyone who can pull the image read
    /// the credential, even when no file in the image holds it any more.
    /// Treat it as leaked and revoke it.
    ///
    /// ## Example
    /// ```json
    /// {"history": [
    ///   {"created_by": "/bin/sh -c #(nop) ADD file:9a3c0d1f in / "},
    ///   {"created_by": "RUN /bin/sh -c git clone https://deploy:Xk29fLw@git.example.com/app.git # buildkit"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"history": [
    ///   {"created_by": "/bin/sh -c #(nop) ADD file:9a3c0d1f in / "},
    ///   {"created_by": "RUN /bin/sh -c git clone https://git.example.com/app.git # buildkit"}]}
    /// ```
    /// with the credential supplied by `RUN --mount=type=secret` (or
    /// `--mount=type=ssh`), which records nothing.
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.10, dockle CIS-DI-0010
    /// - shipshape IM010 (credentials in recorded build arguments)
    id: "IM015",
    name: "history-command-secret",
    title: "Credential written in a build command recorded in the history",
    severity: Critical,
    aliases: ["CIS-DI-0010", "CIS-4.10"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    let image = cx.image;
    for (index, step) in image.spec.history.iter().enumerate() {
        let Some((script, _)) = run_script(&step.created_by) else {
            continue;
        };
        if let Some(secret) = find_secret(&script) {
            cx.report_history(
                index,
                format!(
                    "build step {index} runs a command that holds {} ({}): anyone who can pull the image reads it in the history; revoke it and pass it with `RUN --mount=type=secret` instead",
                    secret.kind, secret.shown
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::history::{fields, history_json as steps};
    use crate::rules::test_support::*;

    #[test]
    fn fires_on_credentials_in_commands() {
        let found = findings(
            &RULE,
            &steps(&[
                "/bin/sh -c #(nop) ADD file:9a3c0d1f in / ",
                "RUN /bin/sh -c curl -fsSL -H 'Authorization: token ghp_0123456789abcdefghijABCDEFGHIJ012345' https://api.github.com/x # buildkit",
                "/bin/sh -c echo AKIAIOSFODNN7EXAMPLE > /root/key",
                "RUN |1 V=1 /bin/sh -c git clone https://deploy:Xk29fLw@git.example.com/app.git # buildkit",
            ]),
        );
        assert_eq!(fields(&found), ["history[1]", "history[2]", "history[3]"]);
        assert!(found[0].message.contains("a GitHub token (`ghp_…`)"));
        for f in &found {
            for value in ["ABCDEFGHIJ", "FODNN7", "Xk29fLw"] {
                assert!(!f.message.contains(value), "{}", f.message);
            }
        }
    }

    #[test]
    fn silent_on_commands_without_credentials() {
        assert_silent(
            &RULE,
            &steps(&[
                "/bin/sh -c #(nop) ADD file:9a3c0d1f in / ",
                "RUN /bin/sh -c curl -fsSL -H \"Authorization: token $(cat /run/secrets/gh)\" https://api.github.com/x # buildkit",
                "RUN |1 GH=ghp_0123456789abcdefghijABCDEFGHIJ012345 /bin/sh -c make # buildkit",
                "/bin/sh -c #(nop)  ENV PASSWORD_FILE=/run/secrets/db",
                "RUN /bin/sh -c git clone https://git.example.com/app.git # buildkit",
            ]),
        );
    }
}
