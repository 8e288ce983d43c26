//! Facts about package-manager commands that several rules share (here and
//! in the image-history rules, which read the same shell): which
//! command installs what, which of its arguments are packages, what cleans
//! a cache afterwards, and which directories a `RUN --mount` keeps out of
//! the image.

use crate::model::{Inst, Stage};
use crate::shell::{Arg, Cmd, Script};
use crate::syntax::ast::Word;

/// `apt-get`/`apt` options whose value is the next argument.
pub const APT_VALUE_FLAGS: &[&str] = &[
    "-o",
    "--option",
    "-t",
    "--target-release",
    "--default-release",
    "-c",
    "--config-file",
    "-a",
    "--host-architecture",
];

/// The Debian package front-ends.
pub const APT_TOOLS: &[&str] = &["apt-get", "apt", "aptitude"];

/// `apk` options whose value is the next argument.
pub const APK_VALUE_FLAGS: &[&str] = &[
    "-t",
    "--virtual",
    "-X",
    "--repository",
    "-p",
    "--root",
    "--arch",
    "--keys-dir",
    "--repositories-file",
    "--cache-dir",
    "--cache-max-age",
    "--timeout",
];

/// `yum`/`dnf`/`microdnf` options whose value is the next argument.
pub const RPM_VALUE_FLAGS: &[&str] = &[
    "-c",
    "--config",
    "--installroot",
    "--releasever",
    "-x",
    "--exclude",
    "--setopt",
    "-d",
    "--debuglevel",
    "-e",
    "--errorlevel",
    "--enablerepo",
    "--disablerepo",
    "--repo",
    "--repoid",
    "--repofrompath",
    "--downloaddir",
    "--destdir",
    "--forcearch",
    "--color",
    "--rpmverbosity",
    "--advisory",
    "--cve",
];

/// `zypper` options whose value is the next argument.
pub const ZYPPER_VALUE_FLAGS: &[&str] = &[
    "-R",
    "--root",
    "-D",
    "--reposd-root",
    "-C",
    "--cache-dir",
    "-c",
    "--config",
    "--raw-cache-dir",
    "--solv-cache-dir",
    "--pkg-cache-dir",
    "-r",
    "--repo",
    "--from",
    "-t",
    "--type",
];

/// `yum`/`dnf` subcommands that install and ask for confirmation first.
pub const RPM_INSTALLS_ASKING: &[&str] = &["install", "groupinstall", "localinstall"];

/// The dnf front-ends.
pub const DNF_TOOLS: &[&str] = &["dnf", "microdnf", "dnf5"];

/// Whether an argument is only known at build time (`$PKGS`, `$(cat x)`),
/// so nothing can be said about its version.
pub fn is_dynamic(value: &str) -> bool {
    value.contains('$') || value.contains('`')
}

/// The package operands of `cmd` that are not pinned: neither `pinned` by
/// their own syntax nor only known at build time.
pub fn unpinned<'a>(
    cmd: &'a Cmd,
    value_flags: &[&str],
    pinned: impl Fn(&str) -> bool + 'a,
) -> impl Iterator<Item = &'a Arg> + 'a {
    cmd.operands(value_flags)
        .into_iter()
        .filter(move |arg| !pinned(&arg.value) && !is_dynamic(&arg.value))
}

/// The subcommand of `apt-get`, `apt` or `aptitude`; `None` for other
/// programs.
pub fn apt_subcommand(cmd: &Cmd) -> Option<&str> {
    cmd.is_any(APT_TOOLS)
        .then(|| cmd.subcommand(APT_VALUE_FLAGS))
        .flatten()
}

/// Whether `cmd` is `apt-get install`.
pub fn is_apt_get_install(cmd: &Cmd) -> bool {
    cmd.is("apt-get") && apt_subcommand(cmd) == Some("install")
}

/// The subcommand of `apk`; `None` for other programs.
pub fn apk_subcommand(cmd: &Cmd) -> Option<&str> {
    cmd.is("apk")
        .then(|| cmd.subcommand(APK_VALUE_FLAGS))
        .flatten()
}

/// Whether `cmd` is `apk add`.
pub fn is_apk_add(cmd: &Cmd) -> bool {
    cmd.is("apk") && apk_subcommand(cmd) == Some("add")
}

/// The subcommand of `yum`, `dnf` or `microdnf`; `None` for other programs.
pub fn rpm_subcommand(cmd: &Cmd) -> Option<&str> {
    cmd.is_any(&["yum", "dnf", "microdnf", "dnf5"])
        .then(|| cmd.subcommand(RPM_VALUE_FLAGS))
        .flatten()
}

