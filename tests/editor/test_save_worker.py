"""Saving from a worker thread: the snapshot is taken at Ctrl+S, one save at a time, quitting
waits for the file to be written, and a failed write leaves the notebook dirty."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

import nbio
from tests.editor.conftest import numbered_notebook, run_editor
from tui.notebook.dialogs import ChoiceScreen


class SlowDisk:
    """``nbio.commit_write`` held in its thread until released; counts overlapping writes."""

    def __init__(self) -> None:
        self.write_first = False
        """Write the file, then hold (as if the thread had not returned yet)."""
        self.entered = threading.Event()
        self.release = threading.Event()
        self.calls = 0
        self.active = 0
        self.most_active = 0
        self._lock = threading.Lock()
        self._real = nbio.commit_write

    def __call__(self, prepared: nbio.PreparedWrite, *, force: bool = False) -> nbio.DiskStamp:
        with self._lock:
            self.calls += 1
            self.active += 1
            self.most_active = max(self.most_active, self.active)
        try:
            stamp = self._real(prepared, force=force) if self.write_first else None
            self.entered.set()
            assert self.release.wait(30)
            return stamp or self._real(prepared, force=force)
        finally:
            with self._lock:
                self.active -= 1

    async def wait_entered(self) -> None:
        assert await asyncio.to_thread(self.entered.wait, 30)
        self.entered.clear()


@pytest.fixture
def slow_disk(monkeypatch: pytest.MonkeyPatch) -> SlowDisk:
    disk = SlowDisk()
    monkeypatch.setattr(nbio, "commit_write", disk)
    return disk


def title(ed) -> str:
    return str(ed.screen.query_one("#title").render())


async def test_edits_made_while_saving_keep_the_notebook_dirty(write_nb, slow_disk):
    path = write_nb(numbered_notebook(2))
    async with run_editor(path) as ed:
        await ed.press("b", "ctrl+s")
        await slow_disk.wait_entered()  # the bytes are taken; the write is in its thread
        assert ed.screen.saving and "saving" in str(ed.screen.query_one("#status").render())
        await ed.press("b")  # an edit while the file is being written
        slow_disk.release.set()
        await ed.saved()
        assert ed.screen.dirty and "●" in title(ed)
        assert [c.source for c in nbio.read(path).cells] == ["c0", "", "c1"]  # the snapshot
        assert ed.nb.disk_stamp is not None and ed.nb.disk_stamp.size == path.stat().st_size
        await ed.press("ctrl+s")
        await ed.saved()
        assert not ed.screen.dirty and "●" not in title(ed)
    assert [c.source for c in nbio.read(path).cells] == ["c0", "", "", "c1"]


async def test_the_disk_watcher_ignores_our_own_write_in_flight(write_nb, slow_disk):
    path = write_nb(numbered_notebook(2))
    async with run_editor(path) as ed:
        slow_disk.write_first = True
        await ed.press("b", "ctrl+s")
        await slow_disk.wait_entered()  # the new bytes are on disk, the stamp not updated yet
        await ed.screen.check_disk()  # what the 2 s timer would do now
        await ed.settle()
        assert not isinstance(ed.app.screen, ChoiceScreen)
        slow_disk.release.set()
        await ed.saved()
        await ed.screen.check_disk()
        await ed.settle()
        assert not isinstance(ed.app.screen, ChoiceScreen) and not ed.screen.dirty


async def test_a_second_save_waits_for_the_first(write_nb, slow_disk):
    path = write_nb(numbered_notebook(2))
    async with run_editor(path) as ed:
        await ed.press("b", "ctrl+s")
        await slow_disk.wait_entered()
        await ed.press("b", "ctrl+s")  # queued behind the first: not written alongside it
        assert slow_disk.calls == 1
        slow_disk.release.set()
        await ed.saved()
        assert slow_disk.calls == 2 and slow_disk.most_active == 1
        assert not ed.screen.dirty
        # the second save checked the disk against the stamp the first one left: no refusal
        assert not isinstance(ed.app.screen, ChoiceScreen)
    assert [c.source for c in nbio.read(path).cells] == ["c0", "", "", "c1"]


async def test_save_and_quit_exits_only_once_the_file_is_written(write_nb, slow_disk):
    path = write_nb(numbered_notebook(2))
    async with run_editor(path) as ed:
        await ed.press("b", "ctrl+q")
        await ed.settle()
        await ed.press("s")  # save and quit
        await slow_disk.wait_entered()
        assert ed.app.is_running and ed.app.return_code is None
        slow_disk.release.set()
        await ed.saved()
        assert ed.app.return_code == 0
    assert len(nbio.read(path).cells) == 3


async def test_quit_while_a_save_is_being_written_waits_for_it(write_nb, slow_disk):
    path = write_nb(numbered_notebook(2))
    async with run_editor(path) as ed:
        await ed.press("b", "ctrl+s")
        await slow_disk.wait_entered()
        await ed.press("ctrl+q")  # not dirty any more (the snapshot is saved) but not written
        assert ed.app.is_running and ed.app.return_code is None
        slow_disk.release.set()
        await ed.saved()
        assert ed.app.return_code == 0
    assert len(nbio.read(path).cells) == 3


async def test_a_failed_write_marks_the_notebook_dirty_again(
        write_nb, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_nb(numbered_notebook(2))
    before = path.read_bytes()

    def disk_full(prepared: nbio.PreparedWrite, *, force: bool = False) -> nbio.DiskStamp:
        raise nbio.NotebookError("could not save: No space left on device", path=prepared.target)

    monkeypatch.setattr(nbio, "commit_write", disk_full)
    async with run_editor(path) as ed:
        await ed.press("b", "ctrl+s")
        await ed.saved()
        assert ed.screen.dirty and "●" in title(ed)
        assert "not saved" in str(ed.screen.query_one("#status").render())
    assert path.read_bytes() == before


async def test_a_new_file_that_fails_to_save_stays_new(tmp_path: Path) -> None:
    path = tmp_path / "missing-folder" / "new.ipynb"
    async with run_editor(path) as ed:
        await ed.press("ctrl+s")
        await ed.saved()
        assert ed.screen.is_new and ed.screen.dirty
        assert "not saved" in str(ed.screen.query_one("#status").render())
    assert not path.exists()
