//! Every rule of shipshape, by the spec it reads: [`dockerfile`] rules on
//! the Dockerfile model, [`image`] rules on an image's config, history and
//! files, [`runtime`] rules on the runtime settings of a container
//! (compose, Kubernetes, live containers). A check that means the same on
//! several sources is one rule, with one id and one doc, and a check per
//! source: the image and runtime areas run the Dockerfile rules' checks on
//! their own specs under the Dockerfile rules' metadata.

#[macro_use]
extern crate shipshape_core;

pub mod dockerfile;
pub mod image;
pub mod runtime;
