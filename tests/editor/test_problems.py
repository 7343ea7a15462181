"""A notebook that opens but does not validate: its problems in a panel (each with its cell,
Enter goes there) and nbformat's and JupyterLab's repairs as one undoable step, then saved."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from textual.command import CommandPalette
from textual.widgets import OptionList

import nbio
from tests.editor.conftest import run_editor
from tests.editor.recovery_support import until
from tui.notebook.problems import ProblemsPanel


def invalid_notebook(tmp_path: Path, *, unrepairable: bool = False) -> Path:
    """Four cells; the markdown cell 2 has an execution_count, code cell 4 has no outputs."""
    cells = [
        {"cell_type": "code", "id": "a1", "metadata": {}, "source": "x = 1",
         "execution_count": None, "outputs": []},
        {"cell_type": "markdown", "id": "a2", "metadata": {}, "source": "# hi",
         "execution_count": 3},
        {"cell_type": "code", "id": "a3", "metadata": {}, "source": "y = 2",
         "execution_count": None, "outputs": []},
        {"cell_type": "code", "id": "a4", "metadata": {}, "source": "z = 3",
         "execution_count": None},
    ]
    if unrepairable:
        cells[2]["outputs"] = [{"output_type": "no such type"}]
    nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "bad.ipynb"
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    return path


def panel(ed) -> ProblemsPanel | None:
    found = ed.screen.query(ProblemsPanel)
    return found.first() if found else None


async def test_the_panel_lists_the_problems_and_jumps_to_their_cells(tmp_path):
    path = invalid_notebook(tmp_path)
    async with run_editor(path, size=(100, 30)) as ed:
        await until(ed.pilot, lambda: panel(ed) is not None, what="the problems panel")
        p = panel(ed)
        assert p is not None
        cells = sorted({pr.cell for pr in p.problems})
        assert cells == [1, 3] and all(pr.repairable for pr in p.problems)
        assert ed.screen.focused is not p.query_one(OptionList)  # opening takes no keys
        await ed.press("ctrl+p")
        await until(ed.pilot, lambda: isinstance(ed.app.screen, CommandPalette), what="palette")
        await ed.press(*"Show notebook problems", "enter")
        options = p.query_one(OptionList)
        await until(ed.pilot, lambda: ed.screen.focused is options, what="the panel's keys")
        last = len(p.problems) - 1
        await ed.press(*["down"] * (last + 1), "enter")  # the list starts unhighlighted
        assert ed.cursor == p.problems[last].cell
        await ed.press("escape")
        assert panel(ed) is None and ed.screen.focused is ed.screen.cell_list


async def test_repair_is_one_undoable_step_and_saves(tmp_path):
    path = invalid_notebook(tmp_path)
    async with run_editor(path) as ed:
        await until(ed.pilot, lambda: panel(ed) is not None, what="the problems panel")
        await ed.screen.open_problems()
        await ed.press("r")
        await ed.saved()
        assert panel(ed) is None
        assert not nbio.validate(ed.nb) and not ed.screen.dirty
        nbformat.validate(nbformat.read(path, as_version=4))
        saved = path.read_bytes()
        await ed.press("z")
        assert nbio.validate(ed.nb)  # the repair undone, as one step
        assert ed.sources() == ["x = 1", "# hi", "y = 2", "z = 3"]
        await ed.press("Z")
        assert not nbio.validate(ed.nb)
    assert path.read_bytes() == saved


async def test_what_cannot_be_repaired_stays_listed(tmp_path):
    path = invalid_notebook(tmp_path, unrepairable=True)
    before = path.read_bytes()
    async with run_editor(path) as ed:
        await until(ed.pilot, lambda: panel(ed) is not None, what="the problems panel")
        await ed.screen.open_problems()
        await ed.press("r")
        await ed.settle()
        p = panel(ed)
        assert p is not None and p.problems and not any(pr.repairable for pr in p.problems)
        assert {pr.cell for pr in p.problems} == {2}
        assert "left" in ed.screen.message and ed.screen.dirty
    assert path.read_bytes() == before


async def test_a_refused_save_opens_the_panel(tmp_path):
    path = invalid_notebook(tmp_path)
    async with run_editor(path) as ed:
        await until(ed.pilot, lambda: panel(ed) is not None, what="the problems panel")
        await ed.screen.open_problems()
        await ed.press("escape")
        assert panel(ed) is None
        await ed.press("ctrl+s")
        await ed.saved()
        await until(ed.pilot, lambda: panel(ed) is not None, what="the panel again")
        assert "not saved" in ed.screen.message
