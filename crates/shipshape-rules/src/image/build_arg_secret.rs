//! The Dockerfile rules about credentials in `ARG`, checked on the build
//! arguments an image's history recorded, with the same ids: a value of a
//! known credential shape (DF031) or a literal value under a credential's
//! name (DF030). The builders write the build arguments in scope in front
//! of every RUN step (`|2 NPM_TOKEN=npm_... VERSION=1.2 /bin/sh -c ...`),
//! and BuildKit records an `ARG` with its default. IM010, the image rule
//! that repeated them, is an alias. A credential recorded by several steps
//! is reported once, at the first.

use crate::dockerfile::{secret_name_in_env_arg, secret_value_in_env_arg_label};

use super::history::{instruction, run_script};
use super::secret_in_image_env::{Why, why_secret};
use super::{Checker, Rule};

/// DF031 on the recorded build arguments.
pub static ARG_VALUE: Rule = Rule {
    meta: secret_value_in_env_arg_label::RULE.meta,
    check: |cx| check(cx, true),
};

/// DF030 on the recorded build arguments.
pub static ARG_NAME: Rule = Rule {
    meta: secret_name_in_env_arg::RULE.meta,
    check: |cx| check(cx, false),
};

/// Reports the recorded credentials: those of a known shape (`values`),
/// or those with a credential's name.
fn check(cx: &mut Checker<'_>, values: bool) {
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
            let why = match why_secret(name, value) {
                Some(Why::Value(secret)) if values => {
                    format!("holds {} ({})", secret.kind, secret.shown)
                }
                Some(Why::Name(why)) if !values => format!("{why} and has a literal value"),
                _ => continue,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::check;
    use crate::image::history::{fields, history_json as steps};
    use crate::image::test_support::image;
    use shipshape_core::Finding;

    /// The findings of both checks, in the order of the history.
    fn findings(json: &str) -> Vec<Finding> {
        let mut found = check(&image(json), &[&ARG_VALUE, &ARG_NAME]);
        found.sort_by_key(|f| fields(std::slice::from_ref(f)));
        found
    }

    #[test]
    fn fires_on_recorded_credentials() {
        let found = findings(&steps(&[
            "/bin/sh -c #(nop) ADD file:9a3c0d1f in / ",
            "|1 NPM_TOKEN=npm_abc /bin/sh -c npm ci",
            "|1 NPM_TOKEN=npm_abc /bin/sh -c npm run build",
            "RUN |2 TARGETARCH=amd64 GH=ghp_0123456789abcdefghijABCDEFGHIJ012345 /bin/sh -c make # buildkit",
            "ARG DB_PASSWORD=hunter2",
            "/bin/sh -c #(nop)  ARG API_KEY=abc123",
            "RUN |1 HTTP_PROXY=http://user:pr0xy@proxy.example.com:3128 /bin/sh -c apk add --no-cache curl # buildkit",
        ]));
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
        let ids: Vec<&str> = found.iter().map(|f| f.rule.id).collect();
        assert_eq!(ids, ["DF030", "DF031", "DF030", "DF030", "DF031"]);
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
        let found = findings(&steps(&[
            "|1 NPM_TOKEN=npm_abc /bin/sh -c npm ci",
            "|1 NPM_TOKEN=npm_def /bin/sh -c npm ci",
        ]));
        assert_eq!(fields(&found), ["history[0]", "history[1]"]);
    }

    #[test]
    fn silent_on_ordinary_arguments() {
        let found = findings(&steps(&[
            "/bin/sh -c #(nop) ADD file:9a3c0d1f in / ",
            "ARG NPM_TOKEN",
            "|1 NPM_TOKEN= /bin/sh -c npm ci",
            "RUN |3 TARGETARCH=amd64 VERSION=1.2 GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D /bin/sh -c make # buildkit",
            "|1 TOKEN_FILE=/run/secrets/token /bin/sh -c make",
            "|1 USE_PASSWORD=true /bin/sh -c make",
            "/bin/sh -c export DB_PASSWORD=$(cat /run/secrets/db) && make",
            "ENV API_TOKEN=abc123",
            "/bin/sh -c #(nop)  ENV API_TOKEN=abc123",
        ]));
        assert!(found.is_empty(), "{:?}", fields(&found));
    }
}
