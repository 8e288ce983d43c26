//! Reading one layer: decompression chosen by magic bytes (gzip, zstd or
//! plain tar), bounded output, digest of the uncompressed stream, and the
//! tar walk with paths checked and whiteouts recognised.

use std::io::{self, BufRead, BufReader, Read};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

use crate::files::{Entry, Interest, Kind};
use crate::secrets::{self, Hit};

/// Bounds on what a layer may expand to.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Uncompressed bytes of one layer.
    pub max_layer_bytes: u64,
    /// Uncompressed bytes of all the layers of an image together.
    pub max_image_bytes: u64,
    /// Uncompressed bytes per compressed byte, once past the first MiB.
    pub max_ratio: u64,
    /// Entries in one layer.
    pub max_entries: u64,
    /// Bytes of one file's contents kept for analyzers.
    pub max_content: u64,
    /// Bytes of one file read whole to be condensed (an analyzer may ask
    /// for less: [`Interest::condense_limit`]).
    pub max_condensed: u64,
    /// Bytes of contents and condensed records kept for analyzers, all
    /// the files of an image (or root file system) together.
    pub max_kept: u64,
    /// Scan text files for secrets.
    pub scan_secrets: bool,
    /// Check every layer's digest and diff id (on by default; off only
    /// for archives the user vouches for, to save the hashing).
    pub verify_digests: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_layer_bytes: 64 << 30,
            max_image_bytes: 128 << 30,
            max_ratio: 1000,
            max_entries: 5_000_000,
            max_content: 1 << 20,
            max_condensed: 256 << 20,
            max_kept: 256 << 20,
            scan_secrets: true,
            verify_digests: true,
        }
    }
}

/// Bytes of GNU long names, long link names and pax extended headers
/// read before one entry (the tar reader holds them in memory whole).
pub const MAX_EXTENSION_BYTES: u64 = 1 << 20;

/// What the layers of one image have used of their shared limits.
#[derive(Debug, Default)]
pub struct Totals {
    /// Uncompressed bytes read ([`Limits::max_image_bytes`]).
    pub bytes: AtomicU64,
    /// Bytes of contents and condensed records kept ([`Limits::max_kept`]).
    pub kept: AtomicU64,
}

/// What to do with a regular file's bytes as they pass.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Reads {
    /// Keep the contents for analyzers.
    keep: bool,
    /// Read it whole and hand it to [`Interest::condense`].
    condense: bool,
    /// Scan it for secrets.
    scan: bool,
    /// The file is one to condense but larger than this limit: said so
    /// unless its first bytes show it is not wanted after all.
    condense_over: Option<u64>,
    /// The file is one to keep but larger than this limit.
    keep_over: Option<u64>,
    /// The most bytes read for any of the above.
    most: u64,
    max_kept: u64,
}

/// What was read of a file: its contents and condensed form as kept, the
/// secrets found in it, and why what an analyzer asked for is missing.
#[derive(Debug, Default)]
pub(crate) struct FileRead {
    pub content: Option<Vec<u8>>,
    pub condensed: Option<shipshape_core::files::Condensed>,
    pub hits: Vec<Hit>,
    pub unread: Option<String>,
}

impl Reads {
    /// The decision for a regular file at `path` of `size` bytes.
    pub fn of(limits: Limits, wants: &dyn Interest, path: &str, mode: u32, size: u64) -> Reads {
        let keep_wanted = wants.keep(path);
        let condense_wanted = wants.condenses(path, mode, size);
        let condense_limit = wants
            .condense_limit(path)
            .map_or(limits.max_condensed, |l| l.min(limits.max_condensed));
        let keep = keep_wanted && size <= limits.max_content;
        let condense = condense_wanted && size <= condense_limit;
        let scan =
            limits.scan_secrets && size > 0 && size <= secrets::MAX_SCAN && !secrets::allowed(path);
        let most = [
            (keep, limits.max_content),
            (condense, condense_limit),
            (scan, secrets::MAX_SCAN),
        ]
        .into_iter()
        .filter_map(|(on, limit)| on.then_some(limit))
        .max()
        .unwrap_or(0);
        Reads {
            keep,
            condense,
            scan,
            condense_over: (condense_wanted && !condense).then_some(condense_limit),
            keep_over: (keep_wanted && !keep).then_some(limits.max_content),
            most,
            max_kept: limits.max_kept,
        }
    }

