//! Registry credentials: given by the user, or read as the Docker client
//! keeps them in `$DOCKER_CONFIG/config.json` (default
//! `~/.docker/config.json`): a credential helper for the registry
//! (`credHelpers`), the default store (`credsStore`), or the `auths` entry
//! (`auth`: base64 of `user:password`). A password is never shown: the
//! type's `Debug` prints it masked.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use base64::Engine;
use serde_json::Value;

/// A user name and password (or token).
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub username: String,
    password: String,
}

impl Credentials {
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Credentials {
        Credentials {
            username: username.into(),
            password: password.into(),
        }
    }

    pub fn password(&self) -> &str {
        &self.password
    }
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &"***")
            .finish()
    }
}

/// The Docker client's configuration file.
fn config_path() -> Option<PathBuf> {
    match std::env::var_os("DOCKER_CONFIG") {
        Some(dir) => Some(PathBuf::from(dir).join("config.json")),
        None => std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".docker/config.json")),
    }
}

/// The keys a registry may be filed under in `auths`.
fn keys(registry: &str) -> Vec<String> {
    let mut keys = vec![
        registry.to_string(),
        format!("https://{registry}"),
        format!("http://{registry}"),
    ];
    if registry == "docker.io" || registry == "index.docker.io" {
        keys.push("https://index.docker.io/v1/".to_string());
    }
    keys
}

/// The credentials the Docker client has for `registry`, if any. A helper
/// that fails or an entry that does not decode counts as none.
pub fn docker_credentials(registry: &str) -> Option<Credentials> {
    let text = std::fs::read_to_string(config_path()?).ok()?;
    from_config(&text, registry, &run_helper)
}

/// The credentials of `registry` in the config `text`; `helper` runs a
/// credential helper (`docker-credential-NAME get`).
pub fn from_config(
    text: &str,
    registry: &str,
    helper: &dyn Fn(&str, &str) -> Option<Credentials>,
) -> Option<Credentials> {
    let config: Value = serde_json::from_str(text).ok()?;
    let keys = keys(registry);
    if let Some(name) = config
        .get("credHelpers")
        .and_then(|h| keys.iter().find_map(|k| h.get(k)))
        .and_then(Value::as_str)
    {
        return helper(name, registry);
    }
    let entry = config
        .get("auths")
        .and_then(|a| keys.iter().find_map(|k| a.get(k)));
    if let Some(entry) = entry {
        if let Some(encoded) = entry.get("auth").and_then(Value::as_str)
            && let Ok(raw) = base64::engine::general_purpose::STANDARD.decode(encoded.trim())
            && let Ok(pair) = String::from_utf8(raw)
            && let Some((user, password)) = pair.split_once(':')
        {
            return Some(Credentials::new(user, password));
        }
        if let (Some(user), Some(password)) = (
            entry.get("username").and_then(Value::as_str),
            entry.get("password").and_then(Value::as_str),
        ) {
            return Some(Credentials::new(user, password));
        }
    }
    let store = config.get("credsStore").and_then(Value::as_str)?;
    helper(store, registry)
}

/// Runs `docker-credential-NAME get` with the registry on its input.
fn run_helper(name: &str, registry: &str) -> Option<Credentials> {
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return None;
    }
    let mut child = Command::new(format!("docker-credential-{name}"))
        .arg("get")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(registry.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    if !out.status.success() {
        return None;
    }
    let answer: Value = serde_json::from_slice(&out.stdout).ok()?;
    Some(Credentials::new(
        answer.get("Username")?.as_str()?,
        answer.get("Secret")?.as_str()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_helper(_: &str, _: &str) -> Option<Credentials> {
        None
    }

    #[test]
    fn reads_auths_in_either_form() {
        let text = r#"{"auths": {
            "localhost:5000": {"auth": "YWxpY2U6czNjcjN0"},
            "https://ghcr.io": {"username": "bob", "password": "tok"}}}"#;
        assert_eq!(
            from_config(text, "localhost:5000", &no_helper),
            Some(Credentials::new("alice", "s3cr3t"))
        );
        assert_eq!(
            from_config(text, "ghcr.io", &no_helper),
            Some(Credentials::new("bob", "tok"))
        );
        assert_eq!(from_config(text, "quay.io", &no_helper), None);
    }

    #[test]
    fn a_helper_for_the_registry_wins_then_the_store() {
        let text = r#"{"auths": {"localhost:5000": {"auth": "YWxpY2U6czNjcjN0"}},
            "credHelpers": {"localhost:5000": "pass"}, "credsStore": "desktop"}"#;
        let helper = |name: &str, registry: &str| Some(Credentials::new(name, registry));
        assert_eq!(
            from_config(text, "localhost:5000", &helper),
            Some(Credentials::new("pass", "localhost:5000"))
        );
        assert_eq!(
            from_config(text, "quay.io", &helper),
            Some(Credentials::new("desktop", "quay.io"))
        );
    }

    #[test]
    fn bad_entries_are_none_not_panics() {
        for text in [
            "",
            "[]",
            r#"{"auths": {"r": {"auth": "%%%"}}}"#,
            r#"{"auths": {"r": {"auth": "bm9jb2xvbg=="}}}"#,
        ] {
            assert_eq!(from_config(text, "r", &no_helper), None, "{text}");
        }
    }

    #[test]
    fn debug_masks_the_password() {
        let shown = format!("{:?}", Credentials::new("alice", "s3cr3t"));
        assert!(!shown.contains("s3cr3t"), "{shown}");
    }

    #[test]
    fn a_helper_name_cannot_be_a_path() {
        assert_eq!(run_helper("../../bin/sh", "r"), None);
    }
}
