"""Key latency while the recovery journal writes a 50 MB notebook (issue 12).

The editor journals unsaved changes (``tui/recovery``): every 0.2 s a tick compares a
fingerprint of the notebook and, when it moved, hands a snapshot to a writer thread that
serialises the whole notebook and writes it atomically. With a 50 MB notebook each write
serialises 50 MB, so the question is whether typing stays quick while that happens.

In a 100x32 pseudo-terminal (pexpect + pyte, ``tests/support/terminal.py``), the editor opens a
copy of the notebook, Enter starts editing its first cell, and characters are typed one at a
time, ~20 a second, each timed from writing the key to the pty until the bytes that put it on
screen were read (pyte's parsing excluded, as in ``bench/run/bench_stream.py``). Every key
changes the notebook, so the journal is rewritten as fast as the writer can go; the bench counts
the journal writes seen while typing (new inode or mtime of the journal file). A small notebook
(30 cells) is typed into the same way, in the same run, as the reference::

    .venv/bin/python -m bench.editor.bench_journal_keys --runs 3

The 50 MB notebook is make_big.py's ``big_50mb.ipynb`` (generated into ``bench/big/``).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.editor.make_notebook import FIRST_MARKER, write_notebook  # noqa: E402
from tests.support.terminal import Terminal  # noqa: E402

BIG = ROOT / "bench" / "big"
MAKE_BIG = ROOT / "tests" / "data" / "nbcorpus" / "make_big.py"
BIG_MARKER = "tensor theta gamma"
ALPHABET = "qwertyuiopasdfghjklzxcvbnm"
LINE = 30
"""Letters typed on each line of the cell."""


def big_notebook() -> Path:
    """``bench/big/big_50mb.ipynb``, generated when missing."""
    path = BIG / "big_50mb.ipynb"
    if not path.exists():
        BIG.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(MAKE_BIG), "--out", str(BIG), "--only", path.name],
                       check=True)
    return path


def typed_text(n: int) -> str:
    """``n`` letters whose 10-letter windows are all different, so the suffix on screen proves
    which key arrived."""
    rng = random.Random(12)
    while True:
        text = "".join(rng.choice(ALPHABET) for _ in range(n))
        if len({text[i:i + 10] for i in range(n)}) == n:
            return text


def journal_versions(folder: Path) -> set[tuple[int, int]]:
    """(inode, mtime) of every journal file in ``folder`` (each atomic rewrite is a new inode)."""
    seen = set()
    if folder.is_dir():
        for p in folder.iterdir():
            try:
                st = p.stat()
            except FileNotFoundError:
                continue
            seen.add((st.st_ino, st.st_mtime_ns))
    return seen


def _time_reads(term: Terminal) -> list[float]:
    arrivals: list[float] = []
    read = term.child.read_nonblocking

    def timed_read(size: int = 1, timeout: float | None = -1) -> bytes:
        data: bytes = read(size, timeout)
        arrivals.append(time.perf_counter())
        return data

    term.child.read_nonblocking = timed_read  # type: ignore[method-assign]
    return arrivals


def run_once(source: Path, marker: str, keys: int) -> dict[str, Any]:
    """Type ``keys`` characters into the first cell of a copy of ``source``; latencies."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / source.name
        shutil.copyfile(source, path)
        state = Path(tmp) / "state"
        env = {**os.environ, "JUPYTER_CONFIG_DIR": str(Path(tmp) / "config"),
               "XDG_STATE_HOME": str(state), "TERM_PROGRAM": "kitty"}
        folder = state / "jupyter-tui" / "recovery"
        term = Terminal([sys.executable, "-m", "tui", "--no-autosave", str(path)], rows=32,
                        cols=100, env=env, cwd=str(ROOT))
        term.child.delaybeforesend = None
        arrivals = _time_reads(term)
        latencies: list[float] = []
        versions: set[tuple[int, int]] = set()
        try:
            term.wait_for(marker, timeout=120)
            term.wait_for(" idle", timeout=120)  # the kernel is up: its start is not typing
            term.send("\r")  # Enter: edit the first cell
            term.wait_for(" EDIT ", timeout=30)
            text = typed_text(keys)
            start = time.perf_counter()
            for row in range(0, len(text), LINE):
                # Each line starts with an untimed tag (a new line, so the cell never wraps):
                # the tag and the letters after it make every awaited suffix unique.
                tag = f"#{row // LINE:03d}:"
                term.send(tag)
                term.wait_for(tag, timeout=60)
                line = text[row:row + LINE]
                for j, ch in enumerate(line):
                    t0 = time.perf_counter()
                    term.send(ch)
                    term.wait_for((tag + line[:j + 1])[-12:], timeout=60)
                    latencies.append(arrivals[-1] - t0)
                    versions |= journal_versions(folder)
                    end = time.perf_counter() + 0.05
                    while (left := end - time.perf_counter()) > 0:
                        term.pump(left)
                term.send("\r")
            typing = time.perf_counter() - start
            term.send("\x1b")  # leave edit mode, quit, discard
            term.wait_for(" COMMAND ", timeout=30)
            term.send("\x11")
            term.wait_for("unsaved changes", timeout=30)
            term.send("d")
            term.wait_exit(timeout=60)
        finally:
            term.close()
    latencies.sort()
    return {
        "keys": len(latencies),
        "typing_s": typing,
        "journal_writes": len(versions),
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))],
        "max_ms": 1000 * latencies[-1],
        "size_mb": source.stat().st_size / 1e6,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the bench; print one line a run and a median table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keys", type=int, default=150)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small_30.ipynb"
        write_notebook(small, 30)
        cases = {"30 cells": (small, FIRST_MARKER), "big_50mb": (big_notebook(), BIG_MARKER)}
        results: dict[str, list[dict[str, Any]]] = {name: [] for name in cases}
        for run in range(args.runs):
            for name, (nb, marker) in cases.items():  # interleaved: noise hits both alike
                r = run_once(nb, marker, args.keys)
                results[name].append(r)
                print(f"run {run + 1} {name}: " + ", ".join(
                    f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in r.items()),
                    flush=True)
    print("\n| notebook | size | keys | journal writes while typing | p50 | p95 | max |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, rs in results.items():
        def med(key: str, rs: list[dict[str, Any]] = rs) -> float:
            return statistics.median(r[key] for r in rs)
        print(f"| {name} | {med('size_mb'):.1f} MB | {rs[0]['keys']} | "
              f"{med('journal_writes'):.0f} | {med('p50_ms'):.0f} ms | {med('p95_ms'):.0f} ms | "
              f"{med('max_ms'):.0f} ms |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
