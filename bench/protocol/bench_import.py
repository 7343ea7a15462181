"""Benchmark: what ``protocol.manager`` costs before a kernel can be launched.

Each measurement runs in a fresh interpreter (bytecode cached: ``PYTHONDONTWRITEBYTECODE`` is
dropped for the children, and one untimed run writes the .pyc files first):

1. ``import protocol.manager`` alone (asyncio included, as ``-X importtime`` reports it);
2. ``import protocol.manager`` after ``import asyncio, json, argparse`` (what ``jtui console``
   has loaded by the time it starts the kernel);
3. launch latency: from ``import protocol.manager`` (asyncio loaded) until the kernel process is
   spawned (the ``subprocess.Popen`` audit event) inside ``KernelManager.start``, per kernel.

Run: ``.venv/bin/python bench/protocol/bench_import.py [--runs 21] [--kernels python3 bash]``.
``--root DIR`` measures another copy of the package (e.g. ``git archive HEAD~3 protocol | tar -x
-C DIR``) so an old and a new version can be compared in one run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

IMPORT = """
import time
{pre}
t = time.perf_counter()
import protocol.manager
print((time.perf_counter() - t) * 1000)
"""

LAUNCH = """
import asyncio, json, argparse, sys, time
spawned = []
def hook(event, args):
    if event == "subprocess.Popen" and not spawned:
        spawned.append(time.perf_counter())
sys.addaudithook(hook)
async def main():
    t = time.perf_counter()
    from protocol.manager import KernelManager
    km = await KernelManager.start({kernel!r})
    ready = time.perf_counter()
    await km.shutdown()
    print((spawned[0] - t) * 1000, (ready - t) * 1000)
asyncio.run(main())
"""


def run(code: str, root: Path) -> list[float]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = str(root)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True, check=True
    ).stdout
    return [float(x) for x in out.split()]


def series(code: str, root: Path, runs: int) -> list[list[float]]:
    run(code, root)  # writes the bytecode caches
    return [run(code, root) for _ in range(runs)]


def report(label: str, values: list[float]) -> None:
    print(f"  {label:44s} median {statistics.median(values):7.1f} ms   min {min(values):7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--kernels", nargs="*", default=["python3", "bash"])
    parser.add_argument("--root", type=Path, action="append",
                        help="directory holding the protocol package (repeatable; default: repo)")
    args = parser.parse_args()
    for root in args.root or [REPO]:
        root = root.resolve()
        print(f"{root}:")
        alone = series(IMPORT.format(pre=""), root, args.runs)
        report("import protocol.manager", [r[0] for r in alone])
        after = series(IMPORT.format(pre="import asyncio, json, argparse"), root, args.runs)
        report("import protocol.manager (asyncio loaded)", [r[0] for r in after])
        for kernel in args.kernels:
            launch = series(LAUNCH.format(kernel=kernel), root, max(3, args.runs // 3))
            report(f"{kernel}: import + start until spawned", [r[0] for r in launch])
            report(f"{kernel}: import + start until ready", [r[1] for r in launch])


if __name__ == "__main__":
    main()
