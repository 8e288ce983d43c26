//! What a client asks the Docker Engine to run, before it runs: the body of
//! `POST /containers/create` and of `POST /containers/{id}/exec`, read into
//! a [`RuntimeSpec`] so that the runtime rules judge a request as they
//! judge a running container.
//!
//! A create body is the container's `Config` at the top level with its
//! `HostConfig` and `NetworkingConfig` beside it (every API version since
//! 1.24 has this shape). It is read by the `docker inspect` reader after
//! moving its parts where an inspect object has them; what the daemon would
//! still fill in from the image (the user, the health check) is left
//! unknown, so no rule reports it missing.

use serde_json::{Map, Value};

use crate::inspect;
use crate::spec::{Field, Origin, RuntimeSpec};

/// Why a request body could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreateError {
    #[error("the request body is not JSON: {0}")]
    Json(String),
    #[error("the request body is not a JSON object")]
    Shape,
}

/// The spec of the container a create request asks for; `name` is the
/// `name` query parameter, if any.
pub fn container(body: &[u8], name: Option<&str>) -> Result<RuntimeSpec, CreateError> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| CreateError::Json(e.to_string()))?;
    container_of(value, name)
}

/// [`container`] on a body already read as JSON.
pub fn container_of(value: Value, name: Option<&str>) -> Result<RuntimeSpec, CreateError> {
    let Value::Object(mut config) = value else {
        return Err(CreateError::Shape);
    };
    let host = match config.remove("HostConfig") {
        Some(Value::Object(h)) => h,
        _ => Map::new(),
    };
    let networking = config.remove("NetworkingConfig");
    let mounts = mounts(&host);
    let networks = networks(&host, networking.as_ref());
    let has_healthcheck = config.contains_key("Healthcheck");
    let shaped = serde_json::json!({
        "Id": "(requested)",
        "Name": name.unwrap_or(""),
        "Config": Value::Object(config),
        "HostConfig": Value::Object(host),
        "Mounts": mounts,
        "NetworkSettings": {"Networks": networks},
    });
    let mut spec = inspect::spec(&shaped, None).ok_or(CreateError::Shape)?;
    if name.is_none_or(str::is_empty) {
        spec.name = "the requested container".to_string();
        spec.workload = spec.name.clone();
    }
    if !has_healthcheck {
        // The image's own health check applies.
        spec.has_healthcheck = None;
    }
    Ok(spec)
}

/// The spec of an exec request (`docker exec`): what it can change of the
/// container's privileges, which is whether it runs privileged and as
/// whom. `container` names the container the exec is for.
pub fn exec(body: &[u8], container: &str) -> Result<RuntimeSpec, CreateError> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| CreateError::Json(e.to_string()))?;
    exec_of(&value, container)
}

/// [`exec`] on a request body already read as JSON, or on the daemon's
/// inspect of an exec instance, which has the same settings in
/// `ProcessConfig` (`privileged`, `user`).
pub fn exec_of(value: &Value, container: &str) -> Result<RuntimeSpec, CreateError> {
    if !value.is_object() {
        return Err(CreateError::Shape);
    }
    let (settings, prefix, privileged, user) = match value.get("ProcessConfig") {
        Some(process) => (process, "ProcessConfig.", "privileged", "user"),
        None => (value, "", "Privileged", "User"),
    };
    let mut spec = RuntimeSpec::new(
        crate::spec::Platform::Docker,
        crate::spec::Source::Container(container.to_string()),
        format!("exec in container `{container}`"),
        Origin::Field(String::new()),
    );
    spec.privileged = settings
        .get(privileged)
        .and_then(Value::as_bool)
        .map(|b| Field::new(b, Origin::Field(format!("{prefix}{privileged}"))));
    spec.user = settings
        .get(user)
        .and_then(Value::as_str)
        .filter(|u| !u.is_empty())
        .map(|u| Field::new(u.to_string(), Origin::Field(format!("{prefix}{user}"))));
    Ok(spec)
}

/// The settings a `POST /containers/{id}/update` body changes (a flat
/// object of resource fields and `RestartPolicy`, as in `HostConfig`), as
/// a spec of the container where only those are known: the caller judges
/// what the body sets and nothing else.
pub fn update(body: &[u8], container: &str) -> Result<RuntimeSpec, CreateError> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| CreateError::Json(e.to_string()))?;
    if !value.is_object() {
        return Err(CreateError::Shape);
    }
    let shaped = serde_json::json!({
        "Id": container,
        "Name": container,
        "Config": {},
        "HostConfig": value,
    });
    let mut spec = inspect::spec(&shaped, None).ok_or(CreateError::Shape)?;
    spec.name = format!("the update of container `{container}`");
    Ok(spec)
}

