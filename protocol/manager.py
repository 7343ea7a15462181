"""Local kernels: start, watch, interrupt, restart and shut down a kernel process.

:meth:`KernelManager.start` resolves the kernelspec, decides on CurveZMQ
(:func:`protocol.curve.should_encrypt`), writes a fresh connection file (0600, runtime dir),
launches the process (:func:`protocol.launcher.launch_kernel`), connects a
:class:`~protocol.client.KernelClient` and waits until the kernel is ready (kernel_info reply plus
IOPub proof, bounded, while watching the process). If the process exits during startup because a
port was taken in the meantime (the port race), it retries with fresh ports.

Death: the process is watched through a pidfd on the event loop, so an exit is reported as a
:class:`~protocol.events.KernelDied` event on the client's stream at once; the heartbeat also runs
once the kernel is ready (with a generous tolerance, since the process watch is exact) to catch a
hung kernel.

Shutdown escalates: a running cell is interrupted first (only then: a SIGINT that lands in an
idle ipykernel-based kernel is logged as an error), ``shutdown_request`` goes out on control and
the process exit is awaited through the pidfd watch, at most ``timeout / 2``, or a short grace
once the kernel has replied (ipykernel, bash_kernel with it, sometimes hangs 10 s at exit after
replying); then SIGTERM to the process group and a wait, then SIGKILL. The process is always
reaped, the connection file and ipc sockets deleted; :attr:`KernelManager.last_stop` records
the path taken.

Start-up cost: importing this module loads only what launching needs (kernelspecs, connection
files, the launcher; pyzmq only when a kernel gets Curve keys). The client side (zmq.asyncio,
wire, events, tracking) is imported right after the kernel process has been spawned, while it
boots.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any, NamedTuple

from protocol import proctree
from protocol.connection import (
    ConnectionInfo,
    cleanup_ipc_files,
    new_connection_file_path,
    new_connection_info,
    release_ports,
    with_fresh_ports,
    write_connection_file,
)
from protocol.curve import new_keypair, should_encrypt
from protocol.errors import KernelDeadError, KernelStartError, ProtocolError, RequestTimeout
from protocol.kernelspec import KernelSpec, get_kernel_spec
from protocol.launcher import KernelProcess, launch_kernel
from protocol.owner import owner_fields, remove_stale_connection_files

if TYPE_CHECKING:
    from pathlib import Path

    from protocol.client import KernelClient

_PORT_RETRIES = 3
_SIGINT_SETTLE = 0.1
"""Seconds a kernel must have been busy before SIGINT can be trusted to reach the cell."""
_MANAGED_HEARTBEAT_MISSES = 12
"""Heartbeat misses (0.8 s each) before a managed kernel whose process lives is declared dead."""
_REPLIED_GRACE = 0.5
"""Seconds a kernel that answered shutdown_request gets to exit before SIGTERM (ipykernel
normally exits 0.1-0.16 s after its reply, xeus-python 0.03 s)..."""
_REPLIED_GRACE_FACTOR = 5
"""... or this many times as long as the reply took, if that is longer."""


class StopReport(NamedTuple):  # a NamedTuple: a dataclass costs ~1 ms at import
    """How a kernel process was stopped (``KernelManager.last_stop``)."""

    interrupted: bool
    """A cell was running, so it was interrupted first (SIGINT or interrupt_request)."""
    replied: bool
    """The kernel answered the shutdown_request."""
    ended_by: str
    """What ended it: "request" (it exited by itself), "SIGTERM", "SIGKILL" or "already
    exited"."""
    reply_seconds: float | None
    """Seconds from sending shutdown_request to its reply (None without a reply)."""
    seconds: float
    """Seconds from the start of the stop until the process was reaped."""
    returncode: int | None
    """The process's exit status (negative: the signal that ended it)."""


