"""Saving through nbio: byte-identical to nbformat, validated, and careful with disk changes."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import nbio
from tests.editor.conftest import CORPUS, numbered_notebook, run_editor
from tui.notebook.dialogs import ChoiceScreen

MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
READABLE = [e for e in MANIFEST["notebooks"] if e.get("expected_v4")]
VALID = [e["file"] for e in READABLE if e["expected_v4_isvalid"]]
INVALID = [e["file"] for e in READABLE if not e["expected_v4_isvalid"]]


def counter() -> Iterator[str]:
    k = 0
    while True:
        yield format(k, "08x")
        k += 1


def open_corpus(name: str, tmp_path: Path):
    path = tmp_path / name
    shutil.copyfile(CORPUS / name, path)
    ids = counter()
    nb = nbio.read(path, id_factory=lambda: next(ids))
    return path, nb


@pytest.mark.parametrize("name", VALID)
async def test_save_and_edit_undo_save_write_what_nbformat_writes(name, tmp_path):
    path, nb = open_corpus(name, tmp_path)
    expected = (CORPUS / "expected_v4" / name).read_bytes()
    async with run_editor(path, nb=nb) as ed:
        await ed.press("ctrl+s")
        await ed.saved()
        assert not ed.screen.dirty
        assert path.read_bytes() == expected
        await ed.press("b", "m", "enter")
        await ed.settle()
        await ed.press("x", "y", "escape", "j", "ctrl+shift+up")
        assert ed.screen.dirty
        for _ in range(4):
            await ed.press("z")
        assert not ed.screen.dirty
        await ed.press("ctrl+s")
        await ed.saved()
    assert path.read_bytes() == expected


@pytest.mark.parametrize("name", INVALID)
async def test_an_invalid_notebook_is_never_written(name, tmp_path):
    path, nb = open_corpus(name, tmp_path)
    before = path.read_bytes()
    async with run_editor(path, nb=nb) as ed:
        await ed.press("ctrl+s")
        await ed.saved()
        assert "not saved" in str(ed.screen.query_one("#status").render())
        assert ed.screen.dirty or ed.screen.history.can_undo is False
    assert path.read_bytes() == before


async def test_new_file_is_created_on_save(tmp_path):
    path = tmp_path / "new.ipynb"
    async with run_editor(path) as ed:
        assert "●" in str(ed.screen.query_one("#title").render())
        assert ed.nb.kernel_name == "python3"
        await ed.press("enter")
        await ed.settle()
        await ed.press("1", "+", "1", "escape", "ctrl+s")
        await ed.saved()
        assert "●" not in str(ed.screen.query_one("#title").render())
    nb = nbio.read(path)
    assert [c.source for c in nb.cells] == ["1+1"]
    assert nbio.validate(nb) == []
    assert path.read_text(encoding="utf-8") == nbio.writes(nb) + "\n"


async def test_changed_on_disk_asks_and_keep_mine_overwrites(write_nb):
    path = write_nb(numbered_notebook(2))
    async with run_editor(path) as ed:
        other = numbered_notebook(3)
        path.write_text(nbio.writes(other) + "\n", encoding="utf-8")
        os.utime(path, ns=(1, 1))
        await ed.press("b", "ctrl+s")
        await ed.saved()
        assert isinstance(ed.app.screen, ChoiceScreen)
        assert len(nbio.read(path).cells) == 3  # not overwritten without asking
        await ed.press("k")
        await ed.saved()
        await ed.settle()
    assert [c.source for c in nbio.read(path).cells] == ["c0", "", "c1"]


async def test_changed_on_disk_reload(write_nb):
    path = write_nb(numbered_notebook(2))
    async with run_editor(path, check_disk_every=0.05) as ed:
        path.write_text(nbio.writes(numbered_notebook(3)) + "\n", encoding="utf-8")
        os.utime(path, ns=(1, 1))
        await ed.app.wait_for_refresh()
        for _ in range(200):  # the file watcher's timer pushes the question
            if isinstance(ed.app.screen, ChoiceScreen):
                break
            await ed.pilot.pause(0.02)
        assert isinstance(ed.app.screen, ChoiceScreen)
        await ed.press("r")
        await ed.settle()
        assert ed.sources() == ["c0", "c1", "c2"]
        assert not ed.screen.dirty


async def test_quit_with_unsaved_changes_asks(write_nb):
    path = write_nb(numbered_notebook(2))
    async with run_editor(path) as ed:
        await ed.press("b", "ctrl+q")
        await ed.settle()
        assert isinstance(ed.app.screen, ChoiceScreen)
        await ed.press("c")  # cancel
        await ed.settle()
        assert ed.app.is_running and len(ed.nb.cells) == 3
        await ed.press("ctrl+q")
        await ed.settle()
        await ed.press("s")  # save and quit
        await ed.saved()
        await ed.settle()
    assert len(nbio.read(path).cells) == 3


async def test_quit_without_changes_just_quits(write_nb):
    async with run_editor(write_nb(numbered_notebook(1))) as ed:
        assert ed.app.return_code is None
        await ed.press("ctrl+q")
        await ed.settle()
        assert not isinstance(ed.app.screen, ChoiceScreen)
        assert ed.app.return_code == 0
