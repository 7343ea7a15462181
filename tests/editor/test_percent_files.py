"""``jtui foo.py``: a percent script opens in the editor as a notebook, and Ctrl+S writes it
back in the same format (jupytext reads the result; nothing else in the file moves)."""

from __future__ import annotations

import argparse
from pathlib import Path

import jupytext
import nbformat
from pytest_textual_snapshot import SVGImageExtension
from textual._doc import take_svg_screenshot
from textual.pilot import Pilot

import nbio
from tests.editor.conftest import run_editor
from tests.editor.screen_text import until_settled
from tui.notebook.app import NotebookApp
from tui.notebook.command import run as command_run
from tui.notebook.output_view import EditorDisplay

WORKSHOP = Path(__file__).resolve().parents[1] / "data" / "percent" / "workshop.ipynb"


def _script(tmp_path: Path) -> Path:
    path = tmp_path / "workshop.py"
    path.write_text(jupytext.writes(nbformat.read(WORKSHOP, 4), "py:percent"), encoding="utf-8")
    return path


async def test_open_edit_and_save_a_percent_script(tmp_path: Path) -> None:
    path = _script(tmp_path)
    before = path.read_text(encoding="utf-8")
    expected = jupytext.read(path)
    async with run_editor(path) as ed:
        assert ed.types() == [c.cell_type for c in expected.cells]
        assert ed.sources() == [c.source for c in expected.cells]
        assert "workshop.py" in str(ed.screen.query_one("#title").render())
        await ed.press("ctrl+s")  # unchanged: the same bytes, jupytext's version line too
        await ed.saved()
        assert path.read_text(encoding="utf-8") == before
        await ed.press("b", "enter")
        await ed.settle()
        await ed.press(*"x = 42", "escape", "ctrl+s")
        await ed.saved()
        assert not ed.screen.dirty
        assert ed.screen.checkpoints_written == 2
    after = path.read_text(encoding="utf-8")
    back = jupytext.read(path)
    assert [c.source for c in back.cells] == [
        *[c.source for c in expected.cells[:1]], "x = 42",
        *[c.source for c in expected.cells[1:]]]
    inserted = "# %%\nx = 42\n\n"
    marker = before.index("# %%\n# %matplotlib")
    assert after == before[:marker] + inserted + before[marker:]
    checkpoint = tmp_path / ".ipynb_checkpoints" / "workshop-checkpoint.py"
    assert checkpoint.read_text(encoding="utf-8") == after


async def test_a_new_script_is_saved_in_the_percent_format(tmp_path: Path) -> None:
    path = tmp_path / "fresh.py"
    async with run_editor(path) as ed:
        await ed.press("enter")
        await ed.settle()
        await ed.press(*"print(1)", "escape", "ctrl+s")
        await ed.saved()
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# ---\n# jupyter:\n") and "#     name: python3\n" in text
    assert text.endswith("# %%\nprint(1)\n")
    assert [c.source for c in jupytext.read(path).cells] == ["print(1)"]


def test_a_script_jtui_cannot_read_is_a_clear_error(tmp_path: Path, capsys) -> None:
    path = tmp_path / "bad.py"
    path.write_text("# ---\n# jupyter:\n#   kernelspec: {name: [\n# ---\n", encoding="utf-8")
    args = argparse.Namespace(path=str(path), kernel=None, record_timing=False, recover=False,
                              no_autosave=True, graphics=None)
    assert command_run(args) == 1
    err = capsys.readouterr().err
    assert f"jtui: cannot open {path}" in err and "YAML header" in err and "line 3" in err


class _PercentShot(SVGImageExtension):
    """``screenshots/percent_script.svg`` (README's text-notebook section shows it)."""

    def is_snapshot_location(self, *, location: str) -> bool:
        return Path(location).stem == "percent_script"

    @classmethod
    def dirname(cls, *, test_location) -> str:  # type: ignore[no-untyped-def]
        return str(Path(__file__).resolve().parents[2] / "screenshots")

    @classmethod
    def get_snapshot_name(cls, *, test_location, index=0) -> str:  # type: ignore[no-untyped-def]
        return "percent_script"


def test_percent_script_snapshot(snapshot, tmp_path: Path) -> None:
    path = _script(tmp_path)
    app = NotebookApp(nbio.read(path), path, check_disk_every=0,
                      output_display=EditorDisplay(graphics="none"))  # type: ignore[arg-type]

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await until_settled(app, pilot)
        for key in ("j", "j"):
            await pilot.press(key)
            await pilot.pause()
        await until_settled(app, pilot)

    svg = take_svg_screenshot(app=app, terminal_size=(100, 32), run_before=run_before)
    assert snapshot.use_extension(_PercentShot) == svg
