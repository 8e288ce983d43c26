//! [`RuntimeSpec`]: how one container is set up to run, whatever it was
//! read from (a compose service, a Kubernetes container, `docker inspect`).
//!
//! Every setting records where it was written ([`Origin`]), so a finding
//! points at the exact key. A setting that is absent is `None` and means the
//! platform's default; rules decide what that default implies.

use crate::{Location, Region};

/// Where a setting was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A span in the file the spec was read from.
    Span(Region),
    /// A field of a described container, as a dotted path
    /// (`HostConfig.Privileged`).
    Field(String),
}

/// A setting and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Field<T> {
    pub value: T,
    pub at: Origin,
}

impl<T> Field<T> {
    pub fn new(value: T, at: Origin) -> Self {
        Field { value, at }
    }
}

/// Which runtime the settings are for. Defaults differ: Docker applies its
/// seccomp and AppArmor profiles unless told not to, Kubernetes runs a
/// container unconfined unless a profile is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Docker,
    Kubernetes,
}

/// What the spec was read from, for locations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    File(String),
    Container(String),
}

/// A seccomp or AppArmor profile choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Profile {
    Unconfined,
    /// The runtime's default profile (`RuntimeDefault`, `runtime/default`,
    /// `docker-default`).
    RuntimeDefault,
    /// A named or local profile.
    Custom(String),
}

/// A file system mounted into the container.
#[derive(Debug, Clone, PartialEq)]
pub struct Mount {
    /// The host path for bind mounts and `hostPath` volumes; `None` for
    /// named volumes, tmpfs and the like.
    pub host_path: Option<String>,
    pub target: String,
    pub read_only: bool,
    /// `shared`, `rshared`, `Bidirectional`... as written.
    pub propagation: Option<Field<String>>,
    pub at: Origin,
}

/// A published or host-bound port.
#[derive(Debug, Clone, PartialEq)]
pub struct Port {
    /// The host address it is bound to; `None` means every interface.
    pub host_ip: Option<String>,
    /// The first host port of the binding; `None` when only a container
    /// port is declared or the runtime picks one.
    pub host_port: Option<u32>,
    pub container_port: Option<u32>,
    /// Reachable through the host: every compose `ports` entry, a
    /// Kubernetes `hostPort`.
    pub published: bool,
    pub at: Origin,
}

/// An environment variable set in the spec.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvVar {
    pub name: String,
    /// The literal value; `None` when it comes from elsewhere (a secret
    /// reference, the host's environment).
    pub value: Option<String>,
    pub at: Origin,
}

/// A restart policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restart {
    /// `no`, `always`, `unless-stopped`, `on-failure`.
    pub policy: String,
    /// For `on-failure`: the retry limit, `None` for unlimited.
    pub max_retries: Option<u64>,
}

/// How one container is set up to run.
#[derive(Debug, Clone, PartialEq)]
pub struct RuntimeSpec {
    pub platform: Platform,
    pub source: Source,
    /// Names the container for messages: `service web`,
    /// `Deployment web, container app`.
    pub name: String,
    /// Names what pod-level settings belong to: `Deployment web`; for a
    /// compose service, the service.
    pub workload: String,
    /// Where to point when a pod-level setting is missing: the pod spec;
    /// for a compose service, the service.
    pub workload_at: Origin,
    /// Where to point when a setting is missing: the service or container.
    pub at: Origin,
    pub image: Option<Field<String>>,
    pub privileged: Option<Field<bool>>,
    /// The user as written: a name, a uid, `uid:gid` (Docker), or the
    /// `runAsUser` uid (Kubernetes).
    pub user: Option<Field<String>>,
    /// Kubernetes `runAsNonRoot`.
    pub run_as_non_root: Option<Field<bool>>,
    /// Capability names, upper case, without the `CAP_` prefix.
    pub cap_add: Vec<Field<String>>,
    pub cap_drop: Vec<Field<String>>,
    pub read_only_root: Option<Field<bool>>,
    /// Docker `no-new-privileges`; Kubernetes `allowPrivilegeEscalation`
    /// inverted.
    pub no_new_privileges: Option<Field<bool>>,
    pub seccomp: Option<Field<Profile>>,
    pub apparmor: Option<Field<Profile>>,
    /// SELinux labelling turned off (`label:disable`) or a custom type.
    pub selinux: Option<Field<String>>,
    pub host_network: Option<Field<bool>>,
    pub host_pid: Option<Field<bool>>,
    pub host_ipc: Option<Field<bool>>,
    pub host_uts: Option<Field<bool>>,
    pub host_userns: Option<Field<bool>>,
    pub mounts: Vec<Mount>,
    /// Host devices passed through, as written.
    pub devices: Vec<Field<String>>,
    pub ports: Vec<Port>,
    pub env: Vec<EnvVar>,
    pub memory_limit: Option<Field<String>>,
    pub cpu_limit: Option<Field<String>>,
    pub pids_limit: Option<Field<i64>>,
    pub memory_request: Option<Field<String>>,
    pub cpu_request: Option<Field<String>>,
    pub restart: Option<Field<Restart>>,
    /// The health check is turned off (`disable: true`, `test: [NONE]`).
    pub healthcheck_disabled: Option<Field<bool>>,
    /// Kubernetes `automountServiceAccountToken`.
    pub automount_token: Option<Field<bool>>,
    /// Whether a health check is configured, where that is known (a live
    /// container; a compose service may inherit one from its image).
    pub has_healthcheck: Option<Field<bool>>,
    /// The commands of the container's processes, where they were listed.
    pub processes: Option<Vec<String>>,
    /// The networks the container is attached to, by name.
    pub networks: Vec<Field<String>>,
}

