//! The image reader on images written here: every source, every
//! compression, whiteouts, links, and hostile input.

mod support;

use std::path::Path;

use shipshape_image::archive::{ImageError, ReadImage, ReadOptions, read_image};
use shipshape_image::files::Kind;
use shipshape_image::layer::Limits;
use support::*;

fn wants(path: &str) -> bool {
    path.starts_with("etc/")
}

fn read(path: &Path) -> Result<ReadImage, ImageError> {
    read_with(path, Limits::default())
}

fn read_with(path: &Path, limits: Limits) -> Result<ReadImage, ImageError> {
    let options = ReadOptions {
        platform: None,
        limits,
        wants: &wants,
    };
    read_image(path, "test-image", &options)
}

fn layers() -> Vec<Vec<u8>> {
    vec![
        tar(&[
            dir("etc/"),
            file("etc/passwd", b"root:x:0:0::/root:/bin/sh\n"),
            file("etc/old.conf", b"old"),
            dir("var/cache/"),
            file("var/cache/a", b"a"),
            file("var/cache/b", b"b"),
            file_mode("usr/bin/su", b"\x7fELF", 0o4755),
        ]),
        tar(&[
            file("etc/.wh.old.conf", b""),
            file("var/cache/.wh..wh..opq", b""),
            file("var/cache/c", b"c"),
            symlink("etc/alias", "passwd"),
            hardlink("usr/bin/su2", "usr/bin/su"),
            file(
                "etc/passwd",
                b"root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\n",
            ),
        ]),
    ]
}

fn check_merged(read: &ReadImage) {
    let files = &read.image.files;
    assert!(files.get("etc/old.conf").is_none(), "whiteout applied");
    assert!(
        files.get("var/cache/a").is_none() && files.get("var/cache/b").is_none(),
        "opaque dir applied"
    );
    assert_eq!(files.get("var/cache/c").map(|e| e.layer), Some(1));
    let passwd = files.get("etc/passwd").expect("passwd");
    assert_eq!(passwd.layer, 1);
    assert!(
        passwd
            .content
            .as_deref()
            .is_some_and(|c| c.ends_with(b"/app:/bin/sh\n"))
    );
    assert_eq!(
        files.get("etc/alias").map(|e| &e.kind),
        Some(&Kind::Symlink("passwd".into()))
    );
    assert_eq!(
        files.get("usr/bin/su2").map(|e| &e.kind),
        Some(&Kind::Hardlink("usr/bin/su".into()))
    );
    let su = files.get("usr/bin/su").expect("su");
    assert_eq!(su.mode, 0o4755);
    assert!(su.content.is_none(), "contents only for wanted paths");
    assert_eq!(read.image.spec.user, "app");
}

#[test]
fn docker_archive_in_every_compression() {
    for how in [Compression::None, Compression::Gzip, Compression::Zstd] {
        let raw = layers();
        let blobs: Vec<Vec<u8>> = raw.iter().map(|l| compress(l, how)).collect();
        let config = config("app", &raw, "");
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("image.tar");
        write_tar(&path, &docker_archive(&config, &blobs, "example/app:1.0"));
        let read = read(&path).unwrap_or_else(|e| panic!("{how:?}: {e}"));
        check_merged(&read);
        assert_eq!(
            read.image.spec.reference.as_deref(),
            Some("example/app:1.0")
        );
        let expected = match how {
            Compression::None => "none",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        };
        assert_eq!(read.compressions, [expected, expected]);
    }
}

