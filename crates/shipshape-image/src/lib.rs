//! Container images: their configuration ([`ImageSpec`]), the layer
//! reader and the merged file index. The rules that read them are in
//! `shipshape-rules`.

pub mod archive;
pub use shipshape_core::files;
pub mod layer;
pub mod rootfs;
pub mod secrets;
pub mod spec;

pub use spec::{History, ImageSpec};

/// An image as the rules see it.
#[derive(Debug, Clone, Default)]
pub struct Image {
    /// How findings name the image (its reference, or its archive).
    pub name: String,
    pub spec: ImageSpec,
    /// The digest of each layer, in order.
    pub layers: Vec<String>,
    /// The merged file system.
    pub files: files::FileIndex,
    /// Secrets found in files of any layer (a secret deleted by a later
    /// layer is still in the image).
    pub secrets: Vec<FoundSecret>,
}

impl Image {
    /// Where in this image a finding is: a layer (by index, shown with its
    /// digest), a file, a config or history field, a line.
    pub fn location(
        &self,
        layer: Option<usize>,
        path: Option<&str>,
        field: Option<String>,
        line: Option<u32>,
    ) -> shipshape_core::Location {
        shipshape_core::Location::Image {
            image: self.name.clone(),
            layer: layer.map(|i| match self.layers.get(i) {
                Some(digest) => format!("{i} {digest}"),
                None => i.to_string(),
            }),
            path: path.map(str::to_string),
            field,
            line,
        }
    }
}

/// A secret in one of the image's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundSecret {
    pub layer: Option<usize>,
    pub path: String,
    pub hit: secrets::Hit,
}
