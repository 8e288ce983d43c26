use super::Checker;
use shipshape_core::secrets::{credential_name, find_secret, random_token};
use shipshape_dockerfile::syntax::ast::Keyword;

rule! {
    /// ## What it does
    /// Flags an `ENV` value or `ARG` default that looks generated: one
    /// word of 20 to 512 characters from the base64 and URL-safe alphabets
    /// that mixes upper case, lower case and digits with at least 4 bits of
    /// entropy per character, as API keys, signing secrets and session
    /// keys do. This catches credentials of no known shape under names
    /// that do not say what they hold (`ENV APP_SEED=…`, `ARG BUILD_KEY=…`).
    ///
    /// Values that are not secrets by nature do not qualify: hex strings
    /// (checksums, GPG key fingerprints), versions, paths, URLs and
    /// `sha512-…` integrity values. A value of a known credential shape
    /// (DF031) or under a credential's name (DF030) is left to those rules.
    ///
    /// ## Why is this bad?
    /// Whatever the value is, it is in the Dockerfile's history in version
    /// control, in the image configuration (`ENV`) or history (`ARG`), and
    /// in every build log. If it is a key, everyone who can pull the image
    /// has it.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// ENV SESSION_SEED=q8Zr4Lk2Vb9Xw1Pn7Tc3Hy6Jd5Mf0Sg
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// # SESSION_SEED is set at run time from the orchestrator's secret store.
    /// ENV PYTHONUNBUFFERED=1
    /// ```
    ///
    /// ## References
    /// - dockle CIS-DI-0010
    /// - CIS Docker Benchmark 4.10 (no secrets in Dockerfiles)
    id: "DF103",
    name: "random-value-in-env-arg",
    title: "Random-looking value in an ENV or ARG, possibly a credential",
    severity: Medium,
    aliases: [],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    for (inst, key, value) in cx.assigned_values() {
        let text = value.value.trim();
        if inst.keyword == Keyword::Label
            || credential_name(&key.value).is_some()
            || find_secret(text).is_some()
        {
            continue;
        }
        if let Some(bits) = random_token(text) {
            cx.report_secret(
                value.span,
                format!(
                    "`{} {}` holds a random-looking value ({} characters, {bits:.1} bits of entropy each, `{}…`): if it is a key or token, revoke it and pass it with `RUN --mount=type=secret` or at run time",
                    inst.keyword.as_str(),
                    key.value,
                    text.len(),
                    text.chars().take(4).collect::<String>()
                ),
                text,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_generated_looking_values() {
        assert_eq!(
            lines(
                &RULE,
                "FROM a:1\nENV BUILD_SEED=q8Zr4Lk2Vb9Xw1Pn7Tc3Hy6Jd5Mf0Sg\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "ARG SIGNING=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MEFCQ0RFRkdI\nFROM a:1\n"
            ),
            vec![1]
        );
        // An AWS-style secret key (base64 with slashes) under a bland name.
        assert_eq!(
            lines(
                &RULE,
                "FROM a:1\nONBUILD ENV UPLOAD_CFG wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn silent_on_checksums_versions_paths_and_other_rules_cases() {
        for src in [
            // docker-library style: fingerprints and checksums are hex.
            "FROM a:1\nENV GPG_KEY 7169605F62C751356D054A26A821E680E5FA6305\n",
            "FROM a:1\nENV NODE_SHA256=2b6f5a6c1b8e2f0f1e3d4c5b6a7980f1e2d3c4b5a69788796a5b4c3d2e1f0a9b\n",
            "FROM a:1\nENV PHP_VERSION=8.3.14 PHP_URL=https://www.php.net/distributions/php-8.3.14.tar.xz\n",
            "FROM a:1\nENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n",
            "FROM a:1\nARG INTEGRITY=sha512-Q8Zr4Lk2Vb9Xw1Pn7Tc3Hy6Jd5Mf0Sg9aB8cD7eF6gH5iJ4kL3mN2\n",
            // Words, even long ones, are not random.
            "FROM a:1\nENV JAVA_TOOL_OPTIONS=-XX:+UseContainerSupport\n",
            "FROM a:1\nENV APP_MODULE=MyApplicationServerModuleName2\n",
            // A known shape is DF031's, a credential's name DF030's.
            "FROM a:1\nENV KEY_ID=AKIAIOSFODNN7EXAMPLE\n",
            "FROM a:1\nENV DB_PASSWORD=q8Zr4Lk2Vb9Xw1Pn7Tc3Hy6Jd5Mf0Sg\n",
            // Taken from a build argument, not written here.
            "FROM a:1\nARG SEED\nENV SEED=$SEED\n",
        ] {
            assert_silent(&RULE, src);
        }
    }
}
