//! docker compose files → one [`RuntimeSpec`] per service.
//!
//! Follows the Compose Specification, which also covers the `version: "2"`
//! and `"3"` files people still have. Strings are interpolated as compose
//! does (see [`crate::interpolate`]) before they are read.

use shipshape_core::Region;

use crate::interpolate::{InterpolateError, Vars, interpolate};
use crate::manifest::{Build, Issue, Manifest};
use crate::spec::{
    EnvVar, Field, Mount, Origin, Platform, Port, Profile, Restart, RuntimeSpec, Source,
    normalize_capability,
};
use crate::yaml::{Node, Value, setting};

/// Whether a document is a version 1 compose file: no `services` key,
/// the services at the top level (each with an `image` or a `build`).
pub fn is_version_1(doc: &Node) -> bool {
    doc.get("services").is_none()
        && doc.as_map().is_some_and(|entries| {
            !entries.is_empty()
                && entries
                    .iter()
                    .all(|(_, v)| v.get("image").is_some() || v.get("build").is_some())
        })
}

/// Reads the services of a compose file.
pub fn read(doc: &Node, path: &str, vars: &dyn Vars) -> Manifest {
    let mut out = Manifest::default();
    let (services_key, services) = if is_version_1(doc) {
        (doc, doc)
    } else {
        match doc.entry("services") {
            Some(entry) => entry,
            None => {
                out.issues.push(Issue::new("no `services` key", None));
                return out;
            }
        }
    };
    if services.as_map().is_none() && services.value != Value::Null {
        out.issues.push(Issue::new(
            "`services` must be a map of service names to their settings",
            Some(services_key.at),
        ));
        return out;
    }
    for (name, key, service) in services.entries() {
        let mut reader = Reader {
            vars,
            issues: &mut out.issues,
            notes: &mut out.notes,
        };
        let at = Origin::Span(key.at);
        let mut spec = RuntimeSpec::new(
            Platform::Docker,
            Source::File(path.to_string()),
            format!("service `{name}`"),
            at,
        );
        spec.workload = spec.name.clone();
        if service.as_map().is_none() {
            if service.value != Value::Null {
                reader.issue(format!("service `{name}` is not a map"), key.at);
            }
            continue;
        }
        reader.service(service, &mut spec);
        if let Some(build) = reader.build(name, service) {
            out.builds.push(build);
        }
        out.specs.push(spec);
    }
    out
}

struct Reader<'a> {
    vars: &'a dyn Vars,
    issues: &'a mut Vec<Issue>,
    notes: &'a mut Vec<Issue>,
}

/// Variables, with placeholders for the required ones that are unset.
struct Placeholders<'a> {
    vars: &'a dyn Vars,
    /// (name, `${name}`)
    unset: Vec<(String, String)>,
}

impl Vars for Placeholders<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).or_else(|| {
            self.unset
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        })
    }
}

fn span(key: &Node, value: &Node) -> Origin {
    Origin::Span(setting(key, value))
}

