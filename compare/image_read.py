#!/usr/bin/env python3
"""Times reading a large generated image against `gzip -dc` of its layers.

Generates (once, cached in compare/out/) a `docker save` tarball of about
600 MB uncompressed in 6 gzip layers: files of mixed text and binary data
of varied sizes, as real layers have. Then, in the same run, times
`gzip -dc` of every layer blob to /dev/null (one process per layer, one
after another: the work of decompression alone) and `shipshape image
--input` on the tarball (which also checks every digest, walks the tar,
merges the layers and scans text files for secrets), each over several
rounds, and reports the medians and shipshape's peak RSS.

Usage: compare/image_read.py [--rounds N]
"""

import argparse
import gzip
import hashlib
import io
import json
import os
import random
import statistics
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "compare" / "out"
LAYERS = 6
LAYER_BYTES = 100 << 20

WORDS = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi "
         "omicron pi rho sigma tau upsilon phi chi psi omega config server client "
         "value default enable disable port host path user group file read write").split()


def layer_tar(seed: int) -> bytes:
    rng = random.Random(seed)
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tar:
        total, n = 0, 0
        while total < LAYER_BYTES:
            size = min(int(rng.lognormvariate(9, 1.6)), 8 << 20)
            if rng.random() < 0.6:
                words = []
                length = 0
                while length < size:
                    w = rng.choice(WORDS)
                    words.append(w)
                    length += len(w) + 1
                data = (" ".join(words)[:size] + "\n").encode()
            else:
                data = rng.randbytes(size // 4) * 4
            info = tarfile.TarInfo(f"usr/share/data{seed}/d{n // 500}/f{n}.dat")
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
            total += len(data)
            n += 1
    return buf.getvalue()


def generate() -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    image = OUT / "large-image.tar"
    if image.exists():
        return image
    blobs, diff_ids = [], []
    for i in range(LAYERS):
        raw = layer_tar(i)
        diff_ids.append("sha256:" + hashlib.sha256(raw).hexdigest())
        blobs.append(gzip.compress(raw, compresslevel=6))
        print(f"layer {i}: {len(raw) >> 20} MiB -> {len(blobs[-1]) >> 20} MiB gzip")
    config = json.dumps({"architecture": "amd64", "os": "linux",
                         "config": {"User": "10001", "Healthcheck": {"Test": ["CMD", "true"]}},
                         "rootfs": {"type": "layers", "diff_ids": diff_ids}, "history": []}).encode()
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    members = [(config_name, config)]
    names = []
    for i, b in enumerate(blobs):
        names.append(f"layer{i}/layer.tar.gz")
        members.append((names[-1], b))
    members.append(("manifest.json", json.dumps(
        [{"Config": config_name, "RepoTags": ["compare/large:1"], "Layers": names}]).encode()))
    with tarfile.open(image, "w") as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    for i, b in enumerate(blobs):
        (OUT / f"large-layer{i}.gz").write_bytes(b)
    return image


def timed(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "shipshape"], cwd=ROOT, check=True)
    shipshape = str(ROOT / "target" / "release" / "shipshape")
    image = generate()
    layers = sorted(OUT.glob("large-layer*.gz"))
    raw_total = sum(int(subprocess.run(["gzip", "-l", str(l)], capture_output=True, text=True)
                        .stdout.split()[5]) for l in layers)
    print(f"image: {image.stat().st_size >> 20} MiB compressed, {raw_total >> 20} MiB uncompressed, {len(layers)} gzip layers")
    gz, ours = [], []
    for _ in range(args.rounds):
        start = time.perf_counter()
        for l in layers:
            with open(os.devnull, "wb") as null:
                subprocess.run(["gzip", "-dc", str(l)], stdout=null, check=True)
        gz.append(time.perf_counter() - start)
        ours.append(timed([shipshape, "image", "-q", "--format", "json", "--input", str(image)]))
    with tempfile.NamedTemporaryFile("r") as t:
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", t.name, shipshape, "image", "-q",
                        "--format", "json", "--input", str(image)], stdout=subprocess.DEVNULL, check=False)
        rss = int(t.read().strip().splitlines()[-1]) / 1024
    g, s = statistics.median(gz), statistics.median(ours)
    print(f"gzip -dc of the layers: {g:.2f} s (median of {args.rounds})")
    print(f"shipshape image --input: {s:.2f} s (median of {args.rounds}), {s / g:.2f}x gzip, peak RSS {rss:.1f} MiB")


if __name__ == "__main__":
    main()
