//! The model every shipshape check shares.
//!
//! Readers turn a source (a Dockerfile, an image, a manifest, a live
//! container) into a spec; rules look at the spec and emit [`Finding`]s; the
//! findings of one run are collected in a [`Report`], which every writer takes.

pub mod files;
mod finding;
pub mod fix;
pub mod host;
pub mod image_spec;
pub mod inventory;
mod policy;
pub mod pragma;
mod report;
mod rule;
pub mod runtime_spec;
pub mod secrets;
mod severity;
pub mod time;
pub mod vuln;

pub use finding::{Finding, Location, Position, Region, mask_secrets};
pub use fix::{Applicability, Edit, Fix};
pub use policy::Policy;
pub use report::{CheckResult, Problem, Report, Status, Target, TargetKind};
pub use rule::{RuleDoc, RuleMeta};
pub use severity::{ParseSeverityError, Severity};