/// `docker save | gzip` and `| zstd`: the whole archive compressed, read
/// as the plain one; a compressed archive cut short is an error naming the
/// archive and saying the stream is damaged.
#[test]
fn a_compressed_docker_save_archive_reads_as_the_plain_one() {
    let raw = layers();
    let blobs: Vec<Vec<u8>> = raw.iter().map(|l| compress(l, Compression::Gzip)).collect();
    let config = config("app", &raw, "");
    let plain = outer_tar(&docker_archive(&config, &blobs, "example/app:1.0"));
    for how in [Compression::Gzip, Compression::Zstd] {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("image.tar.z");
        let packed = compress(&plain, how);
        std::fs::write(&path, &packed).expect("write");
        let image = read(&path).unwrap_or_else(|e| panic!("{how:?}: {e}"));
        check_merged(&image);
        assert_eq!(
            image.image.spec.reference.as_deref(),
            Some("example/app:1.0")
        );
        std::fs::write(&path, &packed[..packed.len() / 2]).expect("write");
        let e = error_of(read(&path));
        let text = e.to_string();
        assert!(
            text.contains("image.tar.z") && text.contains("damaged"),
            "{how:?}: {text}"
        );
    }
    // A bomb stops at the image limit rather than filling the disk.
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("bomb.tar.gz");
    std::fs::write(&path, compress(&vec![0u8; 4 << 20], Compression::Gzip)).expect("write");
    let limits = Limits {
        max_image_bytes: 1 << 20,
        ..Limits::default()
    };
    let text = error_of(read_with(&path, limits)).to_string();
    assert!(text.contains("more than 1048576 bytes"), "{text}");
}

#[test]
fn oci_layouts_as_dir_tar_and_docker_25_save() {
    let raw = layers();
    let blobs: Vec<Vec<u8>> = raw.iter().map(|l| compress(l, Compression::Gzip)).collect();
    let config = config("app", &raw, "");
    let dir = tempfile::tempdir().expect("tmp");
    let layout = dir.path().join("layout");
    write_dir(&layout, &oci_layout(&config, &blobs, false));
    check_merged(&read(&layout).expect("OCI dir"));
    let tarred = dir.path().join("layout.tar");
    write_tar(&tarred, &oci_layout(&config, &blobs, false));
    check_merged(&read(&tarred).expect("OCI tar"));
    let docker25 = dir.path().join("docker25.tar");
    write_tar(&docker25, &oci_layout(&config, &blobs, true));
    let read = read(&docker25).expect("docker 25 save");
    check_merged(&read);
    assert_eq!(
        read.image.spec.reference.as_deref(),
        Some("example/app:1.0")
    );
    assert!(read.image.layers.iter().all(|l| l.starts_with("sha256:")));
}

/// A two-platform OCI layout (amd64 runs as `amd`, arm64 as `arm`), its
/// platforms listed in `index.json` itself or, as `docker buildx` writes
/// them, in an image index that `index.json` points at.
fn two_platform_layout(nested: bool) -> Members {
    let raw = layers();
    let mut members: Members = Vec::new();
    let mut manifests = Vec::new();
    for (arch, user) in [("amd64", "amd"), ("arm64", "arm")] {
        let config = config(user, &raw, "").to_vec();
        let config = String::from_utf8(config)
            .expect("utf-8")
            .replace("\"amd64\"", &format!("\"{arch}\""))
            .into_bytes();
        for (name, data) in oci_layout(&config, &raw, false) {
            if name == "index.json" {
                let index: serde_json::Value = serde_json::from_slice(&data).expect("index");
                let mut manifest = index["manifests"][0].clone();
                manifest["platform"]["architecture"] = arch.into();
                manifests.push(manifest);
            } else if !members.iter().any(|(n, _)| *n == name) {
                members.push((name, data));
            }
        }
    }
    let list = serde_json::json!({"schemaVersion": 2, "manifests": manifests});
    let index = if nested {
        let blob = serde_json::to_vec(&list).expect("json");
        let digest = sha256(&blob);
        members.push((format!("blobs/sha256/{}", &digest[7..]), blob.clone()));
        serde_json::json!({"schemaVersion": 2, "manifests": [{
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "digest": digest,
            "size": blob.len(),
        }]})
    } else {
        list
    };
    members.push((
        "index.json".into(),
        serde_json::to_vec(&index).expect("json"),
    ));
    members
}

