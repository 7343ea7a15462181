"""A watchdog that ends our kernels' process groups when we die, however we die.

``PR_SET_PDEATHSIG`` kills a kernel with its owner, even on SIGKILL, but not what the kernel
started: a cell's ``subprocess.Popen(['sleep', '1000'])`` is orphaned and lives on. No code of
ours runs after a SIGKILL, so the cleanup lives in another process: one small ``/bin/sh`` per
owner (started with the first kernel, in its own session so a terminal hangup does not reach
it), reading the process groups to watch from a pipe whose only writer is us. When we exit, by
a quit or by SIGKILL, the pipe reaches end of file and the watchdog SIGKILLs every group still
registered, then exits. With no group left to watch it is ended, so a process without kernels
has no watchdog.

A group is registered (``+ PGID``) as its kernel is launched and unregistered (``- PGID``) once we
have cleaned it up ourselves (the leader reaped and the group killed, see
:meth:`protocol.launcher.KernelProcess.kill_group`): the number of an emptied group may be
reused by anyone, so the watchdog must never kill it after that. POSIX only; elsewhere (and if
``/bin/sh`` cannot be started) :func:`watch_group` does nothing.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import threading

_SCRIPT = r"""
trap '' HUP INT QUIT TSTP
groups=' '
while read -r op pg; do
  case $pg in ''|*[!0-9]*) continue ;; esac
  case $op in
    +) groups="$groups$pg " ;;
    -) case $groups in *" $pg "*) groups="${groups%%" $pg "*} ${groups#*" $pg "}" ;; esac ;;
  esac
done
for pg in $groups; do kill -9 "-$pg" 2>/dev/null; done
"""
"""The watchdog: ``+ N`` adds group N, ``- N`` removes it; at end of input, SIGKILL the rest.
(``kill -9 -N``: dash's ``kill`` takes neither ``-s KILL -N`` nor ``--``.)"""

_lock = threading.Lock()
_proc: subprocess.Popen[bytes] | None = None
_groups: set[int] = set()


def _start() -> subprocess.Popen[bytes] | None:
    try:
        return subprocess.Popen(
            ["/bin/sh", "-c", _SCRIPT],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=True,
            start_new_session=True,
        )
    except OSError:
        return None


def _send(line: str) -> None:
    """Write one command to the watchdog (restarting it, with every group, if it is gone)."""
    global _proc
    for _ in range(2):
        if _proc is None or _proc.poll() is not None:
            _proc = _start()
            if _proc is None:
                return
            line = "".join(f"+ {pg}\n" for pg in sorted(_groups))
        stdin = _proc.stdin
        assert stdin is not None
        try:
            stdin.write(line.encode())
            stdin.flush()
            return
        except (BrokenPipeError, OSError, ValueError):
            with contextlib.suppress(Exception):
                _proc.kill()
                _proc.wait(1)
            _proc = None


def watch_group(pgid: int) -> None:
    """Have the watchdog SIGKILL process group ``pgid`` if we die before :func:`forget_group`."""
    if os.name != "posix" or pgid <= 1:
        return
    with _lock:
        _groups.add(pgid)
        _send(f"+ {pgid}\n")


def forget_group(pgid: int) -> None:
    """We cleaned group ``pgid`` up ourselves: the watchdog must not touch that number again."""
    with _lock:
        if pgid not in _groups:
            return
        _groups.discard(pgid)
        if _proc is not None and _proc.poll() is None:
            _send(f"- {pgid}\n")
            if not _groups:
                _stop()


def _stop() -> None:
    """No group left to watch: end the watchdog (the next kernel starts a new one)."""
    global _proc
    proc, _proc = _proc, None
    if proc is None:
        return
    with contextlib.suppress(Exception):
        assert proc.stdin is not None
        proc.stdin.close()  # end of file: it kills nothing (no group left) and exits
        proc.wait(1)


def watchdog_pid() -> int | None:
    """The watchdog's pid while it runs (for tests)."""
    with _lock:
        return _proc.pid if _proc is not None and _proc.poll() is None else None
