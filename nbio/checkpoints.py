"""Checkpoints where jupyter_server's ``FileCheckpoints`` keeps them: JupyterLab and we share one.

A notebook ``folder/NAME.ipynb`` has at most one checkpoint, id ``"checkpoint"``, the file
``folder/.ipynb_checkpoints/NAME-checkpoint.ipynb``: a copy of the notebook's bytes with its
modification time (``shutil.copy2`` semantics, as jupyter_server copies). When ``folder`` is not
writable the checkpoint lives in ``<tempdir>/jupyter_checkpoints/<folder relative to root_dir>``
instead, as there (``root_dir`` is the server's root; here it defaults to the current folder,
as ``FileCheckpoints`` defaults without a contents manager).

JupyterLab creates a checkpoint on every manual save (not on autosave) and offers "Revert
Notebook to Checkpoint"; :func:`create_checkpoint` and :func:`restore_checkpoint` are those.
Renaming a notebook moves its checkpoint (:func:`rename_notebook`), as the server's rename does.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from nbio.atomic import atomic_write_bytes, temp_prefix
from nbio.errors import NotebookError
from nbio.fsinfo import os_error_reason
from nbio.model import DiskStamp, Notebook

__all__ = [
    "CHECKPOINT_DIR",
    "CHECKPOINT_ID",
    "Checkpoint",
    "CheckpointError",
    "checkpoint_path",
    "create_checkpoint",
    "delete_checkpoint",
    "list_checkpoints",
    "read_checkpoint",
    "rename_checkpoints",
    "rename_notebook",
    "restore_checkpoint",
]

CHECKPOINT_DIR = ".ipynb_checkpoints"
"""``FileCheckpoints.checkpoint_dir``'s default."""

CHECKPOINT_ID = "checkpoint"
"""The one checkpoint id ``FileCheckpoints`` uses."""


class CheckpointError(NotebookError):
    """A checkpoint that does not exist, or cannot be made, read or restored."""


@dataclass(frozen=True)
class Checkpoint:
    """One checkpoint as the contents API lists it (``id``, ``last_modified`` in UTC), and
    the file holding it."""

    id: str
    last_modified: datetime
    path: Path


def checkpoint_path(path: str | Path, checkpoint_id: str = CHECKPOINT_ID, *,
                    root_dir: str | Path | None = None) -> Path:
    """Where the checkpoint ``checkpoint_id`` of the notebook ``path`` is (or would be) kept.

    ``FileCheckpoints.checkpoint_path``'s rule (see the module docstring), without creating
    the folder.
    """
    target = Path(os.path.abspath(path))
    stem, ext = os.path.splitext(target.name)
    folder = target.parent
    cp_dir = folder / CHECKPOINT_DIR
    if not os.access(folder, os.W_OK):
        root = os.path.abspath(root_dir if root_dir is not None else os.getcwd())
        rel = os.path.relpath(folder, start=root)
        cp_dir = Path(tempfile.gettempdir()) / "jupyter_checkpoints" / rel
    return cp_dir / f"{stem}-{checkpoint_id}{ext}"


def _model(checkpoint_id: str, cp_path: Path) -> Checkpoint:
    mtime = os.stat(cp_path).st_mtime
    return Checkpoint(id=checkpoint_id, path=cp_path,
                      last_modified=datetime.fromtimestamp(mtime, tz=timezone.utc))


def _copy(src: Path, dst: Path) -> None:
    """``src``'s bytes and times to ``dst``, through a synced temp file renamed over it."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(dst), suffix=".tmp", dir=dst.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        shutil.copyfile(src, tmp)
        with contextlib.suppress(OSError):
            shutil.copystat(src, tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, dst)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def create_checkpoint(path: str | Path, *, root_dir: str | Path | None = None) -> Checkpoint:
    """Copy the notebook file as it is on disk now into its checkpoint; return the checkpoint.

    Call it after a manual save (JupyterLab does; autosave does not). Raises
    :class:`CheckpointError` when the file cannot be copied.
    """
    source = Path(path)
    dest = checkpoint_path(source, root_dir=root_dir)
    try:
        _copy(source, dest)
        return _model(CHECKPOINT_ID, dest)
    except OSError as e:
        raise CheckpointError(f"could not create a checkpoint: {os_error_reason(e)}",
                              path=source) from None


def list_checkpoints(path: str | Path, *, root_dir: str | Path | None = None) -> list[Checkpoint]:
    """The notebook's checkpoints (none or one), as the contents API lists them."""
    cp = checkpoint_path(path, root_dir=root_dir)
    try:
        return [_model(CHECKPOINT_ID, cp)] if cp.is_file() else []
    except OSError:
        return []


