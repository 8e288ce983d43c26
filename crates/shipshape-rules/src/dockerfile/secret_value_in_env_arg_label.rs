use super::Checker;
use shipshape_core::secrets::find_secret;

rule! {
    /// ## What it does
    /// Flags an `ENV` value, `ARG` default or `LABEL` value shaped like a
    /// credential, whatever the variable is called:
    /// - AWS access key IDs (`AKIA` or `ASIA` and 16 upper-case letters or digits)
    /// - GitHub tokens (`ghp_`, `gho_`, `ghs_`, `ghu_`, `ghr_`, `github_pat_`)
    /// - Slack tokens (`xoxb-`, `xoxp-`, `xoxa-`, `xoxr-`, `xoxs-`)
    /// - private keys (`-----BEGIN ... PRIVATE KEY-----`)
    /// - Stripe live keys (`sk_live_`, `rk_live_`)
    /// - Google API keys (`AIza` and 35 characters)
    /// - JSON Web Tokens (`eyJ...` `.` `eyJ...` `.`)
    /// - URLs with a password (`scheme://user:password@host`); a password
    ///   taken from a variable (`:$DB_PASSWORD@`) is fine
    ///
    /// The finding shows the first four characters of the credential; URL
    /// passwords are not shown at all.
    ///
    /// The same check runs on an image's config (`config.Env`,
    /// `config.Labels`) and on the build arguments its history recorded
    /// (`|2 NPM_TOKEN=... /bin/sh -c ...`); IM002, IM003 and IM010, its
    /// former image twins, are aliases.
    ///
    /// ## Why is this bad?
    /// The value is in the Dockerfile, so it is in version control, in
    /// every build log, and in the image: `ENV` and `LABEL` in its
    /// configuration, build arguments in its history. Anyone who can read
    /// the repository or pull the image has the credential. Treat it as
    /// leaked: revoke it, then supply it through a BuildKit secret mount
    /// or the runtime's secret store.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// ENV AWS_DEFAULT_REGION=eu-west-1 AWS_KEY=AKIAIOSFODNN7EXAMPLE
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// ENV AWS_DEFAULT_REGION=eu-west-1
    /// RUN --mount=type=secret,id=aws,target=/root/.aws/credentials \
    ///     python fetch_models.py
    /// ```
    ///
    /// ## References
    /// - dockle CIS-DI-0010
    /// - CIS Docker Benchmark 4.10 (no secrets in Dockerfiles)
    id: "DF031",
    name: "secret-value-in-env-arg-label",
    title: "Credential in an ENV, ARG or LABEL value",
    severity: Critical,
    aliases: ["CIS-DI-0010", "CIS-4.10", "IM002", "IM003", "IM010", "secret-in-image-env", "secret-in-image-label", "history-build-arg-secret"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    for (inst, key, value) in cx.assigned_values() {
        if let Some(secret) = find_secret(&value.value) {
            cx.report_secret(
                value.span,
                format!(
                    "the value of `{} {}` contains {} ({}); revoke it and pass it with `RUN --mount=type=secret` or at run time",
                    inst.keyword.as_str(),
                    key.value,
                    secret.kind,
                    secret.shown
                ),
                &value.value,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_credentials_in_values() {
        assert_eq!(
            lines(&RULE, "FROM a:1\nENV KEY_ID=AKIAIOSFODNN7EXAMPLE\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "ARG T=ghp_0123456789abcdefghijABCDEFGHIJ012345\nFROM a:1\n"
            ),
            vec![1]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM a:1\nLABEL ci.url=\"https://deploy:s3cr3t@ci.example.com/hook\"\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM a:1\nENV DATABASE_URL postgres://app:pw@db:5432/app\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM a:1\nONBUILD ENV SLACK=xoxb-123456789012-abcdefghij\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn silent_on_ordinary_values() {
        assert_silent(&RULE, "FROM a:1\nENV AWS_DEFAULT_REGION=eu-west-1\n");
        assert_silent(
            &RULE,
            "FROM a:1\nENV DATABASE_URL=postgres://app:${DB_PASSWORD}@db/app\n",
        );
        assert_silent(&RULE, "FROM a:1\nENV DATABASE_URL=postgres://app@db/app\n");
        assert_silent(
            &RULE,
            "FROM a:1\nLABEL org.opencontainers.image.source=https://github.com/acme/app\n",
        );
        assert_silent(
            &RULE,
            "FROM a:1\nENV URL=https://user:****@host/ X=ghp_short\n",
        );
        assert_silent(
            &RULE,
            "FROM a:1\nARG AKIA\nENV NOTE=xAKIAIOSFODNN7EXAMPLE\n",
        );
        assert_silent(&RULE, "FROM a:1\nRUN echo AKIAIOSFODNN7EXAMPLE\n");
    }
}
