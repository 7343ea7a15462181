"""RequestTracker: one test per row of the transition table in protocol/tracking.py."""

from __future__ import annotations

import pytest

from protocol.events import (
    ExecutionDone,
    KernelDied,
    KernelEvent,
    Reply,
    Status,
    Stream,
    event_from_message,
)
from protocol.messages import Message
from protocol.tracking import (
    RequestCompleted,
    RequestFailed,
    RequestTimedOut,
    RequestTracker,
)


def reply(parent: str, msg_type: str = "execute_reply", status: str = "ok") -> KernelEvent:
    m = Message(
        {"msg_id": "r-" + parent, "msg_type": msg_type},
        {"msg_id": parent},
        {},
        {"status": status, "execution_count": 1},
    )
    return event_from_message("shell", m)


def status(parent: str | None, state: str) -> KernelEvent:
    m = Message(
        {"msg_id": "s", "msg_type": "status"},
        {"msg_id": parent} if parent else {},
        {},
        {"execution_state": state},
    )
    return event_from_message("iopub", m)


def stream(parent: str) -> KernelEvent:
    m = Message({"msg_id": "o", "msg_type": "stream"}, {"msg_id": parent}, {}, {"text": "x"})
    return event_from_message("iopub", m)


def test_non_execute_completes_on_reply() -> None:
    t = RequestTracker()
    t.register("k1", "kernel_info_request", "shell", deadline=10.0)
    assert t.feed(status("k1", "busy")) == []
    assert t.feed(status("k1", "idle")) == []  # idle ignored for non-execute requests
    assert "k1" in t
    (done,) = t.feed(reply("k1", "kernel_info_reply"))
    assert isinstance(done, RequestCompleted)
    assert done.msg_id == "k1" and done.msg_type == "kernel_info_request"
    assert done.reply["status"] == "ok" and done.msg.msg_type == "kernel_info_reply"
    assert "k1" not in t and len(t) == 0
    assert t.feed(reply("k1", "kernel_info_reply")) == []  # stale duplicate


@pytest.mark.parametrize("order", ["reply_first", "idle_first"])
def test_execution_needs_reply_and_idle_in_either_order(order: str) -> None:
    t = RequestTracker()
    t.register("e1", "execute_request", "shell", deadline=None)
    assert t.feed(status("e1", "busy")) == []
    assert t.feed(stream("e1")) == []
    first, second = (
        (reply("e1"), status("e1", "idle"))
        if order == "reply_first"
        else (status("e1", "idle"), reply("e1"))
    )
    assert t.feed(first) == []
    assert t.feed(first) == []  # the same half again changes nothing
    (done,) = t.feed(second)
    assert isinstance(done, ExecutionDone)
    assert done.msg_id == "e1" and done.channel == "client" and done.msg is None
    assert done.reply == {"status": "ok", "execution_count": 1}
    assert len(t) == 0
    assert t.feed(stream("e1")) == []  # late output is the caller's business


def test_error_and_aborted_executions_still_wait_for_idle() -> None:
    t = RequestTracker()
    t.register("a", "execute_request", "shell", deadline=None)
    assert t.feed(reply("a", status="aborted")) == []
    (done,) = t.feed(status("a", "idle"))
    assert isinstance(done, ExecutionDone) and done.status == "aborted"


def test_foreign_and_parentless_events_are_ignored() -> None:
    t = RequestTracker()
    t.register("mine", "execute_request", "shell", deadline=None)
    assert t.feed(status(None, "idle")) == []
    assert t.feed(status("theirs", "idle")) == []
    assert t.feed(reply("theirs")) == []
    assert t.feed(Status("client", None, "idle")) == []
    assert t.get("mine") is not None and not t.get("mine").idle_seen  # type: ignore[union-attr]


def test_interleaved_requests() -> None:
    t = RequestTracker()
    t.register("e1", "execute_request", "shell", deadline=None)
    t.register("c1", "complete_request", "shell", deadline=5.0)
    t.register("e2", "execute_request", "shell", deadline=None)
    out = []
    for ev in [
        reply("e1"),
        status("e2", "idle"),
        reply("c1", "complete_reply"),
        status("e1", "idle"),
        reply("e2", status="error"),
    ]:
        out.extend(t.feed(ev))
    assert [(type(c).__name__, c.msg_id) for c in out] == [
        ("RequestCompleted", "c1"),
        ("ExecutionDone", "e1"),
        ("ExecutionDone", "e2"),
    ]


def test_timeouts() -> None:
    t = RequestTracker()
    t.register("a", "kernel_info_request", "shell", deadline=5.0)
    t.register("b", "is_complete_request", "shell", deadline=1.0)
    t.register("c", "execute_request", "shell", deadline=None)
    t.register("d", "history_request", "shell", deadline=3.0)
    t.feed(reply("d", "history_reply"))
    assert t.next_deadline() == 1.0
    assert t.expired(0.5) == []
    assert t.expired(1.0) == [RequestTimedOut("b", "is_complete_request", 1.0)]
    assert t.next_deadline() == 5.0  # d completed, its heap entry is skipped
    assert t.expired(100.0) == [RequestTimedOut("a", "kernel_info_request", 5.0)]
    assert t.next_deadline() is None
    assert [r.msg_id for r in t.pending()] == ["c"]  # no deadline, never expires


def test_kernel_died_fails_all_pending() -> None:
    t = RequestTracker()
    t.register("e", "execute_request", "shell", deadline=None)
    t.register("k", "kernel_info_request", "control", deadline=9.0)
    t.feed(reply("e"))
    failed = t.feed(KernelDied("client", None, "heartbeat lost"))
    assert failed == [
        RequestFailed("e", "execute_request", "heartbeat lost"),
        RequestFailed("k", "kernel_info_request", "heartbeat lost"),
    ]
    assert len(t) == 0 and t.next_deadline() is None and t.expired(1e9) == []


def test_cancel_and_duplicate_register() -> None:
    t = RequestTracker()
    t.register("x", "inspect_request", "shell", deadline=1.0)
    with pytest.raises(ValueError):
        t.register("x", "inspect_request", "shell", deadline=1.0)
    assert t.cancel("x") and not t.cancel("x")
    assert t.expired(2.0) == []
    assert t.feed(reply("x", "inspect_reply")) == []


def test_reply_is_recognized_by_parent_not_type() -> None:
    # bash_kernel and others may answer with unexpected types; the parent id decides.
    t = RequestTracker()
    t.register("x", "comm_info_request", "shell", deadline=1.0)
    ev = reply("x", "weird_reply")
    assert isinstance(ev, Reply)
    (done,) = t.feed(ev)
    assert isinstance(done, RequestCompleted)


def test_stream_event_type_sanity() -> None:
    assert isinstance(stream("p"), Stream)
