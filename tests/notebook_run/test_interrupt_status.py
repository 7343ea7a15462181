"""After an interrupt the status bar shows what the kernel does, not "interrupting" forever
(real ipykernel; waits on the session's events)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.notebook.chrome import StatusBar
from tui.session import KernelState

from .conftest import RunDriver, make_notebook, run_editor

pytestmark = pytest.mark.kernel


def status_line(ed: RunDriver) -> str:
    """The status bar's text as drawn."""
    return str(ed.screen.query_one(StatusBar).render())


async def test_status_returns_to_idle_when_the_interrupt_is_over(tmp_path: Path) -> None:
    nb = make_notebook("import time\nprint('sleeping', flush=True)\ntime.sleep(60)")
    async with run_editor(nb, tmp_path / "i.ipynb") as ed:
        await ed.press("ctrl+e")
        await ed.until_shown("sleeping")
        await ed.until(lambda: "python3 · busy" in status_line(ed))
        await ed.press("i", "i")
        await ed.idle(timeout=10)
        assert "KeyboardInterrupt" in ed.text()
        await ed.until(lambda: "interrupting" not in status_line(ed), timeout=10)
        line = status_line(ed)
        assert "kernel interrupted" in line and "python3 · idle" in line
        assert ed.session.state is KernelState.IDLE


async def test_interrupting_an_idle_kernel_says_so_and_stays_idle(tmp_path: Path) -> None:
    nb = make_notebook("1 + 1")
    async with run_editor(nb, tmp_path / "j.ipynb") as ed:
        await ed.until(lambda: "python3 · idle" in status_line(ed))
        await ed.press("i", "i")
        await ed.until(lambda: "interrupting" not in status_line(ed), timeout=10)
        assert "python3 · idle" in status_line(ed)
        await ed.press("ctrl+e")
        await ed.idle()
        assert ed.cells[0].execution_count == 1
