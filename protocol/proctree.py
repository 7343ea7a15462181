"""The processes below a kernel, remembered before it stops so none outlives it (Linux /proc).

Killing the kernel's process group (:meth:`KernelProcess.kill_group`) ends what a cell started
in that group. Some kernels start their work in a session of their own: bash_kernel runs bash
under a pseudo-terminal (pexpect's ``setsid``), so ``sleep 1000 &`` in a cell is in bash's
group, not the kernel's. bash passes a hang-up on to its jobs, but when the kernel shuts it
down (SIGHUP, then SIGKILL 0.1 s later) on a busy machine bash can be killed before it has
done so, and the job is left running under init. So the tree is read while the kernel still
runs and whatever of it is left once the kernel is gone is killed, each process recognised by
its pid *and* its start time (a recycled pid is never hit). Where there is no /proc the
snapshot is empty and only the group kill applies.
"""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path

_PROC = Path("/proc")

Snapshot = list[tuple[int, int]]
"""(pid, start time in clock ticks since boot) of each process below the kernel."""


def _stat(pid: int) -> tuple[int, int] | None:
    """(parent pid, start time) of ``pid``, or None when it is gone or a zombie."""
    try:
        text = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()
    if fields[0] in ("Z", "X"):
        return None
    return int(fields[1]), int(fields[19])


def descendants(pid: int) -> Snapshot:
    """Every live process below ``pid`` with its start time (empty without /proc)."""
    children: dict[int, list[tuple[int, int]]] = {}
    try:
        entries = list(_PROC.iterdir())
    except OSError:
        return []
    for entry in entries:
        if not entry.name.isdigit():
            continue
        stat = _stat(int(entry.name))
        if stat is not None:
            children.setdefault(stat[0], []).append((int(entry.name), stat[1]))
    out: Snapshot = []
    seen: set[int] = set()
    todo = [pid]
    while todo:
        for child, started in children.get(todo.pop(), []):
            if child not in seen:
                seen.add(child)
                out.append((child, started))
                todo.append(child)
    return out


def kill_survivors(snapshot: Snapshot) -> int:
    """SIGKILL the processes of ``snapshot`` that still run (same pid, same start time).

    Returns how many were killed.
    """
    killed = 0
    for pid, started in snapshot:
        stat = _stat(pid)
        if stat is None or stat[1] != started:
            continue
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
            killed += 1
    return killed
