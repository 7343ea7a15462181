"""Notebook editor: launch to first paint, memory, and paging to the end; jtui vs euporie.

Each editor runs in a 120x40 pseudo-terminal (pexpect + pyte, ``tests/support/terminal.py``,
which answers the terminal queries editors send at start-up). For notebooks of 30, 1,000 and
5,000 cells (``bench/editor/make_notebook.py``: 1 in 5 markdown, small outputs):

- **first paint**: seconds from spawning the process until the first cell's text is on screen;
- **RSS**: resident memory of the editor process (``VmRSS`` in ``/proc``) at that moment
  (kernels the editors start are separate processes and not counted);
- **page to end**: seconds from the first PageDown until the last cell's text is on screen,
  sending PageDown 20 at a time every 20 ms or so, like holding the key down (keys queue up,
  so this measures how fast the editor works through them; capped, see --cap).

The floor, an empty Textual app showing one line (``bench/editor/empty_app.py``), is launched
the same way in every round: first paint is also reported as seconds over that floor.

Runs are interleaved (jtui, euporie, jtui, ...) so machine noise hits both alike; the table
reports the median. Bytecode caching is on and each tool is launched once untimed first, as a
user's installed copy would run. Run from the repository root::

    .venv/bin/python -m bench.editor.bench_editor --runs 3

``--file bench/big/big_50mb.ipynb --marker "tensor theta gamma"`` opens an existing notebook
instead (first paint and RSS only; the marker is text of its first cell).

Needs euporie in the same venv (``pip install euporie``, in the ``bench`` extra); a missing tool
is reported and skipped.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.editor.make_notebook import FIRST_MARKER, LAST_MARKER, write_notebook  # noqa: E402
from tests.support.procs import descendants  # noqa: E402
from tests.support.terminal import Terminal, TerminalTimeout  # noqa: E402

BIN = Path(sys.executable).parent
SIZES = (30, 1000, 5000)
PAGE_DOWN = "\x1b[6~"
FLOOR = "textual (empty app)"  # the first-paint floor: Python + Textual, no editor code


def tools() -> dict[str, list[str]]:
    """Command lines of the editors to compare (the ones installed)."""
    found = {"jtui": [sys.executable, "-m", "tui"],
             FLOOR: [sys.executable, str(ROOT / "bench" / "editor" / "empty_app.py"),
                     FIRST_MARKER]}
    eu = shutil.which("euporie-notebook", path=str(BIN))
    if eu:
        found["euporie-notebook"] = [eu]
    return found


def rss_mib(pid: int) -> float:
    """Resident set size of ``pid`` in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def kill_tree(term: Terminal) -> None:
    """Stop the editor and any kernel it started."""
    pids = [term.child.pid, *descendants(term.child.pid)]
    for pid in reversed(pids):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    try:
        term.close()
    except Exception:  # already gone: pexpect may still complain while reaping
        pass


