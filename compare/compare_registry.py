#!/usr/bin/env python3
"""Pulls and audits the planted Debian image from a local registry, beside
the tools that do part of the job, in one run.

Starts Debian's docker-registry (distribution 2.8) on a free port of
127.0.0.1 with a temporary storage, pushes compare/out/bookworm-planted.tar
(made by compare/compare_trivy_image.py) with skopeo, then times, round after
round, the same reference:

  skopeo copy docker://REF dir:TMP          (the pull alone, to disk)
  shipshape image --source registry REF     (pull and the whole audit)
  trivy image REF  TRIVY_FLAGS              (pull and trivy's audit)
  trivy image REF  TRIVY_FLAGS --skip-files SAME_FILES

All over plain HTTP on loopback (--src-tls-verify=false, --insecure). trivy
runs with the flags of compare_trivy_image.py (nothing fetched but the
image); the network namespace trick of that script is not used here, since
the registry is on loopback. Medians are printed, and whether shipshape
reports from the registry exactly what it reports from the archive.

Usage: compare/compare_registry.py [--rounds N]   (needs docker-registry, skopeo;
       target/release/shipshape built; trivy from compare_trivy_image.py's venv)
"""

import argparse
import json
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from compare_trivy_image import OUT, ROOT, SAME_FILES, TRIVY_FLAGS, trivy

SHIPSHAPE = ROOT / "target" / "release" / "shipshape"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def registry(work):
    port = free_port()
    config = work / "config.yml"
    config.write_text(
        f"version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {work / 'storage'}\n"
        f"http:\n  addr: 127.0.0.1:{port}\n  secret: compare\n")
    proc = subprocess.Popen(["docker-registry", "serve", str(config)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return proc, f"127.0.0.1:{port}"
        except OSError:
            time.sleep(0.05)
    raise SystemExit("the registry did not start")


def timed(cmd, out=subprocess.DEVNULL):
    start = time.perf_counter()
    p = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE, text=True)
    took = time.perf_counter() - start
    if p.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} exited {p.returncode}:\n{p.stderr}")
    return took


def places(path):
    doc = json.loads(Path(path).read_text())
    return sorted((f["rule"], f["location"].get("path") or f["location"].get("field") or "",
                   f["location"].get("line") or 0)
                  for t in doc["targets"] for f in t["findings"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    archive = OUT / "bookworm-planted.tar"
    if not archive.exists():
        raise SystemExit(f"{archive} is missing: run compare/compare_trivy_image.py first")
    trivy_exe = trivy()
    work = Path(tempfile.mkdtemp(prefix="shipshape-compare-registry-"))
    proc, host = registry(work)
    try:
        ref = f"{host}/bookworm-planted:1"
        subprocess.run(["skopeo", "copy", "-q", "--dest-tls-verify=false",
                        f"docker-archive:{archive}", f"docker://{ref}"], check=True)
        ours = [str(SHIPSHAPE), "image", "--source", "registry", "--insecure", ref,
                "-q", "--format", "json", "--fail-on", "none"]
        theirs = [trivy_exe, "image", "--insecure", "--image-src", "remote", ref] + TRIVY_FLAGS
        times = {k: [] for k in ("skopeo", "shipshape", "trivy", "trivy_same")}
        for _ in range(args.rounds):
            target = work / "copy"
            shutil.rmtree(target, ignore_errors=True)
            times["skopeo"].append(timed(["skopeo", "copy", "-q", "--src-tls-verify=false",
                                          f"docker://{ref}", f"dir:{target}"]))
            with open(work / "ours.json", "w") as f:
                times["shipshape"].append(timed(ours, f))
            cache = tempfile.mkdtemp(prefix="trivy-cache-")
            times["trivy"].append(timed(theirs + ["--cache-dir", cache]))
            shutil.rmtree(cache, ignore_errors=True)
            cache = tempfile.mkdtemp(prefix="trivy-cache-")
            times["trivy_same"].append(timed(theirs + SAME_FILES + ["--cache-dir", cache]))
            shutil.rmtree(cache, ignore_errors=True)
        with open(work / "local.json", "w") as f:
            subprocess.run([str(SHIPSHAPE), "image", "--input", str(archive), "-q", "--format", "json",
                            "--fail-on", "none"], stdout=f, check=True)
        med = {k: statistics.median(v) for k, v in times.items()}
        size = archive.stat().st_size / (1 << 20)
        print(f"planted image ({size:.0f} MiB) from a local registry, {args.rounds} rounds, medians:")
        print(f"skopeo copy to dir (pull only):        {med['skopeo']:8.3f} s")
        print(f"shipshape image (pull and audit):      {med['shipshape']:8.3f} s"
              f"  ({med['shipshape'] / med['skopeo']:.2f}x skopeo's copy)")
        print(f"trivy image:                           {med['trivy']:8.3f} s"
              f"  ({med['trivy'] / med['shipshape']:.1f}x shipshape)")
        print(f"trivy image, same files as shipshape:  {med['trivy_same']:8.3f} s"
              f"  ({med['trivy_same'] / med['shipshape']:.1f}x shipshape)")
        same = places(work / "ours.json") == places(work / "local.json")
        print(f"shipshape's findings from the registry and from the archive are the same: {'yes' if same else 'NO'}")
        return 0 if same else 1
    finally:
        proc.kill()
        proc.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