def _existing(path: str | Path, checkpoint_id: str, root_dir: str | Path | None) -> Path:
    cp = checkpoint_path(path, checkpoint_id, root_dir=root_dir)
    if not cp.is_file():
        raise CheckpointError(f"no checkpoint {checkpoint_id!r} (looked for {cp})", path=path)
    return cp


def read_checkpoint(path: str | Path, checkpoint_id: str = CHECKPOINT_ID, *,
                    root_dir: str | Path | None = None) -> Notebook:
    """The checkpoint's notebook (read with :func:`nbio.read`; its ``path`` is the
    checkpoint file), to show what differs before reverting."""
    from nbio.reader import read

    return read(_existing(path, checkpoint_id, root_dir))


def restore_checkpoint(path: str | Path, checkpoint_id: str = CHECKPOINT_ID, *,
                       root_dir: str | Path | None = None) -> DiskStamp:
    """Put the checkpoint's bytes back into the notebook file; return the file's new stamp.

    Written as saves are (:func:`nbio.atomic.atomic_write_bytes`): a read-only file is refused
    with :class:`~nbio.errors.ReadOnlyError`, hard links are kept. Reload the notebook after.
    """
    from nbio.jsonread import Hasher

    target = Path(path)
    cp = _existing(target, checkpoint_id, root_dir)
    try:
        data = cp.read_bytes()
        hasher = Hasher(data)
        written = atomic_write_bytes(target, data)
        return DiskStamp.of(os.stat(written), hasher.result())
    except NotebookError:
        raise
    except OSError as e:
        raise CheckpointError(f"could not restore the checkpoint: "
                              f"{os_error_reason(e, writing=True)}", path=target) from None


def delete_checkpoint(path: str | Path, checkpoint_id: str = CHECKPOINT_ID, *,
                      root_dir: str | Path | None = None) -> None:
    """Remove the checkpoint; :class:`CheckpointError` when there is none."""
    cp = _existing(path, checkpoint_id, root_dir)
    try:
        cp.unlink()
    except OSError as e:
        raise CheckpointError(f"could not delete the checkpoint: {os_error_reason(e)}",
                              path=path) from None


def rename_checkpoints(old_path: str | Path, new_path: str | Path, *,
                       root_dir: str | Path | None = None) -> None:
    """Move the checkpoint of ``old_path`` to where ``new_path``'s belongs (if there is one)."""
    old_cp = checkpoint_path(old_path, root_dir=root_dir)
    if not old_cp.is_file():
        return
    new_cp = checkpoint_path(new_path, root_dir=root_dir)
    try:
        new_cp.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(old_cp, new_cp)
    except OSError as e:
        raise CheckpointError(f"could not move the checkpoint: {os_error_reason(e)}",
                              path=old_path) from None


def rename_notebook(old_path: str | Path, new_path: str | Path, *,
                    root_dir: str | Path | None = None) -> Path:
    """Rename a notebook file and move its checkpoint with it (jupyter_server's rename).

    Refuses (:class:`~nbio.errors.NotebookError`) when ``new_path`` exists; returns it.
    """
    old, new = Path(old_path), Path(new_path)
    if os.path.lexists(new):
        raise NotebookError("a file of that name already exists; choose another name", path=new)
    try:
        os.rename(old, new)
    except OSError as e:
        raise NotebookError(f"could not rename {old}: {os_error_reason(e, new, writing=True)}",
                            path=new) from None
    rename_checkpoints(old, new, root_dir=root_dir)
    return new
