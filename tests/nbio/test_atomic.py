"""Saving never loses the old file: failures at every step, a kill mid-write, changes on disk."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import nbio
import nbio.atomic

from .conftest import CORPUS

ROOT = Path(__file__).resolve().parents[2]
SOURCE = CORPUS / "test4.5.ipynb"


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    """A notebook file on disk (a copy of test4.5.ipynb)."""
    target = tmp_path / "nb.ipynb"
    target.write_bytes(SOURCE.read_bytes())
    return target


def _edited(path: Path) -> nbio.Notebook:
    nb = nbio.read(path)
    nb.cells[0].source = "changed " * 1000
    return nb


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def _fail(exc: BaseException):  # type: ignore[no-untyped-def]
    def raiser(*args: object, **kwargs: object) -> None:
        raise exc

    return raiser


@pytest.mark.parametrize(
    ("target", "exc"),
    [
        ("replace", OSError(errno.EXDEV, "Invalid cross-device link")),
        ("fsync", OSError(errno.ENOSPC, "No space left on device")),
        ("chmod", PermissionError(errno.EPERM, "Operation not permitted")),
    ],
)
def test_failure_before_rename_keeps_old_file(
    saved: Path, monkeypatch: pytest.MonkeyPatch, target: str, exc: OSError
) -> None:
    before = saved.read_bytes()
    nb = _edited(saved)
    monkeypatch.setattr(nbio.atomic.os, target, _fail(exc))
    with pytest.raises(nbio.NotebookError) as info:
        nbio.write(nb)
    assert info.value.path == saved
    assert exc.strerror is not None and exc.strerror in str(info.value)
    assert saved.read_bytes() == before
    assert _leftovers(saved.parent) == []


def test_permission_denied_creating_temp_file(saved: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = saved.read_bytes()
    nb = _edited(saved)
    monkeypatch.setattr(nbio.atomic.tempfile, "mkstemp",
                        _fail(PermissionError(errno.EACCES, "Permission denied")))
    with pytest.raises(nbio.NotebookError, match="Permission denied"):
        nbio.write(nb)
    assert saved.read_bytes() == before


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    nb = nbio.read(SOURCE)
    with pytest.raises(nbio.NotebookError, match="could not save"):
        nbio.write(nb, tmp_path / "no" / "such" / "dir.ipynb")


def test_real_file_size_limit_midway(saved: Path) -> None:
    """A real write failure after some bytes hit the disk (RLIMIT_FSIZE, like a full disk)."""
    before = saved.read_bytes()
    code = textwrap.dedent(f"""
        import resource, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        import nbio
        nb = nbio.read({str(saved)!r})
        nb.cells[0].source = "x" * 200_000
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))
        try:
            nbio.write(nb)
        except nbio.NotebookError as e:
            print("refused:", e)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert "refused:" in out.stdout, out.stderr
    assert "File too large" in out.stdout
    assert saved.read_bytes() == before
    assert _leftovers(saved.parent) == []


def test_killed_mid_write_leaves_old_file(saved: Path) -> None:
    """SIGKILL while the new bytes are half written: the old file is still complete."""
    before = saved.read_bytes()
    code = textwrap.dedent(f"""
        import os, sys, time
        sys.path.insert(0, {str(ROOT)!r})
        import nbio, nbio.atomic
        nb = nbio.read({str(saved)!r})
        nb.cells[0].source = "y" * 1_000_000
        real_fsync = os.fsync
        def stall(fd):
            os.ftruncate(fd, 4096)  # as if only part of the data had reached the disk
            print("writing", flush=True)
            time.sleep(60)
        nbio.atomic.os.fsync = stall
        nbio.write(nb)
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "writing"
        partial = _leftovers(saved.parent)
        assert len(partial) == 1  # the temp file exists, half written
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    assert saved.read_bytes() == before
    assert nbio.read(saved).cells[0].source == nbio.read(SOURCE).cells[0].source


def test_mode_is_kept(saved: Path) -> None:
    saved.chmod(0o640)
    nbio.write(_edited(saved))
    assert stat.S_IMODE(saved.stat().st_mode) == 0o640


def test_new_file_mode_follows_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        target = tmp_path / "new.ipynb"
        nbio.write(nbio.read(SOURCE), target)
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_symlink_stays_a_link(saved: Path) -> None:
    link = saved.parent / "link.ipynb"
    link.symlink_to(saved)
    nb = nbio.read(link)
    nb.cells[0].source = "through the link"
    nbio.write(nb)
    assert link.is_symlink()
    assert nbio.read(saved).cells[0].source == "through the link"


def test_refuses_to_overwrite_a_file_changed_on_disk(saved: Path) -> None:
    nb = _edited(saved)
    other = nbio.read(saved)
    other.cells[0].source = "someone else's edit"
    nbio.write(other)
    theirs = saved.read_bytes()
    with pytest.raises(nbio.FileChangedError, match="changed on disk"):
        nbio.write(nb)
    assert saved.read_bytes() == theirs
    nbio.write(nb, force=True)
    assert nbio.read(saved).cells[0].source == nb.cells[0].source


def test_touched_but_unchanged_file_is_not_a_conflict(saved: Path) -> None:
    nb = _edited(saved)
    st = saved.stat()
    os.utime(saved, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    nbio.write(nb)
    assert nbio.read(saved).cells[0].source == nb.cells[0].source


def test_stamp_follows_each_save(saved: Path) -> None:
    nb = _edited(saved)
    nbio.write(nb)
    nb.cells[0].source = "second save"
    nbio.write(nb)  # our own first save is not a change on disk
    assert nb.disk_stamp is not None and nb.disk_stamp.size == saved.stat().st_size


def test_lone_surrogate_is_refused_before_touching_the_file(saved: Path) -> None:
    before = saved.read_bytes()
    nb = nbio.read(saved)
    nb.cells[0].source = "bad \ud800 char"
    assert "\ud800" in nbio.writes(nb)  # like nbformat.writes
    with pytest.raises(nbio.NotebookError, match="U\\+D800"):
        nbio.write(nb)
    assert saved.read_bytes() == before
    assert _leftovers(saved.parent) == []


def test_write_adds_exactly_one_newline(tmp_path: Path) -> None:
    target = tmp_path / "out.ipynb"
    nb = nbio.read(SOURCE)
    nbio.write(nb, target)
    text = target.read_text(encoding="utf-8")
    assert text == nbio.writes(nb) + "\n"
    assert not text.endswith("\n\n")
