//! `docker inspect` JSON of a container → [`RuntimeSpec`].
//!
//! The same reader serves a live container (the Engine API's inspect
//! response) and a file saved with `docker inspect` (one object or an
//! array). Every setting points at its field (`HostConfig.Privileged`).

use serde_json::Value;

use crate::spec::{
    EnvVar, Field, Mount, Origin, Platform, Port, Profile, Restart, RuntimeSpec, Source,
    normalize_capability,
};

/// Why an inspect document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InspectError {
    #[error("not JSON: {0}")]
    Json(String),
    #[error("expected a container object (with `Id` and `HostConfig`) or an array of them")]
    Shape,
}

/// Reads a `docker inspect` file: one container or an array of them.
pub fn read_file(text: &str) -> Result<Vec<RuntimeSpec>, InspectError> {
    let value: Value = serde_json::from_str(text).map_err(|e| InspectError::Json(e.to_string()))?;
    let items = match value {
        Value::Array(items) => items,
        other => vec![other],
    };
    items
        .iter()
        .map(|item| {
            // `Processes` is not Docker's: a saved audit may add the
            // container's process list (`docker top`) under that key.
            let processes = item.get("Processes").and_then(Value::as_array).map(|p| {
                p.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            });
            spec(item, processes).ok_or(InspectError::Shape)
        })
        .collect()
}

fn field(path: &str) -> Origin {
    Origin::Field(path.to_string())
}

fn get<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(v, |v, key| v.get(key))
}

fn text(v: &Value, path: &str) -> Option<String> {
    get(v, path).and_then(Value::as_str).map(str::to_string)
}

fn int(v: &Value, path: &str) -> i64 {
    get(v, path).and_then(Value::as_i64).unwrap_or(0)
}

