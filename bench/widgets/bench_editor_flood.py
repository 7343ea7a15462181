"""Benchmark: the editor while a kernel floods a visible progress bar with updates.

A real ipykernel sets ``IntProgress.value`` N times in a tight loop while the bar is on screen
(its view redraws on each change). Meanwhile keys are pressed (j / k: the cell cursor moves)
and each press is timed until the editor handled it and was idle again: what a user waits for a
key. Reported: key latency p50 / p99 / max during the flood, the flood's wall time, and that
the bar ends exact (the model and the screen).

Run: ``.venv/bin/python bench/widgets/bench_editor_flood.py [--updates 10000]``.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from textual import events

from nbio.model import Cell, Notebook
from tui.notebook.app import NotebookApp
from tui.notebook.widget_views.sliders import ProgressView


async def main(updates: int) -> None:
    nb = Notebook.new("python3")
    nb.cells = [Cell.new("code", f"import ipywidgets as w\nbar = w.IntProgress(max={updates}, "
                         "description='flood')\nbar", cell_id="c0"),
                Cell.new("code", f"for i in range(1, {updates + 1}):\n    bar.value = i\n"
                         "print('flood done')", cell_id="c1"),
                Cell.new("code", "pass", cell_id="c2")]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "flood.ipynb"
        nb.path = path
        app = NotebookApp(nb, path, is_new=True, check_disk_every=0)
        app.autostart_kernel = True  # type: ignore[attr-defined]
        async with app.run_test(size=(100, 30)) as pilot:
            screen = app.notebook_screen
            session = screen.kernel.session
            assert await session.wait_ready(60), session.problem
            await pilot.press("ctrl+e")
            await session.wait_idle(60)
            while not list(app.screen.query(ProgressView)):
                await pilot.pause(0.05)
            [bar] = list(app.screen.query(ProgressView))
            await pilot.press("j", "ctrl+e")  # run the flood
            while session.running is None:
                await asyncio.sleep(0.001)
            latencies: list[float] = []
            start = time.perf_counter()
            keys = ("k", "j")
            flood = screen.nb.cells[1]
            while not any(o.get("output_type") == "stream" for o in flood.outputs):
                # a key as the terminal driver sends it; timed until the cursor moved
                # (Pilot.press would wait until the app is idle: not before the flood ends)
                key = keys[len(latencies) % 2]
                before = screen.cursor
                event = events.Key(key, key)
                event.set_sender(app)
                t0 = time.perf_counter()
                app._driver.send_message(event)  # type: ignore[union-attr]
                while screen.cursor == before:
                    await asyncio.sleep(0.0005)
                latencies.append(time.perf_counter() - t0)
                await asyncio.sleep(0.01)
                if time.perf_counter() - start > 300:
                    raise TimeoutError("the flood did not finish")
            elapsed = time.perf_counter() - start
            await session.wait_idle(60)
            await pilot.pause()
            value = bar.model.get("value")
            assert value == updates, value
            assert bar.render().plain.count("█") == bar.content_size.width - len(bar.prefix)
            latencies.sort()
            n = len(latencies)
            print(f"{updates} updates to a bar on screen: flood {elapsed:.2f} s, {n} keys "
                  f"pressed meanwhile: latency p50 {latencies[n // 2] * 1000:.1f} ms, p99 "
                  f"{latencies[min(n - 1, int(n * 0.99))] * 1000:.1f} ms, max "
                  f"{latencies[-1] * 1000:.1f} ms; final value {value}/{bar.model.get('max')}")
            await session.shutdown()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=10_000)
    asyncio.run(main(parser.parse_args().updates))
