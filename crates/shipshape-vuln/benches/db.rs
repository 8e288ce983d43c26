//! The advisory database's two costs that users feel: importing a large
//! OSV archive (target: 100,000 records in under 30 s) and looking up the
//! candidates of ~1,000 installed packages in a database of 200,000
//! advisories (the matcher's budget is 50 ms in all).
//!
//! `SHIPSHAPE_BENCH_RECORDS` changes the import size (default 100,000).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use shipshape_vuln::db::Db;
use shipshape_vuln::import::{Builder, generate_records, write_records_zip};
use shipshape_vuln::{benchmark_package, generate_benchmark_db};

fn import(c: &mut Criterion) {
    let records: usize = std::env::var("SHIPSHAPE_BENCH_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let archive = dir.path().join("all.zip");
    let started = Instant::now();
    write_records_zip(&archive, generate_records(records, records / 5, 1)).expect("written");
    eprintln!(
        "generated {records} records into {} ({} bytes) in {:.1?}",
        archive.display(),
        std::fs::metadata(&archive).map_or(0, |m| m.len()),
        started.elapsed()
    );
    let target = dir.path().join("advisories.db");
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(60));
    group.bench_function(format!("osv_zip_{records}"), |b| {
        b.iter(|| {
            let mut builder = Builder::create(&target, false).expect("created");
            let summary = builder.import_path(&archive).expect("imported");
            assert_eq!(
                summary.records as usize,
                records,
                "{:?}",
                summary.skipped.first()
            );
            builder.finish().expect("finished")
        })
    });
    group.finish();
}

fn lookup(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("advisories.db");
    let (advisories, packages) = (200_000, 50_000);
    let started = Instant::now();
    generate_benchmark_db(&path, advisories, packages, 7).expect("generated");
    eprintln!(
        "generated a database of {advisories} advisories over {packages} packages ({} bytes) in {:.1?}",
        std::fs::metadata(&path).map_or(0, |m| m.len()),
        started.elapsed()
    );
    let db = Db::open(&path).expect("opens");
    // 1,000 installed packages: a few with many advisories (low
    // indexes), most with few or none.
    let installed: Vec<(&str, String)> = (0..1000)
        .map(|i| benchmark_package(if i < 50 { i } else { i * 97 % (packages * 2) }))
        .collect();
    let found: usize = installed
        .iter()
        .map(|(e, p)| db.candidates(e, p).expect("read").len())
        .sum();
    eprintln!("1,000 lookups find {found} candidate entries");
    let mut group = c.benchmark_group("lookup");
    group.bench_function("candidates_1000_packages_200k_advisories", |b| {
        b.iter(|| {
            let mut n = 0;
            for (ecosystem, package) in &installed {
                n += db.candidates(ecosystem, package).expect("read").len();
            }
            black_box(n)
        })
    });
    group.finish();
}

criterion_group!(benches, import, lookup);
criterion_main!(benches);