/// The subcommand of a `zypper` command.
pub fn zypper_subcommand(cmd: &Cmd) -> Option<&str> {
    cmd.subcommand(ZYPPER_VALUE_FLAGS)
}

/// What `yum install` or `dnf install` is asked for.
pub enum RpmTarget<'a> {
    /// A package name, file or capability.
    Package(&'a Arg),
    /// A module of `yum module install` / `dnf module install`.
    Module(&'a Arg),
}

/// The targets of a `yum`/`dnf` install (`install` or `module install`);
/// groups (`group install`, `groupinstall`) have no version and give none.
pub fn rpm_install_targets(cmd: &Cmd) -> Vec<RpmTarget<'_>> {
    let words = cmd.args_no_flags(RPM_VALUE_FLAGS);
    match words.as_slice() {
        [sub, rest @ ..] if sub.value == "install" => {
            rest.iter().map(|a| RpmTarget::Package(a)).collect()
        }
        [sub, verb, rest @ ..] if sub.value == "module" && verb.value == "install" => {
            rest.iter().map(|a| RpmTarget::Module(a)).collect()
        }
        _ => Vec::new(),
    }
}

/// Whether a `yum`/`dnf install` argument names one version: an `.rpm`
/// file, a path or URL, a group (`@name`), a capability (`x(y)`), a version
/// comparison, or `name-version[-release]` where the part after the name
/// looks like a version.
pub fn rpm_package_pinned(value: &str) -> bool {
    if is_dynamic(value)
        || value.ends_with(".rpm")
        || value.contains('/')
        || value.starts_with('@')
        || value.contains('(')
        || value.contains(['=', '<', '>'])
    {
        return true;
    }
    let mut parts = value.split('-');
    parts.next();
    let rest: Vec<&str> = parts.collect();
    let version_char = |c: char| c.is_ascii_alphanumeric() || ".~^_:+*".contains(c);
    !rest.is_empty()
        && rest
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(version_char))
        && rest
            .iter()
            .any(|p| p.starts_with(|c: char| c.is_ascii_digit()))
}

/// Whether a module spec names a stream (`nodejs:18`).
pub fn rpm_module_pinned(value: &str) -> bool {
    is_dynamic(value) || value.contains(':')
}

/// `pip` options whose value is the next argument.
pub const PIP_VALUE_FLAGS: &[&str] = &[
    "-r",
    "--requirement",
    "-c",
    "--constraint",
    "-e",
    "--editable",
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "-t",
    "--target",
    "--prefix",
    "--root",
    "--src",
    "--platform",
    "--python-version",
    "--implementation",
    "--abi",
    "--no-binary",
    "--only-binary",
    "--progress-bar",
    "--proxy",
    "--trusted-host",
    "--upgrade-strategy",
    "-b",
    "--build",
    "--cache-dir",
    "--log",
    "--timeout",
    "--retries",
    "--exists-action",
    "--cert",
    "--client-cert",
    "--global-option",
    "-C",
    "--config-settings",
    "--report",
    "--python",
    "--root-user-action",
    "--keyring-provider",
    "--use-feature",
    "--use-deprecated",
];

/// Whether `program` is `base` with an optional version: `pip`, `pip3`,
/// `python3.12`.
fn is_versioned(program: &str, base: &str) -> bool {
    program
        .strip_prefix(base)
        .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// The arguments pip itself gets: those of `pip`/`pip3`, or those after
/// `-m pip` of `python`/`python3`.
pub fn pip_args(cmd: &Cmd) -> Option<&[Arg]> {
    let program = cmd.program();
    if is_versioned(program, "pip") {
        return Some(&cmd.args);
    }
    if !is_versioned(program, "python") {
        return None;
    }
    for (i, arg) in cmd.args.iter().enumerate() {
        let v = arg.value.as_str();
        let (module, rest) = if v == "-m" {
            (cmd.args.get(i + 1).map(|a| a.value.as_str()), i + 2)
        } else if let Some(m) = v.strip_prefix("-m") {
            (Some(m), i + 1)
        } else if v.starts_with('-') && v != "-c" && v != "-" {
            continue;
        } else {
            // A script, `-c` code or stdin: not pip.
            return None;
        };
        return module
            .filter(|m| is_versioned(m, "pip"))
            .and_then(|_| cmd.args.get(rest..));
    }
    None
}

/// The arguments after `install` of a `pip install` (`pip3 install`,
/// `python -m pip install`).
pub fn pip_install_args(cmd: &Cmd) -> Option<&[Arg]> {
    let args = pip_args(cmd)?;
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        let v = arg.value.as_str();
        if v.starts_with('-') {
            i += if PIP_VALUE_FLAGS.contains(&v) { 2 } else { 1 };
            continue;
        }
        return if v == "install" {
            args.get(i + 1..)
        } else {
            None
        };
    }
    None
}

