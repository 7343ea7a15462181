"""SVG snapshots of the editor; the baselines are the files in ``screenshots/`` (README shows
them). Update them with ``pytest tests/editor/test_snapshots.py --snapshot-update``."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_textual_snapshot import SVGImageExtension
from textual._doc import take_svg_screenshot
from textual.pilot import Pilot

import nbio
from nbio.model import Cell
from tests.editor.conftest import sample_notebook
from tests.editor.screen_text import until_settled
from tui.notebook.app import NotebookApp
from tui.notebook.output_view import EditorDisplay

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


NAMES = {"small_notebook", "rendered_markdown", "edit_mode", "help_screen", "find",
         "view_80x24", "rich_showcase"}
"""This module's baselines (other modules keep theirs in screenshots/ too: never touch them)."""


class ScreenshotsExtension(SVGImageExtension):
    """Keeps each snapshot as ``screenshots/<test name without test_>.svg``."""

    def is_snapshot_location(self, *, location: str) -> bool:
        return Path(location).stem in NAMES

    @classmethod
    def dirname(cls, *, test_location) -> str:  # type: ignore[no-untyped-def]
        return str(SCREENSHOTS)

    @classmethod
    def get_snapshot_name(cls, *, test_location, index=0) -> str:  # type: ignore[no-untyped-def]
        return test_location.testname.removeprefix("test_")


@pytest.fixture
def screenshot(snapshot, tmp_path):
    """``await``-free helper: screenshot(nb, keys, size) == the baseline in screenshots/."""
    snap = snapshot.use_extension(ScreenshotsExtension)

    def take(nb, *, press: tuple[str, ...] = (), size: tuple[int, int] = (100, 32),
             name: str = "notebook.ipynb", graphics: str = "none") -> bool:
        path = tmp_path / name
        nbio.write(nb, path)
        # graphics "none" by default: the sample's (broken) image is its placeholder and alt
        # text whatever the image renderer says about it
        app = NotebookApp(nbio.read(path), path, check_disk_every=0,
                          output_display=EditorDisplay(graphics=graphics))  # type: ignore[arg-type]

        async def run_before(pilot: Pilot[None]) -> None:
            await pilot.pause()
            await until_settled(app, pilot)  # pictures decode off the UI thread
            for key in press:
                await pilot.press(key)
                await pilot.pause()
            await pilot.wait_for_scheduled_animations()
            await until_settled(app, pilot)

        svg = take_svg_screenshot(app=app, terminal_size=size, run_before=run_before)
        return snap == svg

    return take


def markdown_notebook():
    nb = sample_notebook()
    nb.cells = [
        Cell.new("markdown", "# Rendered markdown\n\nParagraphs with *emphasis*, **strong** "
                 "and `inline code`, and [a link](https://jupyter.org).\n\n## Lists\n\n"
                 "1. first\n2. second\n   - nested\n\n## A table\n\n| name | value |\n"
                 "|------|------:|\n| pi | 3.14 |\n| e | 2.72 |\n\n## Code\n\n"
                 "```python\ndef f(x):\n    return x * 2\n```", cell_id="md000001"),
    ]
    return nb


def test_small_notebook(screenshot):
    assert screenshot(sample_notebook())


def test_rendered_markdown(screenshot):
    assert screenshot(markdown_notebook())


def test_edit_mode(screenshot):
    assert screenshot(sample_notebook(), press=("j", "enter", "end", "enter", "x", "=", "2"))


def test_help_screen(screenshot):
    assert screenshot(sample_notebook(), press=("h",))


def test_find(screenshot):
    assert screenshot(sample_notebook(), press=("ctrl+h", "x", "tab", "y"))


def test_view_80x24(screenshot):
    assert screenshot(sample_notebook(), press=("j", "shift+down"), size=(80, 24))


SHOWCASE = Path(__file__).resolve().parents[1] / "data" / "rich" / "notebooks" / "showcase.ipynb"


def test_rich_showcase(screenshot):
    """A plot (half-blocks), a DataFrame, math and JSON in the editor."""
    nb = nbio.read(SHOWCASE)
    assert screenshot(nb, size=(100, 56), graphics="halfblock")
