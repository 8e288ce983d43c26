use std::collections::BTreeSet;

use shipshape_core::secrets::{credential_name, find_secret};

use super::Checker;
use super::file_support::{
    contents, contents_of, ends_with_path, file_name, is_regular, numbered_lines, parent,
    third_party,
};
use super::private_key_file::private_key;
use shipshape_image::files::{Entry, FileIndex, Kind};

rule! {
    /// ## What it does
    /// Flags files that hold credentials or give access, by where they live
    /// and, where it tells, by what they contain:
    ///
    /// - SSH private keys: `id_*` files in a `.ssh` directory, other than
    ///   `*.pub` (a key IM103 already reports from its contents is not
    ///   reported again);
    /// - `authorized_keys` files that list at least one key;
    /// - `.env` files and their variants (`.env.production`), but not
    ///   `.env.example`, `.env.sample`, `.env.template`, `.env.dist` or
    ///   `.env.defaults`, nor empty ones;
    /// - AWS `.aws/credentials` with a secret access key or session token;
    /// - Docker `.docker/config.json` whose `auths` hold an `auth` or
    ///   `identitytoken` (a `credsStore` or `credHelpers` entry holds none);
    /// - `.npmrc` lines setting `_authToken`, `_auth` or `_password` to a
    ///   literal (`${NPM_TOKEN}` is read from the environment and is fine);
    /// - `.pypirc` lines setting a `password`;
    /// - kubeconfigs (`.kube/config`) with `client-key-data`, a token or a
    ///   password;
    /// - `.htpasswd` files with entries;
    /// - Git repositories (`.git` directories), once per repository.
    ///
    /// Files in third-party trees (`node_modules`, `site-packages`,
    /// `vendor`, ...) are left out: they are not the image owner's.
    ///
    /// ## Why is this bad?
    /// Whoever can pull an image can read all of its files, in every layer,
    /// and an image travels to registries, CI caches and every node that
    /// runs it. These files are credentials in plain text: a registry login,
    /// a cloud key, a package-publishing token, cluster admin access, an SSH
    /// key. A `.git` directory carries the whole history of the source,
    /// including secrets deleted long ago and remote URLs with tokens in
    /// them. They usually get in by a `COPY . .` without a `.dockerignore`,
    /// or by a build step that logs in and never cleans up, and deleting
    /// them in a later layer does not remove them from the image.
    ///
    /// ## Example
    /// ```text
    /// 644 0:0 app/.env = DATABASE_URL=postgres://app:s3cret@db/app\nSTRIPE_SECRET_KEY=sk_live_0123456789abcdefABCD
    /// 600 0:0 root/.npmrc = //registry.npmjs.org/:_authToken=npm_AbCdEf0123456789
    /// ```
    ///
    /// ## Use instead
    /// Keep these files out of the build context with a `.dockerignore`,
    /// pass build-time credentials as secrets
    /// (`RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci`), and
    /// give the container its configuration at run time:
    /// ```text
    /// 644 0:0 app/.env.example = DATABASE_URL=\nSTRIPE_SECRET_KEY=
    /// 644 0:0 root/.npmrc = //registry.npmjs.org/:_authToken=${NPM_TOKEN}
    /// ```
    ///
    /// ## References
    /// - dockle DKL-LI-0003
    /// - Docker documentation, *Build secrets* and *.dockerignore files*
    /// - shipshape IM103 (private keys by their contents)
    id: "IM104",
    name: "sensitive-file",
    title: "Credential or access file in the image",
    severity: High,
    aliases: ["DKL-LI-0003"],
    check: check,
}

/// Whether a path is one this rule reads (the reader keeps its contents).
pub fn wants(path: &str, name: &str) -> bool {
    env_file(name)
        || matches!(
            name,
            ".npmrc" | ".pypirc" | ".htpasswd" | "authorized_keys" | "authorized_keys2"
        )
        || ends_with_path(path, ".aws/credentials")
        || ends_with_path(path, ".docker/config.json")
        || ends_with_path(path, ".kube/config")
}

