//! [`FileIndex`]: the merged file system of an image's layers (or of a
//! directory), whiteouts applied, with contents kept only for the paths an
//! analyzer asked for. Filled by the image and root file system readers,
//! read by the rules and the catalogers.

use std::any::Any;
use std::collections::BTreeMap;
use std::sync::Arc;

/// How many of a file's first bytes [`Interest::condenses_head`] sees.
pub const HEAD: usize = 16;

/// What kind of file an entry is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
    Symlink(String),
    /// A hard link to another path of the image.
    Hardlink(String),
    Other,
}

/// One path of the merged file system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: Kind,
    /// Permission and special bits (`0o4755`).
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    pub size: u64,
    /// The index of the layer that wrote this version of the path.
    pub layer: usize,
    /// The contents, for paths an analyzer wants and no larger than the
    /// limit; `None` otherwise.
    pub content: Option<Vec<u8>>,
    /// What an analyzer kept of a file it condensed ([`Interest::condense`]).
    pub condensed: Option<Condensed>,
    /// Why the contents an analyzer asked for were not read or not kept
    /// (larger than a limit, unreadable), so that it can say so; `None`
    /// when they were, or when nobody asked.
    pub unread: Option<String>,
}

/// What an analyzer kept of a file: its own record, of its own type, and
/// how many bytes it weighs against the reader's budget of kept contents
/// (`Limits::max_kept`). The reader holds it without knowing its type;
/// the analyzer gets it back with [`Condensed::get`].
#[derive(Clone)]
pub struct Condensed {
    record: Arc<dyn Any + Send + Sync>,
    /// About how many bytes the record holds.
    pub weight: usize,
}

impl Condensed {
    pub fn new<T: Any + Send + Sync>(record: T, weight: usize) -> Condensed {
        Condensed {
            record: Arc::new(record),
            weight,
        }
    }

    /// The record, when it is a `T`.
    pub fn get<T: Any>(&self) -> Option<&T> {
        self.record.downcast_ref()
    }
}

impl std::fmt::Debug for Condensed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Condensed({} bytes)", self.weight)
    }
}

/// Two entries hold the same record when they share it.
impl PartialEq for Condensed {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.record, &other.record)
    }
}

impl Eq for Condensed {}

/// What an analyzer asks of the files as they stream past.
///
/// Small files it names are kept whole ([`Interest::keep`]). Files too
/// large or too many to keep (executables, Java archives, package
/// databases) are read one at a time and condensed to the little the
/// analyzer needs, so memory does not grow with the image.
pub trait Interest: Sync {
    /// Whether to keep the contents of `path` (up to `Limits::max_content`).
    fn keep(&self, path: &str) -> bool;

    /// Whether to read the regular file `path` whole (up to
    /// [`Interest::condense_limit`]) and hand it to [`Interest::condense`].
    fn condenses(&self, _path: &str, _mode: u32, _size: u64) -> bool {
        false
    }

    /// The most bytes of `path` read whole to be condensed, when fewer than
    /// `Limits::max_condensed`: a larger file is not read, and its entry
    /// says why ([`Entry::unread`]).
    fn condense_limit(&self, _path: &str) -> Option<u64> {
        None
    }

    /// Whether a file [`Interest::condenses`] accepted is still wanted,
    /// judged by its first bytes (at most [`HEAD`]): a look at a magic
    /// number before the whole file is read.
    fn condenses_head(&self, _path: &str, _head: &[u8]) -> bool {
        true
    }

    /// What to keep of a file [`Interest::condenses`] accepted; `None`
    /// keeps nothing.
    fn condense(&self, _path: &str, _bytes: &[u8]) -> Option<Condensed> {
        None
    }
}

impl<F: Fn(&str) -> bool + Sync> Interest for F {
    fn keep(&self, path: &str) -> bool {
        self(path)
    }
}

/// The merged view: paths without a leading `/` (`etc/passwd`).
#[derive(Debug, Clone, Default)]
pub struct FileIndex {
    entries: BTreeMap<String, Entry>,
}

impl FileIndex {
    pub fn get(&self, path: &str) -> Option<&Entry> {
        self.entries.get(path.trim_start_matches('/'))
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Entry)> {
        self.entries.iter().map(|(p, e)| (p.as_str(), e))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Adds or replaces a path (a later layer wins).
    pub fn insert(&mut self, path: String, entry: Entry) {
        self.entries.insert(path, entry);
    }

    /// Removes a path and everything under it (a `.wh.NAME` whiteout).
    pub fn remove_tree(&mut self, path: &str) {
        self.entries.remove(path);
        let prefix = format!("{path}/");
        let doomed: Vec<String> = self
            .entries
            .range(prefix.clone()..)
            .take_while(|(p, _)| p.starts_with(&prefix))
            .map(|(p, _)| p.clone())
            .collect();
        for p in doomed {
            self.entries.remove(&p);
        }
    }

    /// Removes what lower layers put under `dir` (an opaque directory,
    /// `.wh..wh..opq`), keeping what layer `layer` itself adds.
    pub fn make_opaque(&mut self, dir: &str, layer: usize) {
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let doomed: Vec<String> = self
            .entries
            .range(prefix.clone()..)
            .take_while(|(p, _)| p.starts_with(&prefix))
            .filter(|(_, e)| e.layer < layer)
            .map(|(p, _)| p.clone())
            .collect();
        for p in doomed {
            self.entries.remove(&p);
        }
    }
}
