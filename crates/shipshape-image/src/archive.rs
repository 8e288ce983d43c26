//! Image sources on disk: a `docker save` tarball (the classic
//! `manifest.json` layout, and the OCI layout Docker 25+ writes inside it)
//! and an OCI image layout, as a directory or a tar. Nothing is extracted:
//! members are read in place, every blob's digest is checked, and layers
//! are decompressed on all cores and merged in order.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::Image;
use crate::files::{FileIndex, Interest};
use crate::layer::{
    Change, Fence, LayerError, LayerRead, Limits, Totals, clean_path, hex, read_image_layer,
};

/// Why an image could not be read: which image, layer and entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ImageError {
    pub image: String,
    pub layer: Option<String>,
    pub entry: Option<String>,
    pub message: String,
}

impl std::fmt::Display for ImageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.image)?;
        if let Some(layer) = &self.layer {
            write!(f, ", layer {layer}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Where the members of an image source are.
enum Store {
    Dir(PathBuf),
    /// A tar: each member's data offset and size.
    Tar(PathBuf, HashMap<String, (u64, u64)>),
    /// A compressed tar (`docker save | gzip`, or zstd), decompressed into
    /// an unnamed temporary file (gone when the last handle closes), read
    /// at offsets so that layers can be read side by side.
    Unpacked(Arc<File>, HashMap<String, (u64, u64)>),
}

/// How an archive's outer stream is compressed, by its first bytes.
fn outer_compression(path: &Path) -> io::Result<Option<&'static str>> {
    let mut magic = [0u8; 4];
    let mut file = File::open(path)?;
    let mut read = 0;
    while read < magic.len() {
        match file.read(&mut magic[read..])? {
            0 => break,
            n => read += n,
        }
    }
    Ok(match magic {
        [0x1f, 0x8b, _, _] => Some("gzip"),
        [0x28, 0xb5, 0x2f, 0xfd] => Some("zstd"),
        _ => None,
    })
}

/// Reads `len` bytes from `offset` of a shared file, without moving any
/// cursor, so several readers can share it.
struct At {
    file: Arc<File>,
    offset: u64,
    end: u64,
}

impl Read for At {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        use std::os::unix::fs::FileExt;
        let left = self.end.saturating_sub(self.offset);
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        if want == 0 {
            return Ok(0);
        }
        let n = self.file.read_at(&mut buf[..want], self.offset)?;
        self.offset += n as u64;
        Ok(n)
    }
}

/// The tar members of `reader`: each regular file's offset and size.
fn members_of(reader: impl Read) -> io::Result<HashMap<String, (u64, u64)>> {
    let mut members = HashMap::new();
    let fence = Fence::new();
    let mut archive = tar::Archive::new(fence.wrap(reader));
    // The member read last and where its data should end, for an archive
    // that stops inside it.
    let mut last: Option<(String, u64)> = None;
    for entry in archive.entries()? {
        let entry = entry.map_err(|e| match &last {
            Some((name, end))
                if e.kind() == io::ErrorKind::UnexpectedEof
                    || e.to_string().contains("unexpected EOF") =>
            {
                io::Error::other(
                format!("the archive ends inside member `{name}`, whose data should run to byte {end}: it is truncated"),
            )
            }
            Some((name, _)) => io::Error::other(format!("{e} (after member `{name}`)")),
            None => e,
        })?;
        fence.past_entry(entry.size());
        last = Some((
            String::from_utf8_lossy(&entry.path_bytes()).into_owned(),
            entry.raw_file_position().saturating_add(entry.size()),
        ));
        if entry.header().entry_type() != tar::EntryType::Regular {
            continue;
        }
        let name = last.as_ref().map_or("", |(n, _)| n.as_str());
        if let Ok(clean) = clean_path(name) {
            members.insert(clean, (entry.raw_file_position(), entry.size()));
        }
    }
    Ok(members)
}

impl Store {
    fn open(path: &Path, max_bytes: u64) -> io::Result<Store> {
        if path.is_dir() {
            return Ok(Store::Dir(path.to_path_buf()));
        }
        if let Some(kind) = outer_compression(path)? {
            let file = File::open(path)?;
            let mut stream: Box<dyn Read> = match kind {
                "gzip" => Box::new(flate2::read::MultiGzDecoder::new(file)),
                _ => Box::new(zstd::stream::read::Decoder::new(file)?),
            };
            let mut unpacked = tempfile::tempfile()?;
            let copied = io::copy(&mut (&mut stream).take(max_bytes + 1), &mut unpacked)
                .map_err(|e| io::Error::other(format!("the {kind} stream is damaged: {e}")))?;
            if copied > max_bytes {
                return Err(io::Error::other(format!(
                    "decompresses to more than {max_bytes} bytes"
                )));
            }
            let file = Arc::new(unpacked);
            let members = members_of(At {
                file: Arc::clone(&file),
                offset: 0,
                end: copied,
            })?;
            return Ok(Store::Unpacked(file, members));
        }
        let members = members_of(File::open(path)?)?;
        Ok(Store::Tar(path.to_path_buf(), members))
    }