/// Whether `cmd`'s input comes from `yes` (`yes | apt-get install x`).
pub fn fed_by_yes(script: &Script, cmd: &Cmd) -> bool {
    cmd.pipe_index > 0
        && script
            .iter()
            .any(|c| c.pipeline == cmd.pipeline && c.pipe_index < cmd.pipe_index && c.is("yes"))
}

/// Whether a command after `cmd` in the same RUN satisfies `pred`.
pub fn later(script: &Script, cmd: &Cmd, pred: impl Fn(&Cmd) -> bool) -> bool {
    script.after(cmd).any(pred)
}

/// Whether `cmd` is an `rm` of `dir`, of everything inside it (`dir/*`), or
/// of a directory above it.
pub fn removes(cmd: &Cmd, dir: &str) -> bool {
    cmd.is("rm")
        && cmd
            .args_no_flags(&[])
            .iter()
            .any(|a| path_covers(&a.value, dir))
}

fn path_covers(path: &str, dir: &str) -> bool {
    let trimmed = path.trim_end_matches('*').trim_end_matches('/');
    if trimmed.is_empty() || is_dynamic(trimmed) {
        return false;
    }
    trimmed == dir || is_below(dir, trimmed)
}

/// Whether `path` is strictly inside `dir`.
fn is_below(path: &str, dir: &str) -> bool {
    path.strip_prefix(dir)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// The targets of a RUN's `--mount=type=cache` and `--mount=type=tmpfs`
/// mounts, with build variables expanded and trailing slashes removed.
/// Whatever is written there stays out of the image.
pub fn cache_mount_targets(stage: &Stage<'_>, inst: &Inst<'_>) -> Vec<String> {
    inst.body
        .flags
        .iter()
        .filter(|f| f.name == "mount")
        .filter_map(|f| {
            let spec = f.value.as_deref()?;
            let mut kind = "bind";
            let mut target = None;
            for field in spec.split(',') {
                let (key, value) = field.split_once('=').unwrap_or((field, ""));
                match key.trim() {
                    "type" => kind = value.trim(),
                    "target" | "dst" | "destination" => target = Some(value.trim()),
                    _ => {}
                }
            }
            if kind != "cache" && kind != "tmpfs" {
                return None;
            }
            let raw = target?;
            let word = Word {
                raw: raw.to_string(),
                value: raw.to_string(),
                span: f.span,
            };
            let expanded = stage.expand(inst, &word).value;
            let trimmed = expanded.trim_end_matches('/');
            Some(if trimmed.is_empty() {
                "/".to_string()
            } else {
                trimmed.to_string()
            })
        })
        .collect()
}

/// Whether a cache or tmpfs mount of the RUN is on one of `dirs` or on a
/// directory above it.
pub fn mount_covers(stage: &Stage<'_>, inst: &Inst<'_>, dirs: &[&str]) -> bool {
    cache_mount_targets(stage, inst)
        .iter()
        .any(|t| dirs.iter().any(|d| t == d || t == "/" || is_below(d, t)))
}

/// Whether a cache or tmpfs mount of the RUN ends with one of `tails`
/// (`.cache/pip` matches `/root/.cache/pip`), for caches under a home
/// directory that varies.
pub fn mount_ends_with(stage: &Stage<'_>, inst: &Inst<'_>, tails: &[&str]) -> bool {
    cache_mount_targets(stage, inst)
        .iter()
        .any(|t| tails.iter().any(|tail| t.ends_with(tail)))
}

/// A package manager: its programs, the subcommand reading its flags, the
/// subcommands that update the index and those that install from it.
struct Manager {
    tools: &'static [&'static str],
    subcommand: fn(&Cmd) -> Option<&str>,
    updates: &'static [&'static str],
    installs: &'static [&'static str],
}

