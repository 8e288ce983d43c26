//! [`Host`]: what the benchmark looks at, gathered once. Files are read
//! under a root directory (`/`, or a host file system mounted elsewhere
//! with `--root`), never written; daemon and container facts come from the
//! Engine API as JSON, or are absent when no daemon was reached.

use std::collections::HashMap;
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;

use serde_json::Value;

/// A container as the benchmark sees it.
#[derive(Debug, Clone)]
pub struct Container {
    /// `docker inspect` of the container.
    pub inspect: Value,
    /// The commands of its processes, when it runs and they could be listed.
    pub processes: Option<Vec<String>>,
}

/// An image as the benchmark sees it.
#[derive(Debug, Clone)]
pub struct Image {
    /// `docker image inspect` of the image.
    pub inspect: Value,
    /// `created_by` of each history entry, newest first.
    pub history: Vec<String>,
    /// Its merged file system (metadata only: no contents, no secret scan),
    /// once the image was exported and read; `Err` says why it could not
    /// be. Only the images of the audited containers are read.
    pub files: Option<Result<crate::files::FileIndex, String>>,
}

/// Everything the checks read.
#[derive(Debug, Clone, Default)]
pub struct Host {
    pub root: PathBuf,
    /// The dockerd command line, without the program name; `None` when no
    /// dockerd process was found under the root's `/proc` (then options
    /// given on the command line cannot be known).
    pub dockerd_args: Option<Vec<String>>,
    /// `GET /info` and `GET /version`, when the daemon was reached.
    pub info: Option<Value>,
    pub version: Option<Value>,
    /// The environment the benchmark runs in (`DOCKER_CONTENT_TRUST`).
    pub env: HashMap<String, String>,
    /// Containers (running, unless all were asked for) and images.
    pub containers: Vec<Container>,
    pub images: Vec<Image>,
    /// Loaded audit rules (`auditctl -l`), when they could be listed; the
    /// rule files under the root are read as well.
    pub audit_rules: Option<String>,
    /// Whether the API was reached; checks that need it say so otherwise.
    pub daemon_reached: bool,
    /// The runtime rules' findings on the containers, worked out once for
    /// all the section 5 checks that read them.
    pub container_findings: std::sync::OnceLock<Vec<crate::Finding>>,
}

/// A file's type, owner and permission bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stat {
    pub uid: u32,
    pub gid: u32,
    /// Permission bits (`0o644`), without the file type.
    pub mode: u32,
    pub is_dir: bool,
    pub is_socket: bool,
}

/// Where a daemon setting came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Setting {
    /// A key of `daemon.json`, and its value.
    Config(Value),
    /// A dockerd flag, and its value (`true` for a bare boolean flag).
    Flag(String),
}

impl Setting {
    /// The value as text: strings as they are, other JSON as JSON.
    pub fn text(&self) -> String {
        match self {
            Setting::Config(Value::String(s)) | Setting::Flag(s) => s.clone(),
            Setting::Config(v) => v.to_string(),
        }
    }

    /// A boolean setting's value (`--icc=false`, `"icc": false`).
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Setting::Config(Value::Bool(b)) => Some(*b),
            other => match other.text().as_str() {
                "true" | "1" => Some(true),
                "false" | "0" => Some(false),
                _ => None,
            },
        }
    }
}

impl Host {
    /// The path of an absolute host path under the root.
    pub fn path(&self, path: &str) -> PathBuf {
        self.root.join(path.trim_start_matches('/'))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.path(path).exists()
    }

    /// Type, owner and mode of a host path, following symbolic links.
    pub fn stat(&self, path: &str) -> Option<Stat> {
        use std::os::unix::fs::FileTypeExt;
        let meta = std::fs::metadata(self.path(path)).ok()?;
        Some(Stat {
            uid: meta.uid(),
            gid: meta.gid(),
            mode: meta.mode() & 0o7777,
            is_dir: meta.is_dir(),
            is_socket: meta.file_type().is_socket(),
        })
    }

    pub fn read(&self, path: &str) -> Option<String> {
        std::fs::read_to_string(self.path(path)).ok()
    }

