use super::Checker;
use shipshape_core::secrets::{credential_name, find_secret, harmless_value};

rule! {
    /// ## What it does
    /// Flags environment variables in the image config (`config.Env`) that
    /// hold a credential: a value shaped like a known kind of token or key
    /// (an AWS access key ID, a GitHub or Slack token, a private key, a URL
    /// with a password...), or a variable named like a credential
    /// (`DB_PASSWORD`, `NPM_TOKEN`, `STRIPE_SECRET_KEY`) that has a literal
    /// value. Paths, booleans, one-character flags and `$VAR` references are
    /// not taken for credentials.
    ///
    /// ## Why is this bad?
    /// The environment is part of the image config: `docker inspect`,
    /// `docker history`, any registry client and anyone who can pull the
    /// image read it in clear text, and every container started from the
    /// image, and every process in it, gets it too. A credential put there
    /// with `ENV` is published with the image and has to be treated as
    /// leaked: revoke it. Give credentials to the container when it starts
    /// (an orchestrator secret, a mounted file), and to build steps with
    /// `RUN --mount=type=secret`.
    ///
    /// ## Example
    /// ```json
    /// {"config": {"Env": ["PATH=/usr/local/bin:/usr/bin:/bin", "DB_PASSWORD=hunter2"]}}
    /// ```
    ///
    /// ## Use instead
    /// Read the password from a file the runtime mounts:
    /// ```json
    /// {"config": {"Env": ["PATH=/usr/local/bin:/usr/bin:/bin", "DB_PASSWORD_FILE=/run/secrets/db_password"]}}
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.10, dockle CIS-DI-0010
    /// - shipshape DF030 and DF031 (the same check on a Dockerfile)
    id: "IM002",
    name: "secret-in-image-env",
    title: "Credential in the image's environment",
    severity: High,
    aliases: ["CIS-DI-0010", "DF030", "DF031", "CIS-4.10"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    let image = cx.image;
    for (i, (name, value)) in image.spec.env.iter().enumerate() {
        let field = format!("config.Env[{i}]");
        if let Some(secret) = find_secret(value) {
            let message = format!(
                "the image's environment variable `{name}` holds {} ({}): anyone who can pull the image can read it; revoke it and give it to the container at run time",
                secret.kind, secret.shown
            );
            cx.report_config(field, message);
        } else if is_literal(value)
            && let Some(why) = credential_name(name)
        {
            let message = format!(
                "the image's environment variable `{name}` {why} and is set to a literal value: anyone who can pull the image can read it; revoke it and give it to the container at run time"
            );
            cx.report_config(field, message);
        }
    }
}

/// Whether a value can be a credential written into the image: not empty,
/// not a path or a boolean, not a one-character flag (`1`, `y`), not a
/// reference to another variable.
pub(super) fn is_literal(value: &str) -> bool {
    let value = value.trim();
    value.chars().nth(1).is_some()
        && !harmless_value(value)
        && !value.starts_with('$')
        && !value.contains("${")
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::history::fields;
    use crate::rules::test_support::*;

    fn env(vars: &[&str]) -> String {
        let list = serde_json::to_string(vars).expect("json");
        format!(r#"{{"config": {{"Env": {list}}}}}"#)
    }

    #[test]
    fn fires_on_credential_values_and_names() {
        let found = findings(
            &RULE,
            &env(&[
                "PATH=/usr/bin",
                "AWS_KEY=AKIAIOSFODNN7EXAMPLE",
                "DATABASE_URL=postgres://app:s3cret@db:5432/app",
                "MYSQL_ROOT_PASSWORD=changeme",
                "REACT_APP_GH_TOKEN=abc123",
            ]),
        );
        assert_eq!(found.len(), 4);
        assert_eq!(
            fields(&found),
            [
                "config.Env[1]",
                "config.Env[2]",
                "config.Env[3]",
                "config.Env[4]"
            ]
        );
        // The value itself is never shown.
        assert!(found[0].message.contains("`AKIA…`"));
        assert!(!found[0].message.contains("AKIAIOSFODNN7EXAMPLE"));
        assert!(found[1].message.contains("postgres://app:…@db:5432"));
        assert!(!found[1].message.contains("s3cret"));
        assert!(!found[2].message.contains("changeme"));
    }

    #[test]
    fn silent_on_ordinary_variables() {
        assert_silent(
            &RULE,
            &env(&[
                "PATH=/usr/local/bin:/usr/bin",
                "GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D",
                "PASSWORD_FILE=/run/secrets/password",
                "MYSQL_ALLOW_EMPTY_PASSWORD=yes",
                "MYSQL_RANDOM_ROOT_PASSWORD=1",
                "DB_PASSWORD=",
                "DB_PASSWORD",
                "API_TOKEN=${API_TOKEN}",
                "TOKEN_TTL=3600",
                "DATABASE_URL=postgres://app@db:5432/app",
                "NOTE=xAKIAIOSFODNN7EXAMPLE",
            ]),
        );
        assert_silent(&RULE, "{}");
    }
}
