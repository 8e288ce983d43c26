//! Kubernetes manifests → one [`RuntimeSpec`] per container.
//!
//! Reads Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet,
//! ReplicationController, Job, CronJob, PodTemplate and `List`s of them;
//! other kinds (Services, ConfigMaps...) carry no container settings and
//! are skipped. Containers, init containers and ephemeral containers are
//! read alike, and the pod's `securityContext` applies to each container
//! for the fields the container does not set, as Kubernetes does.

use std::collections::HashMap;

use crate::manifest::{Issue, Manifest};
use crate::spec::{
    EnvVar, Field, Mount, Origin, Platform, Port, Profile, RuntimeSpec, Source,
    normalize_capability,
};
use shipshape_core::Region;

use crate::yaml::{Node, setting};

/// `List`s nest; deeper than this is not a real manifest.
const MAX_LIST_DEPTH: usize = 8;

/// Reads every workload in the documents of one file.
pub fn read(docs: &[Node], path: &str) -> Manifest {
    let mut out = Manifest::default();
    for doc in docs {
        object(doc, path, &mut out, 0);
    }
    out
}

fn object(doc: &Node, path: &str, out: &mut Manifest, depth: usize) {
    let Some(kind) = doc.get("kind").and_then(Node::as_str) else {
        return;
    };
    let name = doc
        .path(&["metadata", "name"])
        .and_then(Node::as_text)
        .unwrap_or_else(|| "(unnamed)".to_string());
    let template = match kind {
        "List" | "PodList" | "DeploymentList" => {
            if depth >= MAX_LIST_DEPTH {
                out.issues.push(Issue::new(
                    format!("`List` nested more than {MAX_LIST_DEPTH} deep"),
                    Some(doc.at),
                ));
                return;
            }
            for item in doc.get("items").into_iter().flat_map(Node::items) {
                object(item, path, out, depth + 1);
            }
            return;
        }
        "Pod" => Some(doc),
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "ReplicationController"
        | "Job" => doc.path(&["spec", "template"]),
        "CronJob" => doc.path(&["spec", "jobTemplate", "spec", "template"]),
        "PodTemplate" => doc.get("template"),
        _ => return,
    };
    let Some(template) = template else {
        out.issues.push(Issue::new(
            format!("{kind} `{name}` has no pod template"),
            Some(doc.at),
        ));
        return;
    };
    let Some((spec_key, spec)) = template.entry("spec") else {
        out.issues.push(Issue::new(
            format!("{kind} `{name}` has no pod spec"),
            Some(template.at),
        ));
        return;
    };
    let pod = Pod {
        path,
        spec_key,
        workload: format!("{kind} `{name}`"),
        spec,
        annotations: template.path(&["metadata", "annotations"]),
        host_paths: host_path_volumes(spec),
    };
    for list in ["containers", "initContainers", "ephemeralContainers"] {
        let Some(node) = spec.get(list) else { continue };
        if node.as_seq().is_none() && node.value != crate::yaml::Value::Null {
            out.issues.push(Issue::new(
                format!(
                    "{kind} `{name}`: `{list}` is not a list of containers, so none was checked"
                ),
                Some(node.at),
            ));
            continue;
        }
        for container in node.items() {
            if container.as_map().is_none() {
                out.issues.push(Issue::new(
                    format!("{kind} `{name}`: an entry of `{list}` is not a container (a mapping)"),
                    Some(container.at),
                ));
                continue;
            }
            out.specs.push(pod.container(container));
        }
    }
}

/// What containers of one pod share.
struct Pod<'a> {
    path: &'a str,
    /// The `spec` key, where pod-level findings point.
    spec_key: &'a Node,
    workload: String,
    spec: &'a Node,
    annotations: Option<&'a Node>,
    /// `hostPath` volumes by name: the path and where it is written.
    host_paths: HashMap<String, (String, Region)>,
}

