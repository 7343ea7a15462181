"""A kernel client over a Jupyter Server's kernel WebSocket (``/api/kernels/ID/channels``).

:class:`WebSocketKernelClient` is a :class:`~protocol.clientcore.ClientCore`: the same events,
request methods, request tracking and readiness probe as the zmq
:class:`~protocol.client.KernelClient`, so session code drives either. Only the transport
differs: one WebSocket (the ``websockets`` library) carrying all four channels, framed in the
``v1.kernel.websocket.jupyter.org`` subprotocol when the server agrees to it and in the legacy
JSON form otherwise (see :mod:`protocol.remote.framing`).

* No message size limit on the socket (websockets' default 1 MiB closes it on a 1.5 MB
  display_data with code 1009).
* The token goes in the upgrade request's ``Authorization`` header, never in the URL.
* Messages are not signed: the server signs what it forwards to the kernel.
* There is no heartbeat channel: the socket's pings (and the server's, every 30 s, which
  websockets answers) are the liveness check. A socket that drops is reopened with backoff
  (:class:`~protocol.remote.reconnect.ReconnectPolicy`: 1 s doubling to 30 s, 5 tries), with the
  same session id so the server replays what it buffered meanwhile. Requests sent during the
  gap wait for the new socket; it is first probed with ``kernel_info`` on control until IOPub
  answers (a fresh socket can miss its first IOPub messages). :class:`Reconnecting` and
  :class:`Reconnected` events tell the caller; an execution whose reply was lost in the gap
  ends with :data:`~protocol.remote.reconnect.INCOMPLETE_REPLY`. A kernel that is gone (404),
  a refused token, or tries that run out end in :class:`~protocol.events.KernelDied`.
* Interrupt, restart and shutdown go through REST (:class:`RemoteKernel`), never over the
  socket: the server's auto-restarter would revive a kernel stopped with shutdown_request.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Awaitable, Callable
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus
from websockets.typing import Subprotocol

from protocol.clientcore import ClientCore
from protocol.errors import ProtocolError, WireError
from protocol.events import ExecutionDone, event_from_message
from protocol.messages import Message
from protocol.remote.errors import AuthError, ConnectError, NotFoundError, RemoteError, TLSError
from protocol.remote.framing import V1_SUBPROTOCOL, Framing
from protocol.remote.reconnect import (
    INCOMPLETE_REPLY,
    Reconnected,
    Reconnecting,
    ReconnectPolicy,
)
from protocol.remote.urls import ServerURL
from protocol.wire import Session

__all__ = ["WebSocketKernelClient"]


Dialer = Callable[[], Awaitable[ClientConnection]]


def _handshake_error(exc: Exception, shown: str) -> RemoteError:
    if isinstance(exc, InvalidStatus):
        status = exc.response.status_code
        what = f"WebSocket {shown} refused: {status}"
        if status in (401, 403):
            return AuthError(f"{what}. The token is missing or wrong.", shown, status)
        if status == 404:
            return NotFoundError(f"{what}. No such kernel (or a wrong base URL).", shown, status)
        return RemoteError(f"{what}.", shown, status)
    if isinstance(exc, ssl.SSLError):
        return TLSError(f"WebSocket {shown} failed: TLS error ({exc.reason or exc}).", shown)
    if isinstance(exc, ConnectionRefusedError):
        return ConnectError(f"WebSocket {shown} failed: connection refused.", shown)
    if isinstance(exc, TimeoutError):
        return ConnectError(f"WebSocket {shown} failed: no handshake in time.", shown)
    return ConnectError(f"WebSocket {shown} failed: {type(exc).__name__}: {exc}.", shown)


class WebSocketKernelClient(ClientCore):
    """A connection to one server-side kernel. Create with :meth:`connect`."""

    def __init__(self, session: Session, ws: ClientConnection, kernel_id: str,
                 server: ServerURL, *, dial: Dialer | None = None,
                 reconnect: ReconnectPolicy | None = None) -> None:
        super().__init__(session)
        self.kernel_id = kernel_id
        self.server = server
        self.framing = Framing(ws.subprotocol)
        """The framing the server agreed to (``framing.name``: "v1" or "legacy")."""
        self.close_reason: str | None = None
        """Why the socket closed, once it has."""
        self.reconnect = reconnect if reconnect is not None else ReconnectPolicy.from_environ()
        """How a dropped socket is reopened (``ReconnectPolicy(tries=0)``: never; by default
        from the environment, see :meth:`ReconnectPolicy.from_environ`)."""
        self.connection_state = "connected"
        """``connected``, ``reconnecting`` (a UI shows it) or ``closed``."""
        self.reconnects = 0
        """How many times a dropped socket was reopened successfully."""
        self._ws = ws
        self._dial = dial
        self._online = asyncio.Event()
        self._online.set()
        self._running: dict[str, None] = {}
        self._supervisor: asyncio.Task[None] | None = None

    @classmethod
    async def connect(
        cls,
        server: ServerURL,
        kernel_id: str,
        *,
        session_id: str | None = None,
        subprotocols: tuple[str, ...] = (V1_SUBPROTOCOL,),
        open_timeout: float = 30,
        ping_interval: float | None = 20,
        ssl_context: ssl.SSLContext | None = None,
        reconnect: ReconnectPolicy | None = None,
    ) -> WebSocketKernelClient:
        """Open the kernel's channels WebSocket and start receiving.

        ``subprotocols=()`` asks for the legacy framing. Raises AuthError (403), NotFoundError
        (no such kernel), TLSError or ConnectError, naming the URL without the token. Like the
        zmq client this does not wait for the kernel: use :meth:`wait_for_ready`.
        ``reconnect`` replaces the default :class:`ReconnectPolicy`.
        """
        session = Session(b"", session_id=session_id)
        url = server.websocket(kernel_id, session.session_id)
        headers = {"Authorization": f"token {server.token}"} if server.token else {}
        extra: dict[str, Any] = {}
        if url.startswith("wss:"):
            extra["ssl"] = ssl_context or ssl.create_default_context()

        async def dial() -> ClientConnection:
            try:
                return await connect(
                    url,
                    subprotocols=[Subprotocol(p) for p in subprotocols] or None,
                    additional_headers=headers,
                    compression=None,
                    max_size=None,
                    proxy=None,
                    open_timeout=open_timeout,
                    ping_interval=ping_interval,
                    user_agent_header="jupyter-tui",
                    **extra,
                )
            except (OSError, InvalidHandshake, TimeoutError) as exc:
                raise _handshake_error(exc, url) from None

        client = cls(session, await dial(), kernel_id, server, dial=dial, reconnect=reconnect)
        loop = asyncio.get_running_loop()
        client._supervisor = loop.create_task(client._supervise(), name="kernel-websocket")
        client._tasks.append(client._supervisor)
        return client

    # -- receiving and reconnecting ------------------------------------------------------------

    async def _receive(self, ws: ClientConnection) -> None:
        decode = self.framing.decode
        stats = self.stats
        handle = self._handle
        try:
            async for frame in ws:
                try:
                    channel, msg = decode(frame)
                except WireError as exc:
                    stats.record_drop(exc, "websocket")
                    continue
                stats.received += 1
                handle(event_from_message(channel, msg))
        except ConnectionClosed:
            pass

    async def _supervise(self) -> None:
        """Receive until the socket closes; reopen it (see the module docstring) or give up."""
        await self._receive(self._ws)
        while not self._closed:
            code, said = self._ws.close_code, self._ws.close_reason or ""
            if code in (None, 1006):  # no close frame: the TCP connection was cut
                self.close_reason = "the connection to the server dropped"
            else:
                self.close_reason = f"the server closed the WebSocket (code {code}) {said}"
                self.close_reason = self.close_reason.strip()
            receiving = await self._recover(self.close_reason)
            if receiving is None:
                return
            await receiving

    async def _recover(self, reason: str) -> asyncio.Task[None] | None:
        """Reopen the socket; the new socket's receive task, or None after giving up."""
        policy = self.reconnect
        running = tuple(self._running)
        if self._dial is None or policy.tries <= 0:
            self._give_up(reason)
            return None
        self._online.clear()
        self.connection_state = "reconnecting"
        loop = asyncio.get_running_loop()
        for attempt, delay in enumerate(policy.delays(), 1):
            self._emit(Reconnecting("client", None, reason, attempt, policy.tries, delay, running))
            await asyncio.sleep(delay)  # the backoff itself, not a wait for an event
            try:
                ws = await self._dial()
            except (AuthError, NotFoundError) as exc:
                what = "the token was refused" if isinstance(exc, AuthError) else (
                    "the kernel is gone from the server (shut down, or the server restarted)")
                self._give_up(f"{reason}; reconnecting failed: {what}")
                return None
            except RemoteError as exc:
                reason = str(exc)
                continue
            self._ws = ws
            receiving = loop.create_task(self._receive(ws), name="kernel-websocket-receive")
            self._tasks.append(receiving)
            try:
                await self.wait_for_ready(policy.probe_timeout, channel="control")
            except ProtocolError as exc:
                reason = f"the reopened WebSocket did not answer ({exc})"
                await ws.close()
                receiving.cancel()
                continue
            self.connection_state = "connected"
            self.reconnects += 1
            self._online.set()
            self._emit(Reconnected("client", None, attempt, running))
            if any(m in self._running for m in running):
                settle = loop.create_task(self._settle(running), name="kernel-websocket-settle")
                self._tasks.append(settle)
            return receiving
        self._give_up(f"{reason}; gave up after {policy.tries} tries")
        return None

    async def _settle(self, running: tuple[str, ...]) -> None:
        """Finish executions whose reply was lost in the gap.

        A silent empty execute goes behind them on shell, which the kernel handles in order:
        once it is done, any earlier execution still waiting lost its reply or its idle.
        """
        try:
            msg_id = await self.execute("", silent=True, store_history=False, allow_stdin=False)
            await self.wait_for_execution(msg_id)
        except ProtocolError:
            return
        for m in running:
            if m in self._running:
                self._tracker.cancel(m)
                reply = dict(INCOMPLETE_REPLY)
                self._finish(m, reply)
                self._emit(ExecutionDone("client", None, m, reply))

    def _give_up(self, reason: str) -> None:
        self.connection_state = "closed"
        self.close_reason = reason
        self.mark_dead(reason)
        self._online.set()  # requests waiting for a socket now fail

    def _finish(self, msg_id: str, reply: dict[str, Any]) -> None:
        self._running.pop(msg_id, None)
        super()._finish(msg_id, reply)

    # -- sending --------------------------------------------------------------------------------

    async def _transmit(self, channel: str, msg: Message) -> None:
        if not self._online.is_set() and asyncio.current_task() is not self._supervisor:
            await self._online.wait()  # the probe (in the supervisor) goes first
            self._check_alive()
        if msg.msg_type == "execute_request":
            self._running[msg.msg_id] = None
        frame = self.framing.encode(channel, msg)
        while True:
            ws = self._ws
            try:
                await ws.send(frame)
                return
            except ConnectionClosed as exc:
                if (self._closed or self._dial is None or self.reconnect.tries <= 0
                        or asyncio.current_task() is self._supervisor):
                    self._running.pop(msg.msg_id, None)
                    raise ConnectError(f"the WebSocket to kernel {self.kernel_id} is closed "
                                       f"({exc})", self.server.shown()) from None
            # It dropped under us, before the supervisor noticed: wait for the new socket.
            if self._ws is ws and self.connection_state == "connected":
                self._online.clear()  # the supervisor sets it when it is back (or gave up)
            await self._online.wait()
            self._check_alive()

    def mark_dead(self, reason: str) -> None:
        """Declare the kernel dead (see :meth:`ClientCore.mark_dead`)."""
        self._running.clear()
        super().mark_dead(reason)

    async def _stop_transport(self) -> None:
        self.connection_state = "closed"
        self._online.set()
        await self._ws.close()
        await super()._stop_transport()
