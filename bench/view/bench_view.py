"""``jtui view`` against ``euporie-preview``: seconds to render whole notebooks to a file.

Both tools render each notebook with 24-bit colour and half-block images, 80 columns wide
(euporie-preview's width when piped): ``jtui view NB --width 80 --graphics halfblock --color
--no-pager`` and ``euporie-preview NB --color-depth 24 --no-page``, in two settings:
``file`` (stdout redirected to a file, as ``jtui view nb.ipynb > out.txt`` or a pipe to
``less -R`` runs them) and ``pty`` (an 80x40 pseudo-terminal emulated by pyte, which answers
the terminal's queries, ``tests/support/terminal.py``; time until the process exits).
Runs are interleaved (jtui, euporie, jtui, ...) so machine noise hits both alike; the table
gives the median and the range. Each tool is launched once untimed first (bytecode cached,
as an installed copy runs). The placeholder columns count ``[image/png, ...]``-style
stand-ins left in each output, so a fast tool that shows less is visible as such.

The notebooks are public ones, not copied into this repository; for example the Python Data
Science Handbook (MIT-licensed code)::

    git clone --depth 1 https://github.com/jakevdp/PythonDataScienceHandbook /tmp/pdsh
    .venv/bin/python -m bench.view.bench_view --runs 3 /tmp/pdsh/notebooks/04.0[1-8]*.ipynb

Needs euporie in the same venv (``pip install euporie``, in the ``bench`` extra); without it
only jtui is timed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
WIDTH = 80
PLACEHOLDER = re.compile(r"\[(?:image|text|application)/[\w.+-]+, [\d.]+ (?:B|KiB|MiB)")


def commands(notebook: Path) -> dict[str, list[str]]:
    """Command line of each installed tool for ``notebook``."""
    found = {"jtui view": [sys.executable, "-m", "tui", "view", str(notebook), "--width",
                           str(WIDTH), "--graphics", "halfblock", "--color", "--no-pager"]}
    preview = shutil.which("euporie-preview", path=str(BIN))
    if preview:
        found["euporie-preview"] = [preview, str(notebook), "--color-depth", "24", "--no-page"]
    return found


def run_once(argv: list[str], out: Path, timeout: float) -> tuple[float, str]:
    """Seconds the command took writing its output to ``out``, and that output."""
    env = dict(os.environ, COLUMNS=str(WIDTH), LINES="40")
    env.pop("NO_COLOR", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # bytecode cached, as an installed copy runs
    with out.open("wb") as sink:
        start = time.perf_counter()
        subprocess.run(argv, stdout=sink, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                       env=env, timeout=timeout, check=False)
        elapsed = time.perf_counter() - start
    return elapsed, out.read_text("utf-8", "replace")


def run_in_pty(argv: list[str], timeout: float) -> tuple[float, str]:
    """Seconds until the command, run in an 80x40 pseudo-terminal, exits; and its screen
    transcript."""
    from tests.support.terminal import Terminal

    env = dict(os.environ, TERM="xterm-256color", COLORTERM="truecolor")
    env.pop("NO_COLOR", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    with Terminal(argv, rows=40, cols=WIDTH, env=env) as term:
        term.wait_exit(timeout)
        elapsed = time.perf_counter() - start
        return elapsed, bytes(term.transcript).decode("utf-8", "replace")


def main() -> int:
    """Time every notebook; print a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--mode", choices=("file", "pty"), default="file")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    rows = ["| notebook | jtui view | euporie-preview | ratio | jtui placeholders | "
            "euporie placeholders |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    ratios: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.txt"

        def measure(argv: list[str]) -> tuple[float, str]:
            if args.mode == "pty":
                return run_in_pty(argv, args.timeout)
            return run_once(argv, out, args.timeout)

        for notebook in args.notebooks:
            tools = commands(notebook)
            for argv in tools.values():  # warm-up: bytecode, page cache
                measure(argv)
            times: dict[str, list[float]] = {name: [] for name in tools}
            placeholders: dict[str, int] = {}
            for _ in range(args.runs):
                for name, argv in tools.items():
                    seconds, text = measure(argv)
                    times[name].append(seconds)
                    placeholders[name] = len(PLACEHOLDER.findall(text))
            jt = statistics.median(times["jtui view"])
            eu = statistics.median(times["euporie-preview"]) if "euporie-preview" in times \
                else None
            ratio = f"{eu / jt:.1f}x" if eu else "-"
            if eu:
                ratios.append(eu / jt)

            def cell(name: str, times: dict[str, list[float]] = times) -> str:
                values = times.get(name)
                if not values:
                    return "-"
                return (f"{statistics.median(values):.2f} s "
                        f"({min(values):.2f}-{max(values):.2f})")

            rows.append(f"| {notebook.name} | {cell('jtui view')} | {cell('euporie-preview')} "
                        f"| {ratio} | {placeholders['jtui view']} | "
                        f"{placeholders.get('euporie-preview', '-')} |")
            print(rows[-1], file=sys.stderr, flush=True)
    print("\n".join(rows))
    if ratios:
        print(f"\nmedian ratio {statistics.median(ratios):.1f}x, "
              f"min {min(ratios):.1f}x over {len(ratios)} notebooks")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