#[test]
fn a_multi_platform_index_gives_the_platform_asked_for() {
    let dir = tempfile::tempdir().expect("tmp");
    for nested in [false, true] {
        let path = dir.path().join(format!("multi-{nested}.tar"));
        write_tar(&path, &two_platform_layout(nested));
        let read_for = |platform: Option<&str>| {
            let options = ReadOptions {
                platform: platform.map(str::to_string),
                limits: Limits::default(),
                wants: &wants,
            };
            read_image(&path, "test-image", &options)
        };
        let arm = read_for(Some("linux/arm64")).expect("arm64");
        assert_eq!(arm.image.spec.user, "arm", "nested: {nested}");
        let amd = read_for(Some("linux/amd64")).expect("amd64");
        assert_eq!(amd.image.spec.user, "amd", "nested: {nested}");
        assert!(!arm.image.files.is_empty());
        assert_eq!(arm.image.files.len(), amd.image.files.len());
        // By default, the host's platform.
        let host = read_for(None).expect("default");
        let expected = if shipshape_image::archive::host_platform() == "linux/arm64" {
            "arm"
        } else {
            "amd"
        };
        assert_eq!(host.image.spec.user, expected, "nested: {nested}");
        // A platform the image does not have is an error that lists those
        // it has.
        let e = error_of(read_for(Some("linux/s390x")));
        assert!(
            e.message.contains("linux/amd64") && e.message.contains("linux/arm64"),
            "{e}"
        );
    }
}

/// Writes a docker archive of `layers` (uncompressed tars) and reads it.
fn read_layers(layers: Vec<Vec<u8>>, how: Compression) -> Result<ReadImage, ImageError> {
    let blobs: Vec<Vec<u8>> = layers.iter().map(|l| compress(l, how)).collect();
    let config = config("", &layers, "");
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("image.tar");
    write_tar(&path, &docker_archive(&config, &blobs, "x:1"));
    read(&path)
}

fn error_of(result: Result<ReadImage, ImageError>) -> ImageError {
    match result {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    }
}

#[test]
fn path_traversal_and_absolute_paths_are_refused() {
    let e = error_of(read_layers(
        vec![tar(&[file("../../etc/cron.d/x", b"x")])],
        Compression::None,
    ));
    assert_eq!(e.entry.as_deref(), Some("../../etc/cron.d/x"));
    assert!(e.message.contains("path traversal"), "{e}");
    assert!(
        e.layer.as_deref().is_some_and(|l| l.starts_with("0 ")),
        "{e:?}"
    );
    let e = error_of(read_layers(
        vec![tar(&[file("/etc/passwd", b"x")])],
        Compression::None,
    ));
    assert!(e.message.contains("absolute path"), "{e}");
    let e = error_of(read_layers(
        vec![tar(&[hardlink("a", "../../../etc/shadow")])],
        Compression::None,
    ));
    assert!(e.message.contains("hard link"), "{e}");
    // Symbolic links are kept as they are: they are never followed.
    let ok = read_layers(
        vec![tar(&[symlink("a", "../../../etc/shadow")])],
        Compression::None,
    )
    .expect("symlink");
    assert_eq!(
        ok.image.files.get("a").map(|e| &e.kind),
        Some(&Kind::Symlink("../../../etc/shadow".into()))
    );
}

#[test]
fn duplicate_entries_keep_the_last() {
    let read = read_layers(
        vec![tar(&[file("etc/a", b"one"), file("etc/a", b"two")])],
        Compression::None,
    )
    .expect("dups");
    assert_eq!(
        read.image
            .files
            .get("etc/a")
            .and_then(|e| e.content.clone()),
        Some(b"two".to_vec())
    );
}

/// Writes a docker archive of these blobs for these uncompressed layers.
fn archive_of(layers: &[Vec<u8>], blobs: Vec<Vec<u8>>) -> (tempfile::TempDir, std::path::PathBuf) {
    let config = config("", layers, "");
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("image.tar");
    write_tar(&path, &docker_archive(&config, &blobs, "x:1"));
    (dir, path)
}

