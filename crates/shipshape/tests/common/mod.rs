//! Helpers shared by the end-to-end tests.

#![allow(dead_code)]

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
