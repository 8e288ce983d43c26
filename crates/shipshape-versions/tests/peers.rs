//! Cross-checks against the real implementations on generated pairs:
//! dpkg (`dpkg --compare-versions`), PEP 440 (Python's `packaging`), RPM
//! (`rpm.labelCompare` from Debian's python3-rpm), RubyGems
//! (`Gem::Version`). Each skips with a message when its tool is missing,
//! and fails instead under `SHIPSHAPE_REQUIRE_PEERS=1`.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{Rng, assert_agree, json_str, missing, python_with, sign};
use shipshape_versions::{Ecosystem, compare};

const PAIRS: usize = 10_000;

/// Our verdict per pair: `<>=`, or `E` when either string is refused.
fn ours(eco: Ecosystem, pairs: &[(String, String)]) -> Vec<char> {
    pairs
        .iter()
        .map(|(a, b)| compare(eco, a, b).map_or('E', sign))
        .collect()
}

/// Pairs of strings from `one`, the second often a small edit of the
/// first.
fn pairs(
    count: usize,
    seed: u64,
    mut one: impl FnMut(&mut Rng) -> String,
    alphabet: &str,
    tails: &[&str],
) -> Vec<(String, String)> {
    let mut rng = Rng::new(seed);
    (0..count)
        .map(|_| {
            let a = one(&mut rng);
            let b = if rng.chance(65) {
                rng.mutate(&a, alphabet, tails)
            } else {
                one(&mut rng)
            };
            // Tools differ on what an empty string means; we refuse it.
            let fix = |s: String| if s.is_empty() { "0".to_owned() } else { s };
            let (a, b) = (fix(a), fix(b));
            if rng.chance(50) { (a, b) } else { (b, a) }
        })
        .collect()
}

/// Runs `script` with `python`, feeding `input`; one output character per
/// pair.
fn run_python(python: &str, script: &str, input: &str) -> Vec<char> {
    let mut child = Command::new(python)
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start python");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("python runs");
    writer.join().expect("writer").expect("write to python");
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim_end()
        .chars()
        .collect()
}

fn json_pairs(pairs: &[(String, String)]) -> String {
    let items: Vec<String> = pairs
        .iter()
        .map(|(a, b)| format!("[{},{}]", json_str(a), json_str(b)))
        .collect();
    format!("[{}]", items.join(","))
}

// ---------------------------------------------------------------- dpkg

const DPKG_ALPHABET: &str = "0123456789abcdezABZ.~+-:_ ";

fn dpkg_one(rng: &mut Rng) -> String {
    match rng.below(10) {
        0..=5 => {
            let mut s = String::new();
            if rng.chance(20) {
                s.push_str(&format!("{}:", rng.number()));
            }
            s.push_str(&rng.pieces(
                &[
                    "a", "b", "rc", "dfsg", "ubuntu", "deb", "z", "Z", "+really", "~",
                ],
                &[".", ".", "~", "+", "-", "", ":"],
                5,
            ));
            if rng.chance(60) {
                s.push('-');
                s.push_str(&rng.pieces(
                    &["ubuntu", "deb", "build", "~bpo", "+b"],
                    &[".", "+", "~", ""],
                    3,
                ));
            }
            s
        }
        _ => {
            let mut s = rng.chars(DPKG_ALPHABET, 10);
            // dpkg reads a leading '-' as an option.
            while s.starts_with('-') {
                s.remove(0);
            }
            if s.is_empty() { "0".into() } else { s }
        }
    }
}

/// `dpkg --compare-versions`, twice at most per pair (lt, then gt), in
/// two shell scripts run side by side.
fn dpkg_verdicts(pairs: &[(String, String)]) -> Vec<char> {
    let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
    let script = |chunk: &[(String, String)]| {
        let mut s = String::from(
            "c() { dpkg --compare-versions \"$1\" lt \"$2\" 2>/dev/null; r=$?\n\
            if [ $r = 0 ]; then echo '<'; elif [ $r = 1 ]; then\n\
            dpkg --compare-versions \"$1\" gt \"$2\" 2>/dev/null && echo '>' || echo '='\n\
            else echo E; fi; }\n",
        );
        for (a, b) in chunk {
            s.push_str(&format!("c {} {}\n", quote(a), quote(b)));
        }
        s
    };
    let half = pairs.len() / 2;
    let run = |chunk: &[(String, String)]| {
        let mut child = Command::new("sh")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start sh");
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(script(chunk).as_bytes())
            .expect("write script");
        drop(stdin);
        child
    };
    let (c1, c2) = (run(&pairs[..half]), run(&pairs[half..]));
    let mut out = Vec::new();
    for c in [c1, c2] {
        let o = c.wait_with_output().expect("sh runs");
        out.extend(
            String::from_utf8(o.stdout)
                .expect("utf-8")
                .lines()
                .map(|l| l.chars().next().unwrap_or('?')),
        );
    }
    out
}

