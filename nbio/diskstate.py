"""Has the file changed on disk since we read or wrote it? Decided by its hash, as JupyterLab does.

JupyterLab asks the server for the file's ``hash`` (SHA-256 of its bytes) before every save.
Here a :class:`~nbio.model.DiskStamp` records that hash, and the file's size, mtime, inode and
ctime as a fast path: while they are all as recorded (and the stamp is not *racy*, see
:data:`nbio.model.RACY_NS`) the file is taken as unchanged without being read; otherwise it is
hashed. So a change of the same size whose mtime was put back is still seen (putting the mtime
back moves the ctime), and a file that was only touched, or replaced by a copy of the same bytes,
is not a change.
"""

from __future__ import annotations

import enum
import hashlib
import os
import stat
from pathlib import Path

from nbio.model import DiskStamp

__all__ = ["DiskState", "disk_state", "file_hash"]

_CHUNK = 1 << 20


class DiskState(enum.Enum):
    """What :func:`disk_state` found."""

    UNCHANGED = "unchanged"
    """The file holds the bytes the stamp recorded."""
    CHANGED = "changed"
    """Other bytes (or something that is not a file) are there now."""
    DELETED = "deleted"
    """Nothing is there any more."""


def file_hash(path: str | Path) -> str:
    """The hex SHA-256 of the file's bytes: what a Jupyter Server's contents API returns as
    ``hash`` (``hash_algorithm: "sha256"``) for it."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def disk_state(path: str | Path, stamp: DiskStamp) -> DiskState:
    """Compare the file at ``path`` with ``stamp`` (see the module docstring).

    When the bytes are unchanged but the status moved (touched, copied back, or a racy stamp
    whose timestamps are now old enough), ``stamp`` is refreshed in place to the current
    status, so the next call takes the fast path again. Raises ``OSError`` when the file
    cannot be examined (no permission, an I/O error); a missing file (or folder) is
    :attr:`DiskState.DELETED`.
    """
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return DiskState.DELETED
    if not stat.S_ISREG(st.st_mode) or st.st_size != stamp.size:
        return DiskState.CHANGED
    if not stamp.racy and stamp.same_status(st):
        return DiskState.UNCHANGED
    try:
        digest = file_hash(path)
    except (FileNotFoundError, NotADirectoryError):
        return DiskState.DELETED
    if digest != stamp.sha256:
        return DiskState.CHANGED
    stamp.refresh(st)
    return DiskState.UNCHANGED