#[test]
fn truncated_and_corrupt_layers_are_errors_naming_the_layer() {
    let layer = tar(&[file("etc/a", &[b'x'; 4096])]);
    for how in [Compression::Gzip, Compression::Zstd] {
        let mut blob = compress(&layer, how);
        blob.truncate(blob.len() / 2);
        let (_dir, path) = archive_of(std::slice::from_ref(&layer), vec![blob]);
        let e = error_of(read(&path));
        assert!(e.layer.is_some(), "{how:?}: {e}");
    }
    // Corrupt compressed data, in either format.
    let big = tar(&[file("etc/a", &[b'x'; 4096]), file("b", &[b'y'; 8192])]);
    for how in [Compression::Gzip, Compression::Zstd] {
        let mut garbage = compress(&big, how);
        for b in garbage.iter_mut().skip(20).take(40) {
            *b ^= 0x5a;
        }
        let (_dir, path) = archive_of(std::slice::from_ref(&big), vec![garbage]);
        let e = error_of(read(&path));
        assert!(
            e.layer.as_deref().is_some_and(|l| l.starts_with("0 ")),
            "{how:?}: {e:?}"
        );
    }
    // An archive cut inside a layer's member: the member is named.
    let (_dir, path) = archive_of(std::slice::from_ref(&layer), vec![layer.clone()]);
    let mut whole = std::fs::read(&path).expect("read archive");
    let at = whole
        .windows(layer.len().min(64))
        .position(|w| w == &layer[..layer.len().min(64)])
        .expect("layer in archive");
    whole.truncate(at + layer.len() / 2);
    std::fs::write(&path, &whole).expect("write archive");
    let e = error_of(read(&path));
    assert!(
        e.message.contains("the archive ends inside member `")
            && e.message.contains("it is truncated"),
        "{e}"
    );
    // A truncated plain tar.
    let mut cut = layer.clone();
    cut.truncate(700);
    assert!(read_layers(vec![cut], Compression::None).is_err());
    // A tar header whose checksum does not match, at the first entry and
    // after one: the error says where.
    let mut bad = layer.clone();
    bad[148] ^= 0x01;
    let e = error_of(read_layers(vec![bad], Compression::None));
    assert!(e.message.contains("corrupt tar at its first entry"), "{e}");
    let mut second = big.clone();
    second[512 + 4096 + 148] ^= 0x01;
    let e = error_of(read_layers(vec![second], Compression::None));
    assert_eq!(e.entry.as_deref(), Some("etc/a"), "{e:?}");
    assert!(e.message.contains("after entry `etc/a`"), "{e}");
}

#[test]
fn decompression_bombs_are_stopped() {
    // 32 MiB of zeros: zstd and gzip at its best make them tiny. The error
    // names the image, the layer and the entry the bomb is in.
    let zeros = vec![0u8; 32 << 20];
    let bomb = tar(&[file("zeros", &zeros)]);
    let gzip_best = {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(&bomb).expect("gzip");
        e.finish().expect("gzip")
    };
    for (how, blob) in [
        ("zstd", compress(&bomb, Compression::Zstd)),
        ("gzip", gzip_best),
    ] {
        let (_dir, path) = archive_of(std::slice::from_ref(&bomb), vec![blob]);
        let e = error_of(read(&path));
        assert!(e.message.contains("decompression bomb"), "{how}: {e}");
        assert_eq!(e.entry.as_deref(), Some("zeros"), "{how}: {e:?}");
        assert_eq!(e.image, "test-image");
        assert!(e.layer.is_some(), "{how}: {e:?}");
    }
    // The total of one layer, and of all the layers together.
    let layer = tar(&[file("big", &vec![7u8; 2 << 20])]);
    let (_dir, path) = archive_of(std::slice::from_ref(&layer), vec![layer.clone()]);
    let small = Limits {
        max_layer_bytes: 1 << 20,
        ..Limits::default()
    };
    let e = error_of(read_with(&path, small));
    assert!(e.message.contains("expands past"), "{e}");
    let layers = vec![layer.clone(), layer];
    let (_dir, path) = archive_of(&layers, layers.clone());
    let image_limit = Limits {
        max_image_bytes: 3 << 20,
        ..Limits::default()
    };
    let e = error_of(read_with(&path, image_limit));
    assert!(
        e.message.contains("expand past 3145728 bytes together"),
        "{e}"
    );
    assert!(read(&path).is_ok(), "within the default limits");
}

