"""A cell printing a million lines: time until idle, key latency while it streams, peak RSS.

Three clients run the same cell (``for i in range(N): print(i)``) on a fresh python3 kernel,
each in its own process (so peak RSS is that client's own):

* ``jupyter_client``: a BlockingKernelClient that reads IOPub until idle and joins the stream
  text (what a headless user of jupyter_client would otherwise write); the baseline.
* ``session``: our headless :class:`tui.session.KernelSession` (outputs applied to the model
  through nbio's OutputArea, \\r/\\b processing and all).
* ``editor``: ``jtui bench.ipynb`` in a 100x32 pseudo-terminal (pexpect + pyte, as a user's
  terminal), running the cell with Ctrl+E; the clock stops when the screen shows the cell
  finished. ``editor-keys``: the same, and while the stream runs, j / k (moving the cell
  cursor) are pressed one after the
  other, each as soon as the previous one showed, with 50 ms between them, and the time from
  writing the key to the pty until the bytes that make the status bar show the new position
  are read from it is recorded (key-press-to-screen latency; the time pyte then takes to parse
  them is reported apart); the same keys before the run give the latency with nothing
  streaming, for reference. Peak RSS is the editor process's VmHWM.

Time is measured from sending the execute request to idle. Run from the repository root::

    .venv/bin/python -m bench.run.bench_stream --lines 1000000 --runs 1

One 50 MB line instead (the hostile-output case; key latency while it arrives and after)::

    .venv/bin/python -m bench.run.bench_stream --child editor-long-line --lines 50000000
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CODE = "for i in range({n}):\n    print(i)"
LONG_LINE_CODE = "print('x' * {n})"
MODES = ("jupyter_client", "session", "editor", "editor-keys")
EXTRA_MODES = ("editor-long-line",)
"""Run only when asked (``--child editor-long-line --lines 50000000``): one line of N
characters, keys pressed while it arrives and after it is on screen (``after_p50_ms``)."""


def peak_rss_mib() -> float:
    """This process's peak resident set size in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_jupyter_client(n: int) -> dict[str, Any]:
    """Baseline: jupyter_client receiving the stream until idle, joining the text."""
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3")
    try:
        kc.execute("1", store_history=False)
        kc.get_shell_msg(timeout=30)
        start = time.perf_counter()
        msg_id = kc.execute(CODE.format(n=n))
        parts: list[str] = []
        while True:
            msg = kc.get_iopub_msg(timeout=120)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "stream":
                parts.append(msg["content"]["text"])
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                break
        elapsed = time.perf_counter() - start
        text = "".join(parts)
        assert text.count("\n") == n, text.count("\n")
        return {"seconds": elapsed, "rss_mib": peak_rss_mib()}
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


async def run_session(n: int) -> dict[str, Any]:
    """Ours, headless: KernelSession applying the stream to the notebook model."""
    from nbio.model import Cell, Notebook
    from tui.session import KernelSession

    nb = Notebook.new("python3")
    nb.cells = [Cell.new("code", "1"), Cell.new("code", CODE.format(n=n))]
    session = KernelSession(nb, kernel_name="python3")
    session.start()
    assert await session.wait_ready(60)
    try:
        session.enqueue(nb.cells[:1])
        await session.wait_idle(30)
        start = time.perf_counter()
        session.enqueue(nb.cells[1:])
        await session.wait_idle(300)
        elapsed = time.perf_counter() - start
        session.sync_outputs()
        text = nb.cells[1].outputs[0]["text"]
        assert text.count("\n") == n, text.count("\n")
        return {"seconds": elapsed, "rss_mib": peak_rss_mib(),
                "messages": session.stats.applied}
    finally:
        await session.shutdown()


