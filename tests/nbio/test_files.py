"""Saving respects what the file says: read-only files, hard links, stale temps of killed saves."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import nbio
import nbio.atomic
from nbio.atomic import TEMP_MARK, backup_path, clean_stale_temps, pid_running

from .conftest import CORPUS

ROOT = Path(__file__).resolve().parents[2]
SOURCE = CORPUS / "test4.5.ipynb"


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    target = tmp_path / "nb.ipynb"
    target.write_bytes(SOURCE.read_bytes())
    return target


def _edited(path: Path, text: str = "edited") -> nbio.Notebook:
    nb = nbio.read(path)
    nb.cells[0].source = text
    return nb


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# read-only -------------------------------------------------------------------------------------


def test_read_only_file_is_refused_and_left_alone(saved: Path) -> None:
    before = saved.read_bytes()
    saved.chmod(0o444)
    nb = _edited(saved)
    assert nbio.is_read_only(saved)
    for force in (False, True):
        with pytest.raises(nbio.ReadOnlyError) as info:
            nbio.write(nb, force=force)
        assert isinstance(info.value, nbio.NotebookError)
        assert isinstance(info.value, PermissionError) and info.value.errno == errno.EACCES
        assert info.value.path == saved
        assert "read-only" in str(info.value) and "another name" in str(info.value)
    assert saved.read_bytes() == before
    assert stat.S_IMODE(saved.stat().st_mode) == 0o444
    assert _hidden(saved.parent) == []
    saved.chmod(0o644)  # made writable again, the same notebook saves
    nbio.write(nb)
    assert nbio.read(saved).cells[0].source == "edited"


def test_read_only_through_a_symlink(saved: Path) -> None:
    link = saved.with_name("link.ipynb")
    link.symlink_to(saved)
    saved.chmod(0o400)
    with pytest.raises(nbio.ReadOnlyError):
        nbio.write(_edited(link))
    assert link.is_symlink()


def test_is_read_only(tmp_path: Path, saved: Path) -> None:
    assert not nbio.is_read_only(saved)
    assert not nbio.is_read_only(tmp_path / "missing.ipynb")
    assert not nbio.is_read_only(tmp_path)  # a folder is not a read-only file
    for mode in (0o444, 0o400, 0o000):
        saved.chmod(mode)
        assert nbio.is_read_only(saved), oct(mode)
    saved.chmod(0o200)  # writable, not readable: not read-only
    assert not nbio.is_read_only(saved)


def test_new_file_in_a_writable_folder_is_not_read_only(tmp_path: Path) -> None:
    target = tmp_path / "new.ipynb"
    nbio.write(nbio.read(SOURCE), target)
    assert nbio.read(target).cells[0].source == nbio.read(SOURCE).cells[0].source


# hard links ------------------------------------------------------------------------------------


def test_hard_link_survives_a_save(saved: Path) -> None:
    other = saved.with_name("other-name.ipynb")
    os.link(saved, other)
    inode = saved.stat().st_ino
    nb = _edited(saved, "through one name")
    nbio.write(nb)
    for name in (saved, other):
        assert name.stat().st_ino == inode
        assert name.stat().st_nlink == 2
        assert nbio.read(name).cells[0].source == "through one name"
    assert saved.read_bytes() == other.read_bytes() == (nbio.writes(nb) + "\n").encode()
    assert _hidden(saved.parent) == []  # the .~ copy is gone
    assert nb.disk_stamp is not None and nb.disk_stamp.ino == inode
    # a shorter save truncates in place: no tail of the longer old bytes
    nb.cells[0].source = "x"
    del nb.cells[1:]
    nbio.write(nb)
    assert other.read_bytes() == (nbio.writes(nb) + "\n").encode()


def test_hard_link_keeps_mode_and_owner(saved: Path) -> None:
    os.link(saved, saved.with_name("b.ipynb"))
    saved.chmod(0o640)
    nbio.write(_edited(saved))
    assert stat.S_IMODE(saved.stat().st_mode) == 0o640


def test_failed_in_place_write_puts_the_old_bytes_back(saved: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    other = saved.with_name("other.ipynb")
    os.link(saved, other)
    before = saved.read_bytes()
    nb = _edited(saved, "y" * 100_000)
    real_ftruncate = os.ftruncate
    calls = []

    def full(fd: int, length: int) -> None:
        calls.append(length)
        if len(calls) == 1:  # the new bytes are half there: the disk fills up
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_ftruncate(fd, length)

    monkeypatch.setattr(nbio.atomic.os, "ftruncate", full)
    with pytest.raises(nbio.NotebookError, match="No space left on device") as info:
        nbio.write(nb)
    assert "the disk is full" in str(info.value)
    assert saved.read_bytes() == other.read_bytes() == before
    assert saved.stat().st_ino == other.stat().st_ino
    assert _hidden(saved.parent) == []


def test_killed_in_place_write_leaves_the_copy(saved: Path) -> None:
    """SIGKILL mid in-place write: the old bytes are in ``.~NAME`` (jupyter_server's name)."""
    os.link(saved, saved.with_name("other.ipynb"))
    before = saved.read_bytes()
    code = textwrap.dedent(f"""
        import os, sys, time
        sys.path.insert(0, {str(ROOT)!r})
        import nbio, nbio.atomic
        nb = nbio.read({str(saved)!r})
        nb.cells[0].source = "y" * 1_000_000
        real = os.ftruncate
        def stall(fd, length):
            print("writing", flush=True)
            time.sleep(60)
        nbio.atomic.os.ftruncate = stall
        nbio.write(nb)
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "writing"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    assert backup_path(saved).read_bytes() == before
    assert clean_stale_temps(saved) == []  # never removed as a temp
    assert backup_path(saved).exists()


# stale temps -----------------------------------------------------------------------------------


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait(timeout=30)
    assert not pid_running(proc.pid)
    return proc.pid


@pytest.fixture
def live_pid() -> Iterator[int]:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        yield proc.pid
    finally:
        proc.kill()
        proc.wait(timeout=30)


def test_temp_files_are_recognisable(saved: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    real = nbio.atomic.os.replace

    def spy(src: str, dst: str) -> None:
        seen.append(Path(src).name)
        real(src, dst)

    monkeypatch.setattr(nbio.atomic.os, "replace", spy)
    nbio.write(_edited(saved))
    assert len(seen) == 1
    assert seen[0].startswith(f".nb.ipynb{TEMP_MARK}{os.getpid()}.")
    assert seen[0].endswith(".tmp")


def test_save_removes_temps_of_dead_writers_only(saved: Path, live_pid: int) -> None:
    folder = saved.parent
    dead = folder / f".nb.ipynb{TEMP_MARK}{_dead_pid()}.abc123.tmp"
    alive = folder / f".nb.ipynb{TEMP_MARK}{live_pid}.def456.tmp"
    mine = folder / f".nb.ipynb{TEMP_MARK}{os.getpid()}.ghi789.tmp"
    other_notebook = folder / f".other.ipynb{TEMP_MARK}{_dead_pid()}.abc123.tmp"
    not_ours = [folder / ".nb.ipynb.backup.tmp", folder / ".nb.ipynb~jtui1.x.tmp",
                folder / f".nb.ipynb{TEMP_MARK}12x.a.tmp", backup_path(saved)]
    for p in (dead, alive, mine, other_notebook, *not_ours):
        p.write_bytes(b"x" * 1000)
    nbio.write(_edited(saved))
    assert not dead.exists()
    assert alive.exists() and mine.exists() and other_notebook.exists()
    assert all(p.exists() for p in not_ours)


def test_old_style_temps_go_once_old(saved: Path) -> None:
    old = saved.parent / ".nb.ipynb.k2j_9zq1.tmp"  # what tempfile.mkstemp named them before
    young = saved.parent / ".nb.ipynb.a8d7f6e5.tmp"
    for p in (old, young):
        p.write_bytes(b"{")
    hours_ago = time.time() - 2 * nbio.atomic.LEGACY_TEMP_AGE
    os.utime(old, (hours_ago, hours_ago))
    assert clean_stale_temps(saved) == [old]
    assert young.exists()


def test_temp_of_a_killed_save_is_removed_by_the_next_save(saved: Path) -> None:
    """The real thing: a save SIGKILLed while writing its temp, then a save of the notebook."""
    code = textwrap.dedent(f"""
        import os, sys, time
        sys.path.insert(0, {str(ROOT)!r})
        import nbio, nbio.atomic
        nb = nbio.read({str(saved)!r})
        nb.cells[0].source = "y" * 2_000_000
        def stall(fd):
            print("writing", flush=True)
            time.sleep(60)
        nbio.atomic.os.fsync = stall
        nbio.write(nb)
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "writing"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    left = [p for p in saved.parent.iterdir() if p.name.endswith(".tmp")]
    assert len(left) == 1 and left[0].stat().st_size > 1_000_000
    assert f"{TEMP_MARK}{proc.pid}." in left[0].name
    nbio.write(_edited(saved))
    assert [p for p in saved.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_cleaning_survives_an_unreadable_folder(tmp_path: Path) -> None:
    assert clean_stale_temps(tmp_path / "no" / "such" / "nb.ipynb") == []
