"""The contents interface the editor saves through (see :mod:`tui.contents`)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Protocol

import nbio
from nbio.model import DiskStamp, Notebook


class NotebookContents(Protocol):
    """One notebook's file, wherever it lives. Methods block (call them from a thread).

    Errors are nbio's: :class:`nbio.FileChangedError` when the file changed since it was read
    or saved (a save without ``force``), :class:`nbio.ReadOnlyError`, and
    :class:`nbio.NotebookError` (with a sentence a user can act on, never a token) for the rest.
    """

    remote: bool
    """True for a file on a server (the editor then offers no local-only commands)."""

    @property
    def journal_source(self) -> str | Path:
        """What the recovery journal is named after: the file's path, or the server URL
        (without its token) and path."""
        ...

    def read(self) -> Notebook:
        """The notebook as stored now, with ``path`` and ``disk_stamp`` recorded."""
        ...

    def save(self, prepared: nbio.PreparedWrite, *, force: bool = False) -> DiskStamp:
        """Store ``prepared.data``; refuse (FileChangedError) a file changed since it was read
        or saved, unless ``force``. Returns the stamp of what was stored."""
        ...

    def state(self, stamp: DiskStamp) -> nbio.DiskState:
        """Whether the stored file still is what ``stamp`` recorded (for the watch)."""
        ...

    def create_checkpoint(self) -> None:
        """Make the checkpoint "revert to checkpoint" goes back to (after a manual save)."""
        ...

    def checkpoint_time(self) -> datetime | None:
        """When the checkpoint was made, or None when there is none."""
        ...

    def restore_checkpoint(self) -> None:
        """Put the checkpoint back into the file (the caller reloads)."""
        ...
