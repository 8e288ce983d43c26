//! Every rule of shipshape, by the spec it reads: [`dockerfile`] rules on
//! the Dockerfile model, [`image`] rules on an image's config, history and
//! files, [`runtime`] rules on the runtime settings of a container
//! (compose, Kubernetes, live containers). A check that means the same on
//! several sources is one rule, with one id and one doc, and a check per
//! source: the image and runtime areas run the Dockerfile rules' checks on
//! their own specs under the Dockerfile rules' metadata.

#[macro_use]
extern crate shipshape_core;

use shipshape_core::RuleMeta;

pub mod cis;
pub mod dockerfile;
pub mod image;
pub mod registry;
pub mod runtime;
pub mod trust;

/// An area of rules: what its checks read, as the type of the check.
pub trait Area {
    type Check: Copy;
}

/// A rule of any area: its metadata (id, name, severity, aliases, doc) and
/// its check. A rule that runs on several sources is one `RuleMeta` shared
/// by a `Rule` in each area.
pub struct Rule<A: Area> {
    pub meta: &'static RuleMeta,
    pub check: A::Check,
}