    fn has(&self, name: &str) -> bool {
        match self {
            Store::Dir(root) => clean_path(name).is_ok_and(|n| root.join(n).is_file()),
            Store::Tar(_, members) | Store::Unpacked(_, members) => members.contains_key(name),
        }
    }

    /// A member's bytes as a stream; `None` when it is not there.
    fn reader(&self, name: &str) -> io::Result<Option<Box<dyn Read + Send>>> {
        let Ok(name) = clean_path(name) else {
            return Ok(None);
        };
        match self {
            Store::Dir(root) => {
                let path = root.join(&name);
                if !path.is_file() {
                    return Ok(None);
                }
                Ok(Some(Box::new(File::open(path)?)))
            }
            Store::Tar(path, members) => {
                let Some(&(offset, size)) = members.get(&name) else {
                    return Ok(None);
                };
                let mut file = File::open(path)?;
                file.seek(SeekFrom::Start(offset))?;
                Ok(Some(Box::new(file.take(size))))
            }
            Store::Unpacked(file, members) => {
                let Some(&(offset, size)) = members.get(&name) else {
                    return Ok(None);
                };
                Ok(Some(Box::new(At {
                    file: Arc::clone(file),
                    offset,
                    end: offset.saturating_add(size),
                })))
            }
        }
    }

    fn read_all(&self, name: &str, limit: u64) -> io::Result<Option<Vec<u8>>> {
        let Some(reader) = self.reader(name)? else {
            return Ok(None);
        };
        let mut buf = Vec::new();
        reader.take(limit + 1).read_to_end(&mut buf)?;
        if buf.len() as u64 > limit {
            return Err(io::Error::other(format!(
                "{name} is larger than {limit} bytes"
            )));
        }
        Ok(Some(buf))
    }
}

/// Hashes what passes through.
/// Hashes what passes through, when there is a hasher.
struct Hashing<R> {
    inner: R,
    hasher: Option<Sha256>,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(h) = &mut self.hasher {
            h.update(&buf[..n]);
        }
        Ok(n)
    }
}

/// JSON documents (manifests, configs) larger than this are refused.
const MAX_JSON: u64 = 16 << 20;

/// What to read and how.
pub struct ReadOptions<'a> {
    /// `os/arch` to pick from a multi-platform index; default the host's.
    pub platform: Option<String>,
    pub limits: Limits,
    /// Which paths' contents to keep or condense.
    pub wants: &'a dyn Interest,
}

/// An image read from its source.
#[derive(Debug)]
pub struct ReadImage {
    /// The image, its merged file system in `image.files`.
    pub image: Image,
    /// The compression of each layer (`gzip`, `zstd`, `none`).
    pub compressions: Vec<&'static str>,
}

/// One layer to read: where its blob is and what it must hash to.
struct LayerRef {
    member: String,
    /// The blob's digest, when the source names it (OCI, Docker 25+).
    digest: Option<String>,
}

/// The host's platform as OCI spells it.
pub fn host_platform() -> String {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        other => other,
    };
    format!("linux/{arch}")
}

/// The member name of a blob digest in an OCI layout.
fn blob_member(digest: &str) -> Option<String> {
    let (algo, hex) = digest.split_once(':')?;
    let ok = algo == "sha256" && hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit());
    ok.then(|| format!("blobs/sha256/{hex}"))
}

