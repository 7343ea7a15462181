"""Our checkpoints are jupyter_server's: each side lists, reads, restores what the other made."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

import nbio
from nbio import checkpoints as cps

from .conftest import CORPUS

pytest.importorskip("jupyter_server")
from jupyter_server.services.contents.filemanager import FileContentsManager

SOURCE = CORPUS / "test4.5.ipynb"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "root"
    (folder / "sub").mkdir(parents=True)
    return folder


@pytest.fixture
def manager(root: Path) -> FileContentsManager:
    """A real contents manager on ``root`` (its checkpoints are ``FileCheckpoints``)."""
    return FileContentsManager(root_dir=str(root))


def _notebook(root: Path, rel: str, text: str = "first") -> Path:
    path = root / rel
    nb = nbio.read(SOURCE)
    nb.cells[0].source = text
    nbio.write(nb, path)
    return path


@pytest.mark.parametrize("rel", ["nb.ipynb", "sub/with space.ipynb"])
def test_ours_are_theirs(root: Path, manager: FileContentsManager, rel: str) -> None:
    path = _notebook(root, rel)
    made = cps.create_checkpoint(path, root_dir=root)
    assert made.id == "checkpoint"
    assert made.path == path.parent / ".ipynb_checkpoints" / (
        path.stem + "-checkpoint.ipynb")
    theirs = manager.list_checkpoints(rel)
    assert [c["id"] for c in theirs] == ["checkpoint"]
    assert theirs[0]["last_modified"] == made.last_modified
    assert cps.list_checkpoints(path, root_dir=root) == [made]
    # the notebook moves on; JupyterLab's "revert to checkpoint" brings our copy back
    _notebook(root, rel, "second")
    manager.restore_checkpoint("checkpoint", rel)
    assert nbio.read(path).cells[0].source == "first"


def test_theirs_are_ours(root: Path, manager: FileContentsManager) -> None:
    path = _notebook(root, "nb.ipynb")
    theirs = manager.create_checkpoint("nb.ipynb")
    [ours] = cps.list_checkpoints(path, root_dir=root)
    assert ours.id == theirs["id"] and ours.last_modified == theirs["last_modified"]
    assert cps.read_checkpoint(path).cells[0].source == "first"
    _notebook(root, "nb.ipynb", "second")
    stamp = cps.restore_checkpoint(path, root_dir=root)
    assert nbio.read(path).cells[0].source == "first"
    assert stamp.sha256 == nbio.file_hash(path)
    cps.delete_checkpoint(path, root_dir=root)
    assert manager.list_checkpoints("nb.ipynb") == []
    with pytest.raises(cps.CheckpointError, match="no checkpoint"):
        cps.delete_checkpoint(path, root_dir=root)
    with pytest.raises(cps.CheckpointError):
        cps.restore_checkpoint(path, root_dir=root)


def test_checkpoint_is_the_file_as_saved(root: Path) -> None:
    path = _notebook(root, "nb.ipynb")
    made = cps.create_checkpoint(path)
    assert made.path.read_bytes() == path.read_bytes()
    assert os.stat(made.path).st_mtime_ns == os.stat(path).st_mtime_ns  # copy2, as theirs
    assert [p.name for p in made.path.parent.iterdir()] == ["nb-checkpoint.ipynb"]


def test_listing_creates_nothing(root: Path) -> None:
    path = _notebook(root, "nb.ipynb")
    assert cps.list_checkpoints(path) == []
    assert not (root / ".ipynb_checkpoints").exists()


def test_rename_moves_the_checkpoint_both_ways(root: Path, manager: FileContentsManager) -> None:
    path = _notebook(root, "nb.ipynb")
    cps.create_checkpoint(path, root_dir=root)
    manager.rename("nb.ipynb", "renamed.ipynb")  # the server moves our checkpoint
    renamed = root / "renamed.ipynb"
    assert [c.id for c in cps.list_checkpoints(renamed, root_dir=root)] == ["checkpoint"]
    moved = cps.rename_notebook(renamed, root / "sub" / "again.ipynb", root_dir=root)
    assert moved.exists() and not renamed.exists()
    assert [c["id"] for c in manager.list_checkpoints("sub/again.ipynb")] == ["checkpoint"]
    assert manager.list_checkpoints("renamed.ipynb") == []


def test_rename_refuses_an_existing_name(root: Path) -> None:
    a = _notebook(root, "a.ipynb", "a")
    b = _notebook(root, "b.ipynb", "b")
    with pytest.raises(nbio.NotebookError, match="already exists"):
        cps.rename_notebook(a, b)
    assert nbio.read(b).cells[0].source == "b"


def test_restore_respects_a_read_only_file_and_hard_links(root: Path) -> None:
    path = _notebook(root, "nb.ipynb")
    cps.create_checkpoint(path)
    _notebook(root, "nb.ipynb", "second")
    link = root / "link.ipynb"
    os.link(path, link)
    cps.restore_checkpoint(path)
    assert nbio.read(link).cells[0].source == "first"
    assert link.stat().st_ino == path.stat().st_ino
    path.chmod(0o444)
    before = path.read_bytes()
    _notebook(root, "other.ipynb")
    with pytest.raises(nbio.ReadOnlyError):
        cps.restore_checkpoint(path)
    assert path.read_bytes() == before


def test_unwritable_folder_uses_the_temp_folder_as_theirs(
        root: Path, manager: FileContentsManager, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder we may not write: both keep the checkpoint under <tmp>/jupyter_checkpoints."""
    path = _notebook(root, "sub/nb.ipynb")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "systmp"))
    (tmp_path / "systmp").mkdir()
    real_access = os.access
    locked = str(root / "sub")

    def access(p: str | os.PathLike[str], mode: int, **kw: object) -> bool:
        if os.fspath(p) == locked and mode == os.W_OK:
            return False
        return real_access(p, mode)

    monkeypatch.setattr(os, "access", access)
    made = cps.create_checkpoint(path, root_dir=root)
    assert made.path == tmp_path / "systmp" / "jupyter_checkpoints" / "sub" / "nb-checkpoint.ipynb"
    assert [c["id"] for c in manager.list_checkpoints("sub/nb.ipynb")] == ["checkpoint"]
    assert manager.checkpoints.checkpoint_path("checkpoint", "sub/nb.ipynb") == str(made.path)