    /// Whether the file is read at all (its first bytes at least).
    pub fn any(self) -> bool {
        self.keep || self.condense || self.scan || self.condense_over.is_some()
    }

    /// Whether an analyzer asked for the file's contents.
    pub fn wanted(self) -> bool {
        self.keep || self.condense || self.condense_over.is_some() || self.keep_over.is_some()
    }

    /// Why the file is not read at all, when that is already known.
    pub fn unread(self, size: u64) -> Option<String> {
        self.keep_over
            .map(|limit| too_large(size, limit, "for a file kept whole"))
    }

    /// Reads the file at `path`, `size` bytes, from `input` as decided,
    /// and hands it to the analyzer; what is kept counts against
    /// [`Limits::max_kept`] in `kept`.
    pub fn read(
        self,
        wants: &dyn Interest,
        path: &str,
        size: u64,
        input: &mut dyn Read,
        kept: &AtomicU64,
    ) -> io::Result<FileRead> {
        let mut bytes = Vec::new();
        input
            .take(crate::files::HEAD as u64)
            .read_to_end(&mut bytes)?;
        let mut reads = self;
        if (reads.condense || reads.condense_over.is_some()) && !wants.condenses_head(path, &bytes)
        {
            reads.condense = false;
            reads.condense_over = None;
        }
        let mut unread = reads
            .condense_over
            .map(|limit| too_large(size, limit, "for a file read whole"))
            .or_else(|| reads.unread(size));
        if !(reads.keep || reads.condense || reads.scan) {
            return Ok(FileRead {
                unread,
                ..FileRead::default()
            });
        }
        // Grown as bytes arrive, never reserved by the size a header
        // claims; one byte past the limit tells a file that grew.
        input
            .take((reads.most + 1).saturating_sub(bytes.len() as u64))
            .read_to_end(&mut bytes)?;
        let len = bytes.len() as u64;
        if len > reads.most {
            return Ok(FileRead {
                unread: Some(format!(
                    "not read: grew past the limit of {} bytes while read",
                    reads.most
                )),
                ..FileRead::default()
            });
        }
        let hits = if reads.scan {
            secrets::scan_bytes(&bytes)
        } else {
            Vec::new()
        };
        let mut condensed = if reads.condense {
            wants.condense(path, &bytes)
        } else {
            None
        };
        let mut content = reads.keep.then_some(bytes);
        let kept_len =
            content.as_ref().map_or(0, Vec::len) + condensed.as_ref().map_or(0, |c| c.weight);
        let kept_len = kept_len as u64;
        if kept_len > 0 {
            let before = kept.fetch_add(kept_len, Ordering::Relaxed);
            if before + kept_len > reads.max_kept {
                kept.fetch_sub(kept_len, Ordering::Relaxed);
                content = None;
                condensed = None;
                unread = Some(format!(
                    "not kept: the contents kept of all files reached the limit of {} bytes",
                    reads.max_kept
                ));
            }
        }
        Ok(FileRead {
            content,
            condensed,
            hits,
            unread,
        })
    }
}

/// Why a file of `size` bytes was not read.
fn too_large(size: u64, limit: u64, what: &str) -> String {
    format!("not read: {size} bytes, over the limit of {limit} bytes {what}")
}

/// Stops a tar reader that reads more than [`MAX_EXTENSION_BYTES`] of
/// headers before an entry: the tar crate reads GNU long names and pax
/// extended headers whole into memory, as long as the archive says they
/// are. The walk moves the fence past each entry's data
/// ([`Fence::past_entry`]).
#[derive(Debug, Clone)]
pub(crate) struct Fence {
    /// Bytes read so far.
    pos: std::rc::Rc<std::cell::Cell<u64>>,
    /// No byte at or past this position is read.
    limit: std::rc::Rc<std::cell::Cell<u64>>,
}

impl Fence {
    pub(crate) fn new() -> Fence {
        Fence {
            pos: std::rc::Rc::new(std::cell::Cell::new(0)),
            limit: std::rc::Rc::new(std::cell::Cell::new(MAX_EXTENSION_BYTES)),
        }
    }