const MANAGERS: &[Manager] = &[
    Manager {
        tools: APT_TOOLS,
        subcommand: apt_subcommand,
        updates: &["update"],
        installs: &[
            "install",
            "reinstall",
            "upgrade",
            "dist-upgrade",
            "full-upgrade",
            "safe-upgrade",
            "build-dep",
            "source",
            "download",
        ],
    },
    Manager {
        tools: &["apk"],
        subcommand: apk_subcommand,
        updates: &["update"],
        installs: &["add", "upgrade", "fix", "fetch"],
    },
    Manager {
        tools: &["yum", "dnf", "microdnf", "dnf5"],
        subcommand: rpm_subcommand,
        updates: &["makecache", "check-update"],
        installs: &[
            "install",
            "in",
            "reinstall",
            "upgrade",
            "up",
            "update",
            "groupinstall",
            "localinstall",
            "group",
            "module",
            "distro-sync",
            "downgrade",
            "download",
        ],
    },
    Manager {
        tools: &["zypper"],
        subcommand: zypper_subcommand,
        updates: &["refresh", "ref"],
        installs: &[
            "install",
            "in",
            "update",
            "up",
            "dist-upgrade",
            "dup",
            "patch",
            "source-install",
            "si",
            "install-new-recommends",
            "inr",
            "download",
        ],
    },
];

/// The index update `cmd` runs (`apt-get update`, `apk update`,
/// `yum makecache`, `zypper refresh`) when no later command of `script`
/// installs with the same package manager; `None` otherwise.
pub fn update_alone<'a>(script: &Script, cmd: &'a Cmd) -> Option<&'a str> {
    let manager = MANAGERS.iter().find(|m| cmd.is_any(m.tools))?;
    let sub = (manager.subcommand)(cmd).filter(|s| manager.updates.contains(s))?;
    let installs = |c: &Cmd| {
        c.is_any(manager.tools)
            && (manager.subcommand)(c).is_some_and(|s| manager.installs.contains(&s))
    };
    (!later(script, cmd, installs)).then_some(sub)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rpm_versions() {
        for pinned in [
            "curl-7.61.1",
            "curl-7.61.1-22.el8",
            "python3-devel-3.6.8",
            "gcc-c++-8.5.0",
            "x.rpm",
            "/usr/bin/git",
            "@development",
            "perl(JSON)",
            "$PKG",
        ] {
            assert!(rpm_package_pinned(pinned), "{pinned}");
        }
        for unpinned in ["curl", "python3-devel", "gcc-c++", "tzdata-"] {
            assert!(!rpm_package_pinned(unpinned), "{unpinned}");
        }
        assert!(rpm_module_pinned("nodejs:18"));
        assert!(!rpm_module_pinned("nodejs"));
    }

    fn pip(s: &str) -> Option<Vec<String>> {
        let script = Script::parse(s, &crate::source::SourceMap::identity(0, s.len()));
        let cmd = script.commands.first()?;
        pip_install_args(cmd).map(|args| args.iter().map(|a| a.value.clone()).collect())
    }

    #[test]
    fn pip_installs() {
        assert_eq!(pip("pip install x"), Some(vec!["x".to_string()]));
        assert_eq!(
            pip("pip3.12 --no-cache-dir install -U x"),
            Some(vec!["-U".to_string(), "x".to_string()])
        );
        assert_eq!(pip("python3 -m pip install x"), Some(vec!["x".to_string()]));
        assert_eq!(
            pip("python -u -mpip install x"),
            Some(vec!["x".to_string()])
        );
        assert_eq!(
            pip("pip --proxy http://p install x"),
            Some(vec!["x".to_string()])
        );
        assert_eq!(pip("python -m venv install"), None);
        assert_eq!(pip("python setup.py install"), None);
        assert_eq!(pip("pipx install x"), None);
        assert_eq!(pip("pip download x"), None);
    }

    #[test]
    fn paths() {
        assert!(path_covers("/var/lib/apt/lists/*", "/var/lib/apt/lists"));
        assert!(path_covers("/var/lib/apt/lists", "/var/lib/apt/lists"));
        assert!(path_covers("/var/lib/apt/*", "/var/lib/apt/lists"));
        assert!(path_covers("/var/cache/apk/", "/var/cache/apk"));
        assert!(!path_covers("/var/lib/apt/listsx", "/var/lib/apt/lists"));
        assert!(!path_covers(
            "/var/lib/apt/lists/partial",
            "/var/lib/apt/lists"
        ));
        assert!(!path_covers("/tmp/*", "/var/lib/apt/lists"));
        assert!(!path_covers("*", "/var/lib/apt/lists"));
    }
}