    /// Files directly in a host directory, sorted, as host paths.
    pub fn list(&self, dir: &str) -> Vec<String> {
        let mut out: Vec<String> = std::fs::read_dir(self.path(dir))
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| {
                format!(
                    "{}/{}",
                    dir.trim_end_matches('/'),
                    e.file_name().to_string_lossy()
                )
            })
            .collect();
        out.sort();
        out
    }

    /// A name from `/etc/passwd` or `/etc/group` under the root.
    fn name_of(&self, file: &str, id: u32) -> Option<String> {
        self.read(file)?.lines().find_map(|line| {
            let mut fields = line.split(':');
            let name = fields.next()?;
            (fields.nth(1)?.parse::<u32>().ok()? == id).then(|| name.to_string())
        })
    }

    /// `user:group` of a file, by name where the root's account files
    /// know the ids.
    pub fn owner(&self, stat: &Stat) -> String {
        let user = self
            .name_of("/etc/passwd", stat.uid)
            .unwrap_or_else(|| stat.uid.to_string());
        let group = self
            .name_of("/etc/group", stat.gid)
            .unwrap_or_else(|| stat.gid.to_string());
        format!("{user}:{group}")
    }

    /// The id of a group by name, from the root's `/etc/group`.
    pub fn group_id(&self, name: &str) -> Option<u32> {
        self.read("/etc/group")?.lines().find_map(|line| {
            let mut fields = line.split(':');
            (fields.next()? == name).then(|| fields.nth(1)?.parse().ok())?
        })
    }

    /// Members of a group, from the root's `/etc/group`.
    pub fn group_members(&self, name: &str) -> Option<Vec<String>> {
        self.read("/etc/group")?.lines().find_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            (fields.first() == Some(&name)).then(|| {
                fields
                    .get(3)
                    .map(|m| {
                        m.split(',')
                            .filter(|s| !s.is_empty())
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default()
            })
        })
    }

    /// The systemd unit file of `name`, where systemd would find it.
    pub fn unit(&self, name: &str) -> Option<String> {
        [
            "/etc/systemd/system",
            "/run/systemd/system",
            "/usr/lib/systemd/system",
            "/lib/systemd/system",
        ]
        .iter()
        .map(|dir| format!("{dir}/{name}"))
        .find(|p| self.path(p).is_file())
    }

    /// Where dockerd reads its configuration file.
    pub fn daemon_json_path(&self) -> String {
        self.flag("--config-file")
            .unwrap_or_else(|| "/etc/docker/daemon.json".to_string())
    }

    /// `daemon.json`: `None` when absent, an error message when unreadable.
    pub fn daemon_json(&self) -> Option<Result<Value, String>> {
        let path = self.daemon_json_path();
        let text = self.read(&path)?;
        Some(serde_json::from_str(&text).map_err(|e| format!("{path}: {e}")))
    }

    /// The last value of a dockerd flag (`--icc=false`, `--icc false`,
    /// `-l debug`); `true` for a boolean flag given bare.
    pub fn flag(&self, name: &str) -> Option<String> {
        self.flag_values(name).pop()
    }

    /// Every value of a repeatable dockerd flag.
    pub fn flag_values(&self, name: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut args = self.dockerd_args.iter().flatten().peekable();
        while let Some(arg) = args.next() {
            if let Some(value) = arg.strip_prefix(name).and_then(|r| r.strip_prefix('=')) {
                out.push(value.to_string());
            } else if arg == name {
                match args.peek() {
                    Some(next) if !next.starts_with('-') => {
                        out.push((*next).clone());
                        args.next();
                    }
                    _ => out.push("true".to_string()),
                }
            }
        }
        out
    }

    /// A daemon setting from `daemon.json` (`key`) or the command line
    /// (any of `flags`); the command line wins, as dockerd refuses a
    /// setting given both ways.
    pub fn setting(&self, key: &str, flags: &[&str]) -> Option<Setting> {
        if let Some(value) = flags.iter().find_map(|f| self.flag(f)) {
            return Some(Setting::Flag(value));
        }
        match self.daemon_json() {
            Some(Ok(json)) => json.get(key).cloned().map(Setting::Config),
            _ => None,
        }
    }

    /// A field of `GET /info`.
    pub fn info(&self, key: &str) -> Option<&Value> {
        self.info.as_ref()?.get(key)
    }

    /// Whether swarm mode is active, per `GET /info`.
    pub fn swarm_active(&self) -> bool {
        self.info("Swarm")
            .and_then(|s| s.get("LocalNodeState"))
            .and_then(Value::as_str)
            .is_some_and(|s| s == "active")
    }

    /// The text of every audit rule: loaded rules and rule files.
    pub fn audit_text(&self) -> String {
        let mut text = self.audit_rules.clone().unwrap_or_default();
        for file in std::iter::once("/etc/audit/audit.rules".to_string())
            .chain(self.list("/etc/audit/rules.d"))
        {
            if let Some(t) = self.read(&file) {
                text.push('\n');
                text.push_str(&t);
            }
        }
        text
    }

    /// The mount point a host path is on, from the root's mount table.
    pub fn mount_point(&self, path: &str) -> Option<String> {
        let table = self
            .read("/proc/self/mounts")
            .or_else(|| self.read("/etc/fstab"))?;
        table
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .filter_map(|l| l.split_whitespace().nth(1))
            .map(|m| m.replace("\\040", " "))
            .filter(|m| {
                let m = m.trim_end_matches('/');
                path == m || path.starts_with(&format!("{m}/")) || m.is_empty()
            })
            .max_by_key(String::len)
    }
}
