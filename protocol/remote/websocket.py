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
* There is no heartbeat channel: the socket's pings (and the server's, every 30 s) are the
  liveness check. When the socket closes, the client emits :class:`~protocol.events.KernelDied`
  with the close reason and fails pending requests (reconnecting is the caller's choice).
* Interrupt, restart and shutdown go through REST (:class:`RemoteKernel`), never over the
  socket: the server's auto-restarter would revive a kernel stopped with shutdown_request.
"""

from __future__ import annotations

import asyncio
import ssl
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus
from websockets.typing import Subprotocol

from protocol.clientcore import ClientCore
from protocol.errors import WireError
from protocol.events import event_from_message
from protocol.messages import Message
from protocol.remote.errors import AuthError, ConnectError, NotFoundError, RemoteError, TLSError
from protocol.remote.framing import V1_SUBPROTOCOL, Framing
from protocol.remote.urls import ServerURL
from protocol.wire import Session

__all__ = ["WebSocketKernelClient"]


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
                 server: ServerURL) -> None:
        super().__init__(session)
        self.kernel_id = kernel_id
        self.server = server
        self.framing = Framing(ws.subprotocol)
        """The framing the server agreed to (``framing.name``: "v1" or "legacy")."""
        self.close_reason: str | None = None
        """Why the socket closed, once it has."""
        self._ws = ws

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
    ) -> WebSocketKernelClient:
        """Open the kernel's channels WebSocket and start receiving.

        ``subprotocols=()`` asks for the legacy framing. Raises AuthError (403), NotFoundError
        (no such kernel), TLSError or ConnectError, naming the URL without the token. Like the
        zmq client this does not wait for the kernel: use :meth:`wait_for_ready`.
        """
        session = Session(b"", session_id=session_id)
        url = server.websocket(kernel_id, session.session_id)
        headers = {"Authorization": f"token {server.token}"} if server.token else {}
        extra: dict[str, Any] = {}
        if url.startswith("wss:"):
            extra["ssl"] = ssl_context or ssl.create_default_context()
        try:
            ws = await connect(
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
        client = cls(session, ws, kernel_id, server)
        loop = asyncio.get_running_loop()
        client._tasks.append(loop.create_task(client._receive(), name="kernel-websocket"))
        return client

    async def _receive(self) -> None:
        decode = self.framing.decode
        stats = self.stats
        handle = self._handle
        try:
            async for frame in self._ws:
                try:
                    channel, msg = decode(frame)
                except WireError as exc:
                    stats.record_drop(exc, "websocket")
                    continue
                stats.received += 1
                handle(event_from_message(channel, msg))
        except ConnectionClosed:
            pass
        if not self._closed:
            code = self._ws.close_code
            reason = self._ws.close_reason or ""
            self.close_reason = f"the server closed the WebSocket (code {code}) {reason}".strip()
            self.mark_dead(self.close_reason)

    async def _transmit(self, channel: str, msg: Message) -> None:
        try:
            await self._ws.send(self.framing.encode(channel, msg))
        except ConnectionClosed as exc:
            raise ConnectError(f"the WebSocket to kernel {self.kernel_id} is closed ({exc})",
                               self.server.shown()) from None

    async def _stop_transport(self) -> None:
        await self._ws.close()
        await super()._stop_transport()