def run_editor(n: int, keys: bool = False, code: str = CODE) -> dict[str, Any]:
    """Ours, the editor in a 100x32 pseudo-terminal: Ctrl+E until the cell shows finished,
    keys pressed while it streams (and, for the long line, after it is on screen); peak RSS
    of the editor process (VmHWM)."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    from tests.support.terminal import Terminal

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.ipynb"
        nb = new_notebook(cells=[new_code_cell(code.format(n=n)), new_code_cell("1")])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        nbformat.write(nb, str(path))
        env = {**os.environ, "JUPYTER_CONFIG_DIR": str(Path(tmp) / "config"),
               "TERM_PROGRAM": "kitty"}
        term = Terminal([sys.executable, "-m", "tui", str(path)], rows=32, cols=100, env=env,
                        cwd=str(ROOT))
        # pexpect sleeps 50 ms (``delaybeforesend``) before writing each send; without this the
        # key latency below would include that sleep (it was the "52 ms floor" of Textual).
        term.child.delaybeforesend = None
        arrivals = _time_reads(term)
        try:
            term.wait_for("python3 · idle", timeout=60)
            idle: list[float] = []  # the same keys with nothing streaming, for reference
            for key, want in itertools.islice(_down_up(), 10):
                idle.append(_key_latency(term, key, want, arrivals)[0])
                _pause(term, 0.05)
            term.wait_for("cell 1 of 2", timeout=10)
            latencies: list[float] = []
            emulated: list[float] = []
            start = time.perf_counter()
            term.send("\x05")  # Ctrl+E: run the cell
            term.wait_for("[*]:", timeout=30)
            presses = _down_up()
            while keys and "✓" not in term.display():
                key, want = next(presses)
                arrival, shown = _key_latency(term, key, want, arrivals)
                latencies.append(arrival)
                emulated.append(shown)
                _pause(term, 0.05)
            term.wait_for("✓", timeout=300)
            elapsed = time.perf_counter() - start
            after: list[float] = []  # the output on screen: moving past it must stay quick
            for key, want in itertools.islice(_down_up(), 10 if code != CODE else 0):
                after.append(_key_latency(term, key, want, arrivals)[0])
                _pause(term, 0.05)
            rss = _vm_hwm_mib(term.pid)
            term.send("\x11")  # Ctrl+Q
            term.wait_for("unsaved changes", timeout=10)
            term.send("d")
            term.wait_exit(timeout=30)
        finally:
            term.close()
    latencies.sort()
    emulated.sort()
    return {
        "seconds": elapsed,
        "rss_mib": rss,
        "keys": len(latencies),
        "p50_ms": 1000 * statistics.median(latencies) if latencies else None,
        "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))] if latencies else None,
        "max_ms": 1000 * latencies[-1] if latencies else None,
        "idle_p50_ms": 1000 * statistics.median(idle),
        "after_p50_ms": 1000 * statistics.median(after) if after else None,
        "after_max_ms": 1000 * max(after) if after else None,
        "pyte_p50_ms": 1000 * statistics.median(emulated) if emulated else None,
        "pyte_p95_ms": 1000 * emulated[int(0.95 * (len(emulated) - 1))] if emulated else None,
    }


def _down_up() -> Iterator[tuple[str, str]]:
    """j and k in turn, each with what the status bar shows once it has moved the cursor."""
    return itertools.cycle([("j", "cell 2 of 2"), ("k", "cell 1 of 2")])


def _pause(term: Any, seconds: float) -> None:
    """Keep reading the screen for ``seconds`` (a pump returns as soon as anything arrives)."""
    end = time.perf_counter() + seconds
    while (left := end - time.perf_counter()) > 0:
        term.pump(left)


def _time_reads(term: Any) -> list[float]:
    """Record when each read from the pty returned (the arrival of the bytes), before pyte
    parses them (pure-Python emulation costs ~1 ms per KiB here, a real terminal ~nothing)."""
    arrivals: list[float] = []
    read = term.child.read_nonblocking

    def timed_read(size: int = 1, timeout: float | None = -1) -> bytes:
        data: bytes = read(size, timeout)
        arrivals.append(time.perf_counter())
        return data

    term.child.read_nonblocking = timed_read
    return arrivals


def _key_latency(term: Any, key: str, want: str, arrivals: list[float]) -> tuple[float, float]:
    """Press ``key`` and wait until ``want`` is on the emulated screen. Returns the seconds from
    writing the key to the pty until the bytes that put ``want`` on screen were read (the
    key-press-to-screen latency), and until pyte had drawn them (that plus the emulator)."""
    t0 = time.perf_counter()
    term.send(key)
    term.wait_for(want, timeout=30)
    shown = time.perf_counter()
    return arrivals[-1] - t0, shown - t0


def _vm_hwm_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child(mode: str, n: int) -> dict[str, Any]:
    """Run one mode in this process."""
    if mode == "jupyter_client":
        return run_jupyter_client(n)
    if mode == "session":
        return asyncio.run(run_session(n))
    if mode == "editor":
        return run_editor(n)
    if mode == "editor-keys":
        return run_editor(n, keys=True)
    if mode == "editor-long-line":
        return run_editor(n, keys=True, code=LONG_LINE_CODE)
    raise SystemExit(f"unknown mode {mode}")


def measure(mode: str, n: int) -> dict[str, Any]:
    """Run one mode in a fresh process and return its JSON result."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.run.bench_stream", "--child", mode, "--lines", str(n)],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
        env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"},
    )
    if out.returncode != 0:
        raise RuntimeError(f"{mode} failed:\n{out.stderr[-3000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--child", choices=[*MODES, *EXTRA_MODES])
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.lines[0])))
        return 0
    for n in args.lines:
        results: dict[str, list[dict[str, Any]]] = {}
        for _ in range(args.runs):
            for mode in MODES:
                results.setdefault(mode, []).append(measure(mode, n))
        base = statistics.median(r["seconds"] for r in results["jupyter_client"])
        print(f"\n{n:,} lines (median of {args.runs} run(s))")
        print(f"{'client':<16}{'idle s':>9}{'ratio':>8}{'peak RSS MiB':>14}  notes")
        for mode, rows in results.items():
            secs = statistics.median(r["seconds"] for r in rows)
            rss = max(r["rss_mib"] for r in rows)
            notes = ""
            if mode == "editor-keys":
                p95 = max(r["p95_ms"] or 0 for r in rows)
                p50 = statistics.median(r["p50_ms"] or 0 for r in rows)
                keys = sum(r["keys"] for r in rows)
                idle = statistics.median(r["idle_p50_ms"] for r in rows)
                pyte50 = statistics.median(r["pyte_p50_ms"] or 0 for r in rows)
                pyte95 = max(r["pyte_p95_ms"] or 0 for r in rows)
                notes = (f"key->screen p50 {p50:.0f} ms, p95 {p95:.0f} ms ({keys} keys); "
                         f"not streaming p50 {idle:.0f} ms; incl. pyte's parsing p50 "
                         f"{pyte50:.0f} ms, p95 {pyte95:.0f} ms")
            print(f"{mode:<16}{secs:>9.2f}{secs / base:>8.2f}{rss:>14.0f}  {notes}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
