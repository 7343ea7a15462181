"""The asyncio kernel client on zmq.asyncio: sockets, one event stream, request methods.

Sockets (see the protocol reference, section 2): shell, stdin and control are DEALERs that all
carry the session id as their ZMQ identity (the kernel routes ``input_request`` to the identity
that sent the execute_request, so a stdin socket with any other identity never gets it); IOPub is
a SUB on ``b""`` without a receive high-water mark (so a busy moment on our side never drops
output or a status message); the heartbeat is a REQ in its own task (:mod:`protocol.heartbeat`).
Every socket has linger 0, so closing never blocks.

One receive task per socket decodes frames with its own :class:`~protocol.wire.Receiver` (own
replay history, shared counters), drains whatever else is already queued without awaiting, feeds
the :class:`~protocol.tracking.RequestTracker` and fans the events out to every
:meth:`KernelClient.events` iterator. Nothing here is bound to a particular event loop: the client
lives on whichever loop is running when :meth:`KernelClient.connect` is awaited (Textual's,
prompt_toolkit's, ``asyncio.run``'s).
"""

from __future__ import annotations

import asyncio
import time

import zmq
import zmq.asyncio

from protocol.clientcore import (
    _CLOSED,
    ClientCore,
    ClientStats,
    EventStream,
    _Closed,
    collect_until_done,
)
from protocol.connection import ConnectionInfo
from protocol.curve import apply_client_curve
from protocol.errors import RequestTimeout
from protocol.heartbeat import Heartbeat
from protocol.messages import Message
from protocol.wire import Receiver, Session

__all__ = ["ClientStats", "EventStream", "KernelClient", "collect_until_done"]

_DRAIN_BATCH = 256
"""Messages taken from a socket per loop turn before yielding to other tasks."""
_FLOOD = 32
"""Messages within 10 ms above which a socket is read in batches (see ``_receive``)."""
_FLOOD_PAUSE = 0.002
"""Seconds to let messages accumulate between batches during a flood."""

_ = (_CLOSED, _Closed)  # re-exported for older imports


class KernelClient(ClientCore):
    """A connection to one kernel over zmq. Create with :meth:`connect`; close with
    :meth:`close`. Everything but the sockets lives in :class:`~protocol.clientcore.ClientCore`."""

    def __init__(
        self,
        info: ConnectionInfo,
        session: Session,
        context: zmq.asyncio.Context,
    ) -> None:
        super().__init__(session)
        self.info = info
        self._context = context
        self._sockets: dict[str, zmq.asyncio.Socket] = {}
        self.heartbeat: Heartbeat | None = None

    # -- setup ----------------------------------------------------------------------------------

    @classmethod
    async def connect(
        cls,
        info: ConnectionInfo,
        *,
        session_id: str | None = None,
        heartbeat: bool = True,
        heartbeat_misses: int = 3,
    ) -> KernelClient:
        """Open all sockets to the kernel in ``info`` and start receiving.

        This does not wait for the kernel: use :meth:`wait_for_ready` for that. ``heartbeat``
        starts the heartbeat task; after ``heartbeat_misses`` missed echoes (0.8 s each) the
        kernel is declared dead.
        """
        session = Session(info.key, info.signature_scheme, session_id=session_id)
        client = cls(info, session, zmq.asyncio.Context())
        client._open_sockets()
        if heartbeat:
            client.start_heartbeat(heartbeat_misses)
        return client

    def start_heartbeat(self, max_misses: int = 3) -> None:
        """Start the heartbeat task (death after ``max_misses`` missed 0.8 s echoes)."""
        if self.heartbeat is None:
            self.heartbeat = Heartbeat(
                self._context, self.info, self._heartbeat_lost, max_misses=max_misses
            )
        self.heartbeat.start()

    def _open_sockets(self) -> None:
        identity = self.session.bsession
        for channel, kind in (
            ("shell", zmq.DEALER),
            ("control", zmq.DEALER),
            ("stdin", zmq.DEALER),
            ("iopub", zmq.SUB),
        ):
            sock = self._context.socket(kind)
            sock.linger = 0
            if kind == zmq.DEALER:
                sock.setsockopt(zmq.IDENTITY, identity)
            else:
                sock.setsockopt(zmq.SUBSCRIBE, b"")
                # No receive high-water mark: the default (1000) makes libzmq drop IOPub
                # messages whenever we fall behind a fast kernel, and a dropped idle leaves an
                # execution unfinished forever. We drain much faster than kernels publish.
                sock.rcvhwm = 0
            apply_client_curve(sock, self.info, ephemeral=False)
            sock.connect(self.info.endpoint(channel))
            self._sockets[channel] = sock
            receiver = Receiver(self.session, channel, self.stats)
            loop = asyncio.get_running_loop()
            self._tasks.append(
                loop.create_task(self._receive(sock, receiver), name=f"kernel-{channel}")
            )

    # -- receiving ------------------------------------------------------------------------------

    async def _receive(self, sock: zmq.asyncio.Socket, receiver: Receiver) -> None:
        shadow: zmq.Socket[bytes] = zmq.Socket.shadow(sock.underlying)
        recv = shadow.recv
        feed = receiver.feed
        handle = self._handle
        again = zmq.Again
        noblock = int(zmq.NOBLOCK)
        loop = asyncio.get_running_loop()
        window_start, window_count = loop.time(), 0
        while True:
            try:
                await sock.poll()
            except zmq.ZMQError:
                return  # socket closed
            count = 0
            while count < _DRAIN_BATCH:
                # Read what is queued without awaiting. Frames with ``.more`` cost half of
                # recv_multipart (no getsockopt(RCVMORE) per frame).
                try:
                    frame = recv(noblock, copy=False)
                    frames = [frame.bytes]
                    while frame.more:
                        frame = recv(0, copy=False)
                        frames.append(frame.bytes)
                except again:
                    break
                except zmq.ZMQError:
                    return
                count += 1
                event = feed(frames)
                if event is not None:
                    handle(event)
            # Flood control: more than _FLOOD messages within 10 ms means a kernel is streaming
            # output; waiting a moment lets messages pile up so each wakeup handles a batch
            # (less CPU per message, at most _FLOOD_PAUSE of added latency, only in floods).
            now = loop.time()
            if now - window_start > 0.01:
                window_start, window_count = now, 0
            window_count += count
            if window_count > _FLOOD:
                await asyncio.sleep(_FLOOD_PAUSE)

    def _on_revive(self, heartbeat: bool) -> None:
        if heartbeat and self.heartbeat is not None:
            self.heartbeat.unpause()
            self.heartbeat.start()

    async def _transmit(self, channel: str, msg: Message) -> None:
        await self._sockets[channel].send_multipart(self.session.serialize(msg))

    async def wait_for_heartbeat(self, timeout: float = 10) -> None:
        """Wait until the heartbeat echoes once (for kernels we did not start)."""
        hb = Heartbeat(self._context, self.info, lambda reason: None, timeout=0.5)
        deadline = time.monotonic() + timeout
        try:
            while not await hb.beat_once():
                if time.monotonic() > deadline:
                    raise RequestTimeout(f"no heartbeat within {timeout} s")
        finally:
            await hb.stop()


    # -- teardown -------------------------------------------------------------------------------

    async def _stop_transport(self) -> None:
        if self.heartbeat is not None:
            await self.heartbeat.stop()
        await super()._stop_transport()
        for sock in self._sockets.values():
            sock.close(linger=0)
        self._sockets.clear()
        self._context.destroy(linger=0)
