#!/usr/bin/env python3
"""Times `shipshape config` against checkov on the same Kubernetes
manifests, in one run, and compares what each flags.

Installs checkov from PyPI into compare/.venv-checkov, builds shipshape in
release mode, then runs each tool over the whole directory (one process,
as a CI step would) for several rounds and reports the median wall time
and the peak RSS (from /usr/bin/time). It then compares, for the checks
both tools have, which files each flags.

Usage: compare/compare_checkov.py [--rounds N] [DIR]
DIR defaults to ../shared/data/k8s.
"""

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import venv
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "compare" / ".venv-checkov"
CHECKOV_VERSION = "3.3.30"

# checkov check -> the shipshape rules that check the same thing.
PAIRS = {
    "CKV_K8S_16": ["RT001"],  # privileged
    "CKV_K8S_19": ["RT008"],  # host network
    "CKV_K8S_17": ["RT009"],  # host PID
    "CKV_K8S_18": ["RT010"],  # host IPC
    "CKV_K8S_27": ["RT013"],  # Docker socket
    "CKV_K8S_25": ["RT002", "RT003"],  # capabilities added
    "CKV_K8S_20": ["RT005"],  # allowPrivilegeEscalation
    "CKV_K8S_23": ["DF021", "DF020"],  # root
    "CKV_K8S_22": ["RT007"],  # read-only root file system
    "CKV_K8S_37": ["RT004"],  # capabilities not dropped
    "CKV_K8S_31": ["RT018", "RT017"],  # seccomp
    "CKV_K8S_13": ["RT021"],  # memory limit
    "CKV_K8S_11": ["RT022"],  # CPU limit
    "CKV_K8S_12": ["RT024"],  # memory request
    "CKV_K8S_10": ["RT024"],  # CPU request
    "CKV_K8S_26": ["RT028"],  # hostPort
    "CKV_K8S_14": ["RT031"],  # latest / untagged
    "CKV_K8S_43": ["RT032"],  # digest
    "CKV_K8S_38": ["RT034"],  # service account token
}


def setup():
    checkov = VENV / "bin" / "checkov"
    if not checkov.exists():
        venv.create(VENV, with_pip=True)
        subprocess.run(
            [str(VENV / "bin" / "pip"), "install", "-q", f"checkov=={CHECKOV_VERSION}"],
            check=True,
        )
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "shipshape"], cwd=ROOT, check=True)
    return str(checkov), str(ROOT / "target" / "release" / "shipshape")


def timed(cmd, out_path):
    """Wall seconds and peak RSS (MiB) of one run; stdout to out_path."""
    with tempfile.NamedTemporaryFile("r") as t, open(out_path, "w") as out:
        start = os.times().elapsed
        subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", t.name, *cmd],
            stdout=out,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "LOG_LEVEL": "ERROR"},
        )
        wall = os.times().elapsed - start
        rss_kib = int(t.read().strip().splitlines()[-1])
    return wall, rss_kib / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("dir", nargs="?", default=str(ROOT.parent / "shared" / "data" / "k8s"))
    args = ap.parse_args()
    target = Path(args.dir).resolve()
    checkov, shipshape = setup()
    files = sorted(p for p in target.rglob("*") if p.suffix in (".yaml", ".yml"))
    print(f"{len(files)} YAML files under {target}")

    tools = {
        "shipshape": [shipshape, "config", "--no-build", "--format", "json", str(target)],
        "checkov": [checkov, "-d", str(target), "--framework", "kubernetes", "--quiet",
                    "--compact", "-o", "json", "--skip-download"],
    }
    out = {name: Path(tempfile.gettempdir()) / f"bench-{name}.json" for name in tools}
    results = defaultdict(list)
    for _ in range(args.rounds):
        for name, cmd in tools.items():
            results[name].append(timed(cmd, out[name]))
    print(f"\n{'tool':<10} {'median wall':>12} {'peak RSS':>10}   (over {args.rounds} rounds)")
    for name, runs in results.items():
        wall = statistics.median(w for w, _ in runs)
        rss = max(r for _, r in runs)
        print(f"{name:<10} {wall:>10.3f} s {rss:>7.1f} MiB")
    s_wall = statistics.median(w for w, _ in results["shipshape"])
    c_wall = statistics.median(w for w, _ in results["checkov"])
    print(f"shipshape is {c_wall / s_wall:.1f}x faster")

    # Which files each flags, per shared check.
    ours = defaultdict(set)
    for t in json.loads(out["shipshape"].read_text())["targets"]:
        for f in t["findings"]:
            ours[f["rule"]].add(str(Path(t["name"]).resolve()))
    theirs = defaultdict(set)
    report = json.loads(out["checkov"].read_text())
    for r in report if isinstance(report, list) else [report]:
        for f in r["results"]["failed_checks"]:
            theirs[f["check_id"]].add(str(Path(f["file_abs_path"]).resolve()))
    print(f"\n{'checkov':<11} {'shipshape':<13} {'both':>5} {'checkov only':>13} {'shipshape only':>15}")
    missed = []
    for ckv, rules in PAIRS.items():
        a = theirs.get(ckv, set())
        b = set().union(*(ours.get(r, set()) for r in rules))
        print(f"{ckv:<11} {'+'.join(rules):<13} {len(a & b):>5} {len(a - b):>13} {len(b - a):>15}")
        missed += [(ckv, p) for p in sorted(a - b)]
    for ckv, p in missed:
        print(f"  checkov only: {ckv} {os.path.relpath(p, target)}")


if __name__ == "__main__":
    main()