/// The host access a plugin install asks to be granted: the body of
/// `POST /plugins/pull` and `POST /plugins/{name}/upgrade`, a list of
/// privileges (`network: [host]`, `host pid`, `mount`, `device`,
/// `allow-all-devices`, `capabilities`), read as the spec of the
/// container the plugin will run in. `remote` is the plugin's image.
pub fn plugin(body: &[u8], remote: &str) -> Result<RuntimeSpec, CreateError> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| CreateError::Json(e.to_string()))?;
    let Value::Array(privileges) = value else {
        return Err(CreateError::Shape);
    };
    let mut spec = RuntimeSpec::new(
        crate::spec::Platform::Docker,
        crate::spec::Source::Container(remote.to_string()),
        format!("plugin `{remote}`"),
        Origin::Field(String::new()),
    );
    if !remote.is_empty() {
        spec.image = Some(Field::new(
            remote.to_string(),
            Origin::Field("remote".to_string()),
        ));
    }
    for (i, privilege) in privileges.iter().enumerate() {
        let name = privilege.get("Name").and_then(Value::as_str).unwrap_or("");
        let values: Vec<&str> = privilege
            .get("Value")
            .and_then(Value::as_array)
            .map(|v| v.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let at = || Origin::Field(format!("[{i}] {name}"));
        match name {
            "network" if values.contains(&"host") => {
                spec.host_network = Some(Field::new(true, at()));
            }
            "host pid" if values.contains(&"true") => {
                spec.host_pid = Some(Field::new(true, at()));
            }
            "mount" => {
                for path in values {
                    spec.mounts.push(crate::spec::Mount {
                        host_path: Some(path.to_string()),
                        target: path.to_string(),
                        read_only: false,
                        propagation: None,
                        at: at(),
                    });
                }
            }
            "device" => {
                for path in values {
                    spec.devices.push(Field::new(path.to_string(), at()));
                }
            }
            "allow-all-devices" if values.contains(&"true") => {
                spec.devices
                    .push(Field::new("every host device".to_string(), at()));
            }
            "capabilities" => {
                for cap in values {
                    let cap = cap.trim_start_matches("CAP_").to_ascii_uppercase();
                    spec.cap_add.push(Field::new(cap, at()));
                }
            }
            _ => {}
        }
    }
    Ok(spec)
}

/// The host directory a `POST /volumes/create` body binds, if any (the
/// local driver with `o: bind` and a `device`), as the spec of a container
/// that mounts it: a container given the volume gets the host directory
/// without naming it.
pub fn volume(body: &[u8]) -> Result<RuntimeSpec, CreateError> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| CreateError::Json(e.to_string()))?;
    if !value.is_object() {
        return Err(CreateError::Shape);
    }
    let name = value.get("Name").and_then(Value::as_str).unwrap_or("");
    let mut spec = RuntimeSpec::new(
        crate::spec::Platform::Docker,
        crate::spec::Source::Container(name.to_string()),
        if name.is_empty() {
            "the requested volume".to_string()
        } else {
            format!("volume `{name}`")
        },
        Origin::Field(String::new()),
    );
    let driver = value.get("Driver").and_then(Value::as_str).unwrap_or("");
    let options = value.get("DriverOpts");
    let option = |key: &str| options.and_then(|o| o.get(key)).and_then(Value::as_str);
    let binds = option("o").is_some_and(|o| o.split(',').any(|o| o == "bind" || o == "rbind"));
    if (driver.is_empty() || driver == "local")
        && binds
        && let Some(device) = option("device")
    {
        spec.mounts.push(crate::spec::Mount {
            host_path: Some(device.to_string()),
            target: format!("(volume {name})"),
            read_only: option("o").is_some_and(|o| o.split(',').any(|o| o == "ro")),
            propagation: None,
            at: Origin::Field("DriverOpts.device".to_string()),
        });
    }
    Ok(spec)
}