impl RuntimeSpec {
    /// An empty spec: every setting at the platform's default.
    pub fn new(platform: Platform, source: Source, name: String, at: Origin) -> Self {
        RuntimeSpec {
            platform,
            source,
            workload: name.clone(),
            workload_at: at.clone(),
            name,
            at,
            image: None,
            privileged: None,
            user: None,
            run_as_non_root: None,
            cap_add: Vec::new(),
            cap_drop: Vec::new(),
            read_only_root: None,
            no_new_privileges: None,
            seccomp: None,
            apparmor: None,
            selinux: None,
            host_network: None,
            host_pid: None,
            host_ipc: None,
            host_uts: None,
            host_userns: None,
            mounts: Vec::new(),
            devices: Vec::new(),
            ports: Vec::new(),
            env: Vec::new(),
            memory_limit: None,
            cpu_limit: None,
            pids_limit: None,
            memory_request: None,
            cpu_request: None,
            restart: None,
            healthcheck_disabled: None,
            automount_token: None,
            has_healthcheck: None,
            processes: None,
            networks: Vec::new(),
        }
    }

    /// The report location of a setting.
    pub fn location(&self, at: &Origin) -> Location {
        match (&self.source, at) {
            (Source::File(path), Origin::Span(region)) => Location::File {
                path: path.clone(),
                region: *region,
            },
            (Source::File(path), Origin::Field(field)) => Location::Container {
                container: path.clone(),
                field: field.clone(),
            },
            (Source::Container(name), Origin::Field(field)) => Location::Container {
                container: name.clone(),
                field: field.clone(),
            },
            (Source::Container(name), Origin::Span(_)) => Location::Container {
                container: name.clone(),
                field: String::new(),
            },
        }
    }

    /// Whether a boolean setting is explicitly on.
    pub fn is_on(setting: &Option<Field<bool>>) -> Option<&Field<bool>> {
        setting.as_ref().filter(|f| f.value)
    }

    /// Whether a capability is added (`ALL` adds every one).
    pub fn adds_capability(&self, name: &str) -> Option<&Field<String>> {
        self.cap_add
            .iter()
            .find(|c| c.value == name || c.value == "ALL")
    }

    /// The spelling of a Docker setting for this spec: the compose key for
    /// a compose service, the `docker run` flag for a container.
    pub fn say<'a>(&self, compose: &'a str, docker_run: &'a str) -> &'a str {
        match self.source {
            Source::Container(_) => docker_run,
            Source::File(_) => compose,
        }
    }

    /// Whether every capability is dropped.
    pub fn drops_all(&self) -> bool {
        self.cap_drop.iter().any(|c| c.value == "ALL")
    }
}

/// A capability name as rules compare it: upper case, no `CAP_` prefix.
pub fn normalize_capability(name: &str) -> String {
    let upper = name.trim().to_ascii_uppercase();
    upper.strip_prefix("CAP_").unwrap_or(&upper).to_string()
}
