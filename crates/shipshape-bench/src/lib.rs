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

use checks::{s1_host, s2_daemon, s3_files};

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
    &s2_daemon::DH201,
    &s2_daemon::DH202,
    &s2_daemon::DH203,
    &s2_daemon::DH204,
    &s2_daemon::DH205,
    &s2_daemon::DH206,
    &s2_daemon::DH207,
    &s2_daemon::DH208,
    &s2_daemon::DH209,
    &s2_daemon::DH210,
    &s2_daemon::DH211,
    &s2_daemon::DH212,
    &s2_daemon::DH213,
    &s2_daemon::DH214,
    &s2_daemon::DH215,
    &s2_daemon::DH216,
    &s2_daemon::DH217,
    &s2_daemon::DH218,
    &s3_files::DH301,
    &s3_files::DH302,
    &s3_files::DH303,
    &s3_files::DH304,
    &s3_files::DH305,
    &s3_files::DH306,
    &s3_files::DH307,
    &s3_files::DH308,
    &s3_files::DH309,
    &s3_files::DH310,
    &s3_files::DH311,
    &s3_files::DH312,
    &s3_files::DH313,
    &s3_files::DH314,
    &s3_files::DH315,
    &s3_files::DH316,
    &s3_files::DH317,
    &s3_files::DH318,
    &s3_files::DH319,
    &s3_files::DH320,
    &s3_files::DH321,
    &s3_files::DH322,
    &s3_files::DH323,
    &s3_files::DH324,
];
