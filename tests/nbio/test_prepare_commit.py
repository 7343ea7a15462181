"""Saving in two steps: ``prepare_write`` (the snapshot) then ``commit_write`` (the disk)."""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path

import nbformat
import pytest

import nbio
import nbio.atomic

from .conftest import CORPUS, NOTEBOOKS


def _ids() -> object:
    counter = iter(range(10**6))
    return lambda: format(next(counter), "08x")


@pytest.mark.parametrize("name", [n for n in NOTEBOOKS if n.startswith("test4")])
def test_same_bytes_as_write_and_as_nbformat(name: str, tmp_path: Path) -> None:
    one, two = tmp_path / "one.ipynb", tmp_path / "two.ipynb"
    nb_one = nbio.read(CORPUS / name, id_factory=_ids())  # type: ignore[arg-type]
    nb_two = nbio.read(CORPUS / name, id_factory=_ids())  # type: ignore[arg-type]
    nbio.write(nb_one, one, id_factory=_ids())  # type: ignore[arg-type]
    prepared = nbio.prepare_write(nb_two, two, id_factory=_ids())  # type: ignore[arg-type]
    assert not two.exists()  # preparing writes nothing
    stamp = nbio.commit_write(prepared)
    assert two.read_bytes() == one.read_bytes() == prepared.data
    assert two.read_text(encoding="utf-8") == nbformat.writes(
        nbformat.reads(one.read_text(encoding="utf-8"), as_version=4)) + "\n"
    st = os.stat(two)
    assert (stamp.mtime_ns, stamp.size) == (st.st_mtime_ns, st.st_size)
    assert stamp.sha256 == nbio.read(two).disk_stamp.sha256  # type: ignore[union-attr]


def test_the_snapshot_ignores_later_edits(tmp_path: Path) -> None:
    path = tmp_path / "nb.ipynb"
    nb = nbio.read(CORPUS / "test4.5.ipynb")
    nb.cells[0].source = "before"
    prepared = nbio.prepare_write(nb, path)
    nb.cells[0].source = "after"
    nbio.commit_write(prepared)
    assert nbio.read(path).cells[0].source == "before"


def test_commit_from_another_thread_and_defaults_to_nb_path(tmp_path: Path) -> None:
    path = tmp_path / "nb.ipynb"
    path.write_bytes((CORPUS / "test4.5.ipynb").read_bytes())
    nb = nbio.read(path)
    nb.cells[0].source = "saved from a thread"
    prepared = nbio.prepare_write(nb)
    assert prepared.target == path and prepared.expected == nb.disk_stamp
    results: list[nbio.DiskStamp] = []
    worker = threading.Thread(target=lambda: results.append(nbio.commit_write(prepared)))
    worker.start()
    worker.join(timeout=30)
    assert len(results) == 1
    assert nbio.read(path).cells[0].source == "saved from a thread"
    nb.disk_stamp = results[0]
    nbio.commit_write(nbio.prepare_write(nb))  # the new stamp matches the file: no refusal


def test_refuses_a_file_changed_on_disk_unless_forced(tmp_path: Path) -> None:
    path = tmp_path / "nb.ipynb"
    path.write_bytes((CORPUS / "test4.5.ipynb").read_bytes())
    nb = nbio.read(path)
    nb.cells[0].source = "mine"
    prepared = nbio.prepare_write(nb)
    theirs = path.read_bytes().replace(b'"cell_type"', b'"cell_type" ', 1)
    path.write_bytes(theirs)
    with pytest.raises(nbio.FileChangedError) as info:
        nbio.commit_write(prepared)
    assert info.value.path == path
    assert path.read_bytes() == theirs
    nbio.commit_write(prepared, force=True)
    assert nbio.read(path).cells[0].source == "mine"


def test_same_size_touched_file_is_compared_by_content(tmp_path: Path) -> None:
    path = tmp_path / "nb.ipynb"
    path.write_bytes((CORPUS / "test4.5.ipynb").read_bytes())
    nb = nbio.read(path)
    prepared = nbio.prepare_write(nb)
    os.utime(path, ns=(1, 1))  # touched, same bytes: not a change
    nbio.commit_write(prepared)
    data = bytearray(path.read_bytes())
    data[data.index(b"{")] = ord(" ")  # same size, other bytes
    path.write_bytes(bytes(data))
    with pytest.raises(nbio.FileChangedError):
        nbio.commit_write(nbio.prepare_write(nb))  # nb.disk_stamp is still the read one


def test_a_failed_commit_leaves_the_original(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "nb.ipynb"
    path.write_bytes((CORPUS / "test4.5.ipynb").read_bytes())
    before = path.read_bytes()
    nb = nbio.read(path)
    stamp = nb.disk_stamp
    nb.cells[0].source = "lost " * 1000
    prepared = nbio.prepare_write(nb)

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(nbio.atomic.os, "fsync", full)
    with pytest.raises(nbio.NotebookError, match="No space left on device") as info:
        nbio.commit_write(prepared)
    assert info.value.path == path
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nb.ipynb"]  # no temp file left
    assert nb.disk_stamp == stamp and nb.path == path  # commit never touches the notebook


def test_prepare_needs_a_path_and_refuses_lone_surrogates(tmp_path: Path) -> None:
    nb = nbio.read(CORPUS / "test4.5.ipynb")
    nb.path = None
    with pytest.raises(ValueError, match="needs a path"):
        nbio.prepare_write(nb)
    nb.cells[0].source = "bad \ud800 text"
    with pytest.raises(nbio.NotebookError, match="U\\+D800"):
        nbio.prepare_write(nb, tmp_path / "x.ipynb")
    assert not (tmp_path / "x.ipynb").exists()
