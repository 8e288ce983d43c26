//! Throughput of parse + lint, in process, on one core.
//!
//! Uses the real-world Dockerfiles in `../shared/data/dockerfiles` when
//! present (else the bundled examples), all rules enabled.

use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use shipshape_dockerfile::parse;
use shipshape_rules::dockerfile::{Options, lint};

fn corpus() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../../../shared/data/dockerfiles");
    let mut files = Vec::new();
    if shared.is_dir() {
        collect(&shared, &mut files);
    } else {
        collect(&root.join("../../examples"), &mut files);
    }
    files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter(|t| parse(t).is_ok())
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let p = entry.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("Dockerfile") && !n.ends_with(".template"))
        {
            out.push(p);
        }
    }
}

fn bench(c: &mut Criterion) {
    let files = corpus();
    let options = Options {
        trusted_registries: Vec::new(),
        dockerignore: Some(true),
        ..Options::default()
    };
    let mut group = c.benchmark_group("dockerfile");
    group.throughput(Throughput::Elements(files.len() as u64));
    group.bench_function(format!("parse {} files", files.len()), |b| {
        b.iter(|| {
            for f in &files {
                let _ = std::hint::black_box(parse(f));
            }
        })
    });
    group.bench_function(format!("parse+lint {} files", files.len()), |b| {
        b.iter(|| {
            for f in &files {
                if let Ok(file) = parse(f) {
                    std::hint::black_box(lint(&file, "Dockerfile", &options));
                }
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
