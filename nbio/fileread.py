"""A file's bytes for parsing: mapped under a read lease where Linux allows it, else read.

Reading a large file into a ``bytes`` object costs a fresh page of memory per 4 KiB, and on
some machines (virtual ones especially) a fresh page costs microseconds: a third of the time
spent opening a 50 MB notebook. Mapping the file instead shares the kernel's page cache.

A plain mapping is not safe: if another program truncates the file while it is parsed
(``nbformat.write`` rewrites a notebook in place), touching the lost pages kills the process
with SIGBUS. So the file is mapped only while this process holds a Linux *read lease* on it
(``fcntl(F_SETLEASE, F_RDLCK)``): while it is held, any other process that opens the file for
writing or truncates it waits until the lease is released (the kernel notifies the holder
with a signal, here SIGURG, ignored by default). The lease is released as soon as the caller
is done with the bytes. (The kernel waits ``/proc/sys/fs/lease-break-time`` seconds, 45 by
default, before it breaks a lease by force; parsing takes well under a second per 100 MB.)

Anything else (not Linux, a small file, a file someone has open for writing, a file system
without leases, a file owned by another user, a program that handles SIGURG itself) reads
the bytes as usual.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import signal
import stat
import sys
from collections.abc import Iterator

try:
    import fcntl
except ImportError:  # pragma: no cover - not a POSIX system: files are read
    fcntl = None  # type: ignore[assignment]

Contents = bytes | memoryview
"""What :func:`file_contents` yields: the file's bytes, or a read-only view of its mapping."""

MAP_MIN_SIZE = 1 << 20
"""Files smaller than this are read: a mapping's set-up costs more than the copy saves."""

_LINUX = sys.platform.startswith("linux") and fcntl is not None
_F_SETLEASE = getattr(fcntl, "F_SETLEASE", 1024)  # Linux's values where Python lacks the names
_F_SETSIG = getattr(fcntl, "F_SETSIG", 10)
_F_RDLCK, _F_UNLCK = 0, 2  # fcntl.F_RDLCK, fcntl.F_UNLCK on Linux
_MAP_POPULATE = getattr(mmap, "MAP_POPULATE", 0)


def _read_all(fd: int) -> bytes:
    with os.fdopen(os.dup(fd), "rb") as f:
        return f.read()


def _take_read_lease(fd: int) -> bool:
    """Take a read lease on ``fd`` (notified by SIGURG, ignored), or False when not possible."""
    if not _LINUX or signal.getsignal(signal.SIGURG) not in (signal.SIG_DFL, signal.SIG_IGN):
        return False
    try:
        fcntl.fcntl(fd, _F_SETSIG, signal.SIGURG)  # not SIGIO: its default action kills
        fcntl.fcntl(fd, _F_SETLEASE, _F_RDLCK)
    except OSError:  # open for writing elsewhere, not the owner, no lease support...
        return False
    return True


def _leased_map(fd: int, st: os.stat_result) -> tuple[mmap.mmap, os.stat_result] | None:
    """The file mapped under a read lease, and its status then; None: read it instead."""
    if st.st_size < MAP_MIN_SIZE or not stat.S_ISREG(st.st_mode) or not _take_read_lease(fd):
        return None
    try:
        st = os.fstat(fd)  # the lease keeps writers out from here on
        return mmap.mmap(fd, st.st_size, flags=mmap.MAP_PRIVATE | _MAP_POPULATE,
                         prot=mmap.PROT_READ), st
    except (OSError, ValueError):
        fcntl.fcntl(fd, _F_SETLEASE, _F_UNLCK)
        return None


@contextlib.contextmanager
def file_contents(fd: int) -> Iterator[tuple[Contents, os.stat_result]]:
    """The contents of the file open (read-only) on ``fd``, and its status, for a ``with``.

    Large files on Linux are mapped under a read lease, which is released (and the mapping
    closed) when the block ends: nothing may keep a reference to the yielded view beyond it
    (parse it, hash it, or copy it with ``bytes()``).
    """
    st = os.fstat(fd)
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(21, os.strerror(21))
    leased = _leased_map(fd, st)
    if leased is None:
        yield _read_all(fd), st
        return
    mapping, st = leased
    view = memoryview(mapping)
    try:
        yield view, st
    finally:
        view.release()
        mapping.close()
        fcntl.fcntl(fd, _F_SETLEASE, _F_UNLCK)
