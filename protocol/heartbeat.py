"""The heartbeat as an asyncio task (no thread).

A REQ socket sends ``b"ping"``; the kernel echoes it. A reply within ``timeout`` is a beat. After
a missed reply the REQ socket is closed and recreated (REQ/REP lockstep breaks on a lost reply).
After ``max_misses`` consecutive misses :meth:`Heartbeat.run` calls ``on_dead`` once and stops.
With the defaults (ping every 0.5 s, 0.8 s timeout, 3 misses) a dead kernel is reported within
about 3 s. The heartbeat says "the process is alive", not "the kernel is idle": ipykernel echoes
inside libzmq, without the GIL, even while user code runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable

import zmq
import zmq.asyncio

from protocol.connection import ConnectionInfo
from protocol.curve import apply_client_curve


class Heartbeat:
    """Pings a kernel's heartbeat socket; reports death through ``on_dead(reason)``."""

    def __init__(
        self,
        context: zmq.asyncio.Context,
        info: ConnectionInfo,
        on_dead: Callable[[str], None],
        *,
        interval: float = 0.5,
        timeout: float = 0.8,
        max_misses: int = 3,
    ) -> None:
        self._context = context
        self._info = info
        self._on_dead = on_dead
        self.interval = interval
        self.timeout = timeout
        self.max_misses = max_misses
        self.last_beat: float | None = None
        """``time.monotonic()`` of the last echo received."""
        self.misses = 0
        self._socket: zmq.asyncio.Socket | None = None
        self._task: asyncio.Task[None] | None = None
        self._paused = False

    def _new_socket(self) -> zmq.asyncio.Socket:
        sock = self._context.socket(zmq.REQ)
        sock.linger = 0
        apply_client_curve(sock, self._info, ephemeral=True)
        sock.connect(self._info.endpoint("hb"))
        return sock

    def _close_socket(self) -> None:
        if self._socket is not None:
            self._socket.close(linger=0)
            self._socket = None

    async def beat_once(self) -> bool:
        """Send one ping; True if the echo came back within ``timeout``."""
        if self._socket is None:
            self._socket = self._new_socket()
        sock = self._socket
        try:
            await sock.send(b"ping")
            if await sock.poll(timeout=int(self.timeout * 1000)):
                await sock.recv()
                self.last_beat = time.monotonic()
                return True
        except zmq.ZMQError:
            pass
        self._close_socket()
        return False

    async def run(self) -> None:
        """Ping until ``max_misses`` consecutive misses (then call ``on_dead``) or cancelled."""
        try:
            while True:
                started = time.monotonic()
                if self._paused:
                    await asyncio.sleep(self.interval)
                    continue
                if await self.beat_once():
                    self.misses = 0
                else:
                    self.misses += 1
                    if self.misses >= self.max_misses:
                        silent = self.misses * self.timeout
                        self._on_dead(f"heartbeat lost (no echo for {silent:.1f} s)")
                        return
                await asyncio.sleep(max(0.0, self.interval - (time.monotonic() - started)))
        finally:
            self._close_socket()

    def start(self) -> None:
        """Run in a task on the current loop (idempotent)."""
        if self._task is None or self._task.done():
            self.misses = 0
            self._task = asyncio.get_running_loop().create_task(self.run(), name="heartbeat")

    def pause(self) -> None:
        """Stop counting misses (e.g. while the kernel is being restarted)."""
        self._paused = True

    def unpause(self) -> None:
        """Resume after :meth:`pause`."""
        self.misses = 0
        self._paused = False

    @property
    def running(self) -> bool:
        """True while the heartbeat task runs."""
        return self._task is not None and not self._task.done()

    async def stop(self) -> None:
        """Cancel the task and close the socket."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._close_socket()
