use super::Checker;
use shipshape_dockerfile::syntax::ast::Args;

rule! {
    /// ## What it does
    /// Flags a `COPY` or `ADD` source whose name is a well-known secret
    /// file:
    /// - SSH private keys `id_rsa`, `id_dsa`, `id_ecdsa`, `id_ed25519` (not
    ///   the `.pub` halves) and the directories `.ssh`, `.aws`, `.gnupg`
    /// - `.env` and `.env.*` (except `.env.example`, `.env.sample`,
    ///   `.env.template`, `.env.dist`)
    /// - package-manager and tool credentials: `.npmrc`, `.pypirc`,
    ///   `.netrc`, `.git-credentials`, `.htpasswd`, `.aws/credentials`,
    ///   `kubeconfig`, `.kube/config`, `.docker/config.json`
    /// - private-key files `*.key`, `*.pem`, `*.p12`, `*.pfx`; `.pem`
    ///   files named like certificates (`cert.pem`, `ca.pem`,
    ///   `fullchain.pem`) and `.key` files named like public signing keys
    ///   (`nodesource.gpg.key`) are left alone
    ///
    /// Glob sources count by their pattern (`certs/*.key`).
    ///
    /// ## Why is this bad?
    /// Whatever `COPY` puts in a layer stays in the image, even if a later
    /// step deletes it: anyone who pulls the image can extract the key or
    /// token. Credentials needed during the build belong in a BuildKit
    /// secret or SSH mount; those needed at run time in the runtime's
    /// secret store.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// COPY id_rsa /root/.ssh/id_rsa
    /// RUN apk add --no-cache git openssh-client \
    ///  && git clone git@github.com:acme/private.git /src
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add --no-cache git openssh-client
    /// RUN --mount=type=ssh git clone git@github.com:acme/private.git /src
    /// ```
    ///
    /// ## References
    /// - dockle CIS-DI-0010 (sensitive files in layers)
    /// - CIS Docker Benchmark 4.10 (no secrets in images)
    id: "DF033",
    name: "secret-file-copied",
    title: "Secret file copied into the image",
    severity: High,
    aliases: ["CIS-DI-0010"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    let escape = cx.model.file.escape;
    for (stage, inst) in cx.model.insts() {
        let body = inst.body;
        let copy = match &body.args {
            Args::Copy(copy) | Args::Add(copy) => copy,
            _ => continue,
        };
        for source in &copy.sources {
            let expanded = shipshape_dockerfile::syntax::words::expand(
                &source.raw,
                escape,
                &stage.scope(inst),
            );
            let path = match expanded {
                Ok(e) if e.is_exact() => e.value,
                _ => source.value.clone(),
            };
            if let Some(what) = secret_file(&path) {
                cx.report(
                    source.span,
                    format!(
                        "`{}` is {what} and stays in the image layer; use `RUN --mount=type=secret` (or `--mount=type=ssh`) instead of copying it",
                        source.value
                    ),
                );
            }
        }
    }
}

/// What kind of secret a path names, or `None`.
fn secret_file(path: &str) -> Option<&'static str> {
    let trimmed = path.trim_end_matches('/');
    // A URL's path counts; its host does not.
    let trimmed = trimmed.split_once("://").map_or(trimmed, |(_, rest)| {
        rest.split_once('/').map_or("", |(_, p)| p)
    });
    let parts: Vec<&str> = trimmed
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    let name = parts.last()?.to_ascii_lowercase();
    let parent = parts
        .len()
        .checked_sub(2)
        .and_then(|i| parts.get(i))
        .map(|p| p.to_ascii_lowercase());
    let what = match name.as_str() {
        "id_rsa" | "id_dsa" | "id_ecdsa" | "id_ed25519" => "an SSH private key",
        ".ssh" => "an SSH directory (private keys)",
        ".aws" => "an AWS credentials directory",
        ".gnupg" => "a GnuPG directory (private keys)",
        ".env" => "an environment file (secrets)",
        ".npmrc" => "an npm config (registry tokens)",
        ".pypirc" => "a PyPI config (upload credentials)",
        ".netrc" => "a netrc file (passwords)",
        ".git-credentials" => "a Git credential store",
        ".htpasswd" => "a password file",
        "kubeconfig" => "a Kubernetes config (cluster credentials)",
        "credentials" if parent.as_deref() == Some(".aws") => "an AWS credentials file",
        "config" if parent.as_deref() == Some(".kube") => {
            "a Kubernetes config (cluster credentials)"
        }
        "config.json" if parent.as_deref() == Some(".docker") => {
            "a Docker config (registry credentials)"
        }
        _ => return secret_by_pattern(&name),
    };
    Some(what)
}

