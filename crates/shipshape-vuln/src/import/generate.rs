//! Generated OSV records for benchmarks: deterministic for a seed, shaped
//! like real feeds (one to three affected packages of one ecosystem,
//! ranges, aliases, CVSS severity, references, a few version lists).

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::json;

use super::Builder;
use crate::db::DbError;
use crate::osv::{Affected, Event, Package, Range, RangeKind, Record, Reference, Severity};

/// The ecosystems generated packages belong to, in turn.
const ECOSYSTEMS: [&str; 8] = [
    "PyPI",
    "npm",
    "Go",
    "crates.io",
    "Maven",
    "Debian:12",
    "Alpine:v3.20",
    "Ubuntu:22.04:LTS",
];

/// Package `index` of the generated data: its ecosystem and name. A
/// database made by [`generate_benchmark_db`] with `packages` packages has
/// advisories for packages `0..packages`, more for low indexes.
pub fn benchmark_package(index: usize) -> (&'static str, String) {
    let ecosystem = ECOSYSTEMS
        .get(index % ECOSYSTEMS.len())
        .copied()
        .unwrap_or("PyPI");
    let name = match ecosystem {
        "Go" => format!("example.com/org{}/mod{index}", index % 97),
        "Maven" => format!("org.example{}:artifact-{index}", index % 89),
        _ => format!("pkg-{index}"),
    };
    (ecosystem, name)
}

/// Writes a database of `advisories` generated records over `packages`
/// packages (see [`benchmark_package`]) to `path`, replacing any file
/// there. The same arguments give the same database.
pub fn generate_benchmark_db(
    path: &Path,
    advisories: usize,
    packages: usize,
    seed: u64,
) -> Result<PathBuf, DbError> {
    let mut builder = Builder::create(path, false)?;
    builder.store_records(
        generate_records(advisories, packages, seed),
        &format!("generated: {advisories} advisories, {packages} packages, seed {seed}"),
    )?;
    builder.finish()
}

/// Writes records to a zip archive as osv.dev lays out `all.zip`: one
/// `{id}.json` entry each, deflated.
pub fn write_records_zip(
    path: &Path,
    records: impl Iterator<Item = Record>,
) -> std::io::Result<()> {
    let file = std::fs::File::create(path)?;
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for record in records {
        zip.start_file(format!("{}.json", record.id), options)
            .map_err(std::io::Error::other)?;
        let bytes = serde_json::to_vec_pretty(&record).map_err(std::io::Error::other)?;
        zip.write_all(&bytes)?;
    }
    zip.finish().map_err(std::io::Error::other)?.flush()
}

/// `count` generated records over `packages` packages.
pub fn generate_records(count: usize, packages: usize, seed: u64) -> impl Iterator<Item = Record> {
    let packages = packages.max(1);
    let mut rng = Rng(seed ^ 0x005e_ed0f_ad71_5021);
    (0..count).map(move |i| record(&mut rng, i, packages))
}

/// splitmix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let i = usize::try_from(self.below(items.len() as u64)).unwrap_or(0);
        items.get(i).copied().unwrap_or_default()
    }
}

const WORDS: [&str; 24] = [
    "buffer",
    "overflow",
    "in",
    "parser",
    "allows",
    "remote",
    "attackers",
    "to",
    "cause",
    "denial",
    "of",
    "service",
    "via",
    "crafted",
    "input",
    "when",
    "handling",
    "headers",
    "leading",
    "memory",
    "corruption",
    "and",
    "possible",
    "execution",
];

fn sentence(rng: &mut Rng, words: u64) -> String {
    (0..words)
        .map(|_| rng.pick(&WORDS))
        .collect::<Vec<_>>()
        .join(" ")
}

fn version(rng: &mut Rng, ecosystem: &str, major: u64) -> String {
    let (minor, patch) = (rng.below(20), rng.below(30));
    match ecosystem {
        "Debian:12" => format!(
            "{major}.{minor}.{patch}-{}+deb12u{}",
            1 + rng.below(4),
            1 + rng.below(5)
        ),
        "Alpine:v3.20" => format!("{major}.{minor}.{patch}-r{}", rng.below(10)),
        "Ubuntu:22.04:LTS" => format!(
            "{major}.{minor}.{patch}-{}ubuntu{}",
            1 + rng.below(4),
            1 + rng.below(3)
        ),
        _ => format!("{major}.{minor}.{patch}"),
    }
}

fn timestamp(rng: &mut Rng) -> String {
    format!(
        "{}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        2015 + rng.below(11),
        1 + rng.below(12),
        1 + rng.below(28),
        rng.below(24),
        rng.below(60),
        rng.below(60)
    )
}

