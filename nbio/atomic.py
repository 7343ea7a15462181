"""Safe file replacement: temp file in the same folder, fsync, rename; in place for hard links.

The old file survives any failure before the rename (disk full, permission denied, a kill
mid-write): readers see either the complete old bytes or the complete new bytes. The file's
permission bits are kept; a symlink is followed so the link itself stays a link.

What the file says is respected:

* a read-only file (see :func:`nbio.fsinfo.is_read_only`) is refused with
  :class:`~nbio.errors.ReadOnlyError`, never replaced;
* a file with more than one hard link is written *in place*, as jupyter_server's
  ``atomic_writing`` does, so every name keeps seeing the same file: its bytes are first
  copied to ``.~NAME`` beside it (fsynced), then the file is rewritten and fsynced, then the
  copy is removed. A failure puts the old bytes back from the copy; a kill mid-write leaves
  the copy for recovery (jupyter_server restores a notebook from it when it reads as invalid).

Temp files are named ``.NAME.~jtui<PID>.<random>.tmp``: :func:`clean_stale_temps`, run on each
save, removes those left by a process that is no longer running (a save killed midway leaves
a full-size one).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import tempfile
import time
from pathlib import Path

from nbio.errors import ReadOnlyError
from nbio.fsinfo import is_read_only

TEMP_MARK = ".~jtui"
"""What marks our temp files: ``.NAME.~jtui<PID>.<random>.tmp``."""

LEGACY_TEMP_AGE = 3600.0
"""Temps named the old way (``.NAME.<8 random>.tmp``, no pid) are removed once this old."""

_LEGACY_RANDOM = re.compile(r"[a-z0-9_]{8}")  # what tempfile.mkstemp puts between the parts


def _umask() -> int:
    """The process umask, read without changing it where the platform allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_dir(folder: Path) -> None:
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    try:
        fd = os.open(folder, flags)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


# temp files ------------------------------------------------------------------------------------


def temp_prefix(target: Path, pid: int | None = None) -> str:
    """The start of our temp files' names for ``target`` (``.NAME.~jtui<PID>.``)."""
    return f".{target.name}{TEMP_MARK}{os.getpid() if pid is None else pid}."


def backup_path(target: Path) -> Path:
    """Where an in-place write keeps the old bytes: ``.~NAME`` (jupyter_server's name)."""
    return target.with_name(".~" + target.name)


def pid_running(pid: int) -> bool:
    """Whether a process with this id exists (one we may not signal counts as running)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return True  # cannot tell: keep its files
    return True


def _temp_owner(name: str, target_name: str) -> int | None:
    """The pid in one of our temp names for ``target_name``; ``0`` for an old-style temp of
    it (no pid), ``None`` for any other file."""
    head = f".{target_name}."
    if not (name.startswith(head) and name.endswith(".tmp")):
        return None
    middle = name[len(head):-len(".tmp")]
    if middle.startswith(TEMP_MARK[1:]):
        pid_text, dot, rest = middle[len(TEMP_MARK) - 1:].partition(".")
        if dot and rest and pid_text.isdigit():
            return int(pid_text)
        return None
    return 0 if _LEGACY_RANDOM.fullmatch(middle) else None


def clean_stale_temps(path: str | Path) -> list[Path]:
    """Remove the temp files a save of ``path`` left behind; return those removed.

    Ours (``.NAME.~jtui<PID>.<random>.tmp``) go when process ``PID`` is not running; temps
    of earlier versions (``.NAME.<random>.tmp``, which say no pid) when older than
    :data:`LEGACY_TEMP_AGE`. Nothing else is touched (not the ``.~NAME`` copy of an in-place
    write: it may hold the only complete bytes). Errors are ignored: cleaning is best effort.
    """
    target = Path(path)
    with contextlib.suppress(OSError):
        if target.is_symlink():
            target = Path(os.path.realpath(target))
    removed: list[Path] = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        owner = _temp_owner(entry.name, target.name)
        if owner is None:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            if owner == 0:
                if now - entry.stat(follow_symlinks=False).st_mtime < LEGACY_TEMP_AGE:
                    continue
            elif owner == os.getpid() or pid_running(owner):
                continue
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


# writing ---------------------------------------------------------------------------------------


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _resolve(path: str | Path) -> Path:
    target = Path(path)
    if target.is_symlink():  # a loop resolves to itself: stat() then fails with ELOOP
        target = Path(os.path.realpath(target))
    return target


def _rewrite(target: Path, data: bytes) -> None:
    """Write ``data`` over ``target``'s bytes in place (same inode) and fsync it."""
    fd = os.open(target, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        _write_all(fd, data)
        os.ftruncate(fd, len(data))
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_synced(src: Path, dst: Path) -> None:
    shutil.copyfile(src, dst)
    with contextlib.suppress(OSError):
        shutil.copystat(src, dst)
    fd = os.open(dst, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_in_place(target: Path, data: bytes) -> None:
    """jupyter_server's ``atomic_writing``: keep a synced copy, rewrite, fsync, drop the copy."""
    backup = backup_path(target)
    _copy_synced(target, backup)
    _fsync_dir(target.parent)
    try:
        _rewrite(target, data)
    except BaseException:
        try:
            _rewrite(target, backup.read_bytes())
        except OSError:
            os.replace(backup, target)  # the bytes matter more than the link
        else:
            with contextlib.suppress(OSError):
                backup.unlink()
        raise
    with contextlib.suppress(OSError):
        backup.unlink()


def _replace(target: Path, data: bytes, mode: int) -> None:
    fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(target), suffix=".tmp", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            view = memoryview(data)
            while view:
                written = f.write(view)
                view = view[written:]
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def atomic_write_bytes(path: str | Path, data: bytes, *, clean_temps: bool = True) -> Path:
    """Replace ``path`` with ``data`` safely; return the path actually written.

    Refuses a read-only file with :class:`~nbio.errors.ReadOnlyError`; writes a hard-linked
    file in place (see the module docstring); otherwise writes a temp file and renames it over
    the target. ``clean_temps`` first removes stale temps of earlier saves
    (:func:`clean_stale_temps`). Raises ``OSError`` on failure; the old file is untouched.
    """
    target = _resolve(path)
    if clean_temps:
        clean_stale_temps(target)
    try:
        st: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        st = None
    if st is not None and stat.S_ISREG(st.st_mode):
        if is_read_only(target):
            raise ReadOnlyError(target)
        if st.st_nlink > 1:
            _write_in_place(target, data)
            _fsync_dir(target.parent)
            return target
    mode = stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask()
    _replace(target, data, mode)
    _fsync_dir(target.parent)
    return target
