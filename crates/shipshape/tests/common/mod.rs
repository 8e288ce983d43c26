//! Helpers shared by the end-to-end tests.

#![allow(dead_code)]

pub mod dockerd;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_shipshape"));
    cmd.env_remove("NO_COLOR");
    cmd
}

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn run(args: &[&str]) -> Output {
    bin()
        .args(args)
        .current_dir(root())
        .output()
        .unwrap_or_else(|e| panic!("cannot run shipshape: {e}"))
}

/// Runs shipshape with `text` on its standard input.
pub fn run_with_stdin(args: &[&str], text: &str) -> Output {
    use std::io::Write;
    let mut child = bin()
        .args(args)
        .current_dir(root())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run shipshape: {e}"));
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(text.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
    }
    child.wait_with_output().unwrap_or_else(|e| panic!("{e}"))
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"))
}

/// `../shared/data/<sub>` when present. Skips with a message otherwise, and
/// fails under `SHIPSHAPE_REQUIRE_SHARED=1`.
pub fn shared_data(sub: &str) -> Option<PathBuf> {
    let p = root().join("../shared/data").join(sub);
    if p.exists() {
        return Some(p);
    }
    if std::env::var("SHIPSHAPE_REQUIRE_SHARED").is_ok_and(|v| v == "1") {
        panic!("SHIPSHAPE_REQUIRE_SHARED=1 but {} is missing", p.display());
    }
    eprintln!(
        "skipping: {} not found (shared test data is not in this checkout)",
        p.display()
    );
    None
}

/// The official SARIF 2.1.0 schema's errors for `sarif`, or a skip.
pub fn sarif_schema_errors(sarif: &serde_json::Value) -> Option<Vec<String>> {
    let path = shared_data("schemas/sarif/sarif-schema-2.1.0.json")?;
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let schema: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("schema: {e}"));
    let validator = jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("schema: {e}"));
    Some(
        validator
            .iter_errors(sarif)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect(),
    )
}

// A Debian bookworm tree made by debootstrap, shared by the tests that
// need a real distribution.

const MIRROR: &str = "http://deb.debian.org/debian";
const INCLUDE: &str = "openssh-server,libssl3,python3";

fn skip_or_fail(why: &str) -> Option<PathBuf> {
    if std::env::var("SHIPSHAPE_REQUIRE_ROOTFS").is_ok_and(|v| v == "1") {
        panic!("SHIPSHAPE_REQUIRE_ROOTFS=1 but {why}");
    }
    eprintln!("skipping: {why}");
    None
}

pub fn sh(program: &str, args: &[&str]) -> Result<String, String> {
    let out = Command::new(program)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{program} {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The bookworm tree, built on first use.
pub fn bookworm_rootfs() -> Option<PathBuf> {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR"));
    // One test builds it while another waits.
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let done = base.join("bookworm-rootfs");
    if done.join("var/lib/dpkg/status").is_file() {
        return Some(done);
    }
    if sh("debootstrap", &["--version"]).is_err() {
        return skip_or_fail("debootstrap is not installed (apt-get install debootstrap)");
    }
    if sh("id", &["-u"]).map(|u| u.trim() == "0") != Ok(true) {
        return skip_or_fail("debootstrap needs root");
    }
    let partial = base.join("bookworm-rootfs.partial");
    let _ = std::fs::remove_dir_all(&partial);
    let made = sh(
        "debootstrap",
        &[
            "--variant=minbase",
            &format!("--include={INCLUDE}"),
            "bookworm",
            &partial.display().to_string(),
            MIRROR,
        ],
    );
    if let Err(e) = made {
        return skip_or_fail(&format!("debootstrap failed: {e}"));
    }
    std::fs::rename(&partial, &done).unwrap_or_else(|e| panic!("rename: {e}"));
    Some(done)
}

pub fn docker_answers() -> bool {
    match sh("docker", &["info", "--format", "{{.ServerVersion}}"]) {
        Ok(_) => true,
        Err(e) if std::env::var("SHIPSHAPE_REQUIRE_DOCKER").is_ok_and(|v| v == "1") => {
            panic!("SHIPSHAPE_REQUIRE_DOCKER=1 but the Docker daemon does not answer: {e}")
        }
        Err(e) => {
            eprintln!("skipping: no Docker daemon ({e})");
            false
        }
    }
}

/// `docker ARGS` against the machine's daemon: its standard output,
/// trimmed, or the command line and what docker said on failure.
pub fn docker(args: &[&str]) -> Result<String, String> {
    docker_in(Path::new("."), args)
}

/// [`docker`] run in `dir` (a build context), with the classic builder,
/// which needs no buildx.
pub fn docker_in(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("docker")
        .args(args)
        .current_dir(dir)
        .env("DOCKER_BUILDKIT", "0")
        .output()
        .map_err(|e| format!("cannot run docker: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    } else {
        Err(format!(
            "docker {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// `docker run` flags that leave the runtime rules nothing to say at
/// medium or above for a container of the test image.
pub const HARDENED: &[&str] = &[
    "--user",
    "10001:10001",
    "--read-only",
    "--cap-drop",
    "ALL",
    "--security-opt",
    "no-new-privileges",
    "--memory",
    "64m",
    "--cpus",
    "0.5",
    "--pids-limit",
    "64",
    "--restart",
    "on-failure:5",
    "--health-cmd",
    "true",
];

/// Whether `program` is on the PATH.
pub fn has_command(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Fills `root` with a busybox-static image's tree: `bin/busybox` (from
/// Debian's busybox-static) and a link to it for each of `applets`.
pub fn busybox_root(root: &Path, applets: &[&str]) -> Result<(), String> {
    let busybox = ["/bin/busybox", "/usr/bin/busybox"]
        .into_iter()
        .find(|p| Path::new(p).is_file())
        .ok_or("busybox-static is not installed (apt-get install busybox-static)")?;
    std::fs::create_dir_all(root.join("bin")).map_err(|e| e.to_string())?;
    std::fs::copy(busybox, root.join("bin/busybox")).map_err(|e| e.to_string())?;
    for applet in applets {
        std::os::unix::fs::symlink("busybox", root.join("bin").join(applet))
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}
