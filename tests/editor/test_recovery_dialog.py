"""Opening a notebook with a recovery journal: the question (Recover / Open as saved / Show
differences, whether the writer still runs), ``--recover`` without asking, damaged journals,
and two editors on one notebook."""

from __future__ import annotations

import os
import socket
import time

import nbformat
import pytest

import nbio
from tests.editor.conftest import numbered_notebook, run_editor
from tests.editor.recovery_support import file_sources, journals, notes, settings_for, until
from tui.notebook.dialogs import ChoiceScreen
from tui.notebook.recovery_dialog import DifferencesScreen
from tui.notebook.screen import NotebookScreen
from tui.recovery import store
from tui.recovery.journal import JournalHeader, encode
from tui.recovery.process import ProcessId, this_process
from tui.recovery.snapshot import take

GONE = ProcessId(pid=os.getpid(), host=socket.gethostname(), started=1.0)


def leave_journal(path, nb, *, writer=GONE, sha=None):
    """A journal of ``path`` holding ``nb``, as a jtui that died would have left it."""
    directory = store.recovery_dir()
    store.ensure_dir(directory)
    journal = store.new_journal_path(path, directory, pid=writer.pid)
    if sha is None and path.exists():
        sha = nbio.read(path).disk_stamp.sha256
    header = JournalHeader(source=path.resolve(), source_sha256=sha, writer=writer,
                           written=time.time(), file=journal)
    store.atomic_write(journal, encode(header, take(nb).to_json()))
    return journal


def changed(n=2):
    nb = numbered_notebook(n)
    nb.cells[0].source = "recovered text"
    return nb


def question(ed) -> str:
    screen = ed.app.screen
    assert isinstance(screen, ChoiceScreen), type(screen)
    return screen.question


async def test_a_journal_with_changes_asks_and_says_the_writer_is_gone(write_nb):
    path = write_nb(numbered_notebook(2))
    leave_journal(path, changed())
    settings, nb, _ = settings_for(path)
    async with run_editor(path, nb=nb, recovery=settings) as ed:
        text = question(ed)
        assert "unsaved changes in a recovery journal" in text
        assert "no longer running" in text
        labels = [label for _, _, label in ed.app.screen.choices]
        assert labels == ["Recover", "Open as saved", "Show differences"]


async def test_recover_opens_the_journal_unsaved_and_a_save_writes_it(write_nb):
    path = write_nb(numbered_notebook(2))
    old = leave_journal(path, changed())
    settings, nb, _ = settings_for(path)
    async with run_editor(path, nb=nb, recovery=settings) as ed:
        await ed.press("r")
        await until(ed.pilot, lambda: isinstance(ed.app.screen, NotebookScreen))
        await ed.settle()
        assert ed.sources() == ["recovered text", "c1"]
        assert ed.screen.dirty and "●" in str(ed.screen.query_one("#title").render())
        assert file_sources(path) == ["c0", "c1"]  # not written until saved
        await ed.press("ctrl+s")
        await ed.saved()
        await until(ed.pilot, lambda: not old.exists(), what="the old journal removed")
        await until(ed.pilot, lambda: not journals(path))
    assert file_sources(path) == ["recovered text", "c1"]
    nbformat.validate(nbformat.read(path, as_version=4))


async def test_open_as_saved_keeps_the_journal_until_the_next_save(write_nb):
    path = write_nb(numbered_notebook(2))
    old = leave_journal(path, changed())
    settings, nb, _ = settings_for(path)
    async with run_editor(path, nb=nb, recovery=settings) as ed:
        await ed.press("o")
        await until(ed.pilot, lambda: isinstance(ed.app.screen, NotebookScreen))
        await ed.settle()
        assert ed.sources() == ["c0", "c1"] and not ed.screen.dirty
        await ed.press("b")  # our own changes get our own journal; the old one stays
        await until(ed.pilot, lambda: len(journals(path)) == 2)
        assert old.exists()
        await ed.press("ctrl+s")
        await ed.saved()
        await until(ed.pilot, lambda: not journals(path), what="both journals removed")


