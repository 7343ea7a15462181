"""Streaming output in the console: time from Enter until the last of N printed lines shows.

``_=[print(i) for i in range(N)]`` (the same cell as the anchors survey) in jtui console,
jupyter_console and euporie-console, each in a 100x30 pty on the python3 kernel; the clock
starts when Enter is sent and stops when ``N-1`` and the next prompt are on screen. Run from the
repository root::

    .venv/bin/python -m bench.console.bench_stream --lines 10000 100000 --runs 3
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence

from bench.console.bench_startup import PROMPT, ROOT, bench_env, tools
from tests.support.terminal import Terminal


def measure(argv: Sequence[str], env: dict[str, str], lines: int) -> float:
    """Seconds from Enter to the last line and the next prompt on screen."""
    term = Terminal(argv, rows=30, cols=100, env=env, cwd=str(ROOT))
    try:
        term.wait_for(PROMPT, timeout=60)
        term.send("print(1)\r")  # a first cell, so every console has its kernel ready
        term.wait_for(re.compile(r"In \[2\]:"), timeout=60)
        last = re.compile(rf"^\s*{lines - 1}\s*$(?:\n.*)*In \[3\]:", re.M)
        start = time.perf_counter()
        term.send(f"_=[print(i) for i in range({lines})]\r")
        term.wait_for(last, timeout=180)
        return time.perf_counter() - start
    finally:
        term.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        env = bench_env(tmp)
        commands = tools()
        results: dict[tuple[str, int], list[float]] = {}
        for n in args.lines:
            for _ in range(args.runs):
                for name, command in commands.items():
                    results.setdefault((name, n), []).append(measure(command, env, n))
    print(f"\nstreaming N lines, {args.runs} runs each (seconds from Enter; median / min)\n")
    print("| N lines | " + " | ".join(commands) + " |")
    print("| --- |" + " --- |" * len(commands))
    for n in args.lines:
        cells = [results[(name, n)] for name in commands]
        print(f"| {n:,} | " + " | ".join(
            f"{statistics.median(c):.2f} / {min(c):.2f}" for c in cells) + " |")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