/// `.env` and its variants other than templates.
fn env_file(name: &str) -> bool {
    match name.strip_prefix(".env") {
        Some("") => true,
        Some(rest) => rest.strip_prefix('.').is_some_and(|variant| {
            !variant.is_empty()
                && !matches!(
                    variant.to_ascii_lowercase().as_str(),
                    "example" | "sample" | "template" | "tmpl" | "tpl" | "dist" | "defaults"
                )
        }),
        None => false,
    }
}

/// One thing to report.
struct Hit {
    layer: usize,
    path: String,
    line: Option<u32>,
    message: String,
}

fn check(cx: &mut Checker<'_>) {
    let files = &cx.image.files;
    let mut hits = Vec::new();
    let mut repos = BTreeSet::new();
    for (path, entry) in files.iter() {
        if third_party(path) {
            continue;
        }
        if let Some(git) = git_dir(path, entry) {
            if repos.insert(git.to_string()) {
                hits.push(git_repo(files, git, entry.layer));
            }
            continue;
        }
        if is_regular(entry) {
            hits.extend(sensitive(files, path, entry));
        }
    }
    for hit in hits {
        cx.report_file(Some(hit.layer), &hit.path, hit.line, hit.message);
    }
}

/// The `.git` directory a path is or lies in.
fn git_dir<'p>(path: &'p str, entry: &Entry) -> Option<&'p str> {
    let mut end = 0;
    for component in path.split('/') {
        end += component.len();
        if component == ".git" && (end < path.len() || entry.kind == Kind::Dir) {
            return path.get(..end);
        }
        end += 1;
    }
    None
}

fn git_repo(files: &FileIndex, git: &str, first_layer: usize) -> Hit {
    let config = format!("{git}/config");
    let leak = contents_of(files, &config).and_then(|(entry, text)| {
        numbered_lines(text)
            .into_iter()
            .find_map(|(n, l)| find_secret(&l).map(|s| (entry.layer, n, s)))
    });
    match leak {
        Some((layer, line, secret)) => Hit {
            layer,
            path: config,
            line: Some(line),
            message: format!(
                "/{git} is a Git repository and its config holds {} ({}): add `.git` to `.dockerignore` and revoke the credential",
                secret.kind, secret.shown
            ),
        },
        None => Hit {
            layer: files.get(git).map_or(first_layer, |e| e.layer),
            path: git.to_string(),
            line: None,
            message: format!(
                "/{git} is a Git repository: its history can hold source, secrets deleted long ago and remote URLs with tokens; add `.git` to `.dockerignore`"
            ),
        },
    }
}

fn hit(entry: &Entry, path: &str, line: Option<u32>, message: String) -> Option<Hit> {
    Some(Hit {
        layer: entry.layer,
        path: path.to_string(),
        line,
        message,
    })
}

/// What makes one regular file sensitive, if anything.
fn sensitive(files: &FileIndex, path: &str, entry: &Entry) -> Option<Hit> {
    let name = file_name(path);
    let text = contents(files, entry);
    let dir = file_name(parent(path));
    if dir == ".ssh" && name.starts_with("id_") && !name.ends_with(".pub") {
        if text.and_then(private_key).is_some() {
            return None; // IM103 reports it, with the line of the key
        }
        let message = format!(
            "/{path} is an SSH private key: it opens every server that accepts it to anyone who pulls the image"
        );
        return hit(entry, path, None, message);
    }
    if matches!(name, "authorized_keys" | "authorized_keys2") {
        let keys = match text {
            Some(t) => meaningful_lines(t).count(),
            None => usize::from(entry.size > 0),
        };
        if keys == 0 {
            return None;
        }
        let message = format!(
            "/{path} lists SSH keys allowed to log in: baked into the image it grants the same access to every container, and changing it needs a rebuild"
        );
        return hit(entry, path, None, message);
    }
    if env_file(name) {
        return env(entry, path, text);
    }
    if ends_with_path(path, ".aws/credentials") {
        return aws(entry, path, text);
    }
    if ends_with_path(path, ".docker/config.json") {
        return docker(entry, path, text?);
    }
    if ends_with_path(path, ".kube/config") {
        return kube(entry, path, text?);
    }
    match name {
        ".npmrc" => npmrc(entry, path, text?),
        ".pypirc" => pypirc(entry, path, text?),
        ".htpasswd" => {
            let users = match text {
                Some(t) => meaningful_lines(t).filter(|(_, l)| l.contains(':')).count(),
                None => usize::from(entry.size > 0),
            };
            (users > 0).then(|| Hit {
                layer: entry.layer,
                path: path.to_string(),
                line: None,
                message: format!(
                    "/{path} holds password hashes for HTTP basic auth: anyone who pulls the image can crack them offline; mount it at run time"
                ),
            })
        }
        _ => None,
    }
}

