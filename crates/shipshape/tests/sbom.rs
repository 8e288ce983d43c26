//! End-to-end tests of `shipshape sbom`.

mod common;

use common::*;

/// Validates a CycloneDX document against the official 1.5 schema (with
/// the SPDX license list and JSF schemas it refers to), or skips.
fn cyclonedx_errors(bom: &serde_json::Value) -> Option<Vec<String>> {
    let dir = shared_data("schemas/cyclonedx")?;
    let load = |name: &str| -> serde_json::Value {
        let text =
            std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let registry = jsonschema::Registry::new()
        .add(
            "http://cyclonedx.org/schema/spdx.schema.json",
            load("spdx.schema.json"),
        )
        .and_then(|r| {
            r.add(
                "http://cyclonedx.org/schema/jsf-0.82.schema.json",
                load("jsf-0.82.schema.json"),
            )
        })
        .and_then(|r| r.prepare())
        .unwrap_or_else(|e| panic!("registry: {e}"));
    let validator = jsonschema::options()
        .with_registry(&registry)
        .build(&load("bom-1.5.schema.json"))
        .unwrap_or_else(|e| panic!("schema: {e}"));
    Some(
        validator
            .iter_errors(bom)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect(),
    )
}

/// Validates an SPDX document against the official 2.3 schema, or skips.
fn spdx_errors(document: &serde_json::Value) -> Option<Vec<String>> {
    let path = shared_data("schemas/spdx")?.join("spdx-2.3-schema.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let validator = jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("schema: {e}"));
    Some(
        validator
            .iter_errors(document)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect(),
    )
}

#[test]
fn sbom_of_a_root_file_system_as_table_json_and_valid_cyclonedx() {
    let dir = tmp();
    let root = dir.path();
    std::fs::create_dir_all(root.join("var/lib/dpkg")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(root.join("etc")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        root.join("etc/os-release"),
        "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        root.join("var/lib/dpkg/status"),
        "Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl\nVersion: 3.0.15-1~deb12u1\n\nPackage: libc6\nStatus: install ok installed\nArchitecture: amd64\nSource: glibc\nVersion: 2.36-9+deb12u9\n\nPackage: removed\nStatus: deinstall ok config-files\nVersion: 1.0\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let path = root.display().to_string();

    let o = run(&["sbom", &path]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.starts_with("debian 12 bookworm"), "{out}");
    assert!(
        out.contains("libssl3") && out.contains("openssl 3.0.15-1~deb12u1"),
        "{out}"
    );
    assert!(!out.contains("removed"), "{out}");

    let o = run(&["sbom", "--format", "json", &path]);
    let report: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report["packages"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        report["packages"][0]["purl"],
        "pkg:deb/debian/libc6@2.36-9%2Bdeb12u9?arch=amd64&distro=debian-12"
    );
    assert_eq!(report["packages"][0]["source_name"], "glibc");

    let o = run(&["sbom", "--format", "cyclonedx", &path]);
    let bom: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(bom["specVersion"], "1.5");
    assert_eq!(bom["components"].as_array().map(Vec::len), Some(3));
    if let Some(errors) = cyclonedx_errors(&bom) {
        assert!(errors.is_empty(), "{}", errors.join("\n"));
    }

    // Findings formats are for findings.
    let o = run(&["sbom", "--format", "sarif", &path]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&[
        "dockerfile",
        "--format",
        "cyclonedx",
        "examples/clean/Dockerfile",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

/// An Alpine 3.20 root file system whose apk database is `installed`.
fn alpine_root(installed: &str) -> tempfile::TempDir {
    let dir = tmp();
    let root = dir.path();
    std::fs::create_dir_all(root.join("lib/apk/db")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(root.join("etc")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        root.join("etc/os-release"),
        "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.3\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(root.join("lib/apk/db/installed"), installed).unwrap_or_else(|e| panic!("{e}"));
    dir
}

#[test]
fn sbom_of_an_alpine_root_file_system() {
    let dir = alpine_root(
        "P:musl\nV:1.2.5-r0\nA:x86_64\nL:MIT\no:musl\n\nP:libcrypto3\nV:3.3.2-r0\nA:x86_64\nL:Apache-2.0\no:openssl\n\n",
    );
    let root = dir.path();
    let o = run(&["sbom", "--format", "json", &root.display().to_string()]);
    assert_eq!(o.status.code(), Some(0));
    let report: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report["os"]["id"], "alpine");
    let crypto = &report["packages"][0];
    assert_eq!(crypto["name"], "libcrypto3");
    assert_eq!(crypto["source_name"], "openssl");
    assert_eq!(crypto["licenses"][0], "Apache-2.0");
    assert_eq!(
        crypto["purl"],
        "pkg:apk/alpine/libcrypto3@3.3.2-r0?arch=x86_64&distro=3.20.3"
    );

    let o = run(&["sbom", "--format", "cyclonedx", &root.display().to_string()]);
    let bom: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        bom["components"][1]["licenses"][0]["license"]["id"],
        "Apache-2.0"
    );
    if let Some(errors) = cyclonedx_errors(&bom) {
        assert!(errors.is_empty(), "{}", errors.join("\n"));
    }
}

#[test]
fn sbom_as_valid_spdx() {
    let dir = alpine_root(
        "P:musl\nV:1.2.5-r0\nA:x86_64\nL:MIT\no:musl\n\nP:busybox\nV:1.36.1-r29\nA:x86_64\nL:GPL-2.0-only\no:busybox\n\nP:ca-certificates-bundle\nV:20240705-r0\nL:MPL-2.0 AND MIT\no:ca-certificates\n\nP:odd\nV:1\nL:custom terms\n\n",
    );
    let root = dir.path();
    let o = run(&["sbom", "--format", "spdx-json", &root.display().to_string()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let document: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(document["spdxVersion"], "SPDX-2.3");
    let packages = document["packages"].as_array().cloned().unwrap_or_default();
    // The subject, the operating system and four packages.
    assert_eq!(packages.len(), 6);
    let named = |name: &str| {
        packages
            .iter()
            .find(|p| p["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} missing"))
    };
    assert_eq!(named("busybox")["licenseDeclared"], "GPL-2.0-only");
    assert_eq!(
        named("ca-certificates-bundle")["licenseDeclared"],
        "MPL-2.0 AND MIT"
    );
    assert_eq!(named("odd")["licenseDeclared"], "LicenseRef-custom-terms");
    assert_eq!(
        document["hasExtractedLicensingInfos"][0]["extractedText"],
        "custom terms"
    );
    assert_eq!(
        named("musl")["externalRefs"][0]["referenceLocator"],
        "pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=3.20.3"
    );
    let contained = document["relationships"].as_array().map(|r| {
        r.iter()
            .filter(|r| r["relationshipType"] == "CONTAINS")
            .count()
    });
    assert_eq!(contained, Some(5));
    if let Some(errors) = spdx_errors(&document) {
        assert!(errors.is_empty(), "{}", errors.join("\n"));
    }
}
