"""Benchmark: a kernel flooding a progress bar with updates, through a KernelSession.

A real ipykernel sets ``IntProgress.value`` N times in a tight loop (each a ``comm_msg``
``update`` on IOPub). Measured: the wall time of the cell until its idle is applied, updates per
second the session applied, the longest stretch the event loop was blocked (a ticker task
records its gaps: what a key press would wait; on a shared machine the maximum includes time
the OS gave to other processes), our process's CPU time per update, and that the model ends
exact.

Run: ``.venv/bin/python bench/widgets/bench_widget_flood.py [--updates 10000]``.
"""

from __future__ import annotations

import argparse
import asyncio
import time

from nbio.model import Cell, Notebook
from tui.session import KernelSession


async def main(updates: int) -> None:
    nb = Notebook.new("python3")
    session = KernelSession(nb, kernel_name="python3")
    session.start()
    assert await session.wait_ready(60), session.problem
    try:
        setup = Cell.new("code", f"import ipywidgets as w\nbar = w.IntProgress(max={updates})\nbar")
        nb.cells.append(setup)
        session.enqueue([setup])
        await session.wait_idle(60)
        [model] = [m for m in session.comms.widgets.models.values()
                   if m.model_name == "IntProgressModel"]
        changes = 0

        def count(m: object, keys: frozenset[str]) -> None:
            nonlocal changes
            changes += 1

        model.subscribe(count)
        gaps: list[float] = []
        stop = asyncio.Event()

        async def ticker() -> None:
            last = time.perf_counter()
            while not stop.is_set():
                await asyncio.sleep(0.001)
                now = time.perf_counter()
                gaps.append(now - last)
                last = now

        tick = asyncio.ensure_future(ticker())
        flood = Cell.new("code", f"for i in range(1, {updates + 1}):\n    bar.value = i\n")
        nb.cells.append(flood)
        start, cpu = time.perf_counter(), time.process_time()
        session.enqueue([flood])
        await session.wait_idle(300)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        stop.set()
        await tick
        assert model.get("value") == updates, model.get("value")
        print(f"{updates} updates: {elapsed:.2f} s until idle, {changes / elapsed:,.0f} "
              f"updates/s applied, {changes} view callbacks, our CPU {cpu / updates * 1e6:.0f} "
              f"us/update, loop stall p99 {sorted(gaps)[int(len(gaps) * 0.99)] * 1000:.1f} ms "
              f"max {max(gaps) * 1000:.1f} ms, final value {model.get('value')}/"
              f"{model.get('max')}")
    finally:
        await session.shutdown()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=10_000)
    asyncio.run(main(parser.parse_args().updates))
