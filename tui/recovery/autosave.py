"""The checks autosave makes before it writes the file (as JupyterLab's ``_maybeSave``).

Autosave writes only when the file on disk is still the one the editor read or last saved:
compared by content hash, not by mtime and size (a change of the same size with its mtime put
back is still a change).
"""

from __future__ import annotations

import enum
import hashlib
from pathlib import Path

AUTOSAVE_SECONDS = 120.0
"""JupyterLab's ``autosaveInterval``."""

_CHUNK = 1 << 20


class DiskState(enum.Enum):
    """The file on disk compared with what the editor expects."""

    SAME = "unchanged"
    CHANGED = "changed on disk"
    MISSING = "deleted on disk"
    UNREADABLE = "unreadable"


def file_sha256(path: Path) -> str:
    """The file's sha256 (hex), read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


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