#[test]
fn dpkg_agrees_with_dpkg_compare_versions() {
    if Command::new("dpkg").arg("--version").output().is_err() {
        missing("dpkg is not installed");
        return;
    }
    let mut pairs = pairs(
        PAIRS,
        0xdeb,
        dpkg_one,
        DPKG_ALPHABET,
        &["~", "0", ".0", "-1", "a", "+", "~~", ":"],
    );
    // dpkg reads a leading '-' as an option.
    for (a, b) in &mut pairs {
        for s in [a, b] {
            if s.starts_with('-') {
                s.insert(0, '0');
            }
        }
    }
    let theirs = dpkg_verdicts(&pairs);
    assert_agree("dpkg", &pairs, &ours(Ecosystem::Dpkg, &pairs), &theirs);
}

// --------------------------------------------------------------- PEP 440

const PEP440_ALPHABET: &str = "0123456789abcdeilnoprstvwACPRV.-_+! ";

fn pep440_one(rng: &mut Rng) -> String {
    match rng.below(10) {
        0..=6 => {
            let mut s = String::new();
            if rng.chance(10) {
                s.push(*rng.pick(&['v', 'V', ' ']));
            }
            if rng.chance(10) {
                s.push_str(&format!("{}!", rng.number()));
            }
            s.push_str(&rng.number());
            for _ in 0..rng.below(4) {
                s.push('.');
                s.push_str(&rng.number());
            }
            let seps = ["", ".", "-", "_"];
            if rng.chance(40) {
                s.push_str(rng.word(&seps));
                s.push_str(
                    rng.word(&["a", "b", "rc", "c", "alpha", "Beta", "pre", "preview", "RC"]),
                );
                s.push_str(rng.word(&seps));
                if rng.chance(70) {
                    s.push_str(&rng.number());
                }
            }
            if rng.chance(30) {
                if rng.chance(30) {
                    s.push_str(&format!("-{}", rng.number()));
                } else {
                    s.push_str(rng.word(&seps));
                    s.push_str(rng.word(&["post", "rev", "r", "POST"]));
                    s.push_str(rng.word(&seps));
                    if rng.chance(70) {
                        s.push_str(&rng.number());
                    }
                }
            }
            if rng.chance(30) {
                s.push_str(rng.word(&seps));
                s.push_str(rng.word(&["dev", "DEV"]));
                s.push_str(rng.word(&seps));
                if rng.chance(70) {
                    s.push_str(&rng.number());
                }
            }
            if rng.chance(20) {
                s.push('+');
                s.push_str(&rng.pieces(&["ubuntu", "abc", "Cpu", "local"], &[".", "-", "_"], 3));
            }
            if rng.chance(5) {
                s.push(*rng.pick(&[' ', '\t', '\n']));
            }
            s
        }
        _ => rng.chars(PEP440_ALPHABET, 12),
    }
}

const PEP440_SCRIPT: &str = r#"
import json, sys
from packaging.version import Version, InvalidVersion
out = []
for a, b in json.load(sys.stdin):
    try:
        x, y = Version(a), Version(b)
    except InvalidVersion:
        out.append("E")
        continue
    out.append("<" if x < y else ">" if x > y else "=")
print("".join(out))
"#;

#[test]
fn pep440_agrees_with_packaging() {
    let probe = "import packaging.version";
    let Some(python) = python_with(&["python3", "/usr/bin/python3", "python"], probe) else {
        missing("no python3 can import packaging (pip install packaging)");
        return;
    };
    let pairs = pairs(
        2 * PAIRS,
        0x440,
        pep440_one,
        PEP440_ALPHABET,
        &[".0", "a", ".post", ".dev0", "+1", "-1", "rc"],
    );
    let theirs = run_python(&python, PEP440_SCRIPT, &json_pairs(&pairs));
    assert_agree(
        "packaging",
        &pairs,
        &ours(Ecosystem::Pep440, &pairs),
        &theirs,
    );
}

// ------------------------------------------------------------------- RPM

const RPM_ALPHABET: &str = "0123456789abcxyzAZ.~^_+-:";

