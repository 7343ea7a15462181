"""Turning a journal back into the notebook the editor opens."""

from __future__ import annotations

from pathlib import Path

from nbio.model import Notebook
from tui.recovery.journal import Journal


def recovered_notebook(journal: Journal, path: Path, on_disk: Notebook | None) -> Notebook:
    """The journal's notebook, ready to edit as ``path``: saving it writes the file as it is
    now on disk (``on_disk``'s stamp, None for a file that does not exist)."""
    nb = journal.notebook
    nb.path = path
    nb.disk_stamp = on_disk.disk_stamp if on_disk is not None else None
    return nb
