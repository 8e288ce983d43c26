//! Reading an image config document (OCI or Docker) into the
//! [`ImageSpec`] the rules read.

use serde_json::Value;

pub use shipshape_core::image_spec::{History, ImageSpec, SignatureCheck};

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

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
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
        let spec = from_config(&config);
        assert_eq!(spec.user, "app");
        assert_eq!(spec.env[1], ("EMPTY".to_string(), String::new()));
        assert_eq!(spec.exposed_ports, ["80/tcp"]);
        assert!(spec.has_healthcheck());
        assert_eq!(spec.history[2].layer, Some(1));
        assert_eq!(spec.history[1].layer, None);
    }
}
