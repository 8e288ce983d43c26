//! Cost of comparing parsed versions (the matcher's hot path) and of
//! parsing, per ecosystem, on realistic version strings.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use shipshape_versions::{Ecosystem, parse};

fn samples(eco: Ecosystem) -> &'static [&'static str] {
    match eco {
        Ecosystem::Dpkg => &[
            "1:2.36.1-8+deb12u1",
            "2.36.1-8",
            "3.0.11-1~deb12u2",
            "1.2.13.dfsg-1",
            "252.22-1~deb12u1",
        ],
        Ecosystem::Apk => &[
            "3.1.4-r5",
            "1.36.1-r15",
            "2.4.48_p1-r0",
            "1.2.13_rc1-r1",
            "8.5.0-r0",
        ],
        Ecosystem::Rpm => &[
            "1:3.0.7-27.el9",
            "3.0.7-24.el9",
            "2.34-100.el9_4.2",
            "1.2.11-40.el9",
            "5.1.8-6.el9",
        ],
        Ecosystem::Semver => &[
            "4.17.21",
            "1.0.0-rc.1",
            "2.3.4+build.7",
            "10.2.0",
            "1.0.0-alpha.beta",
        ],
        Ecosystem::Pep440 => &[
            "2.31.0",
            "1.26.0rc1",
            "3.0.0.post1",
            "2.0.dev3",
            "1.0+local.7",
        ],
        Ecosystem::Go => &[
            "v0.17.0",
            "v0.0.0-20191109021931-daa7c04131f5",
            "v2.1.0+incompatible",
            "v1.2.4-0.20200101000000-abcdef123456",
            "v1.59.0",
        ],
        Ecosystem::GoToolchain => &["go1.21.5", "go1.21rc2", "go1.20", "go1.22.0", "go1.19.13"],
        Ecosystem::Maven => &[
            "2.15.2",
            "1.0-SNAPSHOT",
            "5.3.27.RELEASE",
            "2.0.0-M1",
            "1.2.3-rc1",
        ],
        Ecosystem::RubyGems => &["7.0.8", "1.15.4", "6.1.7.3", "2.0.0.rc1", "3.2.0.beta.2"],
    }
}

fn bench(c: &mut Criterion) {
    for eco in Ecosystem::ALL {
        let parsed: Vec<_> = samples(eco)
            .iter()
            .map(|s| parse(eco, s).expect("sample parses"))
            .collect();
        c.bench_function(&format!("compare/{eco}"), |b| {
            b.iter(|| {
                for x in &parsed {
                    for y in &parsed {
                        black_box(black_box(x).compare(black_box(y)));
                    }
                }
            })
        });
        c.bench_function(&format!("parse/{eco}"), |b| {
            b.iter(|| {
                for s in samples(eco) {
                    let _ = black_box(parse(eco, black_box(s)));
                }
            })
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