/// The digest a member name stands for (`blobs/sha256/<hex>`, `<hex>.json`).
fn digest_of_member(member: &str) -> Option<String> {
    let name = member.rsplit('/').next()?;
    let hex = name.strip_suffix(".json").unwrap_or(name);
    (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then(|| format!("sha256:{hex}"))
}

/// Reads an image from a `docker save` tarball or an OCI layout (directory
/// or tar). `name` names it in findings and errors.
pub fn read_image(
    path: &Path,
    name: &str,
    options: &ReadOptions<'_>,
) -> Result<ReadImage, ImageError> {
    let err = |layer: Option<String>, message: String| ImageError {
        image: name.to_string(),
        layer,
        entry: None,
        message,
    };
    let store = Store::open(path, options.limits.max_image_bytes)
        .map_err(|e| err(None, format!("cannot read {}: {e}", path.display())))?;
    let json = |member: &str, what: &str| -> Result<Value, ImageError> {
        let bytes = store
            .read_all(member, MAX_JSON)
            .map_err(|e| err(None, format!("cannot read {what} `{member}`: {e}")))?
            .ok_or_else(|| err(None, format!("{what} `{member}` is missing")))?;
        if let Some(digest) = digest_of_member(member) {
            let actual = format!("sha256:{}", hex(&Sha256::digest(&bytes)));
            if actual != digest {
                return Err(err(
                    None,
                    format!("{what} `{member}` has digest {actual}, not {digest}"),
                ));
            }
        }
        serde_json::from_slice(&bytes)
            .map_err(|e| err(None, format!("{what} `{member}` is not valid JSON: {e}")))
    };

    let (config_member, layers, tags) = if store.has("manifest.json") {
        let manifest = json("manifest.json", "manifest")?;
        let first = manifest
            .as_array()
            .and_then(|a| a.first())
            .ok_or_else(|| err(None, "manifest.json lists no image".into()))?;
        let config = first
            .get("Config")
            .and_then(Value::as_str)
            .ok_or_else(|| err(None, "manifest.json has no `Config`".into()))?
            .to_string();
        let layers = first
            .get("Layers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(|m| LayerRef {
                member: m.to_string(),
                digest: digest_of_member(m),
            })
            .collect();
        let tags: Vec<String> = first
            .get("RepoTags")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
        (config, layers, tags)
    } else if store.has("index.json") {
        let want = options.platform.clone().unwrap_or_else(host_platform);
        let mut doc = json("index.json", "index")?;
        // An index may point at another index (a multi-platform image).
        for _ in 0..4 {
            let Some(manifests) = doc.get("manifests").and_then(Value::as_array) else {
                break;
            };
            let platform_of = |m: &Value| {
                let field = |name: &str| {
                    m.get("platform")
                        .and_then(|p| p.get(name))
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string()
                };
                format!("{}/{}", field("os"), field("architecture"))
            };
            let pick = if manifests.len() == 1 {
                manifests.first()
            } else {
                manifests.iter().find(|m| platform_of(m) == want)
            };
            let pick = pick.ok_or_else(|| {
                let has: Vec<String> = manifests.iter().map(platform_of).collect();
                err(
                    None,
                    format!(
                        "the index has no manifest for {want}; it has {} (choose one with --platform)",
                        has.join(", ")
                    ),
                )
            })?;
            let digest = pick.get("digest").and_then(Value::as_str).unwrap_or("");
            let member = blob_member(digest)
                .ok_or_else(|| err(None, format!("bad manifest digest `{digest}`")))?;
            doc = json(&member, "manifest")?;
        }
        let config_digest = doc
            .pointer("/config/digest")
            .and_then(Value::as_str)
            .ok_or_else(|| err(None, "the manifest has no config".into()))?;
        let config = blob_member(config_digest)
            .ok_or_else(|| err(None, format!("bad config digest `{config_digest}`")))?;
        let mut layers = Vec::new();
        for l in doc
            .get("layers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let digest = l.get("digest").and_then(Value::as_str).unwrap_or("");
            let member = blob_member(digest)
                .ok_or_else(|| err(None, format!("bad layer digest `{digest}`")))?;
            layers.push(LayerRef {
                member,
                digest: Some(digest.to_string()),
            });
        }
        (config, layers, Vec::new())
    } else {
        return Err(err(
            None,
            "neither manifest.json (docker save) nor index.json (OCI layout) found".into(),
        ));
    };

    let config = json(&config_member, "config")?;
    let mut spec = crate::spec::from_config(&config);
    spec.id = digest_of_member(&config_member);
    spec.reference = tags.first().cloned();
    let diff_ids: Vec<String> = config
        .pointer("/rootfs/diff_ids")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect();
    // A diff id per layer, or a layer could not be verified: refused unless
    // the user turned verification off (then only a wrong count is).
    let checked = !diff_ids.is_empty() || options.limits.verify_digests;
    if checked && diff_ids.len() != layers.len() {
        return Err(err(
            None,
            format!(
                "the config lists {} layers (rootfs.diff_ids), the manifest {}: the layers cannot be verified (--skip-digest-check reads them unverified)",
                diff_ids.len(),
                layers.len()
            ),
        ));
    }
    for l in &layers {
        if !store.has(&l.member) {
            let what = l.digest.clone().unwrap_or_else(|| l.member.clone());
            return Err(err(
                None,
                format!("layer blob {what} is missing from the archive"),
            ));
        }
    }

    // Decompress layers on every core; merge in order.
    let label = |i: usize| {
        let id = layers[i]
            .digest
            .clone()
            .or_else(|| diff_ids.get(i).cloned())
            .unwrap_or_default();
        format!("{i} ({id})")
    };
    let next = AtomicUsize::new(0);
    let totals = Totals::default();
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(layers.len().max(1));
    let mut results: Vec<Option<Result<LayerRead, ImageError>>> =
        (0..layers.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(layer) = layers.get(i) else { break };
                        done.push((
                            i,
                            read_one(&store, layer, i, options, &label(i), name, &totals),
                        ));
                    }
                    done
                })
            })
            .collect();
        for handle in handles {
            if let Ok(done) = handle.join() {
                for (i, r) in done {
                    results[i] = Some(r);
                }
            }
        }
    });
    let mut files = FileIndex::default();
    let mut compressions = Vec::new();
    let mut found_secrets = Vec::new();
    for (i, result) in results.into_iter().enumerate() {
        let read =
            result.ok_or_else(|| err(Some(label(i)), "the layer reader stopped".into()))??;
        if let Some(expected) = diff_ids.get(i)
            && options.limits.verify_digests
            && *expected != read.diff_id
        {
            return Err(err(
                Some(label(i)),
                format!(
                    "uncompressed digest {} does not match the config's diff_id {expected}",
                    read.diff_id
                ),
            ));
        }
        compressions.push(read.compression);
        found_secrets.extend(
            read.secrets
                .into_iter()
                .map(|(path, hit)| crate::FoundSecret {
                    layer: Some(i),
                    path,
                    hit,
                }),
        );
        for change in read.changes {
            match change {
                Change::Put(path, entry) => files.insert(path, entry),
                Change::Delete(path) => files.remove_tree(&path),
                Change::Opaque(dir) => files.make_opaque(&dir, i),
            }
        }
    }
    let layer_ids = (0..layers.len())
        .map(|i| {
            layers[i]
                .digest
                .clone()
                .or_else(|| diff_ids.get(i).cloned())
                .unwrap_or_default()
        })
        .collect();
    Ok(ReadImage {
        image: Image {
            name: name.to_string(),
            spec,
            layers: layer_ids,
            files,
            secrets: found_secrets,
        },
        compressions,
    })
}