/// Non-empty lines that are not `#` comments.
fn meaningful_lines(text: &[u8]) -> impl Iterator<Item = (u32, String)> {
    numbered_lines(text).into_iter().filter(|(_, l)| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#')
    })
}

/// `KEY = VALUE` of an `INI`-like or shell-like line, both trimmed.
fn key_value(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once('=')?;
    Some((key.trim(), value.trim()))
}

fn env(entry: &Entry, path: &str, text: Option<&[u8]>) -> Option<Hit> {
    let Some(text) = text else {
        let message = format!(
            "/{path} is an environment file: such files hold the settings and credentials of a deployment; pass them at run time instead"
        );
        return (entry.size > 0).then(|| Hit {
            layer: entry.layer,
            path: path.to_string(),
            line: None,
            message,
        });
    };
    let mut set = 0;
    let mut credentials = Vec::new();
    let mut first_credential = None;
    for (n, line) in meaningful_lines(text) {
        let line = line.trim();
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((key, value)) = key_value(line) else {
            continue;
        };
        let value = value.trim_matches(|c| c == '"' || c == '\'');
        if key.is_empty() || value.is_empty() {
            continue;
        }
        set += 1;
        if credential_name(key).is_some() || find_secret(value).is_some() {
            first_credential.get_or_insert(n);
            credentials.push(format!("`{key}`"));
        }
    }
    if set == 0 {
        return None;
    }
    let message = if credentials.is_empty() {
        format!(
            "/{path} is an environment file with {set} setting(s): such files often hold credentials; pass settings at run time instead"
        )
    } else {
        format!(
            "/{path} is an environment file with credentials ({}): anyone who pulls the image can read them; pass them at run time instead",
            credentials.join(", ")
        )
    };
    hit(entry, path, first_credential, message)
}

fn aws(entry: &Entry, path: &str, text: Option<&[u8]>) -> Option<Hit> {
    let line = match text {
        Some(text) => Some(meaningful_lines(text).find_map(|(n, l)| {
            let (key, value) = key_value(&l)?;
            let secret = matches!(
                key.to_ascii_lowercase().as_str(),
                "aws_secret_access_key" | "aws_session_token"
            );
            (secret && !value.is_empty()).then_some(n)
        })?),
        None if entry.size > 0 => None,
        None => return None,
    };
    let message = format!(
        "/{path} holds AWS credentials: anyone who pulls the image can act as that AWS identity; use an instance or workload role, or mount the file at run time"
    );
    hit(entry, path, line, message)
}

fn docker(entry: &Entry, path: &str, text: &[u8]) -> Option<Hit> {
    let json: serde_json::Value = serde_json::from_slice(text).ok()?;
    let auths = json.get("auths")?.as_object()?;
    let filled = |v: &serde_json::Value, key: &str| {
        v.get(key)
            .and_then(serde_json::Value::as_str)
            .is_some_and(|s| !s.trim().is_empty())
    };
    let registries: Vec<String> = auths
        .iter()
        .filter(|(_, v)| filled(v, "auth") || filled(v, "identitytoken"))
        .map(|(k, _)| format!("`{k}`"))
        .collect();
    if registries.is_empty() {
        return None;
    }
    let line = numbered_lines(text)
        .into_iter()
        .find(|(_, l)| l.contains("\"auth\"") || l.contains("\"identitytoken\""))
        .map(|(n, _)| n);
    let message = format!(
        "/{path} holds registry credentials for {}: anyone who pulls the image can push and pull as that account; log in at run time or use a credential helper",
        registries.join(", ")
    );
    hit(entry, path, line, message)
}

