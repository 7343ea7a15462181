"""Console start-up: launch to a usable prompt, jtui console vs jupyter_console vs euporie.

Each console runs in a 100x30 pseudo-terminal (pexpect + pyte, ``tests/support/terminal.py``)
on the same ipykernel kernelspec (python3). Two times per run, both from spawning the process:

- **prompt**: ``In [1]:`` is on screen;
- **usable**: as soon as the prompt shows, ``print(6*7)`` + Enter is typed, until ``42`` is on
  screen. This is "launch to a usable prompt (kernel ready)": euporie draws its prompt before
  its kernel is ready, jtui and jupyter_console only once it answered ``kernel_info``.

Runs are interleaved (tool A, B, C, A, B, C, ...) so machine noise hits all tools alike; the
table reports median and min. Run from the repository root::

    .venv/bin/python -m bench.console.bench_startup --runs 7

Needs jupyter_console and euporie in the same venv (``pip install jupyter_console euporie``);
a missing tool is reported and skipped.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.support.terminal import Terminal  # noqa: E402

BIN = Path(sys.executable).parent
PROMPT = re.compile(r"In \[1\]:")
ANSWER = re.compile(r"^\s*(?:Out\[1\]:\s*)?42\s*$", re.M)


def tools() -> dict[str, list[str]]:
    """Command lines of the consoles to compare (the ones installed)."""
    found = {"jtui console": [sys.executable, "-m", "tui", "console"]}
    jc = shutil.which("jupyter-console", path=str(BIN))
    if jc:
        found["jupyter_console"] = [jc, "--kernel", "python3"]
    eu = shutil.which("euporie-console", path=str(BIN))
    if eu:
        found["euporie-console"] = [eu, "--kernel-name", "python3"]
    return found


def measure(argv: Sequence[str], env: dict[str, str], timeout: float = 60) -> tuple[float, float]:
    """(seconds to the prompt, seconds to the answer of the first cell)."""
    start = time.perf_counter()
    term = Terminal(argv, rows=30, cols=100, env=env, cwd=str(ROOT))
    try:
        term.wait_for(PROMPT, timeout=timeout)
        prompt = time.perf_counter() - start
        term.send("print(6*7)\r")
        term.wait_for(ANSWER, timeout=timeout)
        usable = time.perf_counter() - start
    finally:
        term.close()
    return prompt, usable


def bench_env(tmp: str) -> dict[str, str]:
    """This environment with history, runtime and IPython dirs under ``tmp`` (nothing a run
    leaves behind lands in $HOME, and no run sees another's history)."""
    env = dict(os.environ)
    env.update(
        JTUI_HISTORY_DIR=os.path.join(tmp, "history"),
        JUPYTER_RUNTIME_DIR=os.path.join(tmp, "runtime"),
        IPYTHONDIR=os.path.join(tmp, "ipython"),
        PYDEVD_DISABLE_FILE_VALIDATION="1",
        TERM="xterm-256color",
    )
    return env


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        env = bench_env(tmp)
        commands = tools()
        for name in ("jupyter_console", "euporie-console"):
            if name not in commands:
                print(f"(skipped {name}: not installed in {BIN})")
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for command in commands.values():  # warm-up run each (disk cache, .pyc)
            measure(command, env)
        for _ in range(args.runs):
            for name, command in commands.items():
                results[name].append(measure(command, env))
    print(f"\nconsole start-up, {args.runs} runs each (seconds; median / min)\n")
    print("| console | to prompt | to first result (usable) |")
    print("| --- | --- | --- |")
    for name, runs in results.items():
        prompts = [p for p, _ in runs]
        usable = [u for _, u in runs]
        print(f"| {name} | {statistics.median(prompts):.3f} / {min(prompts):.3f} "
              f"| {statistics.median(usable):.3f} / {min(usable):.3f} |")
    ours = statistics.median(u for _, u in results["jtui console"])
    for name, runs in results.items():
        if name != "jtui console":
            other = statistics.median(u for _, u in runs)
            print(f"\njtui console is {other / ours:.2f}x as fast as {name} (usable, median)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