fn read_one(
    store: &Store,
    layer: &LayerRef,
    index: usize,
    options: &ReadOptions<'_>,
    label: &str,
    image: &str,
    totals: &Totals,
) -> Result<LayerRead, ImageError> {
    let err = |entry: Option<String>, message: String| ImageError {
        image: image.to_string(),
        layer: Some(label.to_string()),
        entry,
        message,
    };
    let blob = store
        .reader(&layer.member)
        .map_err(|e| err(None, format!("cannot read: {e}")))?
        .ok_or_else(|| err(None, "the blob is missing".into()))?;
    let mut blob = io::BufReader::with_capacity(256 * 1024, blob);
    let magic = blob
        .fill_buf()
        .map_err(|e| err(None, format!("cannot read: {e}")))?;
    // An uncompressed blob's digest is its diff id, which the layer reader
    // computes anyway: hash it once, not twice.
    let compressed =
        magic.starts_with(&[0x1f, 0x8b]) || magic.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]);
    let mut hashing = Hashing {
        inner: blob,
        hasher: (options.limits.verify_digests && layer.digest.is_some() && compressed)
            .then(Sha256::new),
    };
    let read = read_image_layer(&mut hashing, index, options.limits, options.wants, totals)
        .map_err(|LayerError { entry, message }| {
            let message = match &entry {
                Some(e) if !message.contains(e.as_str()) => format!("entry `{e}`: {message}"),
                _ => message,
            };
            err(entry, message)
        })?;
    io::copy(&mut hashing, &mut io::sink()).map_err(|e| err(None, format!("cannot read: {e}")))?;
    if let Some(expected) = &layer.digest
        && options.limits.verify_digests
    {
        let actual = match hashing.hasher {
            Some(hasher) => format!("sha256:{}", hex(&hasher.finalize())),
            None => read.diff_id.clone(),
        };
        if actual != *expected {
            return Err(err(
                None,
                format!("blob digest {actual} does not match {expected}"),
            ));
        }
    }
    Ok(read)
}