    /// `inner`, read within this fence.
    pub(crate) fn wrap<R: Read>(&self, inner: R) -> Fenced<R> {
        Fenced {
            inner,
            fence: self.clone(),
        }
    }

    /// Lets the reader through the data of the entry whose header it has
    /// just read (`size` bytes, padded to the block) and the headers of
    /// the next entry.
    pub(crate) fn past_entry(&self, size: u64) {
        let padded = size.checked_next_multiple_of(512).unwrap_or(u64::MAX);
        self.limit.set(
            self.pos
                .get()
                .saturating_add(padded)
                .saturating_add(MAX_EXTENSION_BYTES),
        );
    }
}

/// A reader within a [`Fence`].
pub(crate) struct Fenced<R> {
    inner: R,
    fence: Fence,
}

impl<R: Read> Read for Fenced<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let (pos, limit) = (self.fence.pos.get(), self.fence.limit.get());
        if pos >= limit && !buf.is_empty() {
            return Err(io::Error::other(format!(
                "long name or pax extended headers past {MAX_EXTENSION_BYTES} bytes"
            )));
        }
        let room = usize::try_from(limit.saturating_sub(pos)).unwrap_or(usize::MAX);
        let len = buf.len().min(room);
        let n = self.inner.read(&mut buf[..len])?;
        self.fence.pos.set(pos + n as u64);
        Ok(n)
    }
}

/// What was wrong with a layer, and at which entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct LayerError {
    pub entry: Option<String>,
    pub message: String,
}

fn fail(entry: Option<&str>, message: impl Into<String>) -> LayerError {
    LayerError {
        entry: entry.map(str::to_string),
        message: message.into(),
    }
}

/// A change a layer makes to the file system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Put(String, Entry),
    /// `.wh.NAME`: the path is deleted.
    Delete(String),
    /// `.wh..wh..opq`: the directory's lower contents are hidden.
    Opaque(String),
}

/// The layer's changes in order, and the sha256 of its uncompressed tar
/// (its diff id; empty when digests are not checked).
#[derive(Debug, Clone)]
pub struct LayerRead {
    pub changes: Vec<Change>,
    /// Secrets found in the layer's files, by path.
    pub secrets: Vec<(String, Hit)>,
    pub diff_id: String,
    pub compression: &'static str,
}

/// Hashes on another thread, so that hashing a layer overlaps reading
/// and walking it: bytes are passed on in chunks of [`HashPipe::CHUNK`].
struct HashPipe {
    chunk: Vec<u8>,
    /// `None` when digests are not checked.
    to_hasher: Option<std::sync::mpsc::SyncSender<Vec<u8>>>,
    /// Buffers the hasher is done with, to fill again (a fresh 1 MiB
    /// buffer per chunk would be mapped and zeroed by the kernel each time).
    spare: std::sync::mpsc::Receiver<Vec<u8>>,
}

impl HashPipe {
    const CHUNK: usize = 1 << 20;

    fn update(&mut self, mut bytes: &[u8]) {
        if self.to_hasher.is_none() {
            return;
        }
        while !bytes.is_empty() {
            let room = Self::CHUNK - self.chunk.len();
            let (now, later) = bytes.split_at(room.min(bytes.len()));
            self.chunk.extend_from_slice(now);
            bytes = later;
            if self.chunk.len() == Self::CHUNK {
                self.flush();
            }
        }
    }

    fn flush(&mut self) {
        let next = match self.spare.try_recv() {
            Ok(mut buffer) => {
                buffer.clear();
                buffer
            }
            Err(_) => Vec::with_capacity(Self::CHUNK),
        };
        let full = std::mem::replace(&mut self.chunk, next);
        // The hasher only stops when this side has hung up.
        if let Some(to) = &self.to_hasher {
            let _ = to.send(full);
        }
    }
}

/// Counts and bounds the bytes a decompressor yields, and hashes them.
struct Guard<'t, R> {
    inner: R,
    read: u64,
    /// Uncompressed bytes of every layer of the image read so far.
    image_total: &'t AtomicU64,
    compressed: Box<dyn Fn() -> u64>,
    limits: Limits,
    hasher: HashPipe,
}

