#!/usr/bin/env python3
"""How long `shipshape authz` takes to decide, beside how long the Docker
daemon takes to create a container, in one run.

Replays the plugin questions dockerd 28.2 sent for `docker create` and
`docker exec --privileged` (crates/shipshape/tests/fixtures/authz/*.json)
to `target/release/shipshape authz` over its unix socket, on one kept-alive
connection as dockerd does, and times each answer. Then times
`POST /containers/create` on this machine's daemon (/var/run/docker.sock,
no plugin) for a busybox-static image imported for the purpose, removing
each container after; the image is removed at the end.

Usage: compare/authz_latency.py [--rounds N]   (needs Docker, busybox-static;
       cargo build --release -p shipshape first)
"""

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIPSHAPE = ROOT / "target" / "release" / "shipshape"
FIXTURES = ROOT / "crates" / "shipshape" / "tests" / "fixtures" / "authz"
IMAGE = "shipshape-bench/busybox:authz"


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost")
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.path)


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def plugin_latency(rounds):
    work = Path(tempfile.mkdtemp(prefix="shipshape-authz-bench-"))
    sock = work / "authz.sock"
    proc = subprocess.Popen([str(SHIPSHAPE), "authz", "-q", "--socket", str(sock),
                             "--log", str(work / "log.jsonl")], cwd=work)
    try:
        for _ in range(200):
            if sock.exists():
                break
            time.sleep(0.05)
        conn = UnixConnection(str(sock))
        results = {}
        for fixture in sorted(FIXTURES.glob("*.json")):
            body = fixture.read_bytes()
            times = []
            for _ in range(rounds):
                start = time.perf_counter()
                conn.request("POST", "/AuthZPlugin.AuthZReq", body,
                             {"Content-Type": "application/json"})
                answer = json.loads(conn.getresponse().read())
                times.append(time.perf_counter() - start)
            results[fixture.name] = (times, answer["Allow"])
        return results
    finally:
        proc.kill()
        proc.wait()


def import_image(work):
    busybox = next(p for p in ("/bin/busybox", "/usr/bin/busybox") if os.path.isfile(p))
    root = work / "rootfs" / "bin"
    root.mkdir(parents=True)
    (root / "busybox").write_bytes(Path(busybox).read_bytes())
    os.chmod(root / "busybox", 0o755)
    os.symlink("busybox", root / "true")
    tar = work / "rootfs.tar"
    subprocess.run(["tar", "-C", str(work / "rootfs"), "-cf", str(tar), "."], check=True)
    subprocess.run(["docker", "import", str(tar), IMAGE], check=True, stdout=subprocess.DEVNULL)


def daemon_create(rounds):
    work = Path(tempfile.mkdtemp(prefix="shipshape-authz-bench-"))
    import_image(work)
    body = json.dumps({"Image": IMAGE, "Cmd": ["true"], "HostConfig": {"NetworkMode": "none"}})
    times = []
    try:
        conn = UnixConnection("/var/run/docker.sock")
        for _ in range(rounds):
            start = time.perf_counter()
            conn.request("POST", "/containers/create", body, {"Content-Type": "application/json"})
            answer = json.loads(conn.getresponse().read())
            times.append(time.perf_counter() - start)
            conn.request("DELETE", f"/containers/{answer['Id']}?force=1")
            conn.getresponse().read()
    finally:
        subprocess.run(["docker", "rmi", IMAGE], stdout=subprocess.DEVNULL, check=False)
    return times


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=1000)
    args = ap.parse_args()
    print(f"shipshape authz, {args.rounds} answers per request, one kept-alive connection:")
    for name, (times, allow) in plugin_latency(args.rounds).items():
        print(f"  {name:24} median {statistics.median(times) * 1000:7.3f} ms"
              f"  p99 {percentile(times, 0.99) * 1000:7.3f} ms  ({'allow' if allow else 'deny'})")
    creates = max(20, args.rounds // 20)
    times = daemon_create(creates)
    print(f"dockerd POST /containers/create, {creates} containers, no plugin:")
    print(f"  median {statistics.median(times) * 1000:7.3f} ms  p99 {percentile(times, 0.99) * 1000:7.3f} ms")


if __name__ == "__main__":
    main()
