use super::Checker;
use super::history::{instruction, run_script};
use super::secret_in_image_env::is_literal;
use shipshape_core::secrets::{credential_name, find_secret};

rule! {
    /// ## What it does
    /// Flags build arguments that the image's history recorded with a
    /// credential in them. The builders write the build arguments in scope
    /// in front of every RUN step (`|2 NPM_TOKEN=npm_... VERSION=1.2
    /// /bin/sh -c npm ci`), and an `ARG` step records its default value
    /// (`ARG NPM_TOKEN=npm_...`). An argument is flagged when its value is
    /// shaped like a known kind of token or key, or when its name says it
    /// is a credential (`NPM_TOKEN`, `DB_PASSWORD`) and it has a literal
    /// value. An argument recorded by several steps is reported once, at
    /// the first.
    ///
    /// ## Why is this bad?
    /// `--build-arg` is not a way to pass a secret: the value is written
    /// into the image's history, which `docker history --no-trunc`, any
    /// registry client and anyone who can pull the image can read, even if
    /// no file in the image holds it and even if a later step unsets it.
    /// Treat the credential as leaked and revoke it. Pass build-time
    /// credentials with `RUN --mount=type=secret,id=npm_token` (BuildKit),
    /// which exposes them to that one step and records nothing.
    ///
    /// ## Example
    /// ```json
    /// {"history": [
    ///   {"created_by": "/bin/sh -c #(nop) ADD file:9a3c0d1f in / "},
    ///   {"created_by": "ARG NPM_TOKEN", "empty_layer": true},
    ///   {"created_by": "RUN |1 NPM_TOKEN=npm_4f1c2b9e0d7a6c5b3e2f1a09 /bin/sh -c npm ci # buildkit"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"history": [
    ///   {"created_by": "/bin/sh -c #(nop) ADD file:9a3c0d1f in / "},
    ///   {"created_by": "RUN /bin/sh -c NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci # buildkit"}]}
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.10, dockle CIS-DI-0010
    /// - Docker documentation: build secrets (`RUN --mount=type=secret`)
    /// - shipshape DF030 (credential-named `ARG` in a Dockerfile)
    id: "IM010",
    name: "history-build-arg-secret",
    title: "Credential in a build argument recorded in the history",
    severity: Critical,
    aliases: ["CIS-DI-0010", "DF030", "CIS-4.10"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    let image = cx.image;
    let history = &image.spec.history;
    let recorded: Vec<(usize, Vec<(String, String)>)> = history
        .iter()
        .enumerate()
        .map(|(i, h)| (i, build_args(&h.created_by)))
        .collect();
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for (index, args) in &recorded {
        for (name, value) in args {
            if seen.contains(&(name.as_str(), value.as_str())) {
                continue;
            }
            let Some(why) = why_secret(name, value) else {
                continue;
            };
            seen.push((name, value));
            let others = recorded
                .iter()
                .filter(|(i, a)| i > index && a.iter().any(|(n, v)| n == name && v == value))
                .count();
            let also = match others {
                0 => String::new(),
                1 => " (and 1 later step)".to_string(),
                n => format!(" (and {n} later steps)"),
            };
            let message = format!(
                "build step {index} records the build argument `{name}`{also}, which {why}: anyone who can pull the image can read it in the history; revoke it and pass it with `RUN --mount=type=secret` instead"
            );
            cx.report_history(*index, message);
        }
    }
}

/// The build arguments a history entry recorded: those in front of a RUN,
/// or the default of an `ARG`.
fn build_args(created_by: &str) -> Vec<(String, String)> {
    if let Some(("ARG", body)) = instruction(created_by) {
        return body
            .split_whitespace()
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
    }
    run_script(created_by)
        .map(|(_, args)| args)
        .unwrap_or_default()
}

fn why_secret(name: &str, value: &str) -> Option<String> {
    if let Some(secret) = find_secret(value) {
        return Some(format!("holds {} ({})", secret.kind, secret.shown));
    }
    if !is_literal(value) {
        return None;
    }
    credential_name(name).map(|why| format!("{why} and has a literal value"))
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::history::{fields, history_json as steps};
    use crate::rules::test_support::*;

    #[test]
    fn fires_on_recorded_credentials() {
        let found = findings(
            &RULE,
            &steps(&[
                "/bin/sh -c #(nop) ADD file:9a3c0d1f in / ",
                "|1 NPM_TOKEN=npm_abc /bin/sh -c npm ci",
                "|1 NPM_TOKEN=npm_abc /bin/sh -c npm run build",
                "RUN |2 TARGETARCH=amd64 GH=ghp_0123456789abcdefghijABCDEFGHIJ012345 /bin/sh -c make # buildkit",
                "ARG DB_PASSWORD=hunter2",
                "/bin/sh -c #(nop)  ARG API_KEY=abc123",
                "RUN |1 HTTP_PROXY=http://user:pr0xy@proxy.example.com:3128 /bin/sh -c apk add --no-cache curl # buildkit",
            ]),
        );
        assert_eq!(
            fields(&found),
            [
                "history[1]",
                "history[3]",
                "history[4]",
                "history[5]",
                "history[6]"
            ]
        );
        assert!(found[0].message.contains("`NPM_TOKEN` (and 1 later step)"));
        assert!(found[1].message.contains("`ghp_…`"));
        for f in &found {
            for value in ["npm_abc", "ABCDEFGHIJ", "hunter2", "abc123", "pr0xy"] {
                assert!(!f.message.contains(value), "{}", f.message);
            }
        }
    }

    #[test]
    fn a_new_value_is_a_new_finding() {
        let found = findings(
            &RULE,
            &steps(&[
                "|1 NPM_TOKEN=npm_abc /bin/sh -c npm ci",
                "|1 NPM_TOKEN=npm_def /bin/sh -c npm ci",
            ]),
        );
        assert_eq!(fields(&found), ["history[0]", "history[1]"]);
    }

    #[test]
    fn silent_on_ordinary_arguments() {
        assert_silent(
            &RULE,
            &steps(&[
                "/bin/sh -c #(nop) ADD file:9a3c0d1f in / ",
                "ARG NPM_TOKEN",
                "|1 NPM_TOKEN= /bin/sh -c npm ci",
                "RUN |3 TARGETARCH=amd64 VERSION=1.2 GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D /bin/sh -c make # buildkit",
                "|1 TOKEN_FILE=/run/secrets/token /bin/sh -c make",
                "|1 USE_PASSWORD=true /bin/sh -c make",
                "/bin/sh -c export DB_PASSWORD=$(cat /run/secrets/db) && make",
                "ENV API_TOKEN=abc123",
                "/bin/sh -c #(nop)  ENV API_TOKEN=abc123",
            ]),
        );
    }
}
