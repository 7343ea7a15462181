"""The transport-independent half of a kernel client: events, request tracking, requests.

:class:`ClientCore` holds everything a client does with messages once they are decoded: it
feeds the :class:`~protocol.tracking.RequestTracker`, keeps the kernel's execution state, fans
events out to every :meth:`ClientCore.events` iterator, builds and tracks requests and waits
for readiness. A transport subclass supplies :meth:`ClientCore._transmit` (put a message on
the wire), calls :meth:`ClientCore._handle` for every event it receives, and closes its own
resources in :meth:`ClientCore._stop_transport`. :class:`protocol.client.KernelClient` is the
zmq transport, :class:`protocol.remote.websocket.WebSocketKernelClient` the Jupyter Server one:
session code drives either through the same methods and gets the same events.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

from protocol import messages
from protocol.errors import KernelDeadError, RequestTimeout
from protocol.events import ExecutionDone, InputRequest, KernelDied, KernelEvent
from protocol.messages import Message, Outgoing
from protocol.tracking import RequestCompleted, RequestTracker
from protocol.wire import Session, WireStats

__all__ = ["ClientCore", "ClientStats", "EventStream", "collect_until_done"]

ClientStats = WireStats
"""Counters of a client: ``received``, ``dropped`` by reason, ``dropped_bad_signature``,
``dropped_malformed``, ``dropped_replayed``, ``dropped_total``."""

_BACKLOG = 100_000
"""Events kept for the first :meth:`ClientCore.events` subscriber before it subscribes."""
_DONE_KEPT = 1000
"""Finished executions remembered for a late :meth:`ClientCore.wait_for_execution`."""

_C = TypeVar("_C", bound="ClientCore")


class _Closed:
    """Sentinel ending event iteration."""


_CLOSED = _Closed()


class EventStream:
    """An async iterator over a client's events, from the moment it was created."""

    def __init__(self, client: ClientCore, queue: asyncio.Queue[KernelEvent | _Closed]) -> None:
        self._client = client
        self._queue = queue

    def __aiter__(self) -> EventStream:
        return self

    async def __anext__(self) -> KernelEvent:
        item = await self._queue.get()
        if isinstance(item, _Closed):
            self.close()
            raise StopAsyncIteration
        return item

    def get_nowait(self) -> KernelEvent | None:
        """The next event if one is queued, else None (for batch consumers)."""
        try:
            item = self._queue.get_nowait()
        except asyncio.QueueEmpty:
            return None
        if isinstance(item, _Closed):
            self._queue.put_nowait(item)
            return None
        return item

    def qsize(self) -> int:
        """How many events are waiting."""
        return self._queue.qsize()

    def close(self) -> None:
        """Unsubscribe."""
        self._client._unsubscribe(self._queue)