impl Reader<'_> {
    fn issue(&mut self, message: String, at: Region) {
        self.issues.push(Issue::new(message, Some(at)));
    }

    /// A scalar, interpolated. Interpolation errors are recorded and the
    /// value is read as empty, as far as the check goes on.
    fn text(&mut self, node: &Node) -> Option<String> {
        let raw = node.as_text()?;
        // A required variable (`${TAG:?set TAG}`) that is unset stands for
        // itself, `${TAG}`, so the rest of the file is still checked, and a
        // note says so: compose would refuse to start, but the file is
        // commonly checked where the variable is not set.
        let mut vars = Placeholders {
            vars: self.vars,
            unset: Vec::new(),
        };
        loop {
            match interpolate(&raw, &vars) {
                Ok(text) => {
                    for (name, _) in vars.unset {
                        self.notes.push(Issue::new(
                            format!(
                                "required variable `{name}` is not set; read as `${{{name}}}` (set it, or pass --env-file, to check the real value)"
                            ),
                            Some(node.at),
                        ));
                    }
                    return Some(text);
                }
                Err(InterpolateError::Required { name, .. })
                    if !vars.unset.iter().any(|(n, _)| *n == name) =>
                {
                    let placeholder = format!("${{{name}}}");
                    vars.unset.push((name, placeholder));
                }
                Err(e) => {
                    self.issue(e.to_string(), node.at);
                    return Some(String::new());
                }
            }
        }
    }

    fn boolean(&mut self, node: &Node) -> Option<bool> {
        match &node.value {
            Value::Bool(b) => Some(*b),
            _ => match self.text(node)?.to_ascii_lowercase().as_str() {
                "true" | "yes" | "on" | "1" => Some(true),
                "false" | "no" | "off" | "0" => Some(false),
                _ => None,
            },
        }
    }

    fn service(&mut self, service: &Node, spec: &mut RuntimeSpec) {
        for (name, key, value) in service.entries() {
            let at = span(key, value);
            match name {
                "image" => spec.image = self.text(value).map(|v| Field::new(v, at)),
                "privileged" => spec.privileged = self.boolean(value).map(|v| Field::new(v, at)),
                "read_only" => {
                    spec.read_only_root = self.boolean(value).map(|v| Field::new(v, at));
                }
                "user" => spec.user = self.text(value).map(|v| Field::new(v, at)),
                "cap_add" => spec.cap_add = self.capabilities(value),
                "cap_drop" => spec.cap_drop = self.capabilities(value),
                "security_opt" => self.security_opts(value, spec),
                // `net` is the version 1 spelling.
                "network_mode" | "net" => {
                    if value.as_str() == Some("bridge") {
                        spec.networks
                            .push(Field::new("bridge".to_string(), at.clone()));
                    }
                    spec.host_network = self.host_mode(value, at);
                }
                "pid" => spec.host_pid = self.host_mode(value, at),
                "ipc" => spec.host_ipc = self.host_mode(value, at),
                "uts" => spec.host_uts = self.host_mode(value, at),
                "userns_mode" => spec.host_userns = self.host_mode(value, at),
                "volumes" => {
                    for item in value.items() {
                        if let Some(mount) = self.volume(item) {
                            spec.mounts.push(mount);
                        }
                    }
                }
                "devices" => {
                    for item in value.items() {
                        let device = match item.get("source") {
                            Some(source) => self.text(source),
                            None => self.text(item),
                        };
                        if let Some(device) = device {
                            spec.devices.push(Field::new(device, Origin::Span(item.at)));
                        }
                    }
                }
                "ports" => {
                    for item in value.items() {
                        if let Some(port) = self.port(item) {
                            spec.ports.push(port);
                        }
                    }
                }
                "environment" => self.environment(value, spec),
                "mem_limit" => spec.memory_limit = self.text(value).map(|v| Field::new(v, at)),
                "cpus" | "cpu_quota" | "cpu_shares" | "cpu_period" if spec.cpu_limit.is_none() => {
                    spec.cpu_limit = self.text(value).map(|v| Field::new(v, at));
                }
                "pids_limit" => {
                    spec.pids_limit = self
                        .text(value)
                        .and_then(|v| v.trim().parse().ok())
                        .map(|v| Field::new(v, at));
                }
                "restart" => {
                    spec.restart = self.text(value).map(|v| Field::new(restart(&v), at));
                }
                "healthcheck" => {
                    let disabled = value
                        .get("disable")
                        .and_then(|d| self.boolean(d))
                        .unwrap_or(false)
                        || value.get("test").is_some_and(|t| {
                            let first = t.items().next().unwrap_or(t);
                            first.as_str() == Some("NONE")
                        });
                    if disabled {
                        spec.healthcheck_disabled = Some(Field::new(true, at));
                    }
                }
                "deploy" => self.deploy(value, spec),
                _ => {}
            }
        }
    }

    fn capabilities(&mut self, list: &Node) -> Vec<Field<String>> {
        list.items()
            .filter_map(|item| {
                let name = self.text(item)?;
                Some(Field::new(
                    normalize_capability(&name),
                    Origin::Span(item.at),
                ))
            })
            .collect()
    }

    fn host_mode(&mut self, value: &Node, at: Origin) -> Option<Field<bool>> {
        let mode = self.text(value)?;
        Some(Field::new(mode == "host", at))
    }

    fn security_opts(&mut self, list: &Node, spec: &mut RuntimeSpec) {
        for item in list.items() {
            let Some(opt) = self.text(item) else { continue };
            let at = Origin::Span(item.at);
            let (name, value) = match opt.find([':', '=']) {
                Some(i) => (&opt[..i], &opt[i + 1..]),
                None => (opt.as_str(), ""),
            };
            match name {
                "seccomp" => spec.seccomp = Some(Field::new(profile(value), at)),
                "apparmor" => spec.apparmor = Some(Field::new(profile(value), at)),
                "no-new-privileges" => {
                    // Docker parses the value with Go's strconv.ParseBool.
                    let on = matches!(value, "" | "1" | "t" | "T" | "true" | "TRUE" | "True");
                    spec.no_new_privileges = Some(Field::new(on, at));
                }
                "label" => spec.selinux = Some(Field::new(value.to_string(), at)),
                _ => {}
            }
        }
    }

    fn volume(&mut self, item: &Node) -> Option<Mount> {
        let at = Origin::Span(item.at);
        if item.as_map().is_some() {
            let kind = item
                .get("type")
                .and_then(|t| self.text(t))
                .unwrap_or_default();
            let source = item.get("source").and_then(|s| self.text(s));
            let target = item
                .get("target")
                .and_then(|t| self.text(t))
                .unwrap_or_default();
            let host_path = match kind.as_str() {
                "bind" => source,
                "volume" | "tmpfs" | "npipe" | "cluster" | "image" => None,
                _ => source.filter(|s| is_host_path(s)),
            };
            return Some(Mount {
                host_path,
                target,
                read_only: item
                    .get("read_only")
                    .and_then(|r| self.boolean(r))
                    .unwrap_or(false),
                propagation: item.path(&["bind", "propagation"]).and_then(|p| {
                    let text = self.text(p)?;
                    Some(Field::new(text, Origin::Span(p.at)))
                }),
                at,
            });
        }
        let text = self.text(item)?;
        let parts: Vec<&str> = text.split(':').collect();
        let (source, target, mode) = match parts.as_slice() {
            [target] => (None, *target, ""),
            [source, target] => (Some(*source), *target, ""),
            [source, target, mode, ..] => (Some(*source), *target, *mode),
            [] => return None,
        };
        let options: Vec<&str> = mode.split(',').collect();
        Some(Mount {
            host_path: source.filter(|s| is_host_path(s)).map(str::to_string),
            target: target.to_string(),
            read_only: options.contains(&"ro"),
            propagation: options
                .iter()
                .find(|o| o.contains("shared") || o.contains("slave") || o.contains("private"))
                .map(|o| Field::new(o.to_string(), at.clone())),
            at,
        })
    }

    fn port(&mut self, item: &Node) -> Option<Port> {
        let at = Origin::Span(item.at);
        if item.as_map().is_some() {
            let number = |reader: &mut Self, key: &str| {
                item.get(key)
                    .and_then(|n| reader.text(n))
                    .and_then(|t| first_port(&t))
            };
            let published = number(self, "published");
            let target = number(self, "target");
            let host_ip = item.get("host_ip").and_then(|h| self.text(h));
            return Some(Port {
                host_ip: host_ip.filter(|ip| !ip.is_empty()),
                host_port: published,
                container_port: target,
                published: true,
                at,
            });
        }
        let text = self.text(item)?;
        let text = text.split('/').next().unwrap_or("");
        // An IPv6 host address is written in brackets: `[::1]:8080:80`.
        let (host_ip, rest) = match text.strip_prefix('[') {
            Some(after) => {
                let (ip, rest) = after.split_once(']')?;
                (Some(ip.to_string()), rest.strip_prefix(':').unwrap_or(rest))
            }
            None => (None, text),
        };
        let parts: Vec<&str> = rest.split(':').collect();
        let (ip, host, container) = match parts.as_slice() {
            [container] => (None, None, *container),
            [host, container] => (None, Some(*host), *container),
            [ip, host, container] => (Some(ip.to_string()), Some(*host), *container),
            _ => return None,
        };
        Some(Port {
            host_ip: host_ip.or(ip).filter(|ip| !ip.is_empty()),
            host_port: host.and_then(first_port),
            container_port: first_port(container),
            published: true,
            at,
        })
    }

    fn environment(&mut self, value: &Node, spec: &mut RuntimeSpec) {
        match &value.value {
            Value::Map(_) => {
                for (name, key, v) in value.entries() {
                    // Interpolated only to report unset required variables:
                    // the rules want the value as written.
                    self.text(v);
                    spec.env.push(EnvVar {
                        name: name.to_string(),
                        value: literal(v.as_text()),
                        at: span(key, v),
                    });
                }
            }
            Value::Seq(_) => {
                for item in value.items() {
                    self.text(item);
                    let Some(text) = item.as_text() else { continue };
                    let (name, v) = match text.split_once('=') {
                        Some((n, v)) => (n, literal(Some(v.to_string()))),
                        None => (text.as_str(), None),
                    };
                    spec.env.push(EnvVar {
                        name: name.to_string(),
                        value: v,
                        at: Origin::Span(item.at),
                    });
                }
            }
            _ => {}
        }
    }

    fn deploy(&mut self, deploy: &Node, spec: &mut RuntimeSpec) {
        if let Some(limits) = deploy.path(&["resources", "limits"]) {
            for (name, key, value) in limits.entries() {
                let at = span(key, value);
                match name {
                    "memory" => spec.memory_limit = self.text(value).map(|v| Field::new(v, at)),
                    "cpus" => spec.cpu_limit = self.text(value).map(|v| Field::new(v, at)),
                    "pids" => {
                        spec.pids_limit = self
                            .text(value)
                            .and_then(|v| v.trim().parse().ok())
                            .map(|v| Field::new(v, at));
                    }
                    _ => {}
                }
            }
        }
        if let Some((key, policy)) = deploy.entry("restart_policy") {
            let condition = policy
                .get("condition")
                .and_then(|c| self.text(c))
                .unwrap_or_else(|| "any".to_string());
            let max = policy
                .get("max_attempts")
                .and_then(|m| self.text(m))
                .and_then(|m| m.trim().parse().ok());
            let policy = match condition.as_str() {
                "none" => "no",
                "on-failure" => "on-failure",
                _ => "always",
            };
            spec.restart = Some(Field::new(
                Restart {
                    policy: policy.to_string(),
                    max_retries: max,
                },
                Origin::Span(key.at),
            ));
        }
    }

    fn build(&mut self, service: &str, node: &Node) -> Option<Build> {
        let (key, build) = node.entry("build")?;
        let (context, dockerfile, inline) = match &build.value {
            Value::Map(_) => (
                build.get("context").and_then(|c| self.text(c)),
                build.get("dockerfile").and_then(|d| self.text(d)),
                build.get("dockerfile_inline").and_then(|d| self.text(d)),
            ),
            _ => (self.text(build), None, None),
        };
        Some(Build {
            service: service.to_string(),
            context: context.unwrap_or_else(|| ".".to_string()),
            dockerfile,
            inline,
            at: key.at,
        })
    }
}

/// A value as written in the file, unless it comes from a variable (then
/// it is not a literal in the file). `$$` is an escaped `$`.
fn literal(raw: Option<String>) -> Option<String> {
    let raw = raw?;
    let unescaped = raw.replace("$$", "\0");
    (!unescaped.contains('$')).then(|| unescaped.replace('\0', "$"))
}

/// Whether the source of a short-syntax volume is a host path rather than
/// a named volume.
fn is_host_path(source: &str) -> bool {
    source.starts_with('/') || source.starts_with('.') || source.starts_with('~')
}

/// The first port of `8080` or `8000-8010`.
fn first_port(text: &str) -> Option<u32> {
    text.trim().split('-').next()?.trim().parse().ok()
}

fn profile(value: &str) -> Profile {
    match value {
        "unconfined" => Profile::Unconfined,
        "" | "default" | "docker-default" | "runtime/default" => Profile::RuntimeDefault,
        other => Profile::Custom(other.to_string()),
    }
}

fn restart(value: &str) -> Restart {
    let (policy, max) = match value.split_once(':') {
        Some((policy, max)) => (policy, max.trim().parse().ok()),
        None => (value, None),
    };
    Restart {
        policy: policy.trim().to_string(),
        max_retries: max,
    }
}