fn host_path_volumes(spec: &Node) -> HashMap<String, (String, Region)> {
    let mut volumes = HashMap::new();
    for volume in spec.get("volumes").into_iter().flat_map(Node::items) {
        let name = volume.get("name").and_then(Node::as_text);
        let host = volume.get("hostPath").and_then(|h| h.entry("path"));
        if let (Some(name), Some((key, host))) = (name, host)
            && let Some(text) = host.as_text()
        {
            volumes.insert(name, (text, setting(key, host)));
        }
    }
    volumes
}

fn at(node: &Node) -> Origin {
    Origin::Span(node.at)
}

/// Where a `key: value` setting is.
fn span(key: &Node, value: &Node) -> Origin {
    Origin::Span(setting(key, value))
}

/// A boolean setting and where it was written.
fn flag(parent: Option<&Node>, key: &str) -> Option<Field<bool>> {
    let (k, v) = parent?.entry(key)?;
    v.as_bool().map(|b| Field::new(b, span(k, v)))
}

/// A setting as text, found by a path of keys.
fn text(parent: Option<&Node>, keys: &[&str]) -> Option<Field<String>> {
    let (last, path) = keys.split_last()?;
    let (k, v) = parent?.path(path)?.entry(last)?;
    v.as_text().map(|t| Field::new(t, span(k, v)))
}

/// A `seccompProfile` or `appArmorProfile` object.
fn profile_object(node: &Node) -> Option<Field<Profile>> {
    let (key, kind) = node.entry("type")?;
    let profile = match kind.as_str()? {
        "Unconfined" => Profile::Unconfined,
        "RuntimeDefault" => Profile::RuntimeDefault,
        _ => Profile::Custom(
            node.get("localhostProfile")
                .and_then(Node::as_text)
                .unwrap_or_else(|| "Localhost".to_string()),
        ),
    };
    Some(Field::new(profile, span(key, kind)))
}

/// A profile written in the older annotation syntax.
fn profile_annotation((key, node): (&Node, &Node)) -> Option<Field<Profile>> {
    let value = node.as_str()?;
    let profile = match value {
        "unconfined" => Profile::Unconfined,
        "runtime/default" | "docker/default" => Profile::RuntimeDefault,
        other => Profile::Custom(other.to_string()),
    };
    Some(Field::new(profile, span(key, node)))
}

/// SELinux options that change the label, in the form Docker's `label:`
/// option uses: `user:system_u`, `role:...`, `type:spc_t` (the first set,
/// in that order: a user or role is always an override, a type may not be).
fn selinux(node: &Node) -> Option<Field<String>> {
    for key in ["user", "role", "type"] {
        if let Some((k, value)) = node.entry(key)
            && let Some(text) = value.as_text()
        {
            return Some(Field::new(format!("{key}:{text}"), span(k, value)));
        }
    }
    None
}

