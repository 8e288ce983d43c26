#!/usr/bin/env python3
"""Compares the findings of two builds of shipshape on the same inputs.

Builds the old revision (default: the commit before HEAD) in a temporary
git worktree, uses the working tree's release build as the new one, runs
both on every input and prints, per command, what changed: findings by
rule (id, count before and after) and the findings only one side has
(rule, place, severity), after pairing the findings of a rule merged into
another (its old id now an alias of the new rule's) at the same place, which
are listed as renamed. Used before and after a change that should keep
behaviour, so that any difference is seen and explained.

Inputs: the bundled examples, the shared corpora (../shared/data:
Dockerfiles, compose files, Kubernetes manifests) where present, and any
`--image TAR` (a `docker save` archive) or `--fs DIR` given.

Usage: compare/diff_reports.py [--old REV] [--image TAR]... [--fs DIR]...
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"


def sh(*args, **kw):
    return subprocess.run(args, check=True, **kw)


def build_old(rev, work):
    tree = work / "tree"
    sh("git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), rev)
    target = Path(os.environ.get("DIFF_OLD_TARGET", work / "target"))
    sh("cargo", "build", "--release", "-q", "-p", "shipshape", cwd=tree,
       env={**os.environ, "CARGO_TARGET_DIR": str(target)})
    return tree, target / "release" / "shipshape"


def runs():
    """(label, shipshape arguments) for every input present."""
    out = [
        ("dockerfile examples", ["dockerfile", "examples"]),
        ("config examples", ["config", "examples/manifests"]),
    ]
    for sub, command in [("dockerfiles", "dockerfile"), ("compose", "config"), ("k8s", "config")]:
        if (SHARED / sub).is_dir():
            out.append((f"{command} shared/{sub}", [command, str(SHARED / sub)]))
    return out


def findings(binary, args):
    proc = subprocess.run([str(binary)] + args + ["--format", "json", "--fail-on", "none"],
                          cwd=ROOT, capture_output=True, text=True)
    if not proc.stdout.strip():
        return None, proc.stderr.strip()
    doc = json.loads(proc.stdout)
    found = Counter()
    for target in doc["targets"]:
        for f in target["findings"]:
            loc = f["location"]
            where = loc.get("path") or loc.get("image") or loc.get("container") or loc.get("subject")
            if "region" in loc:
                where = f"{where}:{loc['region']['start']['line']}:{loc['region']['start']['column']}"
            for key in ("layer", "field", "line"):
                if key in loc:
                    where = f"{where} {key}={loc[key]}"
            found[(f["rule"], where, f["severity"])] += 1
    return found, None


def aliases(binary):
    """Each rule id of `binary` with the ids and names that answer to it."""
    proc = subprocess.run([str(binary), "rules", "--format", "json"], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return {r["id"]: {r["id"], r["name"], *r.get("aliases", [])} for r in json.loads(proc.stdout)}


def renamed(old, new, names):
    """Pairs each finding only the old build has with one only the new build
    has at the same place, where the old rule's id is now an alias of the new
    rule (a rule merged into another): removes both and counts the pair by
    (old id, new id, old severity, new severity)."""
    gone, added = old - new, new - old
    pairs = Counter()
    for (rule, where, sev), n in sorted(gone.items()):
        for key in sorted(added):
            new_rule, new_where, new_sev = key
            if new_where == where and rule in names.get(new_rule, ()) and added[key] > 0:
                k = min(n, added[key])
                pairs[(rule, new_rule, sev, new_sev)] += k
                added[key] -= k
                gone[(rule, where, sev)] -= k
                n -= k
                if n == 0:
                    break
    return +gone, +added, pairs


def compare(label, old, new, names):
    if old == new:
        print(f"{label}: same {sum(new.values())} findings")
        return True
    gone, added, pairs = renamed(old, new, names)
    if not gone and not added:
        print(f"{label}: same {sum(new.values())} findings at the same places; renamed:")
        for (was, now, sev, new_sev), n in sorted(pairs.items()):
            change = f", {sev} -> {new_sev}" if sev != new_sev else ""
            print(f"  {was} -> {now} ({n}{change})")
        return True
    print(f"{label}: {sum(old.values())} findings before, {sum(new.values())} after")
    for (was, now, sev, new_sev), n in sorted(pairs.items()):
        change = f", {sev} -> {new_sev}" if sev != new_sev else ""
        print(f"  renamed {was} -> {now} ({n}{change})")
    by_rule_old = Counter()
    by_rule_new = Counter()
    for (rule, _, _), n in old.items():
        by_rule_old[rule] += n
    for (rule, _, _), n in new.items():
        by_rule_new[rule] += n
    for rule in sorted(set(by_rule_old) | set(by_rule_new)):
        if by_rule_old[rule] != by_rule_new[rule]:
            print(f"  {rule}: {by_rule_old[rule]} -> {by_rule_new[rule]}")
    for sign, diff in (("-", gone), ("+", added)):
        for (rule, where, sev), n in sorted(diff.items())[:15]:
            print(f"  {sign} {rule} {sev} {where}" + (f" x{n}" if n > 1 else ""))
        if len(diff) > 15:
            print(f"  {sign} ... {len(diff) - 15} more")
    return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", default="HEAD~1")
    ap.add_argument("--image", action="append", default=[])
    ap.add_argument("--fs", action="append", default=[])
    args = ap.parse_args()
    sh("cargo", "build", "--release", "-q", "-p", "shipshape", cwd=ROOT)
    new_bin = ROOT / "target" / "release" / "shipshape"
    todo = runs()
    todo += [(f"image {t}", ["image", "--input", t]) for t in args.image]
    todo += [(f"fs {d}", ["fs", d]) for d in args.fs]
    work = Path(tempfile.mkdtemp(prefix="shipshape-diff-"))
    tree = None
    try:
        tree, old_bin = build_old(args.old, work)
        old_rev = subprocess.run(["git", "-C", str(tree), "rev-parse", "--short", "HEAD"],
                                 capture_output=True, text=True).stdout.strip()
        print(f"old: {args.old} ({old_rev}); new: the working tree")
        names = aliases(new_bin)
        same = True
        for label, argv in todo:
            old, old_err = findings(old_bin, argv)
            new, new_err = findings(new_bin, argv)
            if old is None or new is None:
                print(f"{label}: no report (old: {old_err!r}, new: {new_err!r})")
                same = False
                continue
            same &= compare(label, old, new, names)
        return 0 if same else 1
    finally:
        if tree is not None:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)])


if __name__ == "__main__":
    sys.exit(main())