async def test_escape_opens_as_saved(write_nb):
    path = write_nb(numbered_notebook(2))
    old = leave_journal(path, changed())
    settings, nb, _ = settings_for(path)
    async with run_editor(path, nb=nb, recovery=settings) as ed:
        await ed.press("escape")
        await until(ed.pilot, lambda: isinstance(ed.app.screen, NotebookScreen))
        assert ed.sources() == ["c0", "c1"] and old.exists()


async def test_show_differences_then_recover(write_nb):
    path = write_nb(numbered_notebook(2))
    leave_journal(path, changed())
    settings, nb, _ = settings_for(path)
    async with run_editor(path, nb=nb, recovery=settings, size=(100, 30)) as ed:
        await ed.press("d")
        await until(ed.pilot, lambda: isinstance(ed.app.screen, DifferencesScreen))
        diff = ed.app.screen.text
        assert "-c0" in diff and "+recovered text" in diff
        await ed.press("escape")
        await until(ed.pilot, lambda: isinstance(ed.app.screen, ChoiceScreen))
        await ed.press("r")
        await until(ed.pilot, lambda: isinstance(ed.app.screen, NotebookScreen))
        assert ed.sources() == ["recovered text", "c1"]


async def test_a_journal_the_same_as_the_file_asks_nothing(write_nb):
    path = write_nb(numbered_notebook(2))
    old = leave_journal(path, numbered_notebook(2))
    settings, nb, _ = settings_for(path)
    assert settings.offer is None and not old.exists()
    async with run_editor(path, nb=nb, recovery=settings) as ed:
        assert isinstance(ed.app.screen, NotebookScreen)


async def test_the_cli_recover_option_recovers_without_asking(write_nb):
    path = write_nb(numbered_notebook(2))
    leave_journal(path, changed())
    settings, nb, _ = settings_for(path, recover=True)
    assert settings.offer is None and settings.recovered
    async with run_editor(path, nb=nb, recovery=settings) as ed:
        assert isinstance(ed.app.screen, NotebookScreen)
        assert ed.sources() == ["recovered text", "c1"] and ed.screen.dirty
        await ed.press("ctrl+s")
        await ed.saved()
    assert file_sources(path) == ["recovered text", "c1"]


async def test_recover_of_a_notebook_never_saved(tmp_path):
    path = tmp_path / "never-saved.ipynb"
    leave_journal(path, changed(1))
    settings, nb, _ = settings_for(path, recover=True)
    async with run_editor(path, nb=nb, recovery=settings) as ed:
        assert ed.sources() == ["recovered text"]
        await ed.press("ctrl+s")
        await ed.saved()
    assert file_sources(path) == ["recovered text"]


async def test_recover_with_no_journal_says_so_and_opens_as_saved(write_nb):
    path = write_nb(numbered_notebook(2))
    settings, _nb, lines = settings_for(path, recover=True)
    assert not settings.recovered and any("No recovery journal" in line for line in lines)


@pytest.mark.parametrize("damage", [b"", b"{\"format\": \"jupyter-tui-journal\", \"vers"])
async def test_a_damaged_journal_is_reported_and_the_file_opens_as_saved(write_nb, damage):
    path = write_nb(numbered_notebook(2))
    journal = leave_journal(path, changed())
    journal.write_bytes(damage)
    settings, nb, lines = settings_for(path)
    assert settings.offer is None
    async with run_editor(path, nb=nb, recovery=settings, warnings=lines) as ed:
        assert isinstance(ed.app.screen, NotebookScreen)
        assert ed.sources() == ["c0", "c1"]
        assert any("damaged" in n and str(journal) in n for n in notes(ed.app))


async def test_a_journal_of_another_format_version_is_reported(write_nb):
    import json

    path = write_nb(numbered_notebook(2))
    journal = leave_journal(path, changed())
    d = json.loads(journal.read_bytes())
    d["version"] = 7
    journal.write_text(json.dumps(d))
    settings, _nb, lines = settings_for(path)
    assert settings.offer is None
    assert any("version 7" in line for line in lines)


async def test_a_running_writer_is_said_to_be_another_jtui(write_nb):
    path = write_nb(numbered_notebook(2))
    leave_journal(path, changed(), writer=this_process())
    settings, nb, _ = settings_for(path)
    async with run_editor(path, nb=nb, recovery=settings) as ed:
        text = question(ed)
        assert "STILL RUNNING" in text and "another jtui is editing this notebook" in text