#[test]
fn missing_blobs_and_wrong_digests_are_errors() {
    let raw = layers();
    let config_bytes = config("app", &raw, "");
    let dir = tempfile::tempdir().expect("tmp");
    // A layer the manifest names is not in the archive.
    let mut members = docker_archive(&config_bytes, &raw, "x:1");
    members.retain(|(n, _)| n != "layer01/layer.tar");
    let path = dir.path().join("missing.tar");
    write_tar(&path, &members);
    let e = error_of(read(&path));
    assert!(e.message.contains("missing"), "{e}");
    // A layer whose content is not what the config's diff_ids say.
    let mut members = docker_archive(&config_bytes, &raw, "x:1");
    if let Some((_, data)) = members.iter_mut().find(|(n, _)| n == "layer01/layer.tar") {
        *data = tar(&[file("etc/evil", b"x")]);
    }
    let path = dir.path().join("swapped.tar");
    write_tar(&path, &members);
    let e = error_of(read(&path));
    assert!(e.message.contains("diff_id"), "{e}");
    // Unless the user vouches for the archive.
    let trusting = Limits {
        verify_digests: false,
        ..Limits::default()
    };
    let trusted = read_with(&path, trusting).expect("read without digest checks");
    assert!(trusted.image.files.get("etc/evil").is_some());
    // An OCI blob that does not hash to its name.
    let mut members = oci_layout(&config_bytes, &raw, false);
    let blob_name = format!("blobs/sha256/{}", &sha256(&raw[0])[7..]);
    if let Some((_, data)) = members.iter_mut().find(|(n, _)| *n == blob_name) {
        data.push(0);
    }
    let path = dir.path().join("tampered.tar");
    write_tar(&path, &members);
    let e = error_of(read(&path));
    assert!(e.message.contains("does not match"), "{e}");
    // A config that does not hash to its name.
    let mut members = docker_archive(&config_bytes, &raw, "x:1");
    if let Some((_, data)) = members
        .iter_mut()
        .find(|(n, _)| n.ends_with(".json") && n != "manifest.json")
    {
        data.push(b' ');
    }
    let path = dir.path().join("config.tar");
    write_tar(&path, &members);
    assert!(error_of(read(&path)).message.contains("digest"));
    // A classic archive whose config lists no diff ids: its layers could
    // not be verified, so it is refused unless verification is off.
    let bare = String::from_utf8(config_bytes.clone())
        .expect("utf-8")
        .replace(
            "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[",
            "\"rootfs\":{\"type\":\"layers\",\"x\":[",
        )
        .into_bytes();
    let path = dir.path().join("bare.tar");
    write_tar(&path, &docker_archive(&bare, &raw, "x:1"));
    let e = error_of(read(&path));
    assert!(e.message.contains("cannot be verified"), "{e}");
    let unverified = Limits {
        verify_digests: false,
        ..Limits::default()
    };
    assert!(read_with(&path, unverified).is_ok());
    // Not an image at all.
    let path = dir.path().join("other.tar");
    write_tar(&path, &vec![("readme".into(), b"hi".to_vec())]);
    assert!(
        error_of(read(&path))
            .message
            .contains("neither manifest.json")
    );
}

#[test]
fn reading_writes_nothing_outside_its_temp_dir() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("image.tar");
    let evil = tar(&[file("../escaped", b"x")]);
    write_tar(
        &path,
        &docker_archive(&config("", std::slice::from_ref(&evil), ""), &[evil], "x:1"),
    );
    let before: Vec<_> = std::fs::read_dir(dir.path())
        .expect("ls")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(read(&path).is_err());
    let after: Vec<_> = std::fs::read_dir(dir.path())
        .expect("ls")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(before, after);
    assert!(
        !dir.path()
            .parent()
            .expect("parent")
            .join("escaped")
            .exists()
    );
}

#[test]
fn symlink_chains_and_loops_are_kept_as_links_never_followed() {
    let read = read_layers(
        vec![tar(&[
            symlink("a", "b"),
            symlink("b", "c"),
            symlink("c", "a"),
            symlink("etc/passwd", "../../../../etc/shadow"),
        ])],
        Compression::None,
    )
    .expect("links");
    assert_eq!(
        read.image.files.get("c").map(|e| &e.kind),
        Some(&Kind::Symlink("a".into()))
    );
    // A link is not a file: nothing is read through it.
    assert!(
        read.image
            .files
            .get("etc/passwd")
            .is_some_and(|e| e.content.is_none())
    );
}