impl<R: Read> Read for Guard<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        self.hasher.update(&buf[..n]);
        if self.read > self.limits.max_layer_bytes {
            return Err(io::Error::other(format!(
                "expands past {} bytes",
                self.limits.max_layer_bytes
            )));
        }
        let total = self.image_total.fetch_add(n as u64, Ordering::Relaxed) + n as u64;
        if total > self.limits.max_image_bytes {
            return Err(io::Error::other(format!(
                "the image's layers expand past {} bytes together",
                self.limits.max_image_bytes
            )));
        }
        let compressed = (self.compressed)().max(1);
        if self.read > 1 << 20 && self.read / compressed > self.limits.max_ratio {
            return Err(io::Error::other(format!(
                "expands more than {}× ({} bytes from {compressed}): a decompression bomb",
                self.limits.max_ratio, self.read
            )));
        }
        Ok(n)
    }
}

/// Counts bytes read from the compressed input.
struct Counting<R> {
    inner: R,
    count: std::rc::Rc<std::cell::Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        self.count.set(self.count.get() + amt as u64);
        self.inner.consume(amt);
    }
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Checks an entry's path: relative, no `..`, normalised (`./a//b/` →
/// `a/b`).
pub fn clean_path(raw: &str) -> Result<String, String> {
    if raw.starts_with('/') {
        return Err("an absolute path".into());
    }
    let mut parts = Vec::new();
    for part in raw.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err("a `..` component (path traversal)".into()),
            p => parts.push(p),
        }
    }
    Ok(parts.join("/"))
}

/// Reads one layer blob. `wants` says which paths' contents to keep or
/// condense.
pub fn read_layer(
    blob: impl Read,
    layer: usize,
    limits: Limits,
    wants: &dyn Interest,
) -> Result<LayerRead, LayerError> {
    read_image_layer(blob, layer, limits, wants, &Totals::default())
}

/// [`read_layer`] for one layer of an image, counting its uncompressed
/// bytes and the bytes it keeps into `totals`, against
/// [`Limits::max_image_bytes`] and [`Limits::max_kept`].
pub fn read_image_layer(
    blob: impl Read,
    layer: usize,
    limits: Limits,
    wants: &dyn Interest,
    totals: &Totals,
) -> Result<LayerRead, LayerError> {
    let count = std::rc::Rc::new(std::cell::Cell::new(0u64));
    let mut input = BufReader::with_capacity(
        256 * 1024,
        Counting {
            inner: blob,
            count: count.clone(),
        },
    );
    let magic = input
        .fill_buf()
        .map_err(|e| fail(None, format!("cannot read: {e}")))?
        .to_vec();
    let counter = count.clone();
    let compressed: Box<dyn Fn() -> u64> = Box::new(move || counter.get());
    let (reader, compression): (Box<dyn Read>, &'static str) = if magic.starts_with(&[0x1f, 0x8b]) {
        (
            Box::new(flate2::bufread::MultiGzDecoder::new(input)),
            "gzip",
        )
    } else if magic.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        let decoder = zstd::stream::read::Decoder::with_buffer(input)
            .map_err(|e| fail(None, format!("bad zstd stream: {e}")))?;
        (Box::new(decoder), "zstd")
    } else {
        (Box::new(input), "none")
    };
    let (to_hasher, chunks) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
    let (give_back, spare) = std::sync::mpsc::channel::<Vec<u8>>();
    std::thread::scope(|scope| {
        let hashing = scope.spawn(move || {
            let mut hasher = Sha256::new();
            for chunk in chunks {
                hasher.update(&chunk);
                // The reader may be gone already; then the buffer is freed.
                let _ = give_back.send(chunk);
            }
            hasher.finalize()
        });
        let mut guard = Guard {
            inner: reader,
            read: 0,
            image_total: &totals.bytes,
            compressed,
            limits,
            hasher: HashPipe {
                chunk: Vec::new(),
                to_hasher: limits.verify_digests.then_some(to_hasher),
                spare,
            },
        };
        let mut secrets = Vec::new();
        let changes = walk(&mut guard, layer, limits, wants, &totals.kept, &mut secrets)?;
        // Whatever follows the tar's end blocks is part of the diff id.
        io::copy(&mut guard, &mut io::sink())
            .map_err(|e| fail(None, format!("after the archive: {e}")))?;
        guard.hasher.flush();
        drop(guard);
        let digest = hashing
            .join()
            .map_err(|_| fail(None, "the hashing thread failed"))?;
        Ok(LayerRead {
            changes,
            secrets,
            diff_id: if limits.verify_digests {
                format!("sha256:{}", hex(&digest))
            } else {
                String::new()
            },
            compression,
        })
    })
}

