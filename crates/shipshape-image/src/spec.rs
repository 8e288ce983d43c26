//! [`ImageSpec`]: what an image's configuration says about how it runs and
//! how it was built, read from the image config JSON (OCI or Docker).

use serde_json::Value;

/// One entry of the image's build history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    /// The build step, as recorded (`/bin/sh -c apt-get install ...`,
    /// `RUN /bin/sh -c ...`, `ADD file:... in /`).
    pub created_by: String,
    /// Whether the step made no layer (ENV, LABEL, CMD...).
    pub empty_layer: bool,
    /// The index of the layer the step made, when it made one.
    pub layer: Option<usize>,
}

/// An image's configuration.
/// Whether an image is signed by the key that was required.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureCheck {
    pub verified: bool,
    /// What was checked and found, for the finding's message.
    pub detail: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageSpec {
    /// How the image was named on the command line or in its archive
    /// (`nginx:1.25`, `registry.example.com/app@sha256:...`); `None` when
    /// it was given by id or from an archive without a tag.
    pub reference: Option<String>,
    /// The outcome of checking the image's signature, when one was
    /// required (`--require-signature`).
    pub signature: Option<SignatureCheck>,
    /// The config's digest (`sha256:...`), the image id.
    pub id: Option<String>,
    pub os: Option<String>,
    pub architecture: Option<String>,
    /// `Config.User` as written; empty means root.
    pub user: String,
    /// `Config.Env`, split at the first `=`.
    pub env: Vec<(String, String)>,
    /// `Config.Labels`.
    pub labels: Vec<(String, String)>,
    /// `Config.ExposedPorts` keys (`80/tcp`).
    pub exposed_ports: Vec<String>,
    /// `Config.Healthcheck.Test`; `None` when the image has none.
    pub healthcheck: Option<Vec<String>>,
    pub entrypoint: Vec<String>,
    pub cmd: Vec<String>,
    pub history: Vec<History>,
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

impl ImageSpec {
    /// Reads an image config document. Docker's configs carry the runtime
    /// settings under `config` (and a legacy copy under
    /// `container_config`, ignored here), as OCI's do.
    pub fn from_config(config: &Value) -> ImageSpec {
        let c = config.get("config").or_else(|| config.get("Config"));
        let field = |name: &str| c.and_then(|c| c.get(name));
        let mut spec = ImageSpec {
            os: config.get("os").and_then(Value::as_str).map(str::to_string),
            architecture: config
                .get("architecture")
                .and_then(Value::as_str)
                .map(str::to_string),
            user: field("User")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            env: strings(field("Env"))
                .into_iter()
                .map(|kv| match kv.split_once('=') {
                    Some((k, v)) => (k.to_string(), v.to_string()),
                    None => (kv, String::new()),
                })
                .collect(),
            labels: field("Labels")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                .collect(),
            exposed_ports: field("ExposedPorts")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(k, _)| k.clone())
                .collect(),
            healthcheck: field("Healthcheck")
                .and_then(|h| h.get("Test"))
                .map(|t| strings(Some(t)))
                .filter(|t| !t.is_empty()),
            entrypoint: strings(field("Entrypoint")),
            cmd: strings(field("Cmd")),
            ..ImageSpec::default()
        };
        let mut layer = 0;
        for h in config
            .get("history")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let empty = h
                .get("empty_layer")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            spec.history.push(History {
                created_by: h
                    .get("created_by")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                empty_layer: empty,
                layer: (!empty).then_some(layer),
            });
            if !empty {
                layer += 1;
            }
        }
        spec
    }

    /// Whether the image has a health check that is not `NONE`.
    pub fn has_healthcheck(&self) -> bool {
        self.healthcheck
            .as_ref()
            .is_some_and(|t| t.first().is_some_and(|f| f != "NONE"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_docker_image_config() {
        let config: Value = serde_json::from_str(
            r#"{"architecture": "amd64", "os": "linux",
                "config": {"User": "app", "Env": ["PATH=/usr/bin", "EMPTY"],
                  "Labels": {"maintainer": "x"}, "ExposedPorts": {"80/tcp": {}},
                  "Healthcheck": {"Test": ["CMD", "true"]}, "Cmd": ["nginx"]},
                "history": [
                  {"created_by": "/bin/sh -c #(nop) ADD file:abc in / "},
                  {"created_by": "/bin/sh -c #(nop)  ENV A=b", "empty_layer": true},
                  {"created_by": "RUN /bin/sh -c apt-get update"}]}"#,
        )
        .expect("json");
        let spec = ImageSpec::from_config(&config);
        assert_eq!(spec.user, "app");
        assert_eq!(spec.env[1], ("EMPTY".to_string(), String::new()));
        assert_eq!(spec.exposed_ports, ["80/tcp"]);
        assert!(spec.has_healthcheck());
        assert_eq!(spec.history[2].layer, Some(1));
        assert_eq!(spec.history[1].layer, None);
    }
}
