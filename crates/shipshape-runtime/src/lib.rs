//! Runtime settings of a container, wherever they are written.
//!
//! Readers turn a docker compose file or a Kubernetes manifest into one
//! [`RuntimeSpec`] per container, each setting with the place it was
//! written; the runtime rules (in `shipshape-rules`) look at specs only, so
//! they apply to every source alike.

pub mod compose;
pub mod create;
pub mod inspect;
pub mod interpolate;
pub mod kube;
pub mod manifest;
pub use shipshape_core::runtime_spec as spec;
pub mod yaml;

pub use manifest::{Build, Issue, Kind, Manifest, read};
pub use spec::RuntimeSpec;
