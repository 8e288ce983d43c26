use shipshape_core::secrets::{credential_name, find_secret, harmless_value};

use super::Checker;

rule! {
    /// ## What it does
    /// Flags an environment variable whose value is written literally in
    /// the manifest and is a credential: the value looks like a known kind
    /// of token or key (an AWS key ID, a GitHub token, a private key, a URL
    /// with a password...), or the name says it holds one (`DB_PASSWORD`,
    /// `API_KEY`) and the value is not empty, a path or a boolean. Values
    /// taken from variables (`${DB_PASSWORD}`) and Kubernetes
    /// `valueFrom.secretKeyRef` are fine.
    ///
    /// ## Why is this bad?
    /// A manifest is copied everywhere: into git history, CI logs, pull
    /// requests, backups and chat. A password written in it is readable by
    /// everyone who can read any of those, and stays in the history after
    /// it is changed. The value is also visible to anyone allowed to
    /// `docker inspect` the container or read the Deployment, which is far
    /// wider than who may read a Secret.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   app:
    ///     image: example/app:2.3
    ///     environment:
    ///       DB_PASSWORD: s3cr3t-pa55
    /// ```
    ///
    /// ## Use instead
    /// Take the value from the environment or a `.env` file kept out of
    /// version control, or better, a compose or Kubernetes secret:
    /// ```yaml
    /// services:
    ///   app:
    ///     image: example/app:2.3
    ///     environment:
    ///       DB_PASSWORD: ${DB_PASSWORD}
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.10 (do not store secrets in Dockerfiles), applied to manifests
    /// - Kubernetes documentation, Secrets: using Secrets as environment variables
    id: "RT033",
    name: "secret-in-environment",
    title: "Credential written in the environment",
    severity: High,
    aliases: [],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    let spec = cx.spec;
    for var in &spec.env {
        let Some(value) = &var.value else {
            continue;
        };
        let problem = if let Some(secret) = find_secret(value) {
            format!("to {} ({})", secret.kind, secret.shown)
        } else if let Some(why) = credential_name(&var.name)
            && !value.trim().is_empty()
            && !harmless_value(value)
        {
            format!("to a literal value, and `{}` {why}", var.name)
        } else {
            continue;
        };
        let message = format!(
            "{} sets `{}` {problem}: anyone who can read the manifest or inspect the container has it; pass it from a secret",
            spec.name, var.name
        );
        cx.report_secret(&var.at, message, value);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::runtime::test_support::*;

    #[test]
    fn fires_on_literal_credentials() {
        let compose = "services:\n  a:\n    image: a:1\n    environment:\n      DB_PASSWORD: hunter2\n      AWS_KEY: AKIAIOSFODNN7EXAMPLE\n      LOG_LEVEL: debug\n  b:\n    image: b:1\n    environment:\n      - API_TOKEN=abc123\n      - DATABASE_URL=postgres://app:hunter2@db/app\n";
        assert_eq!(lines(&RULE, compose), vec![5, 6, 11, 12]);
        let messages: Vec<String> = findings(&RULE, compose)
            .into_iter()
            .map(|f| f.message)
            .collect();
        assert!(
            messages.iter().all(|m| !m.contains("hunter2")),
            "{messages:?}"
        );
        assert!(messages[1].contains("`AKIA…`"), "{messages:?}");
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    env:\n    - name: DB_PASSWORD\n      value: hunter2\n";
        assert_eq!(lines(&RULE, pod), vec![11]);
    }

    #[test]
    fn silent_on_references_and_harmless_values() {
        let compose = "services:\n  a:\n    image: a:1\n    environment:\n      DB_PASSWORD: ${DB_PASSWORD}\n      API_KEY: \"\"\n      SECRET_FILE: /run/secrets/db\n      TOKEN_REQUIRED: \"true\"\n      PASSWORD_AUTH: \"off\"\n  b:\n    image: b:1\n    environment:\n      - DB_PASSWORD\n      - API_TOKEN=$API_TOKEN\n";
        assert_silent(&RULE, compose);
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n    env:\n    - name: DB_PASSWORD\n      valueFrom:\n        secretKeyRef:\n          name: db\n          key: password\n    - name: API_TOKEN\n      value: $(TOKEN_FROM_FILE)\n";
        assert_silent(&RULE, pod);
    }
}
