//! A root file system directory (`shipshape fs DIR`) as a [`FileIndex`]:
//! walked without following symbolic links, contents kept for the paths
//! an analyzer wants.

use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use crate::archive::ImageError;
use crate::files::{Entry, FileIndex, Interest, Kind};
use crate::layer::{Limits, Reads};
use crate::{FoundSecret, secrets};

/// Reads the tree under `root`. Unreadable entries are skipped and
/// counted; a root that is not a directory is an error.
pub fn read_dir(
    root: &Path,
    limits: Limits,
    wants: &dyn Interest,
) -> Result<(FileIndex, Vec<FoundSecret>, usize), ImageError> {
    let name = root.display().to_string();
    if !root.is_dir() {
        return Err(ImageError {
            image: name,
            layer: None,
            entry: None,
            message: "not a directory".into(),
        });
    }
    let mut files = FileIndex::default();
    let mut unreadable = 0;
    let mut found = Vec::new();
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
                stack.push((entry.path(), path.clone()));
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
            let (content, condensed) = if reads.any() {
                let most = if reads.condense {
                    limits.max_condensed
                } else {
                    limits.max_content.max(secrets::MAX_SCAN)
                };
                let mut buf = Vec::new();
                match std::fs::File::open(entry.path())
                    .and_then(|f| f.take(most).read_to_end(&mut buf))
                {
                    Ok(_) => {
                        let (content, condensed, hits) = reads.apply(wants, &path, buf);
                        found.extend(hits.into_iter().map(|hit| FoundSecret {
                            layer: None,
                            path: path.clone(),
                            hit,
                        }));
                        (content, condensed)
                    }
                    Err(_) => {
                        unreadable += 1;
                        (None, None)
                    }
                }
            } else {
                (None, None)
            };
            files.insert(
                path,
                Entry {
                    kind,
                    mode,
                    uid: u64::from(meta.uid()),
                    gid: u64::from(meta.gid()),
                    size: meta.len(),
                    layer: 0,
                    content,
                    condensed,
                },
            );
        }
    }
    Ok((files, found, unreadable))
}