fn strings(v: &Value, path: &str) -> Vec<String> {
    get(v, path)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

/// The container's name without Docker's leading `/`.
pub fn name(inspect: &Value) -> String {
    text(inspect, "Name")
        .map(|n| n.trim_start_matches('/').to_string())
        .filter(|n| !n.is_empty())
        .or_else(|| text(inspect, "Id").map(|id| id.chars().take(12).collect()))
        .unwrap_or_else(|| "(unnamed)".to_string())
}

/// A container's spec from its inspect object; `None` when it is not one.
/// `processes` are the commands of its running processes, if listed.
pub fn spec(inspect: &Value, processes: Option<Vec<String>>) -> Option<RuntimeSpec> {
    inspect.get("HostConfig")?;
    inspect.get("Id")?;
    let name = name(inspect);
    let mut spec = RuntimeSpec::new(
        Platform::Docker,
        Source::Container(name.clone()),
        format!("container `{name}`"),
        field(""),
    );
    spec.image = text(inspect, "Config.Image").map(|i| Field::new(i, field("Config.Image")));
    spec.user = text(inspect, "Config.User")
        .filter(|u| !u.is_empty())
        .map(|u| Field::new(u, field("Config.User")));
    let flag = |path: &str| {
        get(inspect, path)
            .and_then(Value::as_bool)
            .map(|b| Field::new(b, field(path)))
    };
    spec.privileged = flag("HostConfig.Privileged");
    spec.read_only_root = flag("HostConfig.ReadonlyRootfs");
    let caps = |path: &str| -> Vec<Field<String>> {
        strings(inspect, path)
            .iter()
            .map(|c| Field::new(normalize_capability(c), field(path)))
            .collect()
    };
    spec.cap_add = caps("HostConfig.CapAdd");
    spec.cap_drop = caps("HostConfig.CapDrop");
    for opt in strings(inspect, "HostConfig.SecurityOpt") {
        let at = field("HostConfig.SecurityOpt");
        let (key, value) = match opt.find([':', '=']) {
            Some(i) => (&opt[..i], &opt[i + 1..]),
            None => (opt.as_str(), ""),
        };
        match key {
            "seccomp" => {
                let profile = match value {
                    "unconfined" => Profile::Unconfined,
                    "" | "default" => Profile::RuntimeDefault,
                    _ => Profile::Custom("custom profile".to_string()),
                };
                spec.seccomp = Some(Field::new(profile, at));
            }
            "no-new-privileges" => {
                let on = matches!(value, "" | "1" | "t" | "T" | "true" | "TRUE" | "True");
                spec.no_new_privileges = Some(Field::new(on, at));
            }
            "label" => spec.selinux = Some(Field::new(value.to_string(), at)),
            _ => {}
        }
    }
    // An empty profile means the host has no AppArmor to apply: nothing
    // this container's settings could change.
    spec.apparmor = text(inspect, "AppArmorProfile")
        .filter(|p| !p.is_empty())
        .map(|p| {
            let profile = match p.as_str() {
                "unconfined" => Profile::Unconfined,
                "docker-default" => Profile::RuntimeDefault,
                other => Profile::Custom(other.to_string()),
            };
            Field::new(profile, field("AppArmorProfile"))
        });
    let mode = |path: &str| {
        text(inspect, path)
            .filter(|m| !m.is_empty())
            .map(|m| Field::new(m == "host", field(path)))
    };
    spec.host_network = mode("HostConfig.NetworkMode");
    spec.host_pid = mode("HostConfig.PidMode");
    spec.host_ipc = mode("HostConfig.IpcMode");
    spec.host_uts = mode("HostConfig.UTSMode");
    spec.host_userns = mode("HostConfig.UsernsMode");

    for (i, m) in get(inspect, "Mounts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let at = field(&format!("Mounts[{i}]"));
        let bind = m.get("Type").and_then(Value::as_str) == Some("bind");
        let propagation = text(m, "Propagation")
            .filter(|p| !p.is_empty())
            .map(|p| Field::new(p, field(&format!("Mounts[{i}].Propagation"))));
        spec.mounts.push(Mount {
            host_path: text(m, "Source").filter(|_| bind),
            target: text(m, "Destination").unwrap_or_default(),
            read_only: m.get("RW").and_then(Value::as_bool) == Some(false),
            propagation,
            at,
        });
    }
    for (i, d) in get(inspect, "HostConfig.Devices")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if let Some(path) = text(d, "PathOnHost") {
            spec.devices
                .push(Field::new(path, field(&format!("HostConfig.Devices[{i}]"))));
        }
    }
    if let Some(bindings) = get(inspect, "HostConfig.PortBindings").and_then(Value::as_object) {
        for (port, hosts) in bindings {
            let container_port = port.split('/').next().and_then(|p| p.parse().ok());
            for h in hosts.as_array().into_iter().flatten() {
                spec.ports.push(Port {
                    host_ip: text(h, "HostIp").filter(|ip| !ip.is_empty()),
                    host_port: text(h, "HostPort").and_then(|p| p.parse().ok()),
                    container_port,
                    published: true,
                    at: field(&format!("HostConfig.PortBindings.{port}")),
                });
            }
        }
    }
    for (i, var) in strings(inspect, "Config.Env").into_iter().enumerate() {
        let (name, value) = match var.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (var, None),
        };
        spec.env.push(EnvVar {
            name,
            value,
            at: field(&format!("Config.Env[{i}]")),
        });
    }
    let positive = |path: &str| {
        let n = int(inspect, path);
        (n > 0).then(|| Field::new(n.to_string(), field(path)))
    };
    spec.memory_limit = positive("HostConfig.Memory");
    spec.cpu_limit = positive("HostConfig.NanoCpus")
        .or_else(|| positive("HostConfig.CpuQuota"))
        .or_else(|| positive("HostConfig.CpuShares"));
    spec.pids_limit = get(inspect, "HostConfig.PidsLimit")
        .and_then(Value::as_i64)
        .filter(|n| *n != 0)
        .map(|n| Field::new(n, field("HostConfig.PidsLimit")));
    if let Some(policy) = text(inspect, "HostConfig.RestartPolicy.Name").filter(|p| !p.is_empty()) {
        let retries = int(inspect, "HostConfig.RestartPolicy.MaximumRetryCount");
        spec.restart = Some(Field::new(
            Restart {
                max_retries: (retries > 0).then_some(retries as u64),
                policy,
            },
            field("HostConfig.RestartPolicy"),
        ));
    }
    let test = strings(inspect, "Config.Healthcheck.Test");
    let disabled = test.first().is_some_and(|t| t == "NONE");
    spec.has_healthcheck = Some(Field::new(
        !test.is_empty() && !disabled,
        field("Config.Healthcheck"),
    ));
    if disabled {
        spec.healthcheck_disabled = Some(Field::new(true, field("Config.Healthcheck")));
    }
    if let Some(networks) = get(inspect, "NetworkSettings.Networks").and_then(Value::as_object) {
        for name in networks.keys() {
            spec.networks.push(Field::new(
                name.clone(),
                field(&format!("NetworkSettings.Networks.{name}")),
            ));
        }
    }
    spec.processes = processes;
    Some(spec)
}
