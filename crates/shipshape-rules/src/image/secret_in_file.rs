use super::Checker;

rule! {
    /// ## What it does
    /// Reports secrets in the image's files: every text file of every
    /// layer up to 1 MiB is scanned line by line for AWS access keys,
    /// GitHub and GitLab tokens, Slack tokens and webhooks, Stripe and
    /// Google API keys, private keys (PEM and OpenSSH, GCP service-account
    /// files), JSON Web Tokens, URLs with a password, and `password =` /
    /// `secret:` / `api_key =` assignments whose value looks random (8
    /// characters or more, 3.5 bits of entropy per character, not a
    /// placeholder, and not code: an unquoted value with brackets or
    /// parentheses, such as `passwd = getpass(prompt)`, is a call, not a
    /// secret). Documentation, man pages, CA bundles and the test and
    /// example folders of installed packages are not scanned: their
    /// key-shaped strings are samples. The secret is shown redacted.
    ///
    /// ## Why is this bad?
    /// Anyone who can pull the image can read every layer, including files
    /// a later layer deleted. A credential baked into an image is leaked to
    /// every registry, cache and host it reaches.
    ///
    /// ## Example
    /// ```text
    /// 0600 0:0 root/.aws/credentials = [default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n
    /// ```
    ///
    /// ## Use instead
    /// Mount credentials at run time (a secret store, `docker run
    /// --mount type=secret`), or use BuildKit secret mounts while building:
    /// ```text
    /// 0644 0:0 root/.aws/config = [default]\nregion = eu-west-1\n
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.10, dockle CIS-DI-0010
    /// - trivy's secret scanner covers the same ground
    id: "IM201",
    name: "secret-in-file",
    title: "Secret in a file of the image",
    severity: High,
    aliases: ["CIS-DI-0010", "CIS-4.10"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    for found in &cx.image.secrets {
        // A key file still in the image is `private-key-file`'s to report.
        let key_file = found.hit.kind.contains("private key")
            && super::wants(&found.path)
            && cx.image.files.get(&found.path).is_some();
        if key_file {
            continue;
        }
        let message = format!(
            "{} contains {} ({}) on line {}: revoke it and keep it out of the image",
            found.path, found.hit.kind, found.hit.shown, found.hit.line
        );
        cx.report_file(found.layer, &found.path, Some(found.hit.line), message);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::image::test_support::*;

    #[test]
    fn fires_on_secrets_in_files() {
        let found = findings(
            &RULE,
            "0644 0:0 app/settings.py = DEBUG = False\\nSTRIPE = 'sk_live_0123456789abcdefABCD'\\n",
        );
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains("line 2") && found[0].message.contains("`sk_l…`"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn silent_on_samples_and_placeholders() {
        assert_silent(
            &RULE,
            "0644 0:0 usr/share/doc/aws/README = aws_access_key_id = AKIAIOSFODNN7EXAMPLE\\n",
        );
        assert_silent(&RULE, "0644 0:0 app/.env.example = PASSWORD=changeme\\n");
    }
}
