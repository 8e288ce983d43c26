//! Writes small, deterministic images for tests: layers as tar bytes made
//! by hand (so that hostile entries can be written too), compressed or
//! not, packed as a `docker save` tarball or an OCI layout.

#![allow(dead_code)]

use std::io::Write;
use std::path::Path;

use sha2::{Digest, Sha256};

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{}", hex(&Sha256::digest(bytes)))
}

/// One tar entry, header written by hand.
pub fn entry(name: &str, kind: u8, data: &[u8], mode: u32, link: &str) -> Vec<u8> {
    let mut h = [0u8; 512];
    let name_bytes = name.as_bytes();
    h[..name_bytes.len().min(100)].copy_from_slice(&name_bytes[..name_bytes.len().min(100)]);
    let octal = |h: &mut [u8; 512], at: usize, len: usize, v: u64| {
        let s = format!("{v:0width$o}", width = len - 1);
        h[at..at + len - 1].copy_from_slice(s.as_bytes());
    };
    octal(&mut h, 100, 8, u64::from(mode));
    octal(&mut h, 108, 8, 0);
    octal(&mut h, 116, 8, 0);
    octal(&mut h, 124, 12, data.len() as u64);
    octal(&mut h, 136, 12, 0);
    h[156] = kind;
    let link_bytes = link.as_bytes();
    h[157..157 + link_bytes.len().min(100)]
        .copy_from_slice(&link_bytes[..link_bytes.len().min(100)]);
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|b| u32::from(*b)).sum();
    let s = format!("{sum:06o}\0 ");
    h[148..156].copy_from_slice(s.as_bytes());
    let mut out = h.to_vec();
    out.extend_from_slice(data);
    out.resize(out.len().div_ceil(512) * 512, 0);
    out
}

pub fn file(name: &str, data: &[u8]) -> Vec<u8> {
    entry(name, b'0', data, 0o644, "")
}

pub fn file_mode(name: &str, data: &[u8], mode: u32) -> Vec<u8> {
    entry(name, b'0', data, mode, "")
}

pub fn dir(name: &str) -> Vec<u8> {
    entry(name, b'5', b"", 0o755, "")
}

pub fn symlink(name: &str, target: &str) -> Vec<u8> {
    entry(name, b'2', b"", 0o777, target)
}

pub fn hardlink(name: &str, target: &str) -> Vec<u8> {
    entry(name, b'1', b"", 0o644, target)
}

/// A tar of `entries` with its end blocks.
pub fn tar(entries: &[Vec<u8>]) -> Vec<u8> {
    let mut out: Vec<u8> = entries.concat();
    out.extend_from_slice(&[0u8; 1024]);
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

pub fn compress(data: &[u8], how: Compression) -> Vec<u8> {
    match how {
        Compression::None => data.to_vec(),
        Compression::Gzip => {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(data).expect("gzip");
            e.finish().expect("gzip")
        }
        Compression::Zstd => zstd::encode_all(data, 1).expect("zstd"),
    }
}

/// An image config for layers with these uncompressed tars.
pub fn config(user: &str, uncompressed: &[Vec<u8>], extra: &str) -> Vec<u8> {
    let diff_ids: Vec<String> = uncompressed
        .iter()
        .map(|l| format!("\"{}\"", sha256(l)))
        .collect();
    format!(
        r#"{{"architecture":"amd64","os":"linux","config":{{"User":"{user}","Env":["PATH=/usr/bin"]{extra}}},"rootfs":{{"type":"layers","diff_ids":[{}]}},"history":[]}}"#,
        diff_ids.join(",")
    )
    .into_bytes()
}

/// Members of an outer tar, as (name, bytes).
pub type Members = Vec<(String, Vec<u8>)>;

pub fn outer_tar(members: &Members) -> Vec<u8> {
    let entries: Vec<Vec<u8>> = members.iter().map(|(n, d)| file(n, d)).collect();
    tar(&entries)
}

/// A classic `docker save` tarball: `<id>/layer.tar` members, config named
/// by its digest, `manifest.json`.
pub fn docker_archive(config: &[u8], layers: &[Vec<u8>], tag: &str) -> Members {
    let config_name = format!("{}.json", &sha256(config)[7..]);
    let mut members = vec![(config_name.clone(), config.to_vec())];
    let mut names = Vec::new();
    for (i, l) in layers.iter().enumerate() {
        let name = format!("layer{i:02}/layer.tar");
        members.push((name.clone(), l.clone()));
        names.push(format!("\"{name}\""));
    }
    let manifest = format!(
        r#"[{{"Config":"{config_name}","RepoTags":["{tag}"],"Layers":[{}]}}]"#,
        names.join(",")
    );
    members.push(("manifest.json".into(), manifest.into_bytes()));
    members
}

/// An OCI image layout: blobs by digest, a manifest, `index.json`
/// (with a `manifest.json` too when `docker25`, as Docker 25+ writes).
pub fn oci_layout(config: &[u8], layers: &[Vec<u8>], docker25: bool) -> Members {
    let mut members = Vec::new();
    let blob = |members: &mut Members, data: &[u8]| -> String {
        let digest = sha256(data);
        members.push((format!("blobs/sha256/{}", &digest[7..]), data.to_vec()));
        digest
    };
    let config_digest = blob(&mut members, config);
    let mut descriptors = Vec::new();
    let mut paths = Vec::new();
    for l in layers {
        let d = blob(&mut members, l);
        descriptors.push(format!(
            r#"{{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{d}","size":{}}}"#,
            l.len()
        ));
        paths.push(format!("\"blobs/sha256/{}\"", &d[7..]));
    }
    let manifest = format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{config_digest}","size":{}}},"layers":[{}]}}"#,
        config.len(),
        descriptors.join(",")
    );
    let manifest_digest = blob(&mut members, manifest.as_bytes());
    members.push((
        "index.json".into(),
        format!(
            r#"{{"schemaVersion":2,"manifests":[{{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{manifest_digest}","size":{},"platform":{{"os":"linux","architecture":"amd64"}}}}]}}"#,
            manifest.len()
        )
        .into_bytes(),
    ));
    members.push((
        "oci-layout".into(),
        br#"{"imageLayoutVersion":"1.0.0"}"#.to_vec(),
    ));
    if docker25 {
        members.push((
            "manifest.json".into(),
            format!(
                r#"[{{"Config":"blobs/sha256/{}","RepoTags":["example/app:1.0"],"Layers":[{}]}}]"#,
                &config_digest[7..],
                paths.join(",")
            )
            .into_bytes(),
        ));
    }
    members
}

/// Writes members as a tar file.
pub fn write_tar(path: &Path, members: &Members) {
    std::fs::write(path, outer_tar(members)).expect("write tar");
}

/// Writes members as a directory.
pub fn write_dir(root: &Path, members: &Members) {
    for (name, data) in members {
        let p = root.join(name);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, data).expect("write");
    }
}
