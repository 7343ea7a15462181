"""SVG snapshots of running notebooks (real ipykernel), kept as ``screenshots/run_*.svg``.

Update them with ``pytest tests/notebook_run/test_snapshots.py --snapshot-update``. Elapsed
times are pinned so the images do not depend on the machine's speed.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from pytest_textual_snapshot import SVGImageExtension
from textual._doc import take_svg_screenshot
from textual.pilot import Pilot

from tests.editor.screen_text import until_settled
from tui.notebook import run_view
from tui.notebook.completion_popup import CompletionPopup
from tui.notebook.inspect_view import InspectScreen
from tui.notebook.kernel_controller import KernelController

from .conftest import RunDriver, editor_app, make_notebook

pytestmark = pytest.mark.kernel

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


class ScreenshotsExtension(SVGImageExtension):
    """Keeps each snapshot as ``screenshots/<test name without test_>.svg``."""

    def is_snapshot_location(self, *, location: str) -> bool:
        # only this module's baselines (run_*.svg): the other SVGs in screenshots/ belong to
        # other tests and must not be reported as unused
        return Path(location).suffix == ".svg" and Path(location).stem.startswith("run_")

    @classmethod
    def dirname(cls, *, test_location) -> str:  # type: ignore[no-untyped-def]
        return str(SCREENSHOTS)

    @classmethod
    def get_snapshot_name(cls, *, test_location, index=0) -> str:  # type: ignore[no-untyped-def]
        return test_location.testname.removeprefix("test_")


Scenario = Callable[[RunDriver], Awaitable[None]]


@pytest.fixture
def screenshot(snapshot, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """screenshot(sources, scenario) == the baseline in screenshots/."""
    snap = snapshot.use_extension(ScreenshotsExtension)
    monkeypatch.setattr(run_view, "_seconds", lambda value: "1.0 s")

    def take(*sources: str, scenario: Scenario, size: tuple[int, int] = (100, 32)) -> bool:
        app = editor_app(make_notebook(*sources), tmp_path / "notebook.ipynb")

        async def run_before(pilot: Pilot[None]) -> None:
            driver = RunDriver(app, pilot)
            await driver.ready()
            await scenario(driver)
            await pilot.pause()
            await pilot.wait_for_scheduled_animations()
            await until_settled(app, pilot)

        svg = take_svg_screenshot(app=app, terminal_size=size, run_before=run_before)
        return snap == svg

    return take


def test_run_running_cell(screenshot) -> None:  # type: ignore[no-untyped-def]
    async def scenario(ed: RunDriver) -> None:
        await ed.press("ctrl+a", "ctrl+e", "escape", "k")
        await ed.until_shown("step 1")
        await ed.until_shown("◌ queued")

    assert screenshot("answer = 6 * 7\nanswer",
                      "import time\nprint('step 1', flush=True)\ntime.sleep(30)",
                      "print('next')", scenario=scenario)


def test_run_progress_bar(screenshot) -> None:  # type: ignore[no-untyped-def]
    code = ("import sys, time\nprint('downloading')\nfor i in range(101):\n"
            "    bar = '█' * (i // 5) + ' ' * (20 - i // 5)\n"
            "    sys.stdout.write(f'\\r{i:3d}%|{bar}| {i}/100')\n"
            "    sys.stdout.flush()\n    time.sleep(0.002)\nprint('\\ndone')")

    async def scenario(ed: RunDriver) -> None:
        await ed.press("ctrl+e")
        await ed.idle()

    assert screenshot(code, scenario=scenario)


def test_run_input_prompt(screenshot) -> None:  # type: ignore[no-untyped-def]
    async def scenario(ed: RunDriver) -> None:
        await ed.press("ctrl+e")
        await ed.until_shown("Your name: ")
        await ed.press(*"Ada")
        await ed.until_shown("Your name: Ada")

    assert screenshot("print('Who are you?')\nname = input('Your name: ')\nprint('hello', name)",
                      scenario=scenario)


def test_run_traceback(screenshot) -> None:  # type: ignore[no-untyped-def]
    async def scenario(ed: RunDriver) -> None:
        await ed.press("ctrl+a", "ctrl+e")
        await ed.idle()

    assert screenshot("def ratio(a, b):\n    return a / b",
                      "values = [3, 0]\nratio(*values)", "print('not reached')",
                      scenario=scenario, size=(100, 40))


def test_run_completion_popup(screenshot) -> None:  # type: ignore[no-untyped-def]
    async def scenario(ed: RunDriver) -> None:
        await ed.press("ctrl+e")
        await ed.idle()
        await ed.press("j", "enter", *"total", "space", "=", "space", "a", "l", "tab")
        await ed.until(lambda: bool(ed.screen.query(CompletionPopup)))
        popup = ed.screen.query_one(CompletionPopup)
        await ed.until(lambda: ed.app.focused is popup and popup.highlighted == 0)
        await ed.press("t")  # filters (fuzzy) and marks the matched characters
        assert popup.matches == ["alpha_three", "alpha_two"]
        await ed.press("down", "up")  # the same highlight whatever the mouse did before

    # without jedi: its type lookups time out on a loaded machine, so the types would vary
    assert screenshot("%config Completer.use_jedi = False\nalpha_one = 1\nalpha_two = 2\n"
                      "alpha_three = 3", "", scenario=scenario)


def test_run_dead_kernel(screenshot) -> None:  # type: ignore[no-untyped-def]
    async def scenario(ed: RunDriver) -> None:
        await ed.press("ctrl+a", "ctrl+e", "escape", "k")
        await ed.until_shown("working")
        controller = ed.screen.query_one(KernelController)
        pid = controller.session.manager.process.pid  # type: ignore[union-attr]
        os.kill(pid, signal.SIGKILL)
        await ed.until_shown("Restart the kernel", timeout=5)

    assert screenshot("import time\nprint('working', flush=True)\ntime.sleep(30)",
                      "print('queued')", scenario=scenario)


def test_run_inspect_panel(screenshot) -> None:  # type: ignore[no-untyped-def]
    async def scenario(ed: RunDriver) -> None:
        await ed.press("enter", *"n = len", "shift+tab")
        await ed.until(lambda: isinstance(ed.app.screen, InspectScreen))
        await ed.until_shown("Return the number of items")

    assert screenshot("", scenario=scenario, size=(100, 24))
