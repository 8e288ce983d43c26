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

use checks::{s1_host, s4_images, s5_containers, s6_operations, s7_swarm};

/// Every check, in benchmark order.
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
    &s4_images::DH401,
    &s4_images::DH402,
    &s4_images::DH403,
    &s4_images::DH404,
    &s4_images::DH405,
    &s4_images::DH406,
    &s4_images::DH407,
    &s4_images::DH408,
    &s4_images::DH409,
    &s4_images::DH410,
    &s4_images::DH411,
    &s4_images::DH412,
    &s5_containers::DH501,
    &s5_containers::DH502,
    &s5_containers::DH503,
    &s5_containers::DH504,
    &s5_containers::DH505,
    &s5_containers::DH506,
    &s5_containers::DH507,
    &s5_containers::DH508,
    &s5_containers::DH509,
    &s5_containers::DH510,
    &s5_containers::DH511,
    &s5_containers::DH512,
    &s5_containers::DH513,
    &s5_containers::DH514,
    &s5_containers::DH515,
    &s5_containers::DH516,
    &s5_containers::DH517,
    &s5_containers::DH518,
    &s5_containers::DH519,
    &s5_containers::DH520,
    &s5_containers::DH521,
    &s5_containers::DH522,
    &s5_containers::DH523,
    &s5_containers::DH524,
    &s5_containers::DH525,
    &s5_containers::DH526,
    &s5_containers::DH527,
    &s5_containers::DH528,
    &s5_containers::DH529,
    &s5_containers::DH530,
    &s5_containers::DH531,
    &s5_containers::DH532,
    &s6_operations::DH601,
    &s6_operations::DH602,
    &s7_swarm::DH701,
    &s7_swarm::DH702,
    &s7_swarm::DH703,
    &s7_swarm::DH704,
    &s7_swarm::DH705,
    &s7_swarm::DH706,
    &s7_swarm::DH707,
    &s7_swarm::DH708,
    &s7_swarm::DH709,
];