class ClientCore:
    """A connection to one kernel, whatever carries its messages (see the module docstring)."""

    def __init__(
        self,
        session: Session,
    ) -> None:
        self.session = session
        self.stats: ClientStats = WireStats()
        self.kernel_session: str | None = None
        """``header.session`` of the kernel's last IOPub message (changes on restart)."""
        self.execution_state: str = "unknown"
        """The kernel's last IOPub status ("busy", "idle", "starting"), whoever caused it."""
        self.busy_parent: str | None = None
        """msg_id of the request the kernel last went busy for, until its idle."""
        self.busy_since: float = 0.0
        """``time.monotonic()`` when the kernel last went busy."""
        self.busy_parent_type: str | None = None
        """msg_type of that request ("execute_request" while a cell runs), until its idle."""
        self.dead_reason: str | None = None
        """Why the kernel is considered dead, or None while it is alive."""
        self.on_dead: list[Callable[[str], None]] = []
        """Callbacks run (synchronously) when the kernel is declared dead."""
        self.dropped_after_death = 0
        """Messages dropped because they came from a kernel the heartbeat declared dead."""
        self._silenced = False
        self._tasks: list[asyncio.Task[None]] = []
        self._tracker = RequestTracker()
        self._futures: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._done: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._subscribers: list[asyncio.Queue[KernelEvent | _Closed]] = []
        self._backlog: deque[KernelEvent] | None = deque(maxlen=_BACKLOG)
        self._last_input_request: Message | None = None
        self._ready_ids: set[str] = set()
        self._iopub_proof: asyncio.Event | None = None
        self._closed = False

    # -- receiving ------------------------------------------------------------------------------

    def _handle(self, event: KernelEvent) -> None:
        msg = event.msg
        if self._silenced:
            # Declared dead by the heartbeat: whatever it still sends (a stopped kernel
            # continued, a hung one waking up) belongs to no cell any more.
            self.dropped_after_death += 1
            return
        if event.channel == "iopub" and msg is not None:
            session = msg.header.get("session") or self.kernel_session
            if msg.msg_type == "status":
                state = msg.content.get("execution_state", self.execution_state)
                # ipykernel may publish its one "starting" after the first busy/idle (other
                # thread): it only counts from a kernel process we have not heard from yet.
                if state != "starting" or session != self.kernel_session:
                    self.execution_state = state
                parent = msg.parent_msg_id
                if state == "busy":
                    self.busy_parent = parent
                    self.busy_since = time.monotonic()
                    kind = msg.parent_header.get("msg_type")
                    self.busy_parent_type = kind if isinstance(kind, str) else None
                elif state == "idle" and parent == self.busy_parent:
                    self.busy_parent = None
                    self.busy_parent_type = None
            self.kernel_session = session
            if self._iopub_proof is not None and (
                msg.msg_type == "iopub_welcome" or msg.parent_msg_id in self._ready_ids
            ):
                self._iopub_proof.set()
        elif isinstance(event, InputRequest):
            self._last_input_request = msg
        self._emit(event)
        if msg is not None and msg.parent_msg_id is not None:
            for completion in self._tracker.feed(event):
                if isinstance(completion, ExecutionDone):
                    self._finish(completion.msg_id, completion.reply)
                    self._emit(completion)
                elif isinstance(completion, RequestCompleted):
                    self._finish(completion.msg_id, completion.reply)

    def _finish(self, msg_id: str, reply: dict[str, Any]) -> None:
        fut = self._futures.pop(msg_id, None)
        if fut is not None and not fut.done():
            fut.set_result(reply)
        # Also kept for a wait that starts after completion (bounded, oldest forgotten first).
        self._done[msg_id] = reply
        while len(self._done) > _DONE_KEPT:
            self._done.popitem(last=False)

    def _emit(self, event: KernelEvent) -> None:
        if self._subscribers:
            for queue in self._subscribers:
                queue.put_nowait(event)
        elif self._backlog is not None:
            self._backlog.append(event)

    def events(self) -> EventStream:
        """A new async iterator over every event received from now on.

        The first call also gets everything received since :meth:`connect` (up to 100,000
        events). Each call is an independent subscriber; :meth:`EventStream.close` (or leaving an
        ``async for`` after :meth:`close`) unsubscribes.
        """
        queue: asyncio.Queue[KernelEvent | _Closed] = asyncio.Queue()
        if self._backlog is not None:
            for event in self._backlog:
                queue.put_nowait(event)
            self._backlog = None
        if self._closed:
            queue.put_nowait(_CLOSED)
        self._subscribers.append(queue)
        return EventStream(self, queue)

    def _unsubscribe(self, queue: asyncio.Queue[KernelEvent | _Closed]) -> None:
        with contextlib.suppress(ValueError):
            self._subscribers.remove(queue)

    # -- liveness -------------------------------------------------------------------------------

    @property
    def is_executing(self) -> bool:
        """True while the kernel is busy with an execute_request (anyone's): a cell runs."""
        return self.busy_parent is not None and self.busy_parent_type == "execute_request"

    @property
    def is_dead(self) -> bool:
        """True once the kernel has been declared dead (until a restart revives the client)."""
        return self.dead_reason is not None

    def mark_dead(self, reason: str) -> None:
        """Declare the kernel dead: emit :class:`KernelDied`, fail pending requests."""
        if self.dead_reason is not None or self._closed:
            return
        self.dead_reason = reason
        died = KernelDied("client", None, reason)
        self._tracker.feed(died)
        error = KernelDeadError(f"kernel died: {reason}")
        for fut in self._futures.values():
            if not fut.done():
                fut.set_exception(error)
                fut.exception()  # retrieved: nobody may be waiting for it
        self._futures.clear()
        self._emit(died)
        for callback in list(self.on_dead):
            callback(reason)

    def _heartbeat_lost(self, reason: str) -> None:
        """The heartbeat gave up: the kernel is dead, and silent from now on (until
        :meth:`revive`), even if its process wakes up later."""
        if self.dead_reason is None and not self._closed:
            self._silenced = True
        self.mark_dead(reason)

    def revive(self, *, heartbeat: bool = True) -> None:
        """Forget a previous death (after the kernel was restarted on the same ports);
        ``heartbeat``: resume the heartbeat task too (if there is one)."""
        self.dead_reason = None
        self._silenced = False
        self._on_revive(heartbeat)

    def _on_revive(self, heartbeat: bool) -> None:
        """Transport hook run by :meth:`revive` (the zmq client resumes its heartbeat)."""

    def fail_pending(self, reason: str) -> None:
        """Fail every pending request with KernelDeadError (e.g. because of a restart)."""
        error = KernelDeadError(reason)
        self._tracker.fail_all(reason)
        for fut in self._futures.values():
            if not fut.done():
                fut.set_exception(error)
                fut.exception()  # retrieved: nobody may be waiting for it
        self._futures.clear()

    def _check_alive(self) -> None:
        if self._closed:
            raise KernelDeadError("the client is closed")
        if self.dead_reason is not None:
            raise KernelDeadError(f"kernel died: {self.dead_reason}")

    # -- sending --------------------------------------------------------------------------------

    async def send(self, out: Outgoing, *, track: bool = True) -> str:
        """Send a built message (see ``protocol.messages``); return its msg_id.

        With ``track`` and a message that expects a reply, its completion can be awaited with
        :meth:`wait_for_reply` (or :meth:`wait_for_execution` for execute requests).
        """
        self._check_alive()
        msg = self.session.build(out)
        msg_id = msg.msg_id
        if track and out.reply_type is not None:
            self._tracker.register(msg_id, out.msg_type, out.channel, None)
            self._futures[msg_id] = asyncio.get_running_loop().create_future()
        await self._transmit(out.channel, msg)
        return msg_id

    async def _transmit(self, channel: str, msg: Message) -> None:
        """Put one built message on the wire (the transport's part of :meth:`send`)."""
        raise NotImplementedError

    async def wait_for_reply(self, msg_id: str, timeout: float | None = None) -> dict[str, Any]:
        """The reply content of request ``msg_id`` (for execute: once reply and idle arrived).

        Raises RequestTimeout after ``timeout`` seconds, KernelDeadError if the kernel dies.
        """
        fut = self._futures.get(msg_id)
        if fut is None:
            if msg_id in self._done:
                return self._done.pop(msg_id)
            self._check_alive()
            raise KeyError(f"no pending request {msg_id!r}")
        try:
            return await asyncio.wait_for(asyncio.shield(fut), timeout)
        except asyncio.TimeoutError:
            raise RequestTimeout(f"no reply to {msg_id} within {timeout} s") from None
        finally:
            if fut.done():
                self._futures.pop(msg_id, None)
                self._done.pop(msg_id, None)

    async def request(self, out: Outgoing, timeout: float | None) -> dict[str, Any]:
        """Send ``out`` and return its reply content (RequestTimeout, KernelDeadError)."""
        msg_id = await self.send(out)
        try:
            return await self.wait_for_reply(msg_id, timeout)
        except RequestTimeout:
            self._tracker.cancel(msg_id)
            self._futures.pop(msg_id, None)
            raise RequestTimeout(
                f"{out.msg_type} got no reply within {timeout} s"
            ) from None

    # -- the protocol's requests ------------------------------------------------------------------

    async def execute(
        self,
        code: str,
        *,
        silent: bool = False,
        store_history: bool = True,
        user_expressions: dict[str, str] | None = None,
        allow_stdin: bool = True,
        stop_on_error: bool = True,
    ) -> str:
        """Send an execute_request; return its msg_id at once (output arrives as events)."""
        return await self.send(
            messages.execute_request(
                code,
                silent=silent,
                store_history=store_history,
                user_expressions=user_expressions,
                allow_stdin=allow_stdin,
                stop_on_error=stop_on_error,
            )
        )

    async def wait_for_execution(self, msg_id: str, timeout: float | None = None) -> dict[str, Any]:
        """The execute_reply content once both the reply and the IOPub idle have arrived."""
        return await self.wait_for_reply(msg_id, timeout)

    async def kernel_info(self, timeout: float = 10) -> dict[str, Any]:
        """kernel_info_reply content."""
        return await self.request(messages.kernel_info_request(), timeout)

    async def complete(self, code: str, cursor_pos: int, timeout: float = 5) -> dict[str, Any]:
        """complete_reply content (``cursor_pos`` in code points)."""
        return await self.request(messages.complete_request(code, cursor_pos), timeout)

    async def inspect(
        self, code: str, cursor_pos: int, detail_level: int = 0, timeout: float = 5
    ) -> dict[str, Any]:
        """inspect_reply content."""
        return await self.request(
            messages.inspect_request(code, cursor_pos, detail_level), timeout
        )

    async def history(
        self,
        *,
        hist_access_type: str = "tail",
        n: int = 1000,
        output: bool = False,
        raw: bool = True,
        session: int = 0,
        start: int = 0,
        stop: int | None = None,
        pattern: str | None = None,
        unique: bool = False,
        timeout: float = 5,
    ) -> dict[str, Any]:
        """history_reply content."""
        return await self.request(
            messages.history_request(
                hist_access_type=hist_access_type,
                n=n,
                output=output,
                raw=raw,
                session=session,
                start=start,
                stop=stop,
                pattern=pattern,
                unique=unique,
            ),
            timeout,
        )

    async def is_complete(self, code: str, timeout: float = 5) -> dict[str, Any]:
        """is_complete_reply content."""
        return await self.request(messages.is_complete_request(code), timeout)

    async def comm_info(self, target_name: str | None = None, timeout: float = 5) -> dict[str, Any]:
        """comm_info_reply content."""
        return await self.request(messages.comm_info_request(target_name), timeout)

    async def input_reply(self, value: str) -> None:
        """Answer the last ``input_request`` with ``value``."""
        await self.send(messages.input_reply(value, self._last_input_request), track=False)

    async def interrupt_request(self, timeout: float = 5) -> dict[str, Any]:
        """interrupt_request on control; its reply content."""
        return await self.request(messages.interrupt_request(), timeout)

    async def shutdown_request(self, restart: bool = False, timeout: float = 5) -> dict[str, Any]:
        """shutdown_request on control; its reply content."""
        return await self.request(messages.shutdown_request(restart), timeout)

    # -- readiness ------------------------------------------------------------------------------

    async def wait_for_ready(
        self,
        timeout: float = 60,
        *,
        is_alive: Callable[[], bool] | None = None,
        resend: float = 1.0,
        channel: str = "shell",
    ) -> dict[str, Any]:
        """Wait until the kernel answers kernel_info *and* IOPub is proven live.

        Sends kernel_info_request every ``resend`` seconds until a reply (to any of them) has
        arrived and IOPub delivered either an ``iopub_welcome`` or a message parented to one of
        our kernel_info requests (which rules out the slow-joiner loss). ``channel="control"``
        probes a kernel that may be busy with a cell (shell would queue the probe behind it).
        ``is_alive`` is checked
        on every turn. Returns the kernel_info_reply content; raises RequestTimeout or
        KernelDeadError.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        proof = self._iopub_proof = asyncio.Event()
        info: dict[str, Any] | None = None
        sent: list[str] = []
        try:
            while True:
                self._check_alive()
                if is_alive is not None and not is_alive():
                    raise KernelDeadError("kernel process exited during startup")
                remaining = deadline - loop.time()
                if remaining <= 0:
                    raise RequestTimeout(f"kernel not ready within {timeout} s: " + (
                        "no kernel_info reply on the shell channel" if info is None else
                        "the shell channel answers but IOPub delivered no status"))
                msg_id = await self.send(messages.kernel_info_request(channel))
                sent.append(msg_id)
                self._ready_ids.add(msg_id)
                waits: list[asyncio.Future[Any]] = [
                    asyncio.shield(self._futures[m]) for m in sent if m in self._futures
                ]
                turn_end = loop.time() + min(resend, remaining)
                if info is None:
                    info = await self._first_reply(sent, waits, turn_end - loop.time())
                if info is not None:
                    with contextlib.suppress(asyncio.TimeoutError):
                        await asyncio.wait_for(proof.wait(), max(0.05, turn_end - loop.time()))
                    if proof.is_set():
                        return info
        finally:
            self._iopub_proof = None
            self._ready_ids.clear()
            for m in sent:
                self._tracker.cancel(m)
                self._done.pop(m, None)
                fut = self._futures.pop(m, None)
                if fut is not None and not fut.done():
                    fut.cancel()

    async def _first_reply(
        self, sent: list[str], waits: list[asyncio.Future[Any]], timeout: float
    ) -> dict[str, Any] | None:
        for m in sent:
            if m in self._done:
                return self._done.pop(m)
        if not waits:
            return None
        done, pending = await asyncio.wait(
            waits, timeout=max(0.0, timeout), return_when=asyncio.FIRST_COMPLETED
        )
        for w in pending:
            w.cancel()
        for d in done:
            if not d.cancelled() and d.exception() is None:
                result: dict[str, Any] = d.result()
                return result
            exc = d.exception() if not d.cancelled() else None
            if isinstance(exc, KernelDeadError):
                raise exc
        return None


    # -- teardown -------------------------------------------------------------------------------

    async def _stop_transport(self) -> None:
        """Close the transport's sockets and tasks (run once by :meth:`close`)."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()

    async def close(self) -> None:
        """Stop all tasks, close the transport and end all event iterators."""
        if self._closed:
            return
        self._closed = True
        await self._stop_transport()
        self.fail_pending("the client was closed")
        for queue in self._subscribers:
            queue.put_nowait(_CLOSED)

    async def __aenter__(self: _C) -> _C:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


async def collect_until_done(
    stream: AsyncIterator[KernelEvent], msg_id: str, timeout: float
) -> list[KernelEvent]:
    """Events parented to ``msg_id`` until its ExecutionDone (included); RequestTimeout."""

    async def run() -> list[KernelEvent]:
        out: list[KernelEvent] = []
        async for event in stream:
            if event.parent_msg_id == msg_id:
                out.append(event)
                if isinstance(event, ExecutionDone):
                    return out
            elif isinstance(event, KernelDied):
                raise KernelDeadError(event.reason)
        raise KernelDeadError("the client was closed")

    try:
        return await asyncio.wait_for(run(), timeout)
    except asyncio.TimeoutError:
        raise RequestTimeout(f"execution {msg_id} not done within {timeout} s") from None
