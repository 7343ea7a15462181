"""What the file system says about a notebook path, in words a user can act on.

* :func:`os_error_reason` turns an ``OSError`` into a sentence: the system's own words first
  (``Permission denied``), then what they mean here (which folder cannot be searched, which
  link loops back, which part of the path is a file).
* :func:`notebook_exists` decides between "open this file" and "start a new notebook there",
  and raises a clear :class:`~nbio.errors.NotebookError` for the paths that are neither (a
  symbolic link loop, a folder without search permission, a folder in place of the file)
  instead of treating them as "missing".
* :func:`is_read_only` says whether a save must be refused (see
  :class:`~nbio.errors.ReadOnlyError`).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from nbio.errors import NotebookError

__all__ = ["is_read_only", "notebook_exists", "os_error_reason"]

_MEANINGS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the file system is mounted read-only",
    errno.EIO: "the disk or network file system failed to read or write",
    errno.ENAMETOOLONG: "a name on the path is too long for this file system",
    errno.EMFILE: "this process has too many files open",
    errno.ENFILE: "the system has too many files open",
    errno.EFBIG: "the file is larger than this file system (or a limit) allows",
    errno.ETXTBSY: "the file is busy (a running program uses it)",
    errno.EXDEV: "the file and its temporary copy are on different file systems",
}
if hasattr(errno, "ESTALE"):
    _MEANINGS[errno.ESTALE] = "the network file system lost the file (stale file handle)"


def _ancestors(path: Path) -> list[Path]:
    """The folders above ``path``, outermost first (``/``, ``/home``, ``/home/me``...)."""
    absolute = Path(os.path.abspath(path))
    return list(reversed(absolute.parents))


def _blocked_folder(path: Path) -> Path | None:
    """The outermost folder on ``path`` this process may not search (enter), if any."""
    for folder in _ancestors(path):
        try:
            if not os.access(folder, os.X_OK):
                return folder
        except OSError:  # pragma: no cover - access() reports, it does not raise
            return folder
    return None


def _file_in_the_way(path: Path) -> Path | None:
    """The first part of ``path`` that exists but is not a folder (for ENOTDIR)."""
    for folder in _ancestors(path)[1:]:
        try:
            if not stat.S_ISDIR(os.stat(folder).st_mode):
                return folder
        except OSError:
            return None
    return None


def _missing_folder(path: Path) -> Path | None:
    """The outermost folder on ``path`` that does not exist (for ENOENT)."""
    for folder in _ancestors(path)[1:]:
        if not os.path.lexists(folder):
            return folder
    return None


def _permission_meaning(path: Path | None, writing: bool) -> str:
    if path is None:
        return "no permission"
    blocked = _blocked_folder(path)
    if blocked is not None:
        return f"no permission to enter the folder {blocked} (it lacks search permission)"
    if writing:
        folder = Path(os.path.abspath(path)).parent
        if os.path.exists(path) and not os.access(path, os.W_OK):
            return "no permission to write this file"
        if not os.access(folder, os.W_OK):
            return f"no permission to create files in the folder {folder}"
        return "no permission to write here"
    return "no permission to read this file"


def _meaning(e: OSError, path: Path | None, writing: bool) -> str | None:
    code = e.errno
    if code in (errno.EACCES, errno.EPERM):
        return _permission_meaning(path, writing)
    if code == errno.ELOOP:
        return "a symbolic link on this path points back to itself, directly or through others"
    if code == errno.ENOTDIR:
        other = _file_in_the_way(path) if path is not None else None
        return f"{other} is a file, not a folder" if other else "a part of the path is not a folder"
    if code == errno.ENOENT:
        missing = _missing_folder(path) if path is not None else None
        return f"the folder {missing} does not exist" if missing else "there is no such file"
    if code == errno.EISDIR:
        return "it is a folder, not a notebook file"
    return _MEANINGS.get(code) if code is not None else None


def os_error_reason(e: OSError, path: str | Path | None = None, *, writing: bool = False) -> str:
    """``e`` in words: the system's message, then what it means for ``path``.

    ``path`` defaults to the error's own ``filename``; ``writing`` says the failed operation
    was a write (permission problems then name the file or folder that cannot be written).
    For example ``"Permission denied (no permission to enter the folder /srv/x (it lacks
    search permission))"`` or ``"Too many levels of symbolic links (a symbolic link on this
    path points back to itself, directly or through others)"``.
    """
    if path is None and isinstance(e.filename, (str, bytes, os.PathLike)):
        path = os.fsdecode(e.filename)
    where = Path(path) if path is not None else None
    said = e.strerror or (str(e) if str(e) else type(e).__name__)
    try:
        meaning = _meaning(e, where, writing)
    except (OSError, ValueError):  # a path that cannot even be examined
        meaning = None
    return f"{said} ({meaning})" if meaning else said


def notebook_exists(path: str | Path) -> bool:
    """True when ``path`` names an existing file to open, False when nothing is there yet (a
    new notebook: a dangling symbolic link counts, the save creates its target).

    Raises :class:`~nbio.errors.NotebookError` with :func:`os_error_reason`'s words for the
    paths that cannot be told apart from a missing file by ``Path.exists`` and would fail on
    the first save anyway: a symbolic link loop, a folder without search permission, a file
    where a folder should be, a folder where the notebook should be.
    """
    p = Path(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        return False
    except OSError as e:
        raise NotebookError(os_error_reason(e, p), path=p) from None
    if stat.S_ISDIR(st.st_mode):
        raise NotebookError("is a folder, not a notebook file", path=p)
    return True


def is_read_only(path: str | Path) -> bool:
    """True when ``path`` is an existing file that must not be written: this process has no
    write access to it, or it has no write permission bit at all (mode 0444: read-only even
    for root, who passes every access check, as vim and Emacs read it). A missing file is not
    read-only (a save creates it)."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    if not stat.S_ISREG(st.st_mode):
        return False
    if not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return True
    return not os.access(path, os.W_OK)
