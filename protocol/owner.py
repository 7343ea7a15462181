"""Which connection files are ours, and which of ours are stale.

A connection file we write carries two extra keys (kernels and jupyter_client ignore keys they
do not know, so the file stays loadable everywhere):

- ``jtui_owner_pid``: the pid of the process that launched the kernel;
- ``jtui_owner_start``: that process's start time (Linux: field 22 of ``/proc/PID/stat``, clock
  ticks since boot), so a recycled pid is not taken for the owner. ``null`` where unknown.

The launcher ties a kernel's life to its owner (``PR_SET_PDEATHSIG`` on Linux, the kernel's own
parent polling through ``JPY_PARENT_PID`` elsewhere), so a file of ours whose owner is gone names
a dead kernel: it is *stale*. The owner removes its file on every exit it lives through (a quit,
SIGHUP, SIGTERM, an uncaught exception); a SIGKILL leaves it behind, and
:func:`remove_stale_connection_files` (run whenever a kernel is started) deletes it later.
Files without the keys (Jupyter Server's, ``jupyter console``'s) are never touched.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

OWNER_PID = "jtui_owner_pid"
"""Connection-file key: the pid of the process that launched the kernel."""
OWNER_START = "jtui_owner_start"
"""Connection-file key: that process's start time (None where unknown)."""

_MAX_FILE = 64 * 1024
"""Connection files are a few hundred bytes; anything larger is not one (not read)."""


def process_start_time(pid: int) -> int | None:
    """When ``pid`` started, in clock ticks since boot (Linux); None if unknown or gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    try:
        # The command name (field 2) may hold spaces and parentheses: split after its last ")".
        return int(stat.rsplit(")", 1)[1].split()[19])
    except (IndexError, ValueError):
        return None


def owner_fields() -> dict[str, Any]:
    """The keys that mark a connection file as written by this process."""
    pid = os.getpid()
    return {OWNER_PID: pid, OWNER_START: process_start_time(pid)}


def owner_alive(pid: int, start: int | None) -> bool:
    """True while process ``pid`` runs and (when ``start`` is known) is the same process."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # someone else's process now holds the pid: alive, but see the start time
    if start is not None:
        now = process_start_time(pid)
        if now is not None and now != start:
            return False  # the pid was recycled
    if os.path.exists(f"/proc/{pid}/stat"):
        with contextlib.suppress(OSError):
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            if state in ("Z", "X"):
                return False  # exited, not yet reaped by its parent
    return True


def read_owner(data: dict[str, Any]) -> tuple[int, int | None] | None:
    """``(pid, start)`` from a connection file's JSON object, or None if it is not ours."""
    pid = data.get(OWNER_PID)
    if not isinstance(pid, int) or isinstance(pid, bool):
        return None
    start = data.get(OWNER_START)
    return pid, start if isinstance(start, int) and not isinstance(start, bool) else None


def _read_object(path: Path) -> dict[str, Any] | None:
    try:
        if path.stat().st_size > _MAX_FILE:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def stale_owner(path: str | os.PathLike[str]) -> int | None:
    """The pid of the gone process that wrote connection file ``path``, if it is a stale file
    of ours; None for a live one, someone else's, or anything unreadable."""
    data = _read_object(Path(path))
    owner = read_owner(data) if data is not None else None
    if owner is None or owner_alive(*owner):
        return None
    return owner[0]


def remove_stale_connection_files(runtime_dir: str | os.PathLike[str] | None = None
                                  ) -> list[Path]:
    """Delete the stale connection files of ours in ``runtime_dir`` (default: Jupyter's runtime
    dir) and the ipc socket files they name; return the files deleted."""
    if runtime_dir is None:
        from protocol.paths import jupyter_runtime_dir

        runtime_dir = jupyter_runtime_dir()
    removed: list[Path] = []
    try:
        candidates = list(Path(runtime_dir).glob("kernel-*.json"))
    except OSError:
        return removed
    for path in candidates:
        data = _read_object(path)
        owner = read_owner(data) if data is not None else None
        if data is None or owner is None or owner_alive(*owner):
            continue
        try:
            path.unlink()
        except OSError:
            continue
        removed.append(path)
        _remove_ipc_sockets(data)
    return removed


def _remove_ipc_sockets(data: dict[str, Any]) -> None:
    """Delete the socket files ``<ip>-<port>`` of an ipc kernel (tcp: nothing to do)."""
    if data.get("transport") != "ipc" or not isinstance(data.get("ip"), str):
        return
    for channel in ("shell", "iopub", "stdin", "control", "hb"):
        port = data.get(f"{channel}_port")
        if isinstance(port, int):
            with contextlib.suppress(OSError):
                Path(f"{data['ip']}-{port}").unlink()
