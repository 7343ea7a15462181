"""Changes on disk are found by hash (as JupyterLab does), with timestamps only as a fast path."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

import nbio
import nbio.diskstate
from nbio import DiskStamp, DiskState, disk_state

from .conftest import CORPUS

SOURCE = CORPUS / "test4.5.ipynb"


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    target = tmp_path / "nb.ipynb"
    target.write_bytes(SOURCE.read_bytes())
    return target


def _same_size_change(path: Path) -> None:
    """Change one byte (a letter of a source) keeping the size, then put the mtime back."""
    st = path.stat()
    data = bytearray(path.read_bytes())
    at = data.index(b'"source"') + 12
    data[at] = ord("Z") if data[at] != ord("Z") else ord("Y")
    path.write_bytes(bytes(data))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (st.st_size, st.st_mtime_ns)


def _wait_for_clock_tick(reference_ns: int, folder: Path) -> None:
    """Until the file system's clock has moved past ``reference_ns`` (its ticks are coarse)."""
    probe = folder / "clock-probe"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        probe.write_bytes(b"")
        if probe.stat().st_ctime_ns > reference_ns:
            probe.unlink()
            return
    raise AssertionError("the file system clock did not move")


def _counting_hash(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = nbio.diskstate.file_hash

    def counted(path: str | Path) -> str:
        calls.append(str(path))
        return real(path)

    monkeypatch.setattr(nbio.diskstate, "file_hash", counted)
    return calls


def test_a_fresh_read_is_unchanged(saved: Path) -> None:
    nb = nbio.read(saved)
    assert nb.disk_stamp is not None
    assert disk_state(saved, nb.disk_stamp) is DiskState.UNCHANGED
    st = saved.stat()
    assert nb.disk_stamp.ino == st.st_ino and nb.disk_stamp.ctime_ns == st.st_ctime_ns


def test_same_size_change_with_mtime_put_back_is_seen(saved: Path) -> None:
    nb = nbio.read(saved)
    assert nb.disk_stamp is not None
    _same_size_change(saved)
    assert disk_state(saved, nb.disk_stamp) is DiskState.CHANGED
    nb.cells[0].source = "mine"
    with pytest.raises(nbio.FileChangedError):
        nbio.write(nb)


def test_same_size_change_is_seen_by_ctime_on_an_old_stamp(saved: Path) -> None:
    """A stamp no longer racy takes the fast path; the change moves the ctime, so it hashes."""
    nb = nbio.read(saved)
    stamp = nb.disk_stamp
    assert stamp is not None
    _wait_for_clock_tick(max(stamp.ctime_ns or 0, stamp.mtime_ns), saved.parent)
    stamp.racy = False  # as if read long ago
    _same_size_change(saved)
    assert disk_state(saved, stamp) is DiskState.CHANGED


def test_a_racy_stamp_is_hashed_until_its_timestamps_are_old(
        saved: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nb = nbio.read(saved)  # just written: its timestamps are too fresh to trust
    stamp = nb.disk_stamp
    assert stamp is not None and stamp.racy
    calls = _counting_hash(monkeypatch)
    assert disk_state(saved, stamp) is DiskState.UNCHANGED
    assert len(calls) == 1
    # once the file's ctime is RACY_NS old, one more hash clears the flag: fast path after
    monkeypatch.setattr(nbio.model.time, "time_ns",
                        lambda: saved.stat().st_ctime_ns + nbio.model.RACY_NS + 1)
    assert disk_state(saved, stamp) is DiskState.UNCHANGED
    assert not stamp.racy
    assert disk_state(saved, stamp) is DiskState.UNCHANGED
    assert len(calls) == 2


def test_touched_file_is_unchanged_and_the_stamp_follows(
        saved: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nb = nbio.read(saved)
    stamp = nb.disk_stamp
    assert stamp is not None
    st = saved.stat()
    os.utime(saved, ns=(st.st_atime_ns, st.st_mtime_ns + 7_000_000_000))
    assert disk_state(saved, stamp) is DiskState.UNCHANGED
    assert stamp.mtime_ns == st.st_mtime_ns + 7_000_000_000


def test_replaced_by_a_copy_of_the_same_bytes_is_unchanged(saved: Path) -> None:
    nb = nbio.read(saved)
    stamp = nb.disk_stamp
    assert stamp is not None
    copy = saved.with_name("copy.ipynb")
    shutil.copyfile(saved, copy)
    os.replace(copy, saved)
    assert saved.stat().st_ino != stamp.ino
    assert disk_state(saved, stamp) is DiskState.UNCHANGED
    assert stamp.ino == saved.stat().st_ino


def test_deleted_file_is_noticed(saved: Path) -> None:
    nb = nbio.read(saved)
    assert nb.disk_stamp is not None
    saved.unlink()
    assert disk_state(saved, nb.disk_stamp) is DiskState.DELETED
    # saving a deleted notebook writes it again: no conflict
    nbio.write(nb)
    assert disk_state(saved, nb.disk_stamp) is DiskState.UNCHANGED


def test_a_folder_in_its_place_is_a_change(saved: Path) -> None:
    nb = nbio.read(saved)
    assert nb.disk_stamp is not None
    saved.unlink()
    saved.mkdir()
    assert disk_state(saved, nb.disk_stamp) is DiskState.CHANGED


def test_other_size_is_a_change_without_hashing(saved: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    nb = nbio.read(saved)
    assert nb.disk_stamp is not None
    calls = _counting_hash(monkeypatch)
    with saved.open("ab") as f:
        f.write(b" ")
    assert disk_state(saved, nb.disk_stamp) is DiskState.CHANGED
    assert calls == []


def test_old_stamps_without_inode_and_ctime_still_work(saved: Path) -> None:
    nb = nbio.read(saved)
    assert nb.disk_stamp is not None
    old = DiskStamp(mtime_ns=nb.disk_stamp.mtime_ns, size=nb.disk_stamp.size,
                    sha256=nb.disk_stamp.sha256)
    assert disk_state(saved, old) is DiskState.UNCHANGED
    _same_size_change(saved)
    old.racy = True
    assert disk_state(saved, old) is DiskState.CHANGED


def test_our_own_save_is_no_change(saved: Path) -> None:
    nb = nbio.read(saved)
    nb.cells[0].source = "saved by us"
    nbio.write(nb)
    assert nb.disk_stamp is not None
    assert disk_state(saved, nb.disk_stamp) is DiskState.UNCHANGED
    assert nb.disk_stamp.sha256 == nbio.file_hash(saved)


def test_hash_is_the_contents_api_hash(saved: Path) -> None:
    """The stamp's hash is what jupyter_server's contents API reports as ``hash``."""
    pytest.importorskip("jupyter_server")
    from jupyter_server.services.contents.filemanager import FileContentsManager

    nb = nbio.read(saved)
    assert nb.disk_stamp is not None
    manager = FileContentsManager(root_dir=str(saved.parent))
    model = manager.get(saved.name, content=False, require_hash=True)
    assert model["hash_algorithm"] == "sha256"
    assert model["hash"] == nb.disk_stamp.sha256 == nbio.file_hash(saved)
    nb.cells[0].source = "after a save"
    nbio.write(nb)
    model = manager.get(saved.name, content=False, require_hash=True)
    assert model["hash"] == nb.disk_stamp.sha256
