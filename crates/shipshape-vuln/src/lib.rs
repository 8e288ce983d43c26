//! Foundations of vulnerability matching: OSV advisory records
//! ([`osv`]), the OSV algorithm that decides whether a version is affected
//! ([`range`]), and CVSS vectors with their base scores ([`cvss`]).
//!
//! Version ordering is not here: each ecosystem's comparator is passed to
//! [`range::affected`] by the caller.

pub mod cvss;
pub mod db;
pub mod matcher;
pub mod osv;
pub mod range;
