"""Checkpoints on manual save, and the palette's revert to checkpoint, save as and rename.

Checkpoints are where jupyter_server's FileCheckpoints keeps them; the cross-check reads them
with jupyter_server's own class."""

from __future__ import annotations

from pathlib import Path

import nbformat
from jupyter_server.services.contents.filecheckpoints import FileCheckpoints
from textual.command import CommandPalette

import nbio
from tests.editor.conftest import numbered_notebook, run_editor
from tests.editor.recovery_support import journals, until
from tui.notebook.dialogs import ChoiceScreen
from tui.notebook.path_dialog import PathScreen
from tui.recovery.settings import RecoverySettings

FAST = RecoverySettings(autosave_every=0.2)


def checkpoint_of(path: Path) -> Path:
    return path.parent / ".ipynb_checkpoints" / f"{path.stem}-checkpoint.ipynb"


def sources(path: Path) -> list[str]:
    return [c.source for c in nbio.read(path).cells]


async def palette(ed, command: str) -> None:
    await ed.press("ctrl+p")
    await until(ed.pilot, lambda: isinstance(ed.app.screen, CommandPalette), what="palette")
    await ed.press(*command)
    await ed.settle()
    await ed.press("enter")
    await ed.settle()


async def test_ctrl_s_writes_the_checkpoint_jupyter_server_reads(write_nb, tmp_path):
    path = write_nb(numbered_notebook(2))
    async with run_editor(path) as ed:
        await ed.press("b", "ctrl+s")
        await ed.saved()
        assert ed.screen.checkpoints_written == 1
    assert checkpoint_of(path).read_bytes() == path.read_bytes()
    server = FileCheckpoints(root_dir=str(tmp_path))
    listed = server.list_checkpoints(path.name)
    assert [c["id"] for c in listed] == ["checkpoint"]
    nbformat.validate(nbformat.read(checkpoint_of(path), as_version=4))


async def test_autosave_writes_no_checkpoint(write_nb):
    path = write_nb(numbered_notebook(2))
    async with run_editor(path, recovery=FAST) as ed:
        await ed.press("b")
        await until(ed.pilot, lambda: ed.screen.autosaves == 1, what="the autosave")
        assert sources(path) == ["c0", "", "c1"]
    assert not checkpoint_of(path).exists()


async def test_revert_to_checkpoint_asks_then_restores_and_reloads(write_nb):
    path = write_nb(numbered_notebook(2))
    async with run_editor(path) as ed:
        await ed.press("ctrl+s")
        await ed.saved()
        await ed.press("b", "b", "ctrl+s")
        await ed.saved()
        await ed.press("j", "d", "d")  # saved twice since; one more edit unsaved
        assert sources(path) == ["c0", "", "", "c1"]
        assert checkpoint_of(path).read_bytes() == path.read_bytes()  # the last manual save's
        # an older checkpoint (as JupyterLab would leave after its own save of the 2 cells)
        checkpoint_of(path).write_bytes(nbio.writes(numbered_notebook(2)).encode() + b"\n")
        await palette(ed, "Revert to checkpoint")
        await until(ed.pilot, lambda: isinstance(ed.app.screen, ChoiceScreen), what="question")
        assert path.read_bytes() != checkpoint_of(path).read_bytes()  # nothing done yet
        await ed.press("r")
        await until(ed.pilot, lambda: ed.sources() == ["c0", "c1"], what="the revert")
        assert not ed.screen.dirty
        assert sources(path) == ["c0", "c1"]
        await ed.press("b")  # a fresh history: editing goes on
        assert len(ed.sources()) == 3 and ed.screen.dirty


async def test_revert_cancelled_changes_nothing(write_nb):
    path = write_nb(numbered_notebook(2))
    async with run_editor(path) as ed:
        await ed.press("ctrl+s")
        await ed.saved()
        await ed.press("b")
        await palette(ed, "Revert to checkpoint")
        await until(ed.pilot, lambda: isinstance(ed.app.screen, ChoiceScreen), what="question")
        await ed.press("c")
        await ed.settle()
        assert ed.sources() == ["c0", "", "c1"] and ed.screen.dirty


async def test_revert_without_a_checkpoint_says_so(write_nb):
    path = write_nb(numbered_notebook(2))
    async with run_editor(path) as ed:
        await palette(ed, "Revert to checkpoint")
        assert "no checkpoint" in ed.screen.message
        assert not isinstance(ed.app.screen, ChoiceScreen)


async def test_save_as_asks_a_path_and_goes_on_with_the_new_file(write_nb, tmp_path):
    path = write_nb(numbered_notebook(2))
    before = path.read_bytes()
    async with run_editor(path) as ed:
        await ed.press("b")
        await palette(ed, "Save as...")
        await until(ed.pilot, lambda: isinstance(ed.app.screen, PathScreen), what="path field")
        field = ed.app.screen.query_one("#path")
        assert field.value == str(path)
        field.value = ""
        await ed.press(*"copy.ipynb", "enter")
        copy = tmp_path / "copy.ipynb"
        await until(ed.pilot, lambda: ed.screen.path == copy and not ed.screen.saving
                    and not ed.screen.dirty, what="save as")
        await ed.saved()
        assert sources(copy) == ["c0", "", "c1"]
        assert checkpoint_of(copy).read_bytes() == copy.read_bytes()
        assert "copy.ipynb" in str(ed.screen.query_one("#title").render())
        await ed.press("b", "ctrl+s")
        await ed.saved()
        assert sources(copy) == ["c0", "", "", "c1"]
    assert path.read_bytes() == before


async def test_save_as_refuses_an_existing_file(write_nb, tmp_path):
    path = write_nb(numbered_notebook(2))
    other = write_nb(numbered_notebook(1), "other.ipynb")
    before = other.read_bytes()
    async with run_editor(path) as ed:
        await ed.press("b")
        await palette(ed, "Save as...")
        await until(ed.pilot, lambda: isinstance(ed.app.screen, PathScreen), what="path field")
        ed.app.screen.query_one("#path").value = str(other)
        await ed.press("enter")
        await ed.settle()
        assert ed.screen.path == path and ed.screen.dirty
    assert other.read_bytes() == before


async def test_rename_moves_the_file_and_its_checkpoint(write_nb, tmp_path):
    path = write_nb(numbered_notebook(2))
    async with run_editor(path) as ed:
        await ed.press("ctrl+s")
        await ed.saved()
        saved = path.read_bytes()
        await palette(ed, "Rename...")
        await until(ed.pilot, lambda: isinstance(ed.app.screen, PathScreen), what="path field")
        field = ed.app.screen.query_one("#path")
        assert field.value == "nb.ipynb"
        field.value = "renamed.ipynb"
        await ed.press("enter")
        new = tmp_path / "renamed.ipynb"
        await until(ed.pilot, lambda: ed.screen.path == new, what="the rename")
        assert not path.exists() and not checkpoint_of(path).exists()
        assert new.read_bytes() == saved and checkpoint_of(new).read_bytes() == saved
        await ed.press("b")  # journaled under the new name, for `jtui --recover renamed.ipynb`
        await until(ed.pilot, lambda: len(journals(new)) == 1, what="the new journal")
        assert not journals(path)
        await ed.press("ctrl+s")
        await ed.saved()
        assert sources(new) == ["c0", "", "c1"]
    assert not path.exists()
    server = FileCheckpoints(root_dir=str(tmp_path))
    assert [c["id"] for c in server.list_checkpoints("renamed.ipynb")] == ["checkpoint"]
