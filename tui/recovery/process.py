"""Who wrote a journal, and whether that process still runs.

A pid alone is not enough: after a reboot (or enough processes) another program has the pid.
The writer records its pid, its host and its start time; it is running when a process with that
pid exists on this host and started at the same time (read from ``/proc`` on Linux; elsewhere
the pid alone is all we can check).
"""

from __future__ import annotations

import enum
import os
import socket
from dataclasses import dataclass

START_TOLERANCE = 2.0
"""Seconds two start times of one process may differ by (clock ticks, boot time rounding)."""


class Liveness(enum.Enum):
    """Whether a journal's writer is still running."""

    RUNNING = "running"
    GONE = "not running"
    UNKNOWN = "unknown (another host)"


@dataclass(frozen=True)
class ProcessId:
    """A process as a journal records it: pid, host name and start time (epoch seconds, or
    None where it cannot be read)."""

    pid: int
    host: str
    started: float | None


def _boot_time() -> float | None:
    try:
        with open("/proc/stat", encoding="ascii") as f:
            for line in f:
                if line.startswith("btime "):
                    return float(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def process_start_time(pid: int) -> float | None:
    """When process ``pid`` started (epoch seconds), or None when it cannot be told (no such
    process, no ``/proc``)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as f:
            stat = f.read()
    except OSError:
        return None
    boot = _boot_time()
    try:
        ticks = int(stat[stat.rindex(")") + 2:].split()[19])  # field 22: starttime
        hz = os.sysconf("SC_CLK_TCK")
    except (ValueError, IndexError, OSError):
        return None
    if boot is None:
        return None
    return boot + ticks / hz


def pid_exists(pid: int) -> bool:
    """True when a process with this pid exists (ours or another user's)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def this_process() -> ProcessId:
    """The current process's identity, as a journal records it."""
    pid = os.getpid()
    return ProcessId(pid=pid, host=socket.gethostname(), started=process_start_time(pid))


def liveness(writer: ProcessId) -> Liveness:
    """Whether ``writer`` is still running: same host, pid alive and, where start times can
    be read, the same start time (a reused pid is another process)."""
    if writer.host != socket.gethostname():
        return Liveness.UNKNOWN
    if not pid_exists(writer.pid):
        return Liveness.GONE
    if writer.started is None:
        return Liveness.RUNNING
    now_started = process_start_time(writer.pid)
    if now_started is None:
        return Liveness.RUNNING
    if abs(now_started - writer.started) > START_TOLERANCE:
        return Liveness.GONE
    return Liveness.RUNNING
