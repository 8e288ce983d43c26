//! Matching 1,000 installed packages against a database of 200,000
//! generated advisories (the database is built once, before timing).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use shipshape_core::inventory::{Found, Inventory, Os, Package};
use shipshape_vuln::db::Db;
use shipshape_vuln::matcher::{match_inventory, match_inventory_parallel};
use shipshape_vuln::{benchmark_package, generate_benchmark_db};

const ADVISORIES: usize = 200_000;
const PACKAGES: usize = 50_000;
const INSTALLED: usize = 1_000;

/// 1,000 of the generated packages, spread over all of them (so a few of
/// the heavily advised ones are among them, as a real system has a few),
/// as a Debian 12 system with language packages would list them.
fn inventory() -> Inventory {
    let mut packages = Vec::new();
    let mut step = 0;
    while packages.len() < INSTALLED && step < PACKAGES {
        let index = step * 13 % PACKAGES;
        step += 1;
        let (ecosystem, name) = benchmark_package(index);
        // Installed versions spread over the generated ones (majors 1 to
        // 4), so that some advisories affect them and most do not.
        let plain = format!("{}.{}.{}", 1 + index % 4, index % 20, index % 30);
        let (kind, version) = match ecosystem {
            "PyPI" => ("pypi", plain),
            "npm" => ("npm", plain),
            "Go" => ("golang", format!("v{plain}")),
            "crates.io" => ("cargo", plain),
            "Maven" => ("maven", plain),
            "Debian:12" => ("deb", format!("{plain}-1")),
            _ => continue,
        };
        packages.push(Package {
            name: name.clone(),
            version: version.clone(),
            ecosystem: kind,
            arch: None,
            source_name: (kind == "deb").then(|| name.clone()),
            source_version: (kind == "deb").then(|| version.clone()),
            purl: format!("pkg:{kind}/{name}@{version}"),
            licenses: Vec::new(),
            found: Found {
                layer: Some(0),
                path: "/".into(),
            },
        });
    }
    Inventory {
        os: Some(Os {
            id: "debian".into(),
            version: Some("12".into()),
            codename: Some("bookworm".into()),
            pretty_name: None,
        }),
        packages,
        problems: Vec::new(),
    }
}

fn matching(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bench.db");
    generate_benchmark_db(&path, ADVISORIES, PACKAGES, 7).expect("generate");
    let db = Db::open(&path).expect("open");
    let inventory = inventory();
    let found = match_inventory(&inventory, &db).expect("match");
    eprintln!(
        "{} packages against {ADVISORIES} advisories: {} vulnerabilities",
        inventory.packages.len(),
        found.vulnerabilities.len()
    );
    let mut group = c.benchmark_group("matching");
    group.sample_size(20);
    group.bench_function("1000 packages, 200000 advisories", |b| {
        b.iter(|| match_inventory(black_box(&inventory), &db).expect("match"))
    });
    // As the CLI runs it: one connection per thread, both cores.
    group.bench_function("1000 packages, 200000 advisories, 2 threads", |b| {
        b.iter(|| {
            match_inventory_parallel(black_box(&inventory), 2, || Db::open(&path)).expect("match")
        })
    });
    // The same, without the time to free the findings afterwards.
    group.bench_function(
        "1000 packages, 200000 advisories, 2 threads, findings not freed",
        |b| {
            b.iter_with_large_drop(|| {
                match_inventory_parallel(black_box(&inventory), 2, || Db::open(&path))
                    .expect("match")
            })
        },
    );
    group.finish();
}

criterion_group!(benches, matching);
criterion_main!(benches);