/// `HostConfig.Binds` (`SOURCE:TARGET[:OPTIONS]`) and `HostConfig.Mounts`
/// as the `Mounts` of an inspect object.
fn mounts(host: &Map<String, Value>) -> Value {
    let mut out = Vec::new();
    let binds = host.get("Binds").and_then(Value::as_array);
    for bind in binds.into_iter().flatten().filter_map(Value::as_str) {
        let mut parts = bind.splitn(3, ':');
        let source = parts.next().unwrap_or("");
        let Some(target) = parts.next() else {
            // An anonymous volume (`-v /data`).
            out.push(serde_json::json!({"Type": "volume", "Destination": source, "RW": true}));
            continue;
        };
        let options: Vec<&str> = parts.next().unwrap_or("").split(',').collect();
        let propagation = options
            .iter()
            .find(|o| o.ends_with("shared") || o.ends_with("slave") || o.ends_with("private"))
            .copied()
            .unwrap_or("");
        let kind = if source.starts_with('/') {
            "bind"
        } else {
            "volume"
        };
        out.push(serde_json::json!({
            "Type": kind,
            "Source": source,
            "Destination": target,
            "RW": !options.contains(&"ro"),
            "Propagation": propagation,
        }));
    }
    let mounts = host.get("Mounts").and_then(Value::as_array);
    for m in mounts.into_iter().flatten() {
        let text = |key: &str| m.get(key).and_then(Value::as_str).unwrap_or("");
        let propagation = m
            .pointer("/BindOptions/Propagation")
            .and_then(Value::as_str)
            .unwrap_or("");
        out.push(serde_json::json!({
            "Type": text("Type"),
            "Source": text("Source"),
            "Destination": text("Target"),
            "RW": m.get("ReadOnly").and_then(Value::as_bool) != Some(true),
            "Propagation": propagation,
        }));
    }
    Value::Array(out)
}

