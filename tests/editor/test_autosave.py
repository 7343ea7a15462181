"""Autosave as JupyterLab's: into the file, only when dirty, valid and unchanged on disk
(by hash); a file changed on disk stops it with a notification instead of being overwritten.
Intervals are short here and the tests wait for the file to change, never a fixed time."""

from __future__ import annotations

import os

import nbformat

import nbio
from tests.editor.conftest import numbered_notebook, run_editor
from tests.editor.recovery_support import file_sources, journals, notes, settings_for, until
from tui.recovery.settings import RecoverySettings

FAST = RecoverySettings(autosave_every=0.2)


async def test_a_change_is_autosaved_into_the_file(write_nb):
    path = write_nb(numbered_notebook(2))
    async with run_editor(path, recovery=FAST) as ed:
        await ed.press("b")
        await until(ed.pilot, lambda: file_sources(path) == ["c0", "", "c1"],
                    what="the autosave")
        await until(ed.pilot, lambda: not ed.screen.dirty)
        # the file is written before the save's coroutine resumes and counts it
        await until(ed.pilot, lambda: ed.screen.autosaves == 1, what="the autosave counted")
        assert "autosaved" in ed.screen.message
        await until(ed.pilot, lambda: not journals(path), what="the journal removed")
    nbformat.validate(nbformat.read(path, as_version=4))


async def test_the_text_being_typed_is_autosaved(write_nb):
    path = write_nb(numbered_notebook(1))
    async with run_editor(path, recovery=FAST) as ed:
        await ed.press("enter", "x", "y")
        await until(ed.pilot, lambda: file_sources(path) == ["xyc0"])


async def test_a_clean_notebook_is_not_written(write_nb):
    path = write_nb(numbered_notebook(2))
    before = path.stat().st_mtime_ns
    async with run_editor(path, recovery=FAST) as ed:
        await ed.press("b")
        await until(ed.pilot, lambda: ed.screen.autosaves == 1)
        saved = path.stat().st_mtime_ns
        assert saved != before
        ticks = ed.screen.autosave_ticks
        await until(ed.pilot, lambda: ed.screen.autosave_ticks >= ticks + 3)
        assert ed.screen.autosaves == 1 and path.stat().st_mtime_ns == saved


async def test_a_file_changed_on_disk_stops_autosave_instead_of_overwriting(write_nb):
    path = write_nb(numbered_notebook(2))
    async with run_editor(path, recovery=FAST) as ed:
        outside = numbered_notebook(3)
        outside.cells[0].source = "changed outside"
        nbio.write(outside, path)
        await ed.press("b")
        await until(ed.pilot, lambda: ed.screen.autosave_stopped, what="autosave stopped")
        assert any("changed on disk" in n and "autosave is off" in n for n in notes(ed.app))
        ticks = ed.screen.autosave_ticks
        await until(ed.pilot, lambda: ed.screen.autosave_ticks >= ticks + 3)
        assert file_sources(path) == ["changed outside", "c1", "c2"]
        assert ed.screen.dirty and ed.screen.autosaves == 0
        assert sum("autosave is off" in n for n in notes(ed.app)) == 1


async def test_a_change_of_the_same_size_with_the_mtime_put_back_stops_it_too(write_nb):
    path = write_nb(numbered_notebook(2))
    async with run_editor(path, recovery=FAST) as ed:
        st = path.stat()
        data = path.read_bytes().replace(b'"c1"', b'"X1"')
        path.write_bytes(data)
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
        await ed.press("b")
        await until(ed.pilot, lambda: ed.screen.autosave_stopped)
        assert b'"X1"' in path.read_bytes()


async def test_autosave_resumes_after_a_save(write_nb):
    path = write_nb(numbered_notebook(2))
    async with run_editor(path, recovery=FAST) as ed:
        nbio.write(numbered_notebook(3), path)
        await ed.press("b")
        await until(ed.pilot, lambda: ed.screen.autosave_stopped)
        ed.screen.save(force=True)  # the user keeps theirs ("Keep mine")
        await ed.saved()
        assert not ed.screen.autosave_stopped
        await ed.press("b")
        await until(ed.pilot, lambda: file_sources(path) == ["c0", "", "", "c1"])


async def test_a_deleted_file_stops_autosave(write_nb):
    path = write_nb(numbered_notebook(2))
    async with run_editor(path, recovery=FAST) as ed:
        path.unlink()
        await ed.press("b")
        await until(ed.pilot, lambda: ed.screen.autosave_stopped)
        assert any("deleted on disk" in n for n in notes(ed.app))
        assert not path.exists()


async def test_an_invalid_notebook_is_not_autosaved(write_nb):
    path = write_nb(numbered_notebook(2))
    async with run_editor(path, recovery=FAST) as ed:
        ed.nb.cells[1].data["execution_count"] = "not a number"
        ed.screen.history.mark_dirty()
        await until(ed.pilot, lambda: "not autosaved" in ed.screen.message)
        assert file_sources(path) == ["c0", "c1"] and ed.screen.autosaves == 0


async def test_a_new_notebook_is_not_autosaved(tmp_path):
    path = tmp_path / "new.ipynb"
    async with run_editor(path, recovery=FAST) as ed:
        await ed.press("b")
        await until(ed.pilot, lambda: ed.screen.autosave_ticks >= 3)
        assert not path.exists()


async def test_autosave_zero_is_off(write_nb):
    path = write_nb(numbered_notebook(2))
    async with run_editor(path, recovery=RecoverySettings(autosave_every=0)) as ed:
        await ed.press("b")
        ed.screen.journal_flush()
        assert ed.screen.autosave_ticks == 0 and ed.screen.dirty
    assert file_sources(path) == ["c0", "c1"]


def test_no_autosave_and_the_config_turn_it_off(write_nb, tmp_path, monkeypatch):
    path = write_nb(numbered_notebook(1))
    assert settings_for(path, no_autosave=False)[0].autosave_every == 120.0
    assert settings_for(path, no_autosave=True)[0].autosave_every == 0.0
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "jupyter_tui.toml").write_text("[editor]\nautosave = 0\n")
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(config))
    assert settings_for(path, no_autosave=False)[0].autosave_every == 0.0
    (config / "jupyter_tui.toml").write_text("[editor]\nautosave = 30\n")
    assert settings_for(path, no_autosave=False)[0].autosave_every == 30.0
    assert settings_for(path, no_autosave=True)[0].autosave_every == 0.0