fn secret_by_pattern(name: &str) -> Option<&'static str> {
    if let Some(variant) = name.strip_prefix(".env.") {
        let template = matches!(
            variant,
            "example" | "sample" | "template" | "dist" | "defaults"
        );
        return (!template).then_some("an environment file (secrets)");
    }
    let (stem, ext) = name.rsplit_once('.')?;
    let looks_public = |words: &[&str]| words.iter().any(|w| stem.contains(w));
    match ext {
        "p12" | "pfx" => Some("a PKCS#12 key store"),
        "key"
            if !looks_public(&[
                "gpg", "pgp", "pub", "asc", "keyring", "signing", "release", "repo",
            ]) =>
        {
            Some("a private key file")
        }
        "pem" => {
            let private = looks_public(&["key", "priv"]);
            let certificate = stem == "ca"
                || looks_public(&[
                    "cert", "chain", "bundle", "pub", "trust", "ca-", "-ca", "_ca", "ca_", "root",
                ]);
            (private || !certificate).then_some("a PEM file (private key)")
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{RULE, secret_file};
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_secret_files() {
        assert_eq!(lines(&RULE, "FROM a:1\nCOPY id_rsa /root/.ssh/\n"), vec![2]);
        assert_eq!(lines(&RULE, "FROM a:1\nCOPY app.py .env /app/\n"), vec![2]);
        assert_eq!(
            lines(&RULE, "FROM a:1\nADD --chown=1000 .npmrc /home/app/\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM a:1\nCOPY [\"certs/server.key\", \"/etc/ssl/\"]\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                &RULE,
                "FROM a:1 AS b\nFROM a:1\nCOPY --from=b /root/.ssh/ /root/.ssh/\n"
            ),
            vec![3]
        );
        assert_eq!(
            lines(&RULE, "FROM a:1\nONBUILD COPY .env.production /app/\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM a:1\nARG KEY=deploy.pem\nCOPY ${KEY} /k\n"),
            vec![3]
        );
    }

    #[test]
    fn silent_on_public_halves_templates_and_certificates() {
        assert_silent(
            &RULE,
            "FROM a:1\nCOPY id_rsa.pub /root/.ssh/authorized_keys\n",
        );
        assert_silent(&RULE, "FROM a:1\nCOPY .env.example /app/.env\n");
        assert_silent(
            &RULE,
            "FROM a:1\nCOPY certs/ca.pem certs/fullchain.pem /etc/ssl/\n",
        );
        assert_silent(
            &RULE,
            "FROM a:1\nCOPY nodesource.gpg.key /etc/apt/keyrings/\n",
        );
        assert_silent(
            &RULE,
            "FROM a:1\nCOPY environment.py credentials.md /app/\n",
        );
        assert_silent(&RULE, "FROM a:1\nCOPY config.json .dockerignore /app/\n");
    }

    #[test]
    fn names() {
        assert!(secret_file("/home/u/.aws/credentials").is_some());
        assert!(secret_file("credentials").is_none());
        assert!(secret_file(".docker/config.json").is_some());
        assert!(secret_file("home/.kube/config").is_some());
        assert!(secret_file("secrets/*.key").is_some());
        assert!(secret_file("tls/privkey.pem").is_some());
        assert!(secret_file("tls/server-cert.pem").is_none());
        assert!(secret_file("tls/server-key.pem").is_some());
        assert!(secret_file("store.P12").is_some());
        assert!(secret_file("https://example.com/").is_none());
        assert!(secret_file("https://example.com/keys/id_ed25519").is_some());
    }
}
