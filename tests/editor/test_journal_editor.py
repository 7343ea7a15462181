"""The editor journals every change (the text being typed included) within about a second,
removes the journal after a clean save or quit, keeps it otherwise, and survives a journal
folder it cannot write."""

from __future__ import annotations

import time

from tests.editor.conftest import numbered_notebook, run_editor
from tests.editor.recovery_support import journal_sources, journals, notes, until
from tui.recovery import read_journal
from tui.recovery.settings import RecoverySettings

NO_AUTOSAVE = RecoverySettings(autosave_every=0)


async def test_text_typed_in_a_cell_reaches_the_journal_within_a_second(write_nb):
    path = write_nb(numbered_notebook(2))
    async with run_editor(path, recovery=RecoverySettings(autosave_every=0)) as ed:
        await ed.press("enter")
        await ed.pilot.press(*"typed")
        start = time.monotonic()
        await until(ed.pilot, lambda: journal_sources(path) == ["typedc0", "c1"],
                    what="the typed text in the journal")
        assert time.monotonic() - start < 5  # about a second, with room for a loaded machine
        assert ed.screen.mode == "edit"  # still typing: nothing committed
        assert ed.nb.cells[0].source == "c0"


async def test_every_key_is_journaled_not_just_the_first(write_nb):
    path = write_nb(numbered_notebook(1))
    async with run_editor(path, recovery=RecoverySettings(autosave_every=0)) as ed:
        await ed.press("enter", "a")
        await until(ed.pilot, lambda: journal_sources(path) == ["ac0"])
        await ed.press("b", "c")
        await until(ed.pilot, lambda: journal_sources(path) == ["abcc0"])


async def test_cell_operations_reach_the_journal(write_nb):
    path = write_nb(numbered_notebook(2))
    async with run_editor(path, recovery=RecoverySettings(autosave_every=0)) as ed:
        await ed.press("b")
        await until(ed.pilot, lambda: journal_sources(path) == ["c0", "", "c1"])
        await ed.press("d", "d")
        await until(ed.pilot, lambda: journal_sources(path) == ["c0", "c1"])


async def test_the_journal_records_the_file_and_its_hash(write_nb):
    path = write_nb(numbered_notebook(1))
    async with run_editor(path, recovery=RecoverySettings(autosave_every=0)) as ed:
        sha = ed.nb.disk_stamp.sha256
        await ed.press("b")
        await until(ed.pilot, lambda: journal_sources(path) is not None)
        header = read_journal(journals(path)[0]).header
        assert header.source == path.resolve() and header.source_sha256 == sha


async def test_a_save_removes_the_journal(write_nb):
    path = write_nb(numbered_notebook(2))
    async with run_editor(path, recovery=RecoverySettings(autosave_every=0)) as ed:
        await ed.press("enter", "x")
        await until(ed.pilot, lambda: journal_sources(path) is not None)
        await ed.press("ctrl+s")
        await ed.saved()
        await until(ed.pilot, lambda: not journals(path), what="the journal removed")
        await ed.press("y")  # typing on after the save journals again, with the new hash
        await until(ed.pilot, lambda: journal_sources(path) == ["xyc0", "c1"])
        assert read_journal(journals(path)[0]).header.source_sha256 == ed.nb.disk_stamp.sha256


async def test_undoing_back_to_the_saved_state_removes_the_journal(write_nb):
    path = write_nb(numbered_notebook(2))
    async with run_editor(path, recovery=RecoverySettings(autosave_every=0)) as ed:
        await ed.press("b")
        await until(ed.pilot, lambda: journal_sources(path) is not None)
        await ed.press("z")
        await until(ed.pilot, lambda: not journals(path))


async def test_an_untouched_notebook_has_no_journal(write_nb, tmp_path):
    path = write_nb(numbered_notebook(2))
    new = tmp_path / "new.ipynb"
    async with run_editor(path, recovery=RecoverySettings(autosave_every=0)) as ed:
        ed.screen.journal_flush()
        assert not journals(path)
    async with run_editor(new, recovery=RecoverySettings(autosave_every=0)) as ed:
        ed.screen.journal_flush()
        assert not journals(new)
        await ed.press("enter", "q")  # a new notebook typed into is journaled
        await until(ed.pilot, lambda: journal_sources(new) == ["q"])


async def test_a_clean_quit_removes_the_journal(write_nb):
    path = write_nb(numbered_notebook(2))
    async with run_editor(path, recovery=RecoverySettings(autosave_every=0)) as ed:
        await ed.press("b")
        await until(ed.pilot, lambda: journal_sources(path) is not None)
        await ed.press("ctrl+q")
        await ed.press("d")  # quit without saving: the changes, and their journal, go
        await until(ed.pilot, lambda: not ed.app.is_running)
    assert not journals(path)


async def test_an_unclean_end_keeps_the_journal_with_the_last_change(write_nb):
    path = write_nb(numbered_notebook(2))
    async with run_editor(path, recovery=RecoverySettings(autosave_every=0)) as ed:
        await ed.press("b")
        await until(ed.pilot, lambda: journal_sources(path) is not None)
        await ed.press("a")
        ed.screen._journal_tick()  # the last change handed over, not yet written
        ed.app.exit()  # not through the quit question: as a hang-up would end it
    assert journal_sources(path) == ["c0", "", "", "c1"]


async def test_an_unwritable_journal_folder_is_said_once_and_editing_goes_on(write_nb, tmp_path):
    path = write_nb(numbered_notebook(2))
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    settings = RecoverySettings(autosave_every=0, directory=blocker / "recovery")
    async with run_editor(path, recovery=settings) as ed:
        await ed.press("b")
        await until(ed.pilot, lambda: any("journal" in n for n in notes(ed.app)),
                    what="the notification")
        await ed.press("b", "enter", "x", "escape")
        ed.screen.journal_flush()
        await ed.pilot.pause()
        assert ed.screen.journal.errors >= 2
        assert sum("recovery journal cannot be written" in n for n in notes(ed.app)) == 1
        assert ed.sources() == ["c0", "", "x", "c1"]
        await ed.press("ctrl+s")
        await ed.saved()
        assert not ed.screen.dirty


async def test_a_full_disk_is_said_once(write_nb, monkeypatch):
    from tui.recovery import store

    def full(path, chunks):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store, "atomic_write", full)
    path = write_nb(numbered_notebook(1))
    async with run_editor(path, recovery=RecoverySettings(autosave_every=0)) as ed:
        await ed.press("b")
        await until(ed.pilot, lambda: any("No space" in n for n in notes(ed.app)))
        await ed.press("b")
        ed.screen.journal_flush()
        ed.screen._journal_tick()  # a tick that sees the second failure
        await ed.pilot.pause()
        assert ed.screen.journal.errors >= 2
        assert sum("No space" in n for n in notes(ed.app)) == 1
        assert ed.sources() == ["c0", "", ""]


async def test_journaling_off_writes_nothing(write_nb):
    path = write_nb(numbered_notebook(1))
    async with run_editor(path, recovery=RecoverySettings(journal=False,
                                                          autosave_every=0)) as ed:
        await ed.press("b")
        assert ed.screen.journal is None and ed.screen.journal_flush()
        assert not journals(path)