/// The networks the container joins: those of `NetworkingConfig`, else its
/// network mode, where `default` (or none) is Docker's default bridge.
fn networks(host: &Map<String, Value>, networking: Option<&Value>) -> Value {
    let mut out = Map::new();
    if let Some(endpoints) = networking
        .and_then(|n| n.get("EndpointsConfig"))
        .and_then(Value::as_object)
    {
        for name in endpoints.keys() {
            out.insert(name.clone(), Value::Object(Map::new()));
        }
    }
    if out.is_empty() {
        let mode = host
            .get("NetworkMode")
            .and_then(Value::as_str)
            .unwrap_or("");
        let name = match mode {
            "" | "default" => "bridge",
            other => other,
        };
        out.insert(name.to_string(), Value::Object(Map::new()));
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(json: &str) -> RuntimeSpec {
        container(json.as_bytes(), Some("web")).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn reads_what_docker_run_sends() {
        // The body `docker run --privileged --pid host -v /var/run/docker.sock:/s:ro
        // --cap-add SYS_ADMIN -p 8080:80 --user 0 busybox` sends, shortened.
        let s = spec(
            r#"{"Image": "busybox", "User": "0", "Env": ["A=1"],
                "HostConfig": {"Privileged": true, "PidMode": "host",
                  "Binds": ["/var/run/docker.sock:/s:ro", "data:/data"],
                  "CapAdd": ["SYS_ADMIN"], "NetworkMode": "default",
                  "PortBindings": {"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}},
                "NetworkingConfig": {"EndpointsConfig": {}}}"#,
        );
        assert_eq!(s.name, "container `web`");
        assert_eq!(s.image.map(|i| i.value), Some("busybox".to_string()));
        assert_eq!(s.user.map(|u| u.value), Some("0".to_string()));
        assert_eq!(s.privileged.map(|p| p.value), Some(true));
        assert_eq!(s.host_pid.map(|p| p.value), Some(true));
        assert_eq!(s.cap_add.len(), 1);
        assert_eq!(s.mounts.len(), 2);
        assert_eq!(
            s.mounts[0].host_path.as_deref(),
            Some("/var/run/docker.sock")
        );
        assert!(s.mounts[0].read_only);
        assert_eq!(s.mounts[1].host_path, None, "a named volume");
        assert_eq!(s.ports.len(), 1);
        assert_eq!(s.networks.len(), 1);
        assert_eq!(s.networks[0].value, "bridge");
        assert!(s.has_healthcheck.is_none(), "the image decides");
    }

    #[test]
    fn reads_long_mounts_and_named_networks() {
        let s = spec(
            r#"{"Image": "x", "HostConfig": {"Mounts": [{"Type": "bind", "Source": "/", "Target": "/host",
                 "ReadOnly": true, "BindOptions": {"Propagation": "rshared"}}], "NetworkMode": "app"},
                "NetworkingConfig": {"EndpointsConfig": {"app": {}}}}"#,
        );
        assert_eq!(s.mounts.len(), 1);
        assert_eq!(s.mounts[0].host_path.as_deref(), Some("/"));
        assert!(s.mounts[0].read_only);
        assert_eq!(
            s.mounts[0].propagation.as_ref().map(|p| p.value.as_str()),
            Some("rshared")
        );
        assert_eq!(s.networks[0].value, "app");
    }

    #[test]
    fn a_hardened_request_sets_nothing_dangerous() {
        let s = spec(
            r#"{"Image": "x", "User": "1000", "HostConfig": {"ReadonlyRootfs": true,
                "CapDrop": ["ALL"], "SecurityOpt": ["no-new-privileges"], "NetworkMode": "none"}}"#,
        );
        assert_eq!(s.privileged, None);
        assert!(s.mounts.is_empty());
        assert_eq!(s.cap_drop.len(), 1);
        assert_eq!(s.no_new_privileges.map(|n| n.value), Some(true));
        assert_eq!(s.networks[0].value, "none");
    }

    #[test]
    fn bad_bodies_are_errors() {
        assert!(matches!(container(b"{", None), Err(CreateError::Json(_))));
        assert_eq!(container(b"[1]", None).err(), Some(CreateError::Shape));
        assert_eq!(
            container(b"{}", None).map(|s| s.name).ok(),
            Some("the requested container".to_string())
        );
        assert!(exec(b"\"x\"", "c").is_err());
        let e =
            exec(br#"{"Privileged": true, "Cmd": ["sh"]}"#, "c").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(e.privileged.map(|p| p.value), Some(true));
    }

    #[test]
    fn an_exec_inspect_reads_like_its_request() {
        // `GET /exec/{id}/json` of `docker exec --privileged -u 0 web true`
        // on dockerd 20.10, shortened.
        let inspect = serde_json::json!({"ID": "ac21", "Running": false,
            "ProcessConfig": {"privileged": true, "user": "0", "tty": false,
              "entrypoint": "true", "arguments": []},
            "ContainerID": "4a2b"});
        let s = exec_of(&inspect, "web").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.privileged.as_ref().map(|p| p.value), Some(true));
        assert_eq!(
            s.privileged.map(|p| p.at),
            Some(Origin::Field("ProcessConfig.privileged".to_string()))
        );
        assert_eq!(s.user.map(|u| u.value), Some("0".to_string()));
        let plain = serde_json::json!({"ProcessConfig": {"privileged": false, "user": ""}});
        let s = exec_of(&plain, "web").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.privileged.map(|p| p.value), Some(false));
        assert_eq!(s.user, None);
    }

    #[test]
    fn an_update_sets_only_what_it_names() {
        let s = update(
            br#"{"PidsLimit": -1, "RestartPolicy": {"Name": "always"}}"#,
            "web",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.pids_limit.map(|p| p.value), Some(-1));
        assert_eq!(
            s.restart.map(|r| r.value.policy),
            Some("always".to_string())
        );
        let s = update(br#"{"Memory": 67108864}"#, "web").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.pids_limit, None);
        assert_eq!(s.restart, None);
        assert!(update(b"[]", "web").is_err());
    }

    #[test]
    fn plugin_privileges_become_host_access() {
        // What `docker plugin install` sends for a plugin asking for much.
        let s = plugin(
            br#"[{"Name":"network","Description":"","Value":["host"]},
                 {"Name":"host pid","Description":"","Value":["true"]},
                 {"Name":"mount","Description":"","Value":["/var/lib/docker/plugins/"]},
                 {"Name":"mount","Description":"","Value":["/var/run/docker.sock"]},
                 {"Name":"device","Description":"","Value":["/dev/fuse"]},
                 {"Name":"allow-all-devices","Description":"","Value":["true"]},
                 {"Name":"capabilities","Description":"","Value":["CAP_SYS_ADMIN"]}]"#,
            "vieux/sshfs:latest",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.host_network.map(|h| h.value), Some(true));
        assert_eq!(s.host_pid.map(|h| h.value), Some(true));
        assert_eq!(s.mounts.len(), 2);
        assert_eq!(s.devices.len(), 2);
        assert_eq!(s.cap_add[0].value, "SYS_ADMIN");
        assert_eq!(
            s.image.map(|i| i.value),
            Some("vieux/sshfs:latest".to_string())
        );
        let none = plugin(b"[]", "x/y").unwrap_or_else(|e| panic!("{e}"));
        assert!(none.mounts.is_empty() && none.host_network.is_none());
        assert!(plugin(b"{}", "x/y").is_err());
    }

    #[test]
    fn a_bind_volume_mounts_its_host_directory() {
        let s = volume(
            br#"{"Name":"etc","Driver":"local","DriverOpts":{"type":"none","o":"bind","device":"/etc"}}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.mounts[0].host_path.as_deref(), Some("/etc"));
        for plain in [
            &br#"{"Name":"data"}"#[..],
            br#"{"Name":"n","DriverOpts":{"type":"nfs","o":"addr=10.0.0.1","device":":/export"}}"#,
            br#"{"Name":"x","Driver":"other","DriverOpts":{"o":"bind","device":"/etc"}}"#,
        ] {
            assert!(
                volume(plain)
                    .unwrap_or_else(|e| panic!("{e}"))
                    .mounts
                    .is_empty()
            );
        }
    }
}
