"""Starting a kernel process and owning it until it is reaped.

How a kernel is started (POSIX):

- in its own session and process group (``start_new_session``), so terminal Ctrl-C and SIGHUP
  do not reach it and ``killpg`` reaches the kernel and its children;
- stdin from /dev/null; stdout and stderr to an anonymous temporary file (a TUI must not get
  kernel noise on its screen, and a pipe would be held open by an orphan); :meth:`log_tail`
  reads it back for error messages;
- ``JPY_PARENT_PID`` set to our pid (ipykernel-based kernels exit when their parent changes), and
  ``JTUI_KERNEL_OWNER=<our pid>`` as a marker (tests use it to find leftover kernels).

No orphans, even when we are killed with SIGKILL (no cleanup code runs then):

- on Linux the child asks the kernel for ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` between fork and
  exec (``preexec_fn``, through ctypes), and exits at once if we already died. The death signal
  fires when the *thread* that forked exits, so launch from a long-lived thread (the event loop
  thread; never from a short-lived worker thread);
- kernels that do not die by themselves would otherwise survive (xeus-python ignores
  ``JPY_PARENT_PID``); with PDEATHSIG they do not. Children of the kernel in other sessions
  (bash_kernel's bash on its pty) get SIGHUP when the kernel's pty closes;
- on normal interpreter exit an ``atexit`` hook SIGKILLs the process group of every kernel we
  still own and deletes its connection file;
- what a kernel started in its process group (a cell's ``Popen``) is orphaned, not killed, by
  PDEATHSIG: a watchdog process (:mod:`protocol.watchdog`) SIGKILLs the groups of our kernels
  when we die, by SIGKILL included. Once a kernel is reaped, :meth:`KernelProcess.kill_group`
  ends what is left of its group.

Death is noticed through a pidfd registered with the event loop (``loop.add_reader``), which wakes
us the moment the process exits; where pidfds or ``add_reader`` are unavailable, a task polls
every 0.2 s.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import functools
import os
import signal
import subprocess
import sys
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import IO

from protocol import watchdog
from protocol.errors import KernelStartError

OWNER_ENV = "JTUI_KERNEL_OWNER"
"""Environment marker set on every kernel we launch (value: the launching process's pid)."""

_PR_SET_PDEATHSIG = 1
_live: weakref.WeakSet[KernelProcess] = weakref.WeakSet()


@functools.cache
def _libc_prctl() -> Callable[..., int] | None:
    """libc's ``prctl`` through ctypes (looked up once; None if unavailable)."""
    import ctypes

    # The symbols already loaded into this process (libc among them): no library search, which
    # ``ctypes.util.find_library`` does by running ``ldconfig -p`` (milliseconds per call).
    try:
        prctl: Callable[..., int] = ctypes.CDLL(None, use_errno=True).prctl
        return prctl
    except (OSError, AttributeError):
        pass
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name, use_errno=True).prctl if name else None
    except (OSError, AttributeError):
        return None


def _make_preexec(parent_pid: int) -> Callable[[], None] | None:
    if not sys.platform.startswith("linux"):
        return None
    prctl = _libc_prctl()
    if prctl is None:
        return None

    def preexec() -> None:  # runs in the child between fork and exec
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent_pid:  # the parent died before prctl took effect
            os._exit(1)

    return preexec


class KernelProcess:
    """A launched kernel process: signals to its process group, exit watching, reaping."""

    def __init__(self, popen: subprocess.Popen[bytes], log: IO[bytes]) -> None:
        self.popen = popen
        self.pid = popen.pid
        try:
            self.pgid: int | None = os.getpgid(popen.pid)
        except OSError:
            self.pgid = None
        self._log = log
        self.owned_files: list[Path] = []
        """Files to delete when this process is killed at interpreter exit (its connection
        file), if whoever launched it has not cleaned up by then."""
        _live.add(self)

    @property
    def returncode(self) -> int | None:
        """The exit code once the process has been reaped, else None."""
        return self.popen.returncode

    def poll(self) -> int | None:
        """Reap if it exited; return the exit code or None while it runs."""
        return self.popen.poll()

    def is_alive(self) -> bool:
        """True while the process has not exited."""
        return self.poll() is None

    def send_signal(self, sig: int, *, group: bool = True) -> bool:
        """Send ``sig`` to the process group (or just the process); False if it is gone."""
        if self.poll() is not None:
            return False
        try:
            if group and self.pgid is not None and self.pgid != os.getpgid(0):
                os.killpg(self.pgid, sig)
            else:
                self.popen.send_signal(sig)
        except ProcessLookupError:
            return False
        return True

    def kill_group(self) -> None:
        """SIGKILL the whole process group: the kernel (whatever state it is in, stopped
        included) and everything it started there (a cell's ``subprocess.Popen``, ``sleep &``).

        Call it again once the kernel has been reaped to end what it left behind: the group
        outlives its leader while a member runs, and its number cannot be reused until the
        group is empty. After that call (the leader reaped) the group is forgotten, so a later
        call cannot reach a new group that happens to get the same number.
        """
        reaped = self.popen.poll() is not None
        if self.pgid is not None and self.pgid != os.getpgid(0):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pgid, signal.SIGKILL)
        if reaped and self.pgid is not None:
            watchdog.forget_group(self.pgid)
            self.pgid = None
        else:
            with contextlib.suppress(ProcessLookupError):
                self.popen.kill()

    async def wait(self, timeout: float | None = None) -> int | None:
        """Wait (without blocking the loop) until the process exits and is reaped.

        Returns the exit code, or None if ``timeout`` passed first.
        """
        code = self.poll()
        if code is not None:
            return code
        fut: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        watcher = self.watch(lambda code: None if fut.done() else fut.set_result(code))
        try:
            return await asyncio.wait_for(fut, timeout)
        except asyncio.TimeoutError:
            return None
        finally:
            watcher.cancel()

    def watch(self, on_exit: Callable[[int], None]) -> asyncio.Handle | _Watch:
        """Call ``on_exit(returncode)`` on the running loop as soon as the process exits.

        Returns an object whose ``cancel()`` stops watching.
        """
        loop = asyncio.get_running_loop()
        code = self.poll()
        if code is not None:
            return loop.call_soon(on_exit, code)
        return _Watch(self, loop, on_exit)

    def log_tail(self, limit: int = 4000) -> str:
        """The last ``limit`` bytes the kernel wrote to stdout/stderr, decoded."""
        try:
            fd = self._log.fileno()
            size = os.fstat(fd).st_size
            data = os.pread(fd, limit, max(0, size - limit))
        except (OSError, ValueError):
            return ""
        return data.decode("utf-8", "replace")

    def close_log(self) -> None:
        """Close our handle on the kernel's output file."""
        with contextlib.suppress(OSError):
            self._log.close()