def measure(argv: Sequence[str], path: Path, env: dict[str, str], *, timeout: float,
            cap: float, marker: str = FIRST_MARKER) -> tuple[float, float, float | None]:
    """(first paint s, RSS MiB at first paint, page-to-end s or None when over ``cap``)."""
    start = time.perf_counter()
    term = Terminal([*argv, str(path)], rows=40, cols=120, env=env, cwd=str(path.parent))
    try:
        term.wait_for(marker, timeout=timeout)
        paint = time.perf_counter() - start
        rss = rss_mib(term.child.pid)
        page_start = time.perf_counter()
        paged: float | None = None
        while time.perf_counter() - page_start < cap:
            if LAST_MARKER in term.display():
                paged = time.perf_counter() - page_start
                break
            term.send(PAGE_DOWN * 20)  # like holding the key down: keys queue up
            term.pump(0.02)
        return paint, rss, paged
    finally:
        kill_tree(term)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--cap", type=float, default=120.0,
                        help="give up paging after this many seconds")
    parser.add_argument("--timeout", type=float, default=180.0,
                        help="give up waiting for the first paint after this many seconds")
    parser.add_argument("--only", nargs="*", help="tool names to run")
    parser.add_argument("--file", type=Path,
                        help="open this notebook instead of generated ones (first paint and "
                             "RSS only); --marker is text of its first cell")
    parser.add_argument("--marker", default=FIRST_MARKER)
    parser.add_argument("--images", action="store_true",
                        help="every code cell also holds a PNG plot; each size is run with "
                             "the plots and with their text only ('N-text'), for the "
                             "first-paint ratio")
    parser.add_argument("--graphics", default="halfblock",
                        help="jtui's --graphics for the --images runs (default halfblock)")
    args = parser.parse_args(argv)
    if args.file:
        args.sizes, args.cap = [0], 0.0
    # a SIGTERM unwinds like Ctrl+C, so every editor and kernel started is stopped (finally:)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    found = tools()
    if args.images:
        found["jtui"] = [*found["jtui"], "--graphics", args.graphics]
    if args.only:
        found = {k: v for k, v in found.items() if k in args.only}
    if "euporie-notebook" not in found and not args.only:
        print("euporie-notebook not installed: pip install euporie", file=sys.stderr)
    results: dict[tuple[str, int], list[tuple[float, float, float | None]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        env.update(JUPYTER_RUNTIME_DIR=os.path.join(tmp, "runtime"),
                   JUPYTER_DATA_DIR=os.path.join(tmp, "data"),
                   JUPYTER_CONFIG_DIR=os.path.join(tmp, "config"),
                   IPYTHONDIR=os.path.join(tmp, "ipython"), TERM_PROGRAM="kitty",
                   PYDEVD_DISABLE_FILE_VALIDATION="1")
        # as installed for a user: bytecode cached (this sandbox sets PYTHONDONTWRITEBYTECODE)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        warm = write_notebook(Path(tmp) / "warm.ipynb", 30)
        for cmd in found.values():  # one untimed launch each: bytecode and file cache warm
            try:
                measure(cmd, warm, env, timeout=args.timeout, cap=1.0)
            except TerminalTimeout:
                pass
        variants: list[tuple[int, bool | None]] = [
            (n, images) for n in args.sizes
            for images in ((True, False) if args.images else (None,))]
        for n, images in variants:
            for _ in range(args.runs):
                for name, cmd in found.items():
                    if images is False and name != "jtui":
                        continue  # the text-only twin is jtui's baseline
                    path = args.file.resolve() if args.file else write_notebook(
                        Path(tmp) / f"{name.split('-')[0]}_{n}_{images}.ipynb", n,
                        images=images)
                    try:
                        result = measure(cmd, path, env, timeout=args.timeout,
                                         cap=0.0 if name == FLOOR else args.cap,
                                         marker=FIRST_MARKER if name == FLOOR else args.marker)
                    except TerminalTimeout:
                        result = (float("nan"), float("nan"), None)
                    label = f"{name} (text only)" if images is False else name
                    results.setdefault((label, n), []).append(result)
                    paged = "-" if result[2] is None else f"{result[2]:.2f}"
                    what = args.file.name if args.file else f"{n:5} cells"
                    print(f"{label:17} {what}: first paint {result[0]:6.2f} s, "
                          f"RSS {result[1]:7.1f} MiB, page to end {paged} s", flush=True)
    floors = [r[0] for (name, _), rows in results.items() if name == FLOOR for r in rows]
    if floors:
        floor = statistics.median(floors)
        print(f"\nfirst-paint floor (empty Textual app, median of {len(floors)}): {floor:.2f} s")
        for (name, n), rows in results.items():
            if name.startswith("jtui"):
                paint = statistics.median(r[0] for r in rows)
                print(f"  {name} {n:,} cells: {paint - floor:+.2f} s over the floor")
    print()
    print("| editor | cells | first paint (median) | RSS at first paint | page to end |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for (name, n), rows in results.items():
        paint = statistics.median(r[0] for r in rows)
        rss = statistics.median(r[1] for r in rows)
        pages = [r[2] for r in rows if r[2] is not None]
        paged = f"{statistics.median(pages):.2f} s" if pages else f"> {args.cap:.0f} s"
        what = args.file.name if args.file else f"{n:,}"
        print(f"| {name} | {what} | {paint:.2f} s | {rss:.0f} MiB | "
              f"{'-' if args.file or name == FLOOR else paged} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
