"""SIGHUP and SIGTERM end jtui as a quit does.

A closed terminal window or a dropped SSH session sends SIGHUP; ``kill`` sends SIGTERM. Python's
default for both ends the process on the spot: no ``finally``, no ``atexit``, so kernels were
never shut down (the launcher's death signal killed them, but not what their cells started) and
their connection files stayed behind for ``jtui console --existing`` to pick.

:func:`install` turns the first such signal into a call on the event loop (the editor calls
``App.exit``); :func:`run_until_hangup` turns it into the cancellation of a coroutine (the console
and ``jtui run``), whose ``finally`` blocks then shut the kernel down as on a quit, and raises
:class:`HangUp`. A second signal, or one that arrives while no event loop runs, raises
``SystemExit`` (status 128 + the signal), so the interpreter still exits through ``atexit``,
where the launcher kills the kernels it owns and deletes their connection files. The terminal
may be gone by then: writing to it fails with ``OSError`` (EIO), which callers must tolerate.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

T = TypeVar("T")

SIGNALS: tuple[signal.Signals, ...] = tuple(
    s for s in (getattr(signal, "SIGHUP", None), signal.SIGTERM) if s is not None
)
"""The signals handled like a quit."""

_REPEAT_GRACE = 1.0
"""A second signal within this many seconds of the first is the same hangup (a pty hangup
may signal the session leader and the foreground group): it does not force the exit."""


class HangUp(Exception):
    """The terminal hung up (SIGHUP) or the process was asked to terminate (SIGTERM)."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(f"ended by {signal.Signals(signum).name}")

    @property
    def exit_status(self) -> int:
        """The conventional exit status: 128 + the signal number."""
        return 128 + self.signum


def install(on_signal: Callable[[int], Any]) -> Callable[[], None]:
    """Call ``on_signal(signum)`` on the running event loop at the first SIGHUP or SIGTERM.

    Must be called from the main thread. Returns a function that restores the previous
    handlers. See the module docstring for a second signal.
    """
    first: list[float] = []

    def handler(signum: int, frame: object) -> None:
        now = time.monotonic()
        if first:
            if now - first[0] < _REPEAT_GRACE:
                return
            raise SystemExit(128 + signum)
        first.append(now)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raise SystemExit(128 + signum) from None
        loop.call_soon_threadsafe(on_signal, signum)

    previous = {sig: signal.signal(sig, handler) for sig in SIGNALS}

    def restore() -> None:
        for sig, old in previous.items():
            signal.signal(sig, old)

    return restore


async def run_until_hangup(awaitable: Awaitable[T]) -> T:
    """Await ``awaitable`` in the current task; SIGHUP or SIGTERM cancel it (its ``finally``
    blocks run, so kernels are shut down) and raise :class:`HangUp`."""
    task = asyncio.current_task()
    assert task is not None
    got: list[int] = []

    def on_signal(signum: int) -> None:
        if not got:
            got.append(signum)
            task.cancel()

    restore = install(on_signal)
    try:
        return await awaitable
    except (asyncio.CancelledError, OSError):
        # OSError: the terminal went away under something writing to it.
        if got:
            raise HangUp(got[0]) from None
        raise
    finally:
        restore()