impl Pod<'_> {
    fn annotation(&self, key: &str) -> Option<(&Node, &Node)> {
        self.annotations?.entry(key)
    }

    fn container(&self, container: &Node) -> RuntimeSpec {
        let name = container
            .get("name")
            .and_then(Node::as_text)
            .unwrap_or_else(|| "(unnamed)".to_string());
        let anchor = container.entry("name").map_or(container, |(k, _)| k);
        let mut spec = RuntimeSpec::new(
            Platform::Kubernetes,
            Source::File(self.path.to_string()),
            format!("{}, container `{name}`", self.workload),
            at(anchor),
        );
        spec.workload = self.workload.clone();
        spec.workload_at = at(self.spec_key);
        let pod_sc = self.spec.get("securityContext");
        let sc = container.get("securityContext");
        // Fields a container inherits from the pod when it does not set them.
        let either = |key: &str| {
            sc.and_then(|s| s.entry(key))
                .or_else(|| pod_sc.and_then(|s| s.entry(key)))
        };

        spec.image = text(Some(container), &["image"]);
        spec.host_network = flag(Some(self.spec), "hostNetwork");
        spec.host_pid = flag(Some(self.spec), "hostPID");
        spec.host_ipc = flag(Some(self.spec), "hostIPC");
        spec.host_userns = flag(Some(self.spec), "hostUsers");
        spec.automount_token = flag(Some(self.spec), "automountServiceAccountToken");

        spec.user =
            either("runAsUser").and_then(|(k, v)| v.as_text().map(|t| Field::new(t, span(k, v))));
        spec.run_as_non_root = either("runAsNonRoot")
            .and_then(|(k, v)| v.as_bool().map(|b| Field::new(b, span(k, v))));
        spec.privileged = flag(sc, "privileged");
        spec.read_only_root = flag(sc, "readOnlyRootFilesystem");
        spec.no_new_privileges =
            flag(sc, "allowPrivilegeEscalation").map(|f| Field::new(!f.value, f.at));
        if let Some(caps) = sc.and_then(|s| s.get("capabilities")) {
            let names = |key: &str| -> Vec<Field<String>> {
                caps.get(key)
                    .into_iter()
                    .flat_map(Node::items)
                    .filter_map(|c| Some(Field::new(normalize_capability(&c.as_text()?), at(c))))
                    .collect()
            };
            spec.cap_add = names("add");
            spec.cap_drop = names("drop");
        }
        spec.seccomp = either("seccompProfile")
            .and_then(|(_, v)| profile_object(v))
            .or_else(|| {
                self.annotation(&format!(
                    "container.seccomp.security.alpha.kubernetes.io/{name}"
                ))
                .or_else(|| self.annotation("seccomp.security.alpha.kubernetes.io/pod"))
                .and_then(profile_annotation)
            });
        spec.apparmor = either("appArmorProfile")
            .and_then(|(_, v)| profile_object(v))
            .or_else(|| {
                self.annotation(&format!(
                    "container.apparmor.security.beta.kubernetes.io/{name}"
                ))
                .and_then(profile_annotation)
            });
        spec.selinux = either("seLinuxOptions").and_then(|(_, v)| selinux(v));

        for mount in container
            .get("volumeMounts")
            .into_iter()
            .flat_map(Node::items)
        {
            let Some(volume) = mount.get("name").and_then(Node::as_text) else {
                continue;
            };
            let Some((host, region)) = self.host_paths.get(&volume) else {
                continue;
            };
            spec.mounts.push(Mount {
                host_path: Some(host.clone()),
                target: mount
                    .get("mountPath")
                    .and_then(Node::as_text)
                    .unwrap_or_default(),
                read_only: mount
                    .get("readOnly")
                    .and_then(Node::as_bool)
                    .unwrap_or(false),
                propagation: mount
                    .entry("mountPropagation")
                    .and_then(|(k, p)| Some(Field::new(p.as_text()?, span(k, p)))),
                at: Origin::Span(*region),
            });
        }
        for port in container.get("ports").into_iter().flat_map(Node::items) {
            let number = |key: &str| {
                port.get(key)
                    .and_then(Node::as_i64)
                    .and_then(|n| u32::try_from(n).ok())
            };
            let host_port = port.entry("hostPort");
            let shown = host_port.or_else(|| port.entry("containerPort"));
            spec.ports.push(Port {
                host_ip: port.get("hostIP").and_then(Node::as_text),
                host_port: number("hostPort"),
                container_port: number("containerPort"),
                published: host_port.is_some(),
                at: shown.map_or_else(|| at(port), |(k, v)| span(k, v)),
            });
        }
        for var in container.get("env").into_iter().flat_map(Node::items) {
            let Some(name) = var.get("name").and_then(Node::as_text) else {
                continue;
            };
            let value = var.entry("value");
            spec.env.push(EnvVar {
                name,
                value: value
                    .and_then(|(_, v)| v.as_text())
                    .filter(|v| !v.contains("$(")),
                at: value.map_or_else(|| at(var), |(k, v)| span(k, v)),
            });
        }
        let resources = container.get("resources");
        spec.memory_limit = text(resources, &["limits", "memory"]);
        spec.cpu_limit = text(resources, &["limits", "cpu"]);
        spec.memory_request = text(resources, &["requests", "memory"]);
        spec.cpu_request = text(resources, &["requests", "cpu"]);
        spec
    }
}
