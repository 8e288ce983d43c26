//! Any bytes as an rpm ndb database and a Berkeley DB hash database: the
//! page walkers never panic, and report at most a bounded list of
//! problems. Seeds: the fixtures in crates/shipshape-packages/tests/data/rpm
//! (`ndb/`, `bdb-512/`, `bdb-be/`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use shipshape_packages::rpm::{self, Format};

fuzz_target!(|data: &[u8]| {
    for format in [Format::Ndb, Format::Bdb] {
        let db = rpm::read(format, data);
        assert!(db.problems.len() <= 23);
        assert!(db.packages.len() <= data.len() / 16);
    }
});
