#!/usr/bin/env python3
"""Runs shipshape on generated hostile inputs and reports, for each, the
exit code, wall time and peak resident memory (GNU time), and whether
standard error named the input.

Each input is one of the classes that could knock the linter over: deep
shell nesting, ARG/ENV values that double at each line, a RUN of very
many words, an ONBUILD chain, long manifest streams, a directory with
symbolic-link cycles, and inputs that are not what they claim to be.

Usage: compare/hostile.py [--bin PATH]   (default: target/release/shipshape,
built first with cargo build --release)
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def generate(d: Path) -> list[tuple[str, list[str]]]:
    n = 5000
    cases = []

    def df(name: str, text: str) -> None:
        (d / name).write_text(text)
        cases.append((name, ["dockerfile", str(d / name)]))

    df("nested-if.Dockerfile", "FROM a\nRUN " + "if true; then " * n + "true" + "; fi" * n + "\n")
    df("nested-subst.Dockerfile", "FROM a\nRUN " + "echo $( " * n + "x" + " )" * n + "\n")
    df("nested-param.Dockerfile", "FROM a\nRUN echo " + "${a:-" * n + "x" + "}" * n + "\n")
    df("nested-subshell.Dockerfile", "FROM a\nRUN " + "( " * n + "true" + " )" * n + "\n")
    df("onbuild-chain.Dockerfile", "FROM a\n" + "ONBUILD " * 50000 + "RUN true\n")
    for kw in ("ARG", "ENV"):
        text = f"FROM a\n{kw} a0=xx\n"
        text += "".join(f"{kw} a{i}=$a{i-1}$a{i-1}\n" for i in range(1, 41))
        df(f"{kw.lower()}-doubling.Dockerfile", text + "RUN echo $a40\n")
    words = " ".join(f"p{i}" for i in range(40000))
    df("run-40k-words.Dockerfile", f"FROM a\nRUN apt-get install {words}\n")
    words = " ".join(f"p{i}" for i in range(500000))
    df("run-500k-words.Dockerfile", f"FROM a\nRUN apt-get install {words}\n")

    pod = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p{i}\nspec:\n  containers:\n"
           "  - name: c\n    image: nginx:1.25\n")
    (d / "pods-40k.yaml").write_text("---\n".join(pod.format(i=i) for i in range(40000)))
    for fmt in ("table", "json", "sarif"):
        cases.append((f"pods-40k.yaml ({fmt})", ["config", "--format", fmt, str(d / "pods-40k.yaml")]))

    loop = d / "loop"
    loop.mkdir()
    (loop / "Dockerfile").write_text("FROM a\n")
    os.symlink(".", loop / "self")
    os.symlink("..", loop / "parent")
    cases.append(("symlink cycles (dockerfile DIR)", ["dockerfile", str(loop)]))
    cases.append(("/dev/zero as a Dockerfile", ["dockerfile", "/dev/zero"]))

    root = d / "rootfs"
    (root / "var/lib/dpkg").mkdir(parents=True)
    with open(root / "var/lib/dpkg/status", "wb") as f:
        f.truncate(2 << 30)  # 2 GiB, sparse
    (root / "etc").mkdir()
    os.symlink("/etc/shadow", root / "etc/os-release")
    cases.append(("2 GiB sparse dpkg status (sbom DIR)", ["sbom", str(root)]))
    cases.append(("2 GiB sparse dpkg status (fs DIR)", ["fs", str(root)]))

    feeds = d / "feeds"
    feeds.mkdir()
    os.mkfifo(feeds / "fifo.json")
    os.symlink("/dev/zero", feeds / "zero.json")
    os.symlink(".", feeds / "self")
    cases.append(("db import: FIFO, /dev/zero link, cycle", ["db", "import", "--db", str(d / "x.db"), str(feeds)]))
    cases.append(("missing file", ["dockerfile", str(d / "missing")]))
    return cases


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=str(ROOT / "target/release/shipshape"))
    args = parser.parse_args()
    if args.bin == str(ROOT / "target/release/shipshape"):
        subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
    print(f"{'input':42} {'exit':>4} {'time':>8} {'max RSS':>10}  stderr names the input")
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        for name, cmd in generate(d):
            timing = d / "time.txt"
            proc = subprocess.run(
                ["/usr/bin/time", "-f", "%e %M", "-o", str(timing), "timeout", "60", args.bin, *cmd],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            )
            secs, kb = timing.read_text().split()[-2:]
            target = cmd[-1]
            err = proc.stderr.decode(errors="replace")
            named = "yes" if target in err else ("no" if err.strip() else "(nothing)")
            code = proc.returncode if proc.returncode >= 0 else f"sig{-proc.returncode}"
            print(f"{name:42} {code!s:>4} {float(secs):7.2f}s {int(kb)/1024:8.1f} MB  {named}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