class _Watch:
    """Exit notification through a pidfd reader, or a polling task as the fallback."""

    def __init__(
        self, proc: KernelProcess, loop: asyncio.AbstractEventLoop, on_exit: Callable[[int], None]
    ) -> None:
        self._proc = proc
        self._loop = loop
        self._on_exit = on_exit
        self._fd: int | None = None
        self._task: asyncio.Task[None] | None = None
        self._fired = False
        try:
            self._fd = os.pidfd_open(proc.pid)
            loop.add_reader(self._fd, self._readable)
        except (AttributeError, OSError, NotImplementedError):
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
            self._task = loop.create_task(self._poll())

    def _fire(self, code: int) -> None:
        if not self._fired:
            self._fired = True
            self.cancel()
            self._on_exit(code)

    def _readable(self) -> None:
        code = self._proc.poll()
        if code is None:  # readable means exited; reap may lag a moment
            try:
                code = self._proc.popen.wait(timeout=1)
            except subprocess.TimeoutExpired:
                return
        self._fire(code)

    async def _poll(self) -> None:
        while True:
            code = self._proc.poll()
            if code is not None:
                self._fire(code)
                return
            await asyncio.sleep(0.2)

    def cancel(self) -> None:
        """Stop watching."""
        if self._fd is not None:
            with contextlib.suppress(Exception):
                self._loop.remove_reader(self._fd)
            os.close(self._fd)
            self._fd = None
        if self._task is not None and self._task is not asyncio.current_task():
            self._task.cancel()
        self._task = None


def _anonymous_file() -> IO[bytes]:
    """An unnamed temporary file (``tempfile.TemporaryFile`` without importing :mod:`tempfile`
    on Linux, where it is one ``open(dir, O_TMPFILE)``)."""
    flag = getattr(os, "O_TMPFILE", 0)
    if flag:
        names = ("TMPDIR", "TEMP", "TMP")
        tmpdir = next((os.environ[n] for n in names if os.environ.get(n)), "/tmp")
        try:
            fd = os.open(tmpdir, flag | os.O_RDWR, 0o600)
        except OSError:
            pass
        else:
            return open(fd, "w+b")  # owned (and closed) by the KernelProcess
    import tempfile

    return tempfile.TemporaryFile(prefix="jtui-kernel-", suffix=".log")


def launch_kernel(
    argv: list[str],
    env: dict[str, str],
    *,
    cwd: str | os.PathLike[str] | None = None,
) -> KernelProcess:
    """Start ``argv`` as a kernel (see the module docstring for how); raises KernelStartError."""
    env = dict(env)
    env["JPY_PARENT_PID"] = str(os.getpid())
    env[OWNER_ENV] = str(os.getpid())
    log = _anonymous_file()
    kwargs: dict[str, object] = {}
    if os.name == "posix":
        kwargs["start_new_session"] = True
        preexec = _make_preexec(os.getpid())
        if preexec is not None:
            kwargs["preexec_fn"] = preexec
    else:
        kwargs["creationflags"] = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
    if cwd is not None and not Path(cwd).is_dir():
        log.close()
        raise KernelStartError(f"working directory {cwd} does not exist")
    try:
        popen = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=cwd,
            env=env,
            close_fds=True,
            **kwargs,  # type: ignore[call-overload]
        )
    except OSError as exc:
        log.close()
        raise KernelStartError(f"cannot start kernel {argv[0]!r}: {exc}") from exc
    proc = KernelProcess(popen, log)
    if proc.pgid is not None and proc.pgid != os.getpgid(0):
        watchdog.watch_group(proc.pgid)
    return proc


@atexit.register
def _kill_owned_kernels() -> None:
    """At interpreter exit (a quit, an uncaught exception, SystemExit from a signal handler):
    SIGKILL every kernel still owned, with its process group, and delete its files."""
    for proc in list(_live):
        if proc.popen.returncode is None or proc.pgid is not None:
            proc.kill_group()
            with contextlib.suppress(Exception):
                proc.popen.wait(timeout=1)
            proc.kill_group()  # what the kernel started, now that the leader is reaped
        for path in proc.owned_files:
            with contextlib.suppress(OSError):
                path.unlink()
