"""The editor's disk watcher decides by hash (nbio.disk_state): a same-size change whose mtime
was put back is seen, and a deleted file is noticed once."""

from __future__ import annotations

import os

import nbio
from tests.editor.conftest import numbered_notebook, run_editor
from tui.notebook.dialogs import ChoiceScreen


async def test_same_size_change_with_mtime_put_back_asks(write_nb):
    path = write_nb(numbered_notebook(2))
    async with run_editor(path) as ed:
        st = path.stat()
        other = numbered_notebook(2)
        other.cells[0].source = "X0"  # as long as "c0": the same size
        data = (nbio.writes(other) + "\n").encode()
        assert len(data) == st.st_size
        path.write_bytes(data)
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
        await ed.screen.check_disk()  # what the 2 s timer does
        await ed.settle()
        assert isinstance(ed.app.screen, ChoiceScreen)


async def test_touched_file_is_no_change(write_nb):
    path = write_nb(numbered_notebook(2))
    async with run_editor(path) as ed:
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 3_000_000_000))
        await ed.screen.check_disk()
        await ed.settle()
        assert not isinstance(ed.app.screen, ChoiceScreen)
        assert not ed.screen.dirty


async def test_deleted_file_is_noticed_once_and_saved_again(write_nb):
    path = write_nb(numbered_notebook(2))
    async with run_editor(path) as ed:
        path.unlink()
        await ed.screen.check_disk()
        await ed.screen.check_disk()
        await ed.settle()
        assert not isinstance(ed.app.screen, ChoiceScreen)
        assert ed.screen.dirty  # quitting now asks: this is the only copy
        notes = [n for n in ed.app._notifications if "deleted on disk" in n.message]
        assert len(notes) == 1
        await ed.press("ctrl+s")
        await ed.saved()
        assert [c.source for c in nbio.read(path).cells] == ["c0", "c1"]
        assert not ed.screen.dirty
