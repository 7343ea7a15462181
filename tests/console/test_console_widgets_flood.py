"""The console's widget redraws without a kernel: a flood of 10,000 progress updates costs a
handful of renders (at most 20 a second), and the cell's end draws the last state."""

from __future__ import annotations

import asyncio
import io
import time
from typing import Any

from tests.widgets.test_manager_sans_io import kernel
from tui.console.printer import Printer
from tui.console.widgets import ConsoleWidgets

VIEW = "application/vnd.jupyter.widget-view+json"


class _Event:
    def __init__(self, msg_type: str, content: dict[str, Any]) -> None:
        self.msg_type = msg_type
        self.content = content


def _open(widgets: ConsoleWidgets, comm_id: str, state: dict[str, Any]) -> None:
    widgets.receive(kernel("comm_open", {"comm_id": comm_id, "target_name": "jupyter.widget",
                                         "data": {"state": state, "buffer_paths": []}},
                           metadata={"version": "2.1.0"}))


async def test_ten_thousand_updates_are_coalesced_and_the_last_one_stays() -> None:
    out = io.StringIO()
    printer = Printer(out, color=False, live=True, size=lambda: (100, 30))
    widgets = ConsoleWidgets(printer)
    _open(widgets, "bar", {"_model_name": "IntProgressModel", "value": 0, "max": 10000,
                           "description": "load"})
    _open(widgets, "count", {"_model_name": "LabelModel", "value": "0/10000"})
    _open(widgets, "box", {"_model_name": "HBoxModel",
                           "children": ["IPY_MODEL_bar", "IPY_MODEL_count"]})
    printer.begin_cell()
    printer.handle(_Event("display_data", {"data": {
        VIEW: {"model_id": "box", "version_major": 2, "version_minor": 0},
        "text/plain": "HBox()"}, "metadata": {}, "transient": {}}))
    assert "load |" in out.getvalue() and "HBox()" not in out.getvalue()
    started = time.perf_counter()
    for n in range(1, 10001):
        widgets.receive(kernel("comm_msg", {"comm_id": "bar", "data": {
            "method": "update", "state": {"value": n}, "buffer_paths": []}}))
        widgets.receive(kernel("comm_msg", {"comm_id": "count", "data": {
            "method": "update", "state": {"value": f"{n}/10000"}, "buffer_paths": []}}))
        if n % 500 == 0:
            await asyncio.sleep(0)
    elapsed = time.perf_counter() - started
    printer.end_cell()
    assert widgets.redraws <= 2 + elapsed * 20, (widgets.redraws, elapsed)
    last = [line for line in out.getvalue().split("\n") if "load |" in line][-1]
    assert last.endswith("█|10000/10000"), last  # a bar carries its own edges
    await widgets.aclose()