class KernelManager:
    """One local kernel process and the client connected to it."""

    def __init__(
        self,
        spec: KernelSpec,
        info: ConnectionInfo,
        connection_file: Path,
        *,
        cwd: str | None,
        extra_env: dict[str, str] | None,
    ) -> None:
        self.spec = spec
        self.info = info
        self.connection_file = connection_file
        self.cwd = cwd
        self.extra_env = dict(extra_env or {})
        self.client: KernelClient
        self.kernel_info: dict[str, Any] = {}
        self.process: KernelProcess | None = None
        self._watch: Any = None
        self.last_stop: StopReport | None = None
        """How the kernel process was last stopped (by :meth:`shutdown` or :meth:`restart`)."""
        self._stopping = False
        self._closed = False

    # -- start ----------------------------------------------------------------------------------

    @classmethod
    async def start(
        cls,
        kernel_name: str | None = None,
        *,
        spec: KernelSpec | None = None,
        cwd: str | None = None,
        extra_env: dict[str, str] | None = None,
        encryption: str = "auto",
        transport: str = "tcp",
        ready_timeout: float = 60,
        session_id: str | None = None,
    ) -> KernelManager:
        """Launch a kernel, connect to it and wait until it is ready.

        ``spec`` wins over ``kernel_name`` (default ``python3``). ``encryption`` is ``"auto"``,
        ``"off"`` or ``"require"`` (see :mod:`protocol.curve`). Raises NoSuchKernel,
        EncryptionUnavailable, or KernelStartError (with the kernel's output) when it exits or
        does not become ready within ``ready_timeout`` seconds.
        """
        if spec is None:
            spec = get_kernel_spec(kernel_name or "python3")
        curve = new_keypair() if should_encrypt(spec, encryption) else None
        info = new_connection_info(transport=transport, kernel_name=spec.name, curve_keys=curve)
        # Marked as ours, so that a file left behind by a SIGKILL is known stale later.
        info = replace(info, extra={**info.extra, **owner_fields()})
        path = write_connection_file(info, new_connection_file_path())
        manager = cls(spec, info, path, cwd=cwd, extra_env=extra_env)
        try:
            # Spawn first: the kernel boots on another core while the client side is imported
            # and its sockets connect (ZeroMQ connects before or after the kernel binds).
            manager._launch()
            # While it boots: files of ours whose owner was killed (their kernels are gone).
            remove_stale_connection_files(path.parent)
            manager._connect_client(
                await _client_class().connect(info, session_id=session_id, heartbeat=False)
            )
            await manager._launch_until_ready(ready_timeout, launched=True)
        except BaseException:
            await manager._cleanup(delete_file=True)
            raise
        return manager

    async def _launch_until_ready(self, ready_timeout: float, *, launched: bool = False) -> None:
        for attempt in range(_PORT_RETRIES):
            if not (launched and attempt == 0):
                self._launch()
            assert self.process is not None
            self._watch_process()  # an exit during startup fails the wait at once
            try:
                self.kernel_info = await self.client.wait_for_ready(
                    ready_timeout, is_alive=self.process.is_alive
                )
            except (KernelDeadError, RequestTimeout) as exc:
                self._unwatch()
                log = self.process.log_tail()
                await self._kill_and_reap()
                if "Address already in use" in log and attempt + 1 < _PORT_RETRIES:
                    await self._switch_ports()
                    continue
                raise KernelStartError(
                    f"kernel {self.spec.name!r} did not start: {exc}"
                    + (f"\n--- kernel output ---\n{log.strip()}" if log.strip() else "")
                ) from None
            self.client.revive()
            # The heartbeat starts once the kernel is ready (a slow starter is not "dead").
            self.client.start_heartbeat(_MANAGED_HEARTBEAT_MISSES)
            return

    def _launch(self) -> None:
        argv = self.spec.launch_argv(self.connection_file)
        env = self.spec.launch_env()
        env.update(self.extra_env)
        client = getattr(self, "client", None)
        if client is not None:
            client.revive(heartbeat=False)
        self.process = launch_kernel(argv, env, cwd=self.cwd)
        self.process.owned_files.append(self.connection_file)

    def _connect_client(self, client: KernelClient) -> None:
        self.client = client
        client.on_dead.append(self._declared_dead)

    def _declared_dead(self, reason: str) -> None:
        """The client declared the kernel dead (the heartbeat stopped answering): a kernel
        that is stopped (SIGSTOP) or hung must not come back later and talk, so it is killed
        with its process group; the process watch reaps it."""
        proc = self.process
        if proc is not None and not self._stopping and proc.is_alive():
            proc.kill_group()

    async def _switch_ports(self) -> None:
        self.info = with_fresh_ports(self.info)
        write_connection_file(self.info, self.connection_file)
        session_id = self.client.session.session_id
        await self.client.close()
        self._connect_client(
            await _client_class().connect(self.info, session_id=session_id, heartbeat=False)
        )

    def _watch_process(self) -> None:
        assert self.process is not None
        proc = self.process

        def exited(code: int) -> None:
            proc.kill_group()  # what the kernel started goes with it
            if not self._stopping and proc is self.process:
                reason = (
                    f"process exited with code {code}"
                    if code >= 0
                    else f"process killed by {signal.Signals(-code).name}"
                )
                self.client.mark_dead(reason)

        self._watch = proc.watch(exited)

    def _unwatch(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            self._watch = None

    # -- control --------------------------------------------------------------------------------

    def is_alive(self) -> bool:
        """True while the kernel process runs."""
        return self.process is not None and self.process.is_alive()

    async def interrupt(self) -> None:
        """Interrupt the running cell: SIGINT to the process group, or an ``interrupt_request``
        on control when the kernelspec's interrupt_mode is "message".

        A SIGINT that reaches ipykernel within a few milliseconds of it going busy (before it
        runs the user's code) is lost, and the cell then runs on with SIGINT ignored (observed:
        about one time in three when interrupting right at ``execute_input``; never with
        jupyter_client's slower path). So the signal waits until the kernel has been busy for
        at least 0.1 s.
        """
        if self.spec.interrupt_mode == "message":
            await self.client.interrupt_request()
            return
        await self._sigint()

    async def _sigint(self) -> None:
        if self.process is None:
            return
        if self.client.busy_parent is not None:
            age = time.monotonic() - self.client.busy_since
            if age < _SIGINT_SETTLE:
                await asyncio.sleep(_SIGINT_SETTLE - age)
        self.process.send_signal(signal.SIGINT)

    async def restart(self, ready_timeout: float = 60) -> None:
        """Shut the kernel down and start it again on the same ports and key.

        The same :attr:`client` object keeps working; requests pending across the restart fail
        with KernelDeadError. Raises KernelDeadError after :meth:`shutdown`.
        """
        if self._closed:
            raise KernelDeadError("the kernel was shut down; start a new one")
        if self.client.heartbeat is not None:
            self.client.heartbeat.pause()
        await self._stop_process(restart=True, timeout=5)
        self.client.fail_pending("the kernel was restarted")
        self._stopping = False
        try:
            await self._launch_until_ready(ready_timeout)
        except BaseException:
            await self._cleanup(delete_file=True)
            raise

    async def shutdown(self, timeout: float = 5) -> None:
        """Stop the kernel, reap it, close the client and delete the connection file.

        A running cell is interrupted first; then shutdown_request, SIGTERM and SIGKILL, each
        bounded by ``timeout / 2``, except that a kernel that replied gets only 0.5 s (or five
        times its reply time) to exit before SIGTERM. :attr:`last_stop` tells what happened.
        """
        if self._closed:
            return
        try:
            await self._stop_process(restart=False, timeout=timeout)
        finally:
            await self._cleanup(delete_file=True)

    async def _stop_process(self, *, restart: bool, timeout: float) -> None:
        self._stopping = True
        self._unwatch()
        proc = self.process
        loop = asyncio.get_running_loop()
        started = loop.time()
        if proc is None or not proc.is_alive():
            if proc is not None:
                proc.kill_group()  # anything the kernel left in its process group
                proc.close_log()
                self.last_stop = StopReport(
                    False, False, "already exited", None, 0.0, proc.returncode
                )
            return
        tree = proctree.descendants(proc.pid)  # read while the kernel runs: see proctree
        step = max(timeout / 2, 0.1)
        interrupted = False
        if self.client.is_executing and not self.client.is_dead:
            # A cell is running: interrupt it first, as jupyter_client does (ipykernel answers
            # the shutdown_request on its control thread but cannot exit while the cell runs).
            # Only then: a SIGINT that reaches an idle ipykernel-based kernel lands in whatever
            # it is doing and is logged as an error.
            interrupted = True
            if self.spec.interrupt_mode == "message":
                from protocol import messages

                with contextlib.suppress(ProtocolError):
                    await self.client.send(messages.interrupt_request(), track=False)
            else:
                await self._sigint()
        replied_after: float | None = None
        ended_by = "request"
        if self.client.is_dead:
            code = None
        else:
            replied_after, code = await self._request_shutdown(proc, restart, step)
        if code is None:
            ended_by = "SIGTERM"
            proc.send_signal(signal.SIGTERM)
            if await proc.wait(step) is None:
                ended_by = "SIGKILL"
                await self._kill_and_reap()
        # The kernel is reaped; what its cells started in its process group (a Popen, a
        # ``sleep &``) would otherwise live on: jupyter_client's killpg.
        proc.kill_group()
        proctree.kill_survivors(tree)  # and what it started in sessions of its own
        proc.close_log()
        self.last_stop = StopReport(
            interrupted,
            replied_after is not None,
            ended_by,
            replied_after,
            loop.time() - started,
            proc.returncode,
        )

    async def _request_shutdown(
        self, proc: KernelProcess, restart: bool, step: float
    ) -> tuple[float | None, int | None]:
        """Send shutdown_request and wait for the process to exit, at most ``step`` seconds, or
        ``_REPLIED_GRACE`` seconds once the kernel has replied.

        Returns (seconds until the reply or None, exit code or None if it still runs). The exit
        is noticed through the pidfd watch the moment it happens.
        """
        from protocol import messages

        loop = asyncio.get_running_loop()
        start = loop.time()
        deadline = start + step
        exited = loop.create_task(proc.wait())
        reply = loop.create_task(self.client.request(messages.shutdown_request(restart), step))
        replied_after: float | None = None
        try:
            # The request times out after ``step``, so this wait is bounded too.
            await asyncio.wait({exited, reply}, return_when=asyncio.FIRST_COMPLETED)
            if reply.done() and not reply.cancelled() and reply.exception() is None:
                replied_after = loop.time() - start
                # The kernel has answered: all that is left for it is closing sockets and
                # threads. ipykernel (so bash_kernel too) sometimes hangs there for 10 s (its
                # control thread waits on an IOPub flush after the IOPub thread has stopped),
                # so it gets a short grace, not the rest of the step: 0.5 s, or longer when the
                # reply itself was slow (a loaded machine slows its normal exit down too).
                grace = max(_REPLIED_GRACE, _REPLIED_GRACE_FACTOR * replied_after)
                deadline = min(deadline, loop.time() + grace)
            if not exited.done():
                await asyncio.wait({exited}, timeout=max(0.0, deadline - loop.time()))
            return replied_after, exited.result() if exited.done() else None
        finally:
            for task in (exited, reply):
                if not task.done():
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError, ProtocolError):
                        await task

    async def _kill_and_reap(self) -> None:
        proc = self.process
        if proc is None:
            return
        proc.kill_group()
        if await proc.wait(5) is None:
            # Unkillable (uninterruptible sleep): reap in a thread so no zombie is left behind.
            await asyncio.get_running_loop().run_in_executor(None, proc.popen.wait)
        proc.kill_group()  # reaped: end whatever is left of its group
        proc.close_log()

    async def _cleanup(self, *, delete_file: bool) -> None:
        self._closed = True
        self._stopping = True
        self._unwatch()
        if self.process is not None and self.process.is_alive():
            await self._kill_and_reap()
        client = getattr(self, "client", None)
        if client is not None:
            await client.close()
        if delete_file:
            with contextlib.suppress(OSError):
                self.connection_file.unlink()
            cleanup_ipc_files(self.info)
            release_ports(self.info)

    async def __aenter__(self) -> KernelManager:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.shutdown()


def _client_class() -> type[KernelClient]:
    """The client class, imported on first use (after the kernel process has been spawned)."""
    from protocol.client import KernelClient

    return KernelClient
