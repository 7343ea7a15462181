"""A notebook file on this machine (what the editor always did, behind the contents seam)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import nbio
from nbio.checkpoints import create_checkpoint, list_checkpoints, restore_checkpoint
from nbio.model import DiskStamp, Notebook


@dataclass(frozen=True)
class LocalFile:
    """The file at ``path``: atomic, hash-checked writes and ``.ipynb_checkpoints/``."""

    path: Path
    remote = False

    @property
    def journal_source(self) -> Path:
        """The file's path."""
        return self.path

    def read(self) -> Notebook:
        """``nbio.read``."""
        return nbio.read(self.path)

    def save(self, prepared: nbio.PreparedWrite, *, force: bool = False) -> DiskStamp:
        """``nbio.commit_write`` (it checks the disk stamp and writes atomically)."""
        return nbio.commit_write(prepared, force=force)

    def state(self, stamp: DiskStamp) -> nbio.DiskState:
        """``nbio.disk_state`` (by hash once the timestamps moved)."""
        return nbio.disk_state(self.path, stamp)

    def create_checkpoint(self) -> None:
        """``.ipynb_checkpoints/NAME-checkpoint.ipynb``, as jupyter_server's FileCheckpoints."""
        create_checkpoint(self.path)

    def checkpoint_time(self) -> datetime | None:
        """The checkpoint file's time, if there is one."""
        found = list_checkpoints(self.path)
        return found[0].last_modified if found else None

    def restore_checkpoint(self) -> None:
        """Copy the checkpoint over the file."""
        restore_checkpoint(self.path)
