//! The Dockerfile rules about credentials written into `ENV`, `ARG` and
//! `LABEL`, checked on what an image's config keeps of them, with the same
//! ids: a value of a known credential shape (DF031) in `config.Env` or
//! `config.Labels`, and a literal value under a credential's name (DF030)
//! in `config.Env`. IM002 and IM003, the image rules that repeated them,
//! are aliases.

use crate::dockerfile::{secret_name_in_env_arg, secret_value_in_env_arg_label};
use shipshape_core::secrets::{Secret, credential_name, find_secret, harmless_value};

use super::{Checker, Rule};

/// DF031 on the image's environment.
pub static ENV_VALUE: Rule = Rule {
    meta: secret_value_in_env_arg_label::RULE.meta,
    check: env_values,
};

/// DF030 on the image's environment.
pub static ENV_NAME: Rule = Rule {
    meta: secret_name_in_env_arg::RULE.meta,
    check: env_names,
};

/// DF031 on the image's labels.
pub static LABEL_VALUE: Rule = Rule {
    meta: secret_value_in_env_arg_label::RULE.meta,
    check: label_values,
};

/// Why a recorded `name=value` is a credential: its value has a known
/// shape, or its name says it is one and its value is a literal.
pub(super) enum Why {
    Value(Secret),
    Name(String),
}

pub(super) fn why_secret(name: &str, value: &str) -> Option<Why> {
    if let Some(secret) = find_secret(value) {
        return Some(Why::Value(secret));
    }
    if !is_literal(value) {
        return None;
    }
    credential_name(name).map(Why::Name)
}

fn env_values(cx: &mut Checker<'_>) {
    let image = cx.image;
    for (i, (name, value)) in image.spec.env.iter().enumerate() {
        if let Some(Why::Value(secret)) = why_secret(name, value) {
            let message = format!(
                "the image's environment variable `{name}` holds {} ({}): anyone who can pull the image can read it; revoke it and give it to the container at run time",
                secret.kind, secret.shown
            );
            cx.report_config(format!("config.Env[{i}]"), message);
        }
    }
}

fn env_names(cx: &mut Checker<'_>) {
    let image = cx.image;
    for (i, (name, value)) in image.spec.env.iter().enumerate() {
        if let Some(Why::Name(why)) = why_secret(name, value) {
            let message = format!(
                "the image's environment variable `{name}` {why} and is set to a literal value: anyone who can pull the image can read it; revoke it and give it to the container at run time"
            );
            cx.report_config(format!("config.Env[{i}]"), message);
        }
    }
}

fn label_values(cx: &mut Checker<'_>) {
    let image = cx.image;
    for (key, value) in &image.spec.labels {
        if let Some(secret) = find_secret(value) {
            let message = format!(
                "the image label `{key}` holds {} ({}): labels are public metadata; revoke it and remove it from the label",
                secret.kind, secret.shown
            );
            cx.report_config(format!("config.Labels[\"{key}\"]"), message);
        }
    }
}

/// Whether a value can be a credential written into the image: not empty,
/// not a path or a boolean, not a one-character flag (`1`, `y`), not a
/// reference to another variable.
fn is_literal(value: &str) -> bool {
    let value = value.trim();
    value.chars().nth(1).is_some()
        && !harmless_value(value)
        && !value.starts_with('$')
        && !value.contains("${")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::check;
    use crate::image::history::fields;
    use crate::image::test_support::image;
    use shipshape_core::Finding;

    fn env(vars: &[&str]) -> String {
        let list = serde_json::to_string(vars).expect("json");
        format!(r#"{{"config": {{"Env": {list}}}}}"#)
    }

    /// The findings of the three checks, in the order of the config.
    fn found(json: &str) -> Vec<Finding> {
        let mut found = check(&image(json), &[&ENV_VALUE, &ENV_NAME, &LABEL_VALUE]);
        found.sort_by_key(|f| fields(std::slice::from_ref(f)));
        found
    }

    fn ids(found: &[Finding]) -> Vec<&str> {
        found.iter().map(|f| f.rule.id).collect()
    }

    #[test]
    fn fires_on_credential_values_and_names() {
        let found = found(&env(&[
            "PATH=/usr/bin",
            "AWS_KEY=AKIAIOSFODNN7EXAMPLE",
            "DATABASE_URL=postgres://app:s3cret@db:5432/app",
            "MYSQL_ROOT_PASSWORD=changeme",
            "REACT_APP_GH_TOKEN=abc123",
        ]));
        assert_eq!(
            fields(&found),
            [
                "config.Env[1]",
                "config.Env[2]",
                "config.Env[3]",
                "config.Env[4]"
            ]
        );
        assert_eq!(ids(&found), ["DF031", "DF031", "DF030", "DF030"]);
        // The value itself is never shown.
        assert!(found[0].message.contains("`AKIA…`"));
        assert!(!found[0].message.contains("AKIAIOSFODNN7EXAMPLE"));
        assert!(found[1].message.contains("postgres://app:…@db:5432"));
        assert!(!found[1].message.contains("s3cret"));
        assert!(!found[2].message.contains("changeme"));
    }

    #[test]
    fn silent_on_ordinary_variables() {
        let found = found(&env(&[
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
        ]));
        assert!(found.is_empty(), "{:?}", fields(&found));
        assert!(self::found("{}").is_empty());
    }

    #[test]
    fn fires_on_credential_values_in_labels() {
        let found = found(
            r#"{"config": {"Labels": {
                "maintainer": "ops@example.com",
                "ci.token": "ghp_0123456789abcdefghijABCDEFGHIJ012345",
                "ci.hook": "https://deploy:s3cr3t@ci.example.com/hook"}}}"#,
        );
        assert_eq!(
            fields(&found),
            [
                r#"config.Labels["ci.hook"]"#,
                r#"config.Labels["ci.token"]"#
            ]
        );
        assert_eq!(ids(&found), ["DF031", "DF031"]);
        for f in &found {
            assert!(!f.message.contains("s3cr3t") && !f.message.contains("ABCDEFGHIJ"));
        }
    }

    #[test]
    fn silent_on_ordinary_labels() {
        let found = found(
            r#"{"config": {"Labels": {
                "org.opencontainers.image.source": "https://github.com/example/app",
                "org.opencontainers.image.revision": "4f1c2b9e0d7a6c5b3e2f1a0987654321fedcba98",
                "com.example.token-url": "https://auth.example.com/token",
                "com.example.password": "",
                "db.url": "postgres://app:${DB_PASSWORD}@db/app"}}}"#,
        );
        assert!(found.is_empty(), "{:?}", fields(&found));
        assert!(self::found(r#"{"config": {"Labels": null}}"#).is_empty());
    }
}
