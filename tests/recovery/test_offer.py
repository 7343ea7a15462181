"""What a notebook's journals offer when it is opened, the differences shown, the listing."""

from __future__ import annotations

import time

import nbio
from tests.recovery.conftest import small_notebook
from tui.recovery import store
from tui.recovery.offer import differences, forget_kept, list_journals, same_content, survey
from tui.recovery.process import Liveness, this_process


def test_no_journals_nothing_to_offer(notebook_file, journal_dir):
    path = notebook_file(small_notebook("a"))
    found = survey(path, nbio.read(path), journal_dir)
    assert found.offer is None and not found.damaged and not found.kept


def test_a_journal_with_changes_is_offered(notebook_file, write_journal, journal_dir):
    path = notebook_file(small_notebook("a"))
    disk = nbio.read(path)
    journal = write_journal(path, small_notebook("a", "typed"), sha256=disk.disk_stamp.sha256)
    found = survey(path, disk, journal_dir)
    assert found.offer is not None
    assert [c.source for c in found.offer.journal.notebook.cells] == ["a", "typed"]
    assert found.offer.liveness is Liveness.GONE and not found.offer.running
    assert not found.offer.file_changed
    assert found.kept == [journal]


def test_a_journal_the_same_as_the_file_of_a_gone_writer_is_removed(
        notebook_file, write_journal, journal_dir):
    path = notebook_file(small_notebook("a"))
    journal = write_journal(path, small_notebook("a"))
    found = survey(path, nbio.read(path), journal_dir)
    assert found.offer is None and not journal.exists()


def test_ids_alone_do_not_count_as_changes():
    a, b = small_notebook("x"), small_notebook("x")
    b.cells[0].id = "other"
    assert same_content(a, b)
    b.cells[0].source = "y"
    assert not same_content(a, b)


def test_a_running_writer_is_said_to_run(notebook_file, write_journal, journal_dir):
    path = notebook_file(small_notebook("a"))
    write_journal(path, small_notebook("b"), writer=this_process())
    found = survey(path, nbio.read(path), journal_dir)
    assert found.offer is not None and found.offer.running
    text = found.offer.describe(path.name)
    assert "STILL RUNNING" in text and "another jtui is editing" in text


def test_a_running_writer_without_changes_is_reported_not_offered(
        notebook_file, write_journal, journal_dir):
    path = notebook_file(small_notebook("a"))
    journal = write_journal(path, small_notebook("a"), writer=this_process())
    found = survey(path, nbio.read(path), journal_dir)
    assert found.offer is None and journal.exists()
    assert found.running_elsewhere == [this_process().pid]


def test_a_damaged_journal_is_reported_and_kept(notebook_file, write_journal, journal_dir):
    path = notebook_file(small_notebook("a"))
    journal = write_journal(path, small_notebook("b"))
    journal.write_bytes(journal.read_bytes()[:40])
    found = survey(path, nbio.read(path), journal_dir)
    assert found.offer is None
    assert [e.path for e in found.damaged] == [journal]
    assert found.kept == [journal] and journal.exists()


def test_the_newest_of_several_is_offered(notebook_file, write_journal, journal_dir):
    path = notebook_file(small_notebook("a"))
    now = time.time()
    write_journal(path, small_notebook("older"), written=now - 100)
    write_journal(path, small_notebook("newest"), written=now)
    write_journal(path, small_notebook("middle"), written=now - 50)
    found = survey(path, nbio.read(path), journal_dir)
    assert found.offer is not None and found.offer.others == 2
    assert found.offer.journal.notebook.cells[0].source == "newest"
    assert "2 older journal" in found.offer.describe(path.name)


def test_a_file_changed_since_the_edits_began_is_said(notebook_file, write_journal, journal_dir):
    path = notebook_file(small_notebook("a"))
    write_journal(path, small_notebook("b"), sha256="0" * 64)
    found = survey(path, nbio.read(path), journal_dir)
    assert found.offer is not None and found.offer.file_changed
    assert "changed on disk" in found.offer.describe(path.name)


def test_a_notebook_never_saved_is_offered_from_its_journal(tmp_path, write_journal,
                                                            journal_dir):
    path = tmp_path / "new.ipynb"
    write_journal(path, small_notebook("unsaved work"))
    found = survey(path, None, journal_dir)
    assert found.offer is not None and not found.offer.file_changed


def test_journals_of_a_same_named_notebook_elsewhere_are_not_offered(
        tmp_path, notebook_file, write_journal, journal_dir):
    path = notebook_file(small_notebook("a"))
    (tmp_path / "other").mkdir()
    other = notebook_file(small_notebook("a"), "other/nb.ipynb")
    write_journal(other, small_notebook("changed elsewhere"))
    assert survey(path, nbio.read(path), journal_dir).offer is None
    assert survey(other, nbio.read(other), journal_dir).offer is not None


def test_differences_is_a_unified_diff_of_sources():
    text = differences(small_notebook("a = 1", "b"), small_notebook("a = 2", "b", "c"), "nb")
    assert text.startswith("--- nb (saved)\n+++ nb (journal)")
    assert "-a = 1" in text and "+a = 2" in text and "+c" in text


def test_differences_says_when_only_outputs_differ():
    a, b = small_notebook("x"), small_notebook("x")
    b.cells[0].outputs = [{"output_type": "stream", "name": "stdout", "text": "1"}]
    assert "same" in differences(a, b)


def test_forget_kept_removes_gone_writers_and_keeps_running_ones(tmp_path, write_journal):
    path = tmp_path / "nb.ipynb"
    gone = write_journal(path, small_notebook("x"))
    running = write_journal(path, small_notebook("y"), writer=this_process())
    damaged = write_journal(path, small_notebook("z"))
    damaged.write_bytes(b"{")
    assert forget_kept([gone, running, damaged]) == [running]
    assert not gone.exists() and not damaged.exists() and running.exists()


def test_the_listing_is_newest_first_with_damaged_last(tmp_path, write_journal, journal_dir):
    now = time.time()
    write_journal(tmp_path / "old.ipynb", small_notebook("x"), written=now - 10)
    write_journal(tmp_path / "new.ipynb", small_notebook("y"), written=now)
    bad = write_journal(tmp_path / "bad.ipynb", small_notebook("z"))
    bad.write_bytes(b"")
    listed = list_journals(journal_dir)
    assert [i.header.source.name if i.header else None for i in listed] == [
        "new.ipynb", "old.ipynb", None]
    assert listed[2].error is not None and listed[2].file == bad


def test_the_listing_of_a_missing_folder_is_empty(tmp_path):
    assert list_journals(tmp_path / "nothing") == []
    assert store.all_journals(tmp_path / "nothing") == []
