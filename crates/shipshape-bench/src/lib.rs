//! The CIS Docker Benchmark, on a snapshot of a Docker host.
//!
//! [`Host`] holds what the checks read: files under a root directory
//! (read-only), the dockerd command line, and the Engine API's view of the
//! daemon, containers and images. Each check turns it into PASS, WARN,
//! INFO or NOTE with the evidence it saw. Section 5 is the runtime rules of
//! `shipshape-runtime`, run on every container's `RuntimeSpec`.

#[macro_use]
pub mod checks;
pub mod host;
pub mod run;

pub use checks::{Check, Outcome};
pub use host::Host;
pub use run::{Selection, run};

/// The benchmark version the checks follow.
pub const BENCHMARK: &str = "CIS Docker Benchmark v1.6.0";

use checks::s1_host;

/// Every check outside section 5, in benchmark order.
pub static CHECKS: &[&Check] = &[
    &s1_host::DH101,
    &s1_host::DH102,
    &s1_host::DH103,
    &s1_host::DH104,
    &s1_host::DH105,
    &s1_host::DH106,
    &s1_host::DH107,
    &s1_host::DH108,
    &s1_host::DH109,
    &s1_host::DH110,
    &s1_host::DH111,
    &s1_host::DH112,
    &s1_host::DH113,
    &s1_host::DH114,
    &s1_host::DH115,
    &s1_host::DH116,
    &s1_host::DH117,
    &s1_host::DH118,
    &s1_host::DH121,
    &s1_host::DH122,
];