fn walk(
    input: &mut dyn Read,
    layer: usize,
    limits: Limits,
    wants: &dyn Interest,
    kept: &AtomicU64,
    secrets: &mut Vec<(String, Hit)>,
) -> Result<Vec<Change>, LayerError> {
    let fence = Fence::new();
    let mut archive = tar::Archive::new(fence.wrap(input));
    let mut changes = Vec::new();
    let entries = archive
        .entries()
        .map_err(|e| fail(None, format!("not a tar archive: {e}")))?;
    // The entry before: its data is skipped while the next header is
    // sought, so a failure there (a bomb, a truncated stream) is in it.
    let mut previous: Option<String> = None;
    for (n, entry) in entries.enumerate() {
        if n as u64 >= limits.max_entries {
            return Err(fail(
                None,
                format!("more than {} entries", limits.max_entries),
            ));
        }
        let mut entry = entry.map_err(|e| match &previous {
            Some(p) => fail(
                Some(p),
                format!("corrupt tar in or after entry `{p}` (entry {n}): {e}"),
            ),
            None => fail(None, format!("corrupt tar at its first entry: {e}")),
        })?;
        fence.past_entry(entry.size());
        let raw: &str = previous.insert(String::from_utf8_lossy(&entry.path_bytes()).into_owned());
        let path =
            clean_path(raw).map_err(|why| fail(Some(raw), format!("entry `{raw}` has {why}")))?;
        let header = entry.header();
        let (dir, name) = match path.rsplit_once('/') {
            Some((d, n)) => (d.to_string(), n.to_string()),
            None => (String::new(), path.clone()),
        };
        if name == ".wh..wh..opq" {
            changes.push(Change::Opaque(dir));
            continue;
        }
        if let Some(hidden) = name.strip_prefix(".wh.") {
            let target = if dir.is_empty() {
                hidden.to_string()
            } else {
                format!("{dir}/{hidden}")
            };
            changes.push(Change::Delete(target));
            continue;
        }
        if path.is_empty() {
            continue;
        }
        let link = || -> Result<String, LayerError> {
            let target = entry
                .link_name_bytes()
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            Ok(target)
        };
        let kind = match header.entry_type() {
            tar::EntryType::Regular | tar::EntryType::Continuous => Kind::File,
            tar::EntryType::Directory => Kind::Dir,
            tar::EntryType::Symlink => Kind::Symlink(link()?),
            tar::EntryType::Link => {
                let target = link()?;
                let target = clean_path(&target).map_err(|why| {
                    fail(
                        Some(raw),
                        format!("hard link `{raw}` points at a path with {why}"),
                    )
                })?;
                Kind::Hardlink(target)
            }
            _ => Kind::Other,
        };
        let mode = header.mode().unwrap_or(0) & 0o7777;
        let uid = header.uid().unwrap_or(0);
        let gid = header.gid().unwrap_or(0);
        let size = entry.size();
        let reads = if kind == Kind::File {
            Reads::of(limits, wants, &path, mode, size)
        } else {
            Reads::default()
        };
        let read = if reads.any() {
            reads
                .read(wants, &path, size, &mut entry, kept)
                .map_err(|e| fail(Some(raw), format!("cannot read entry `{raw}`: {e}")))?
        } else {
            FileRead {
                unread: reads.unread(size),
                ..FileRead::default()
            }
        };
        secrets.extend(read.hits.into_iter().map(|hit| (path.clone(), hit)));
        changes.push(Change::Put(
            path,
            Entry {
                kind,
                mode,
                uid,
                gid,
                size,
                layer,
                content: read.content,
                condensed: read.condensed,
                unread: read.unread,
            },
        ));
    }
    Ok(changes)
}