fn rpm_one(rng: &mut Rng) -> String {
    match rng.below(10) {
        0..=6 => {
            let mut s = String::new();
            if rng.chance(20) {
                s.push_str(&format!("{}:", rng.number()));
            }
            s.push_str(&rng.pieces(
                &["a", "rc", "git", "beta", "Z", "~rc", "^git"],
                &[".", ".", "~", "^", "_", "+", ""],
                5,
            ));
            if rng.chance(70) {
                s.push('-');
                s.push_str(&rng.pieces(
                    &["el", "fc", "el9_", "module+el8", "~"],
                    &[".", "_", "+", ""],
                    3,
                ));
            }
            s
        }
        _ => rng.chars(RPM_ALPHABET, 10),
    }
}

const RPM_SCRIPT: &str = r#"
import json, sys, rpm
out = []
for a, b in json.load(sys.stdin):
    x, y = rpm.ver(a), rpm.ver(b)
    r = rpm.labelCompare((x.e, x.v, x.r), (y.e, y.v, y.r))
    out.append("<" if r < 0 else ">" if r > 0 else "=")
print("".join(out))
"#;

#[test]
fn rpm_agrees_with_rpm_label_compare() {
    let probe = "import rpm; rpm.ver('1.0'); rpm.labelCompare";
    let Some(python) = python_with(&["/usr/bin/python3", "python3"], probe) else {
        missing("no python3 can import rpm (apt-get install python3-rpm)");
        return;
    };
    let mut pairs = pairs(
        PAIRS + PAIRS / 10,
        0x4b3,
        rpm_one,
        RPM_ALPHABET,
        &["~", "^", ".0", "-1", "a", ".", "~~"],
    );
    // rpm splits any string; pairs we refuse (an empty version part) are
    // checked to be exactly those, then left out of rpm's side.
    let refused = |s: &str| {
        let v = rpm_split(s);
        v.is_empty()
    };
    let ours_all = ours(Ecosystem::Rpm, &pairs);
    for ((a, b), o) in pairs.iter().zip(&ours_all) {
        assert_eq!(*o == 'E', refused(a) || refused(b), "{a:?} vs {b:?}");
    }
    pairs.retain(|(a, b)| !refused(a) && !refused(b));
    pairs.truncate(PAIRS);
    assert_eq!(pairs.len(), PAIRS);
    let theirs = run_python(&python, RPM_SCRIPT, &json_pairs(&pairs));
    assert_agree("rpm", &pairs, &ours(Ecosystem::Rpm, &pairs), &theirs);
}

/// The version part as rpm's `parseEVR` cuts it, to know which strings
/// we refuse for an empty version.
fn rpm_split(s: &str) -> String {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &s[digits..];
    let start = if rest.starts_with(':') { digits + 1 } else { 0 };
    let end = rest.rfind('-').map_or(s.len(), |h| digits + h);
    s.get(start..end.max(start)).unwrap_or_default().to_owned()
}

// -------------------------------------------------------------- RubyGems

const GEM_ALPHABET: &str = "0123456789abprcAZ.-";

fn gem_one(rng: &mut Rng) -> String {
    match rng.below(10) {
        0..=6 => {
            let mut s = rng.pieces(&["a", "b", "pre", "rc", "beta", "A", "z"], &["."], 5);
            if rng.chance(25) {
                s.push('-');
                s.push_str(&rng.pieces(&["a", "rc", "pre"], &[".", "-"], 2));
            }
            s
        }
        _ => rng.chars(GEM_ALPHABET, 10),
    }
}

const GEM_SCRIPT: &str = r#"
require "json"
require "rubygems"
out = JSON.parse($stdin.read).map do |a, b|
  if Gem::Version.correct?(a) && Gem::Version.correct?(b)
    r = Gem::Version.new(a) <=> Gem::Version.new(b)
    r < 0 ? "<" : r > 0 ? ">" : "="
  else
    "E"
  end
end
puts out.join
"#;

#[test]
fn rubygems_agrees_with_gem_version() {
    if Command::new("ruby").arg("--version").output().is_err() {
        missing("ruby is not installed (apt-get install ruby)");
        return;
    }
    let pairs = pairs(
        PAIRS,
        0x6e3,
        gem_one,
        GEM_ALPHABET,
        &[".0", ".a", "-1", ".pre", "0"],
    );
    let mut child = Command::new("ruby")
        .args(["-e", GEM_SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start ruby");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = json_pairs(&pairs);
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("ruby runs");
    writer.join().expect("writer").expect("write to ruby");
    assert!(
        out.status.success(),
        "ruby failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs: Vec<char> = String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim_end()
        .chars()
        .collect();
    assert_agree(
        "Gem::Version",
        &pairs,
        &ours(Ecosystem::RubyGems, &pairs),
        &theirs,
    );
}