fn npmrc(entry: &Entry, path: &str, text: &[u8]) -> Option<Hit> {
    let line = numbered_lines(text).into_iter().find_map(|(n, l)| {
        let t = l.trim();
        if t.starts_with('#') || t.starts_with(';') {
            return None;
        }
        let (key, value) = key_value(t)?;
        let value = value.trim_matches('"');
        let secret_key = ["_authToken", "_auth", "_password"]
            .iter()
            .any(|s| key == *s || key.ends_with(&format!(":{s}")));
        let from_env = value.starts_with("${") && value.ends_with('}');
        (secret_key && !value.is_empty() && !from_env).then_some(n)
    })?;
    let message = format!(
        "/{path} holds an npm registry credential: anyone who pulls the image can install, and maybe publish, as that account; use `${{NPM_TOKEN}}` or a build secret"
    );
    hit(entry, path, Some(line), message)
}

fn pypirc(entry: &Entry, path: &str, text: &[u8]) -> Option<Hit> {
    let line = numbered_lines(text).into_iter().find_map(|(n, l)| {
        let t = l.trim();
        if t.starts_with('#') || t.starts_with(';') {
            return None;
        }
        let (key, value) = t.split_once(['=', ':'])?;
        (key.trim().eq_ignore_ascii_case("password") && !value.trim().is_empty()).then_some(n)
    })?;
    let message = format!(
        "/{path} holds a package index password: anyone who pulls the image can publish packages as that account"
    );
    hit(entry, path, Some(line), message)
}

fn kube(entry: &Entry, path: &str, text: &[u8]) -> Option<Hit> {
    let (line, what) = numbered_lines(text).into_iter().find_map(|(n, l)| {
        let t = l.trim().trim_start_matches("- ").trim();
        let (key, value) = t.split_once(':')?;
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
        if value.is_empty() {
            return None;
        }
        let what = match key.trim() {
            "client-key-data" => "a client key",
            "token" | "id-token" | "refresh-token" | "access-token" => "a token",
            "password" => "a password",
            _ => return None,
        };
        Some((n, what))
    })?;
    let message = format!(
        "/{path} is a kubeconfig with {what}: anyone who pulls the image gets that access to the cluster"
    );
    hit(entry, path, Some(line), message)
}

#[cfg(test)]
mod tests {
    use super::super::file_support::testing::*;
    use super::{RULE, env_file};
    use crate::image::test_support::{assert_silent, files, findings};
    use shipshape_image::files::{Entry, Kind};

    fn one(listing: &str) -> (String, Option<u32>) {
        let found = places(&RULE, listing);
        assert_eq!(found.len(), 1, "{found:?}");
        found.into_iter().next().unwrap_or_default()
    }

    #[test]
    fn ssh_keys_and_authorized_keys() {
        assert_eq!(
            places(
                &RULE,
                "600 0:0 root/.ssh/id_rsa = garbage\n\
                 600 1000:1000 home/app/.ssh/id_deploy\n\
                 644 0:0 root/.ssh/id_rsa.pub = ssh-rsa AAAA me\n\
                 600 0:0 root/.ssh/authorized_keys = # keys\\nssh-ed25519 AAAAC3Nza me@laptop\n\
                 600 0:0 home/app/.ssh/authorized_keys = # none yet\\n\n\
                 600 0:0 root/.ssh/known_hosts = github.com ssh-ed25519 AAAA\n"
            ),
            [
                ("home/app/.ssh/id_deploy".to_string(), None),
                ("root/.ssh/authorized_keys".to_string(), None),
                ("root/.ssh/id_rsa".to_string(), None),
            ]
        );
    }

