"""The checks autosave makes before it writes the file (as JupyterLab's ``_maybeSave``).

Autosave writes only when the file on disk is still the one the editor read or last saved:
compared by content hash, not by mtime and size (a change of the same size with its mtime put
back is still a change).
"""

from __future__ import annotations

import enum
from pathlib import Path

from nbio.diskstate import file_hash

AUTOSAVE_SECONDS = 120.0
"""JupyterLab's ``autosaveInterval``."""

class DiskState(enum.Enum):
    """The file on disk compared with what the editor expects."""

    SAME = "unchanged"
    CHANGED = "changed on disk"
    MISSING = "deleted on disk"
    UNREADABLE = "unreadable"


def file_sha256(path: Path) -> str:
    """The file's sha256 (hex): :func:`nbio.file_hash`, the contents API's ``hash``."""
    return file_hash(path)


def disk_state(path: Path, expected_sha256: str) -> DiskState:
    """Whether ``path`` still has the content hashed as ``expected_sha256``. Reads the whole
    file: call it off the UI thread."""
    try:
        sha = file_sha256(path)
    except FileNotFoundError:
        return DiskState.MISSING
    except OSError:
        return DiskState.UNREADABLE
    return DiskState.SAME if sha == expected_sha256 else DiskState.CHANGED
