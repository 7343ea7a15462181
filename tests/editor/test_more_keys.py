"""The remaining bindings: vi-style jumps, space paging, edit-mode run keys, redo variants, and
that every binding in the table is attached to the widget of its scope."""

from __future__ import annotations

import pytest

from tests.editor.conftest import numbered_notebook, run_editor
from tui.notebook import keymap
from tui.notebook.cell_list import CellList
from tui.notebook.cell_view import CellEditor
from tui.notebook.find import FindBar
from tui.notebook.messages import RunRequested
from tui.notebook.screen import NotebookScreen
from tui.notebook.widget_views.base import WidgetView

SCOPE_OWNERS = {"global": NotebookScreen, "command": CellList, "edit": CellEditor,
                "find": FindBar, "widget": WidgetView}


@pytest.mark.parametrize("spec", keymap.DEFAULTS, ids=lambda s: s.id)
def test_every_binding_is_attached_to_its_scope(spec):
    owner = SCOPE_OWNERS[spec.scope]
    ids = {b.id for b in owner.BINDINGS}
    assert spec.id in ids
    name = spec.action.split("(")[0].split(".")[-1]
    target = {"screen": NotebookScreen, "app": None}.get(spec.action.split(".")[0], owner)
    if target is not None:
        assert hasattr(target, f"action_{name}"), spec.action


async def test_g_and_shift_g_jump_and_space_pages(write_nb):
    async with run_editor(write_nb(numbered_notebook(60))) as ed:
        await ed.press("G")
        assert ed.cursor == 59
        await ed.press("g")
        assert ed.cursor == 0
        await ed.press("space")
        assert ed.cursor > 0
        await ed.press("shift+space")
        assert ed.cursor == 0


async def test_edit_mode_run_keys(write_nb):
    async with run_editor(write_nb(numbered_notebook(2))) as ed:
        def runs():
            return [(m.indices, m.then) for m in ed.messages if isinstance(m, RunRequested)]

        await ed.press("enter")
        await ed.settle()
        await ed.press("ctrl+enter")
        assert runs()[-1] == ([0], "stay") and ed.cursor == 0
        await ed.press("enter")
        await ed.settle()
        await ed.press("alt+enter")
        await ed.settle()
        assert runs()[-1] == ([0], "insert")
        assert ed.sources() == ["c0", "", "c1"] and ed.screen.mode == "edit" and ed.cursor == 1


async def test_ctrl_shift_z_redoes_text(write_nb):
    async with run_editor(write_nb(numbered_notebook(1))) as ed:
        await ed.press("enter")
        await ed.settle()
        editor = ed.app.focused
        await ed.press("end", "q", "ctrl+z")
        assert editor.text == "c0"
        await ed.press("ctrl+shift+z")
        assert editor.text == "c0q"


async def test_no_color_is_respected(write_nb, monkeypatch):
    nb = numbered_notebook(1)
    nb.cells[0].source = "import os"
    path = write_nb(nb)
    async with run_editor(path) as ed:
        assert "#ff4689" in ed.app.export_screenshot().lower()  # keyword pink
    monkeypatch.setenv("NO_COLOR", "1")
    async with run_editor(path) as ed:
        assert ed.app.no_color
        assert "#ff4689" not in ed.app.export_screenshot().lower()
