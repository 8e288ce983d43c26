//! A root file system directory (`shipshape fs DIR`) as a [`FileIndex`]:
//! walked without following symbolic links, contents kept for the paths
//! an analyzer wants.
//!
//! The tree may come from an untrusted image, so the walk never leaves
//! it: a symbolic link is recorded as a link and never followed (a
//! `var/lib/dpkg/status` pointing at `/etc/shadow` or `/proc/self/mem`
//! is not read), each directory is entered once by device and inode (a
//! bind mount of a parent cannot loop), and only regular files are
//! opened, with `O_NOFOLLOW | O_NONBLOCK` and checked to be the file the
//! walk saw, so a file swapped for a link, a FIFO or a device while the
//! walk runs is not read either.

use std::collections::HashSet;
use std::fs::File;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::Path;
use std::sync::atomic::AtomicU64;

use crate::FoundSecret;
use crate::archive::ImageError;
use crate::files::{Entry, FileIndex, Interest, Kind};
use crate::layer::{FileRead, Limits, Reads};

/// Reads the tree under `root`. Unreadable entries are skipped and
/// counted (and an entry whose contents an analyzer wanted says why,
/// [`Entry::unread`]); a root that is not a directory is an error.
pub fn read_dir(
    root: &Path,
    limits: Limits,
    wants: &dyn Interest,
) -> Result<(FileIndex, Vec<FoundSecret>, usize), ImageError> {
    let name = root.display().to_string();
    let not_dir = |message: String| ImageError {
        image: name.clone(),
        layer: None,
        entry: None,
        message,
    };
    let root_meta = std::fs::metadata(root).map_err(|e| not_dir(format!("cannot read: {e}")))?;
    if !root_meta.is_dir() {
        return Err(not_dir("not a directory".into()));
    }
    let mut files = FileIndex::default();
    let mut unreadable = 0;
    let mut found = Vec::new();
    let kept = AtomicU64::new(0);
    // Directories entered, by device and inode.
    let mut entered = HashSet::from([(root_meta.dev(), root_meta.ino())]);
    let mut stack = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, prefix)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            unreadable += 1;
            continue;
        };
        for entry in entries.flatten() {
            let file_name = entry.file_name().to_string_lossy().into_owned();
            let path = if prefix.is_empty() {
                file_name.clone()
            } else {
                format!("{prefix}/{file_name}")
            };
            let Ok(meta) = std::fs::symlink_metadata(entry.path()) else {
                unreadable += 1;
                continue;
            };
            let ft = meta.file_type();
            let kind = if ft.is_dir() {
                if entered.insert((meta.dev(), meta.ino())) {
                    stack.push((entry.path(), path.clone()));
                }
                Kind::Dir
            } else if ft.is_symlink() {
                let target = std::fs::read_link(entry.path())
                    .map(|t| t.to_string_lossy().into_owned())
                    .unwrap_or_default();
                Kind::Symlink(target)
            } else if ft.is_file() {
                Kind::File
            } else {
                Kind::Other
            };
            let mode = meta.mode() & 0o7777;
            let reads = if kind == Kind::File {
                Reads::of(limits, wants, &path, mode, meta.len())
            } else {
                Reads::default()
            };
            let read = if reads.any() {
                match open_regular(&entry.path(), &meta)
                    .and_then(|mut file| reads.read(wants, &path, meta.len(), &mut file, &kept))
                {
                    Ok(read) => read,
                    Err(e) => {
                        unreadable += 1;
                        FileRead {
                            unread: reads.wanted().then(|| format!("cannot read: {e}")),
                            ..FileRead::default()
                        }
                    }
                }
            } else {
                FileRead {
                    unread: reads.unread(meta.len()),
                    ..FileRead::default()
                }
            };
            found.extend(read.hits.into_iter().map(|hit| FoundSecret {
                layer: None,
                path: path.clone(),
                hit,
            }));
            files.insert(
                path,
                Entry {
                    kind,
                    mode,
                    uid: u64::from(meta.uid()),
                    gid: u64::from(meta.gid()),
                    size: meta.len(),
                    layer: 0,
                    content: read.content,
                    condensed: read.condensed,
                    unread: read.unread,
                },
            );
        }
    }
    Ok((files, found, unreadable))
}

/// Opens the regular file the walk saw at `path` (`seen`, its metadata
/// without following links): not through a symbolic link, without
/// blocking on a FIFO, and only if it is still that same regular file.
fn open_regular(path: &Path, seen: &std::fs::Metadata) -> std::io::Result<File> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)?;
    let now = file.metadata()?;
    if !now.is_file() || now.dev() != seen.dev() || now.ino() != seen.ino() {
        return Err(std::io::Error::other(
            "replaced by another file while the directory was read",
        ));
    }
    Ok(file)
}