fn record(rng: &mut Rng, i: usize, packages: usize) -> Record {
    let n = packages as u64;
    // A quarter of the advisories go to the first 1% of packages, as real
    // feeds pile advisories on a few packages (kernels, browsers).
    let hot = (n / 100).max(1);
    let first = if rng.below(4) == 0 {
        rng.below(hot)
    } else {
        rng.below(n)
    };
    let stride = ECOSYSTEMS.len() as u64;
    let (ecosystem, _) = benchmark_package(usize::try_from(first).unwrap_or(0));
    let year = 2015 + rng.below(11);
    let cve = format!("CVE-{year}-{}", 10_000 + i);
    let id = match ecosystem {
        "PyPI" => format!("PYSEC-{year}-{i}"),
        "Go" => format!("GO-{year}-{i}"),
        "crates.io" => format!("RUSTSEC-{year}-{i:04}"),
        "Debian:12" => format!("DEBIAN-{cve}"),
        "Alpine:v3.20" => format!("ALPINE-{cve}"),
        "Ubuntu:22.04:LTS" => format!("UBUNTU-{cve}"),
        _ => format!(
            "GHSA-{:04x}-{:04x}-{:04x}",
            rng.below(1 << 16),
            (i >> 16) & 0xffff,
            i & 0xffff
        ),
    };
    let count = 1 + rng.below(3);
    let kind = match ecosystem {
        "npm" | "crates.io" | "Go" => RangeKind::Semver,
        _ => RangeKind::Ecosystem,
    };
    let affected = (0..count)
        .map(|k| {
            let p = (first + k * stride * (1 + rng.below(50))) % n;
            // Keep every entry in the record's ecosystem.
            let p = p - p % stride + first % stride;
            let p = if p >= n { first } else { p };
            let (_, name) = benchmark_package(usize::try_from(p).unwrap_or(0));
            let ranges = (0..1 + rng.below(2))
                .map(|r| {
                    let introduced = if r == 0 && rng.below(2) == 0 {
                        "0".to_string()
                    } else {
                        version(rng, ecosystem, 1 + r)
                    };
                    let mut events = vec![Event::Introduced(introduced)];
                    if rng.below(8) != 0 {
                        events.push(Event::Fixed(version(rng, ecosystem, 2 + r)));
                    }
                    Range {
                        kind: kind.clone(),
                        repo: None,
                        events,
                        database_specific: None,
                    }
                })
                .collect();
            let versions = if ecosystem == "PyPI" && rng.below(2) == 0 {
                (0..5 + rng.below(15))
                    .map(|_| version(rng, ecosystem, 1))
                    .collect()
            } else {
                Vec::new()
            };
            Affected {
                package: Some(Package {
                    ecosystem: ecosystem.to_string(),
                    name,
                    purl: None,
                }),
                severity: Vec::new(),
                ranges,
                versions,
                ecosystem_specific: None,
                database_specific: (rng.below(3) == 0).then(
                    || json!({"source": format!("https://example.org/advisories/{id}.json")}),
                ),
            }
        })
        .collect();
    let av = rng.pick(&["N", "A", "L"]);
    let cia = |rng: &mut Rng| rng.pick(&["N", "L", "H"]);
    let vector = format!(
        "CVSS:3.1/AV:{av}/AC:L/PR:N/UI:{}/S:U/C:{}/I:{}/A:{}",
        rng.pick(&["N", "R"]),
        cia(rng),
        cia(rng),
        cia(rng)
    );
    let references = (0..2 + rng.below(4))
        .map(|r| Reference {
            kind: if r == 0 { "ADVISORY" } else { "WEB" }.to_string(),
            url: format!("https://example.org/{id}/ref-{r}"),
        })
        .collect();
    let published = timestamp(rng);
    let summary_words = 6 + rng.below(6);
    let details_words = 40 + rng.below(80);
    Record {
        schema_version: Some("1.6.0".to_string()),
        id,
        modified: Some(published.clone()),
        published: Some(published),
        withdrawn: None,
        aliases: vec![cve],
        related: Vec::new(),
        upstream: Vec::new(),
        summary: Some(sentence(rng, summary_words)),
        details: Some(sentence(rng, details_words)),
        severity: vec![Severity {
            kind: "CVSS_V3".to_string(),
            score: vector,
        }],
        affected,
        references,
        credits: Vec::new(),
        database_specific: Some(
            json!({"severity": rng.pick(&["LOW", "MODERATE", "HIGH", "CRITICAL"])}),
        ),
    }
}