    #[test]
    fn an_ssh_key_the_key_rule_reports_is_not_reported_twice() {
        assert_silent(
            &RULE,
            "600 0:0 root/.ssh/id_ed25519 = -----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\\n-----END OPENSSH PRIVATE KEY-----\n",
        );
    }

    #[test]
    fn env_files() {
        let found = findings(
            &RULE,
            "644 0:0 app/.env = # settings\\nPORT=8080\\nexport DB_PASSWORD='hunter2'\n",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(place(&found[0]), ("app/.env".to_string(), Some(3)));
        assert!(
            found[0].message.contains("`DB_PASSWORD`"),
            "{}",
            found[0].message
        );
        assert!(!found[0].message.contains("hunter2"));
        assert_eq!(
            one("644 0:0 srv/.env.production = PORT=8080\\nLOG_LEVEL=info\n"),
            ("srv/.env.production".to_string(), None)
        );
        assert_silent(
            &RULE,
            "644 0:0 app/.env.example = DB_PASSWORD=changeme\n\
             644 0:0 app/.env.sample = DB_PASSWORD=changeme\n\
             644 0:0 app/.env.Template = DB_PASSWORD=changeme\n\
             644 0:0 app/.envrc = DB_PASSWORD=x\n\
             644 0:0 app/sub/.env = # nothing here\\nDB_PASSWORD=\\n\n\
             644 0:0 app/empty/.env\n\
             644 0:0 app/node_modules/pkg/.env = TOKEN=abc\n",
        );
        assert!(env_file(".env.local"));
        assert!(!env_file(".env."));
        assert!(!env_file(".environment"));
    }

    #[test]
    fn cloud_and_registry_credentials() {
        assert_eq!(
            one(
                "600 0:0 root/.aws/credentials = [default]\\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG\n"
            ),
            ("root/.aws/credentials".to_string(), Some(3))
        );
        assert_silent(
            &RULE,
            "600 0:0 root/.aws/credentials = [default]\\ncredential_process = /usr/bin/aws-vault exec x\n",
        );
        let found = findings(
            &RULE,
            r#"600 0:0 root/.docker/config.json = {\n  "auths": {\n    "ghcr.io": {\n      "auth": "dXNlcjp0b2tlbg=="\n    }\n  }\n}"#,
        );
        assert_eq!(found.len(), 1);
        assert_eq!(
            place(&found[0]),
            ("root/.docker/config.json".to_string(), Some(4))
        );
        assert!(found[0].message.contains("`ghcr.io`"));
        assert_eq!(
            one(
                r#"600 0:0 kaniko/.docker/config.json = {"auths": {"a.io": {"auth": ""}, "b.io": {"identitytoken": "eyJ"}}}"#
            ),
            ("kaniko/.docker/config.json".to_string(), Some(1))
        );
        assert_silent(
            &RULE,
            r#"600 0:0 root/.docker/config.json = {"auths": {"ghcr.io": {}}, "credsStore": "desktop"}
               600 0:0 home/a/.docker/config.json = {"auths": {}, "credHelpers": {"gcr.io": "gcloud"}}
               600 0:0 home/b/.docker/config.json = {"auths": {"x.io": {"auth": "  "}}}
               600 0:0 home/c/.docker/config.json = not json
               644 0:0 app/config.json = {"auths": {"x.io": {"auth": "dXNlcjp0b2tlbg=="}}}"#,
        );
    }

    #[test]
    fn package_manager_credentials() {
        assert_eq!(
            one(
                "600 0:0 root/.npmrc = registry=https://r.example/\\n//r.example/:_authToken=npm_AbCd\n"
            ),
            ("root/.npmrc".to_string(), Some(2))
        );
        assert_eq!(
            one("600 0:0 app/.npmrc = ; old\\n_auth = dXNlcjpwYXNz\n"),
            ("app/.npmrc".to_string(), Some(2))
        );
        assert_silent(
            &RULE,
            "600 0:0 root/.npmrc = //registry.npmjs.org/:_authToken=${NPM_TOKEN}\n\
             600 0:0 app/.npmrc = # _authToken=npm_old\\nalways-auth=true\\nfund=false\n\
             600 0:0 srv/.npmrc = //r.example/:_authToken=\n",
        );
        assert_eq!(
            one(
                "600 0:0 root/.pypirc = [pypi]\\nusername = __token__\\npassword = pypi-AgEIcHlwaS5vcmc\n"
            ),
            ("root/.pypirc".to_string(), Some(3))
        );
        assert_silent(
            &RULE,
            "600 0:0 root/.pypirc = [distutils]\\nindex-servers = pypi\\n[pypi]\\nusername = __token__\\n# password = pypi-old\n",
        );
    }

    #[test]
    fn kubeconfigs_and_htpasswd() {
        assert_eq!(
            one(
                "600 0:0 root/.kube/config = apiVersion: v1\\nusers:\\n- name: admin\\n  user:\\n    client-certificate-data: LS0t\\n    client-key-data: LS0tLS1CRUdJTi\n"
            ),
            ("root/.kube/config".to_string(), Some(6))
        );
        let found = findings(
            &RULE,
            "600 0:0 home/ci/.kube/config = users:\\n- name: ci\\n  user:\\n    token: eyJhbGciOi\n",
        );
        assert!(found[0].message.contains("a token"));
        assert_silent(
            &RULE,
            "600 0:0 root/.kube/config = users:\\n- name: oidc\\n  user:\\n    exec:\\n      command: kubelogin\\n    tokenFile: /var/run/token\\n    token: \"\"\n\
             644 0:0 etc/app/config = token: abc\n",
        );
        assert_eq!(
            one("640 0:101 etc/nginx/.htpasswd = admin:$apr1$x$y\n"),
            ("etc/nginx/.htpasswd".to_string(), None)
        );
        assert_silent(
            &RULE,
            "640 0:101 etc/nginx/.htpasswd\n640 0:101 etc/apache2/.htpasswd = # no users yet\n",
        );
    }

    #[test]
    fn git_repositories_once_each() {
        assert_eq!(
            places(
                &RULE,
                "755 0:0 app/.git/\n\
                 644 0:0 app/.git/HEAD = ref: refs/heads/main\n\
                 644 0:0 app/.git/config = [core]\\nbare = false\n\
                 644 0:0 app/.git/objects/ab/cdef\n\
                 644 0:0 app/.gitignore = target\n\
                 644 0:0 app/.github/workflows/ci.yml\n\
                 644 0:0 srv/tool/.git/HEAD = ref: refs/heads/main\n\
                 644 0:0 app/lib/sub/.git = gitdir: ../../.git/modules/sub\n\
                 644 0:0 app/node_modules/dep/.git/HEAD\n\
                 644 0:0 usr/local/cargo/registry/index/github.com-1ecc/.git/HEAD\n"
            ),
            [
                ("app/.git".to_string(), None),
                ("srv/tool/.git".to_string(), None)
            ]
        );
    }

    #[test]
    fn a_git_config_with_a_token_is_pointed_at() {
        let found = findings(
            &RULE,
            "755 0:0 app/.git/\n\
             644 0:0 app/.git/config = [remote \"origin\"]\\n\\turl = https://ci:hunter2@git.example.com/app.git\n",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(place(&found[0]), ("app/.git/config".to_string(), Some(2)));
        assert!(found[0].message.contains("a URL with a password"));
        assert!(!found[0].message.contains("hunter2"));
    }

    #[test]
    fn layers_and_hard_links() {
        let mut image = files("644 0:0 app/.env = API_TOKEN=abc\n");
        image.files.insert(
            "srv/.env".to_string(),
            Entry {
                kind: Kind::Hardlink("app/.env".to_string()),
                mode: 0o644,
                uid: 0,
                gid: 0,
                size: 0,
                layer: 3,
                content: None,
                condensed: None,
                unread: None,
            },
        );
        let found = run(&RULE, &image);
        assert_eq!(found.len(), 2);
        assert_eq!(place(&found[1]), ("srv/.env".to_string(), Some(1)));
        assert_eq!(layer(&found[1]).as_deref(), Some("3"));
    }
}
