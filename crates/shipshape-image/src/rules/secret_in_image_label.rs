use super::Checker;
use shipshape_core::secrets::find_secret;

rule! {
    /// ## What it does
    /// Flags labels in the image config (`config.Labels`) whose value is
    /// shaped like a credential: an AWS access key ID, a GitHub, Slack or
    /// Stripe token, a Google API key, a JSON Web Token, a private key, or
    /// a URL with a password in it (`https://deploy:pw@ci.example.com/hook`).
    ///
    /// ## Why is this bad?
    /// Labels are metadata meant to be read: registries show them,
    /// `docker inspect` prints them, and tools that index images collect
    /// them. A token put in a label, often by a CI pipeline that stamps
    /// the build's URL or the deploy hook into the image, is published to
    /// everyone who can pull the image, for as long as the image exists.
    /// Revoke it and keep credentials out of labels.
    ///
    /// ## Example
    /// ```json
    /// {"config": {"Labels": {"org.example.deploy-hook": "https://deploy:s3cr3t@ci.example.com/hooks/app"}}}
    /// ```
    ///
    /// ## Use instead
    /// Label the image with where it came from, not how to reach it:
    /// ```json
    /// {"config": {"Labels": {"org.opencontainers.image.source": "https://github.com/example/app"}}}
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.10, dockle CIS-DI-0010
    /// - shipshape DF031 (the same check on a Dockerfile's LABEL)
    id: "IM003",
    name: "secret-in-image-label",
    title: "Credential in an image label",
    severity: High,
    aliases: ["CIS-DI-0010", "DF031", "CIS-4.10"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
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

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::history::fields;
    use crate::rules::test_support::*;

    #[test]
    fn fires_on_credential_values() {
        let found = findings(
            &RULE,
            r#"{"config": {"Labels": {
                "maintainer": "ops@example.com",
                "ci.token": "ghp_0123456789abcdefghijABCDEFGHIJ012345",
                "ci.hook": "https://deploy:s3cr3t@ci.example.com/hook"}}}"#,
        );
        assert_eq!(found.len(), 2);
        let mut got = fields(&found);
        got.sort();
        assert_eq!(
            got,
            [
                r#"config.Labels["ci.hook"]"#,
                r#"config.Labels["ci.token"]"#
            ]
        );
        for f in &found {
            assert!(!f.message.contains("s3cr3t") && !f.message.contains("ABCDEFGHIJ"));
        }
    }

    #[test]
    fn silent_on_ordinary_labels() {
        assert_silent(
            &RULE,
            r#"{"config": {"Labels": {
                "org.opencontainers.image.source": "https://github.com/example/app",
                "org.opencontainers.image.revision": "4f1c2b9e0d7a6c5b3e2f1a0987654321fedcba98",
                "com.example.token-url": "https://auth.example.com/token",
                "com.example.password": "",
                "db.url": "postgres://app:${DB_PASSWORD}@db/app"}}}"#,
        );
        assert_silent(&RULE, r#"{"config": {"Labels": null}}"#);
    }
}
