"""Per-request tracking as plain data: requests registered, events fed, completions out.

This is the sans-IO bookkeeping behind ``await client.execute(...)`` / ``kernel_info()``: the
I/O layer registers each request it sends, feeds every event it receives, and asks for expired
requests on a timer. Nothing here reads a clock: callers pass ``now`` and deadlines (any
monotonic time base, as long as it is the same one).

Transition rules (like h11's ``_state.py``, the whole state machine is this table)::

    state of a tracked request   input                                    -> result
    ---------------------------  ---------------------------------------  -----------------------
    PENDING (not execute)        Reply with parent == msg_id              -> RequestCompleted, gone
    PENDING (not execute)        Status idle with parent == msg_id        -> nothing (idle ignored)
    PENDING (execute)            Reply with parent == msg_id              -> WAIT_IDLE (reply kept)
    PENDING (execute)            Status idle with parent == msg_id        -> WAIT_REPLY
    WAIT_IDLE                    Status idle with parent == msg_id        -> ExecutionDone, gone
    WAIT_REPLY                   Reply with parent == msg_id              -> ExecutionDone, gone
    WAIT_IDLE / WAIT_REPLY       the same half again (duplicate)          -> nothing
    any                          expired(now) with now >= deadline        -> RequestTimedOut, gone
    any                          KernelDied (or fail_all)                 -> RequestFailed, gone
    any                          cancel(msg_id)                           -> gone, nothing emitted
    (not tracked)                anything (late output, stale replies,    -> nothing
                                 other clients' traffic)

Notes:

* "Reply" means a :class:`~protocol.events.Reply` (a ``*_reply`` on shell/control) whose
  ``parent_header.msg_id`` is the request's; its msg_type is not checked, since kernels differ.
* An execute_reply with status error/aborted still needs its idle: ipykernel publishes busy/idle
  for aborted requests too. The idle and the reply can come in either order (no ordering between
  channels).
* A request registered with ``deadline=None`` never expires (``wait_for_execution`` without a
  timeout); every other request should have one, since kernels don't answer unknown requests.
* Output for a finished execution keeps arriving sometimes (background threads); routing it is the
  caller's business (by ``parent_msg_id``), the tracker ignores it.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Any

from protocol.events import ExecutionDone, KernelDied, KernelEvent, Reply, Status
from protocol.messages import Message

__all__ = [
    "Completion",
    "PendingRequest",
    "RequestCompleted",
    "RequestFailed",
    "RequestTimedOut",
    "RequestTracker",
]


@dataclass(slots=True)
class PendingRequest:
    """A request waiting for its answer (mutable bookkeeping, owned by the tracker)."""

    msg_id: str
    msg_type: str
    channel: str
    deadline: float | None
    reply: Message | None = None
    idle_seen: bool = False

    @property
    def is_execute(self) -> bool:
        """Execute requests need their IOPub idle as well as their reply."""
        return self.msg_type == "execute_request"


@dataclass(frozen=True, slots=True)
class RequestCompleted:
    """A non-execute request got its reply."""

    msg_id: str
    msg_type: str
    reply: dict[str, Any]
    msg: Message


@dataclass(frozen=True, slots=True)
class RequestTimedOut:
    """A request's deadline passed before it completed."""

    msg_id: str
    msg_type: str
    deadline: float


@dataclass(frozen=True, slots=True)
class RequestFailed:
    """A request can never complete (the kernel died): ``reason`` says why."""

    msg_id: str
    msg_type: str
    reason: str


#: What :meth:`RequestTracker.feed`, :meth:`~RequestTracker.expired` and
#: :meth:`~RequestTracker.fail_all` return. ExecutionDone is also an event for the app.
Completion = ExecutionDone | RequestCompleted | RequestTimedOut | RequestFailed


@dataclass
class RequestTracker:
    """The set of pending requests of one kernel connection (see the module rules)."""

    _pending: dict[str, PendingRequest] = field(default_factory=dict)
    _deadlines: list[tuple[float, str]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self._pending)

    def __contains__(self, msg_id: object) -> bool:
        return msg_id in self._pending

    def get(self, msg_id: str) -> PendingRequest | None:
        """The pending request ``msg_id``, if still tracked."""
        return self._pending.get(msg_id)

    def pending(self) -> list[PendingRequest]:
        """All pending requests, oldest first."""
        return list(self._pending.values())

    def register(
        self, msg_id: str, msg_type: str, channel: str, deadline: float | None
    ) -> PendingRequest:
        """Start tracking a request just sent. Raises ValueError if ``msg_id`` is tracked."""
        if msg_id in self._pending:
            raise ValueError(f"request {msg_id!r} is already tracked")
        req = PendingRequest(msg_id, msg_type, channel, deadline)
        self._pending[msg_id] = req
        if deadline is not None:
            heapq.heappush(self._deadlines, (deadline, msg_id))
        return req

    def cancel(self, msg_id: str) -> bool:
        """Stop tracking ``msg_id`` without a completion; False if it was not tracked."""
        return self._pending.pop(msg_id, None) is not None

    def feed(self, event: KernelEvent) -> list[Completion]:
        """Apply one received event; return the completions it causes (usually none)."""
        if isinstance(event, KernelDied):
            failed: list[Completion] = [*self.fail_all(event.reason)]
            return failed
        msg = event.msg
        if msg is None:
            return []
        parent = msg.parent_msg_id
        if parent is None:
            return []
        req = self._pending.get(parent)
        if req is None:
            return []
        if isinstance(event, Reply):
            if req.reply is not None:
                return []  # duplicate reply
            if not req.is_execute:
                del self._pending[parent]
                return [RequestCompleted(parent, req.msg_type, msg.content, msg)]
            req.reply = msg
            if req.idle_seen:
                del self._pending[parent]
                return [ExecutionDone("client", None, parent, msg.content)]
            return []
        if isinstance(event, Status) and event.execution_state == "idle" and req.is_execute:
            if req.idle_seen:
                return []
            req.idle_seen = True
            if req.reply is not None:
                del self._pending[parent]
                return [ExecutionDone("client", None, parent, req.reply.content)]
        return []

    def next_deadline(self) -> float | None:
        """The earliest deadline among pending requests (for the caller's timer), or None."""
        heap = self._deadlines
        while heap:
            deadline, msg_id = heap[0]
            req = self._pending.get(msg_id)
            if req is not None and req.deadline == deadline:
                return deadline
            heapq.heappop(heap)  # stale entry: completed or cancelled
        return None

    def expired(self, now: float) -> list[RequestTimedOut]:
        """Remove and return every pending request whose deadline is ``<= now``."""
        out: list[RequestTimedOut] = []
        heap = self._deadlines
        while heap and heap[0][0] <= now:
            deadline, msg_id = heapq.heappop(heap)
            req = self._pending.get(msg_id)
            if req is None or req.deadline != deadline:
                continue
            del self._pending[msg_id]
            out.append(RequestTimedOut(msg_id, req.msg_type, deadline))
        return out

    def fail_all(self, reason: str) -> list[RequestFailed]:
        """Fail every pending request (the kernel died or the connection is closing)."""
        out = [RequestFailed(r.msg_id, r.msg_type, reason) for r in self._pending.values()]
        self._pending.clear()
        self._deadlines.clear()
        return out
