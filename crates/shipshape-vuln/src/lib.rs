//! Foundations of vulnerability matching: OSV advisory records
//! ([`osv`]), the OSV algorithm that decides whether a version is affected
//! ([`range`]), CVSS vectors with their base scores ([`cvss`]), and the
//! advisory database ([`db`]) with its importers ([`import`]).
//!
//! Version ordering is not here: each ecosystem's comparator is passed to
//! [`range::affected`] by the caller.

pub mod cvss;
pub mod db;
pub mod drivers;
pub mod import;
pub mod matcher;
pub mod osv;
pub mod packed;
pub mod range;

#[doc(hidden)]
pub use import::{benchmark_package, generate_benchmark_db};
