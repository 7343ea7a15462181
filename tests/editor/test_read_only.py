"""A read-only notebook (mode 0444 in a writable folder) is never replaced by Ctrl+S: the editor
says so and offers "save as"; autosave says so without asking."""

from __future__ import annotations

import stat
from pathlib import Path

import nbio
from tests.editor.conftest import numbered_notebook, run_editor
from tests.editor.recovery_support import until
from tui.notebook.dialogs import ChoiceScreen
from tui.notebook.path_dialog import PathScreen
from tui.recovery.settings import RecoverySettings


def read_only(path: Path) -> Path:
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    return path


async def test_ctrl_s_on_a_read_only_file_says_so_and_offers_save_as(write_nb, tmp_path):
    path = read_only(write_nb(numbered_notebook(2)))
    before = path.read_bytes()
    async with run_editor(path) as ed:
        await ed.press("b", "ctrl+s")
        await ed.saved()
        await until(ed.pilot, lambda: isinstance(ed.app.screen, ChoiceScreen), what="offer")
        assert "read-only" in ed.app.screen.question
        assert ed.screen.dirty and "read-only" in ed.screen.message
        assert path.read_bytes() == before and oct(path.stat().st_mode & 0o777) == "0o444"
        await ed.press("a")
        await until(ed.pilot, lambda: isinstance(ed.app.screen, PathScreen), what="path field")
        ed.app.screen.query_one("#path").value = "mine.ipynb"
        await ed.press("enter")
        mine = tmp_path / "mine.ipynb"
        await until(ed.pilot, lambda: ed.screen.path == mine and not ed.screen.dirty,
                    what="saved as")
        await ed.saved()
        assert [c.source for c in nbio.read(mine).cells] == ["c0", "", "c1"]
    assert path.read_bytes() == before


async def test_the_offer_can_be_declined(write_nb):
    path = read_only(write_nb(numbered_notebook(2)))
    async with run_editor(path) as ed:
        await ed.press("b", "ctrl+s")
        await ed.saved()
        await until(ed.pilot, lambda: isinstance(ed.app.screen, ChoiceScreen), what="offer")
        await ed.press("c")
        await ed.settle()
        assert not isinstance(ed.app.screen, ChoiceScreen)
        assert ed.screen.dirty and ed.screen.path == path


async def test_autosave_of_a_read_only_file_asks_nothing(write_nb):
    path = read_only(write_nb(numbered_notebook(2)))
    before = path.read_bytes()
    async with run_editor(path, recovery=RecoverySettings(autosave_every=0.2)) as ed:
        await ed.press("b")
        await until(ed.pilot, lambda: "read-only" in ed.screen.message, what="autosave")
        assert not isinstance(ed.app.screen, ChoiceScreen) and ed.screen.dirty
    assert path.read_bytes() == before
