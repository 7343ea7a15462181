"""Journal folder, names and atomic writes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tui.recovery import store


def test_the_folder_is_under_xdg_state_home(tmp_path):
    assert store.recovery_dir({"XDG_STATE_HOME": str(tmp_path)}) == (
        tmp_path / "jupyter-tui" / "recovery")


@pytest.mark.parametrize("value", [None, "", "relative/dir"])
def test_without_a_usable_xdg_state_home_it_is_local_state(value):
    env = {} if value is None else {"XDG_STATE_HOME": value}
    assert store.recovery_dir(env) == Path.home() / ".local/state/jupyter-tui/recovery"


def test_the_fixture_isolates_the_state_folder(state_home):
    assert store.recovery_dir() == state_home / "jupyter-tui" / "recovery"


def test_two_notebooks_of_the_same_name_get_different_journals(tmp_path):
    a, b = tmp_path / "x" / "analysis.ipynb", tmp_path / "y" / "analysis.ipynb"
    assert store.journal_stem(a) != store.journal_stem(b)
    assert store.journal_stem(a).startswith("analysis.ipynb-")


def test_two_paths_to_one_file_share_the_journal_name(tmp_path):
    real = tmp_path / "real.ipynb"
    real.write_text("{}")
    link = tmp_path / "link.ipynb"
    link.symlink_to(real)
    assert store.journal_stem(link) == store.journal_stem(real)
    assert store.journal_stem(tmp_path / "sub" / ".." / "real.ipynb") == store.journal_stem(real)


def test_each_writer_gets_its_own_file(tmp_path):
    source = tmp_path / "nb.ipynb"
    names = {store.new_journal_path(source, tmp_path).name for _ in range(50)}
    assert len(names) == 50
    assert all(f"-{os.getpid()}-" in n for n in names)


def test_odd_characters_in_the_name_are_made_safe(tmp_path):
    stem = store.journal_stem(tmp_path / "a b/c?*\u00e9.ipynb")
    assert "/" not in stem and " " not in stem and "?" not in stem
    long = store.journal_stem(tmp_path / ("n" * 300 + ".ipynb"))
    assert len(long) < 120


def test_journals_for_lists_only_that_notebooks_journals(tmp_path):
    folder = tmp_path / "j"
    folder.mkdir()
    mine = store.new_journal_path(tmp_path / "nb.ipynb", folder)
    other = store.new_journal_path(tmp_path / "nb.ipynb2", folder)
    elsewhere = store.new_journal_path(tmp_path / "sub" / "nb.ipynb", folder)
    for p in (mine, other, elsewhere):
        p.write_text("x")
    (folder / f".{mine.name}.1.abc.tmp").write_text("half")
    assert store.journals_for(tmp_path / "nb.ipynb", folder) == [mine]
    assert len(store.all_journals(folder)) == 3


def test_a_missing_folder_lists_nothing(tmp_path):
    assert store.journals_for(tmp_path / "nb.ipynb", tmp_path / "none") == []
    assert store.all_journals(tmp_path / "none") == []


def test_atomic_write_replaces_the_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "j.json"
    target.write_bytes(b"old")
    store.atomic_write(target, [b"new ", memoryview(b"bytes")])
    assert target.read_bytes() == b"new bytes"
    assert os.listdir(tmp_path) == ["j.json"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_failed_write_keeps_the_old_journal(tmp_path, monkeypatch):
    target = tmp_path / "j.json"
    target.write_bytes(b"old")

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match="No space"):
        store.atomic_write(target, [b"new"])
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["j.json"]


def test_the_folder_is_private(tmp_path):
    folder = tmp_path / "state" / "recovery"
    store.ensure_dir(folder)
    assert stat.S_IMODE(folder.stat().st_mode) & 0o077 == 0


def test_stale_temps_of_dead_writers_are_cleaned(tmp_path):
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    dead = tmp_path / f".nb.ipynb-abc-1-2.json.{child.pid}.xyz_1.tmp"
    ours = tmp_path / f".nb.ipynb-abc-1-2.json.{os.getpid()}.xyz_2.tmp"
    journal = tmp_path / "nb.ipynb-abc-1-2.json"
    for p in (dead, ours, journal):
        p.write_text("x")
    assert store.clean_stale_temps(tmp_path) == 1
    assert not dead.exists() and ours.exists() and journal.exists()


def test_remove_says_whether_it_removed(tmp_path):
    p = tmp_path / "j.json"
    p.write_text("x")
    assert store.remove(p) is True
    assert store.remove(p) is False
