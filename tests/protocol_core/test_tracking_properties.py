"""Property tests for RequestTracker: any interleaving of replies, idles, output, duplicates and
foreign traffic completes each request exactly once, at the right moment, with the right reply."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from protocol.events import ExecutionDone, KernelDied, KernelEvent, event_from_message
from protocol.messages import Message
from protocol.tracking import (
    RequestCompleted,
    RequestFailed,
    RequestTimedOut,
    RequestTracker,
)

REQUEST_TYPES = ["execute_request", "kernel_info_request", "complete_request"]


def _event(kind: str, parent: str) -> KernelEvent:
    if kind == "reply":
        m = Message({"msg_id": "r", "msg_type": "x_reply"}, {"msg_id": parent}, {}, {"n": parent})
        return event_from_message("shell", m)
    state = {"idle": "idle", "busy": "busy"}.get(kind)
    if state is not None:
        m = Message(
            {"msg_id": "s", "msg_type": "status"},
            {"msg_id": parent},
            {},
            {"execution_state": state},
        )
        return event_from_message("iopub", m)
    m = Message({"msg_id": "o", "msg_type": "stream"}, {"msg_id": parent}, {}, {"text": "t"})
    return event_from_message("iopub", m)


requests = st.lists(st.sampled_from(REQUEST_TYPES), min_size=1, max_size=5)


@settings(max_examples=300, deadline=None)
@given(types=requests, data=st.data())
def test_each_request_completes_once_when_both_halves_arrived(
    types: list[str], data: st.DataObject
) -> None:
    tracker = RequestTracker()
    ids = [f"req{i}" for i in range(len(types))]
    for msg_id, msg_type in zip(ids, types):
        tracker.register(msg_id, msg_type, "shell", deadline=None)
    # Every request gets busy, output, idle and a reply; some get duplicates; plus foreign noise.
    script: list[tuple[str, str]] = []
    for msg_id in ids:
        script += [("busy", msg_id), ("out", msg_id), ("idle", msg_id), ("reply", msg_id)]
        script += data.draw(
            st.lists(st.sampled_from([("idle", msg_id), ("reply", msg_id), ("out", msg_id)]))
        )
    script += [("reply", "foreign"), ("idle", "foreign"), ("out", "foreign")]
    order = data.draw(st.permutations(script))
    seen: dict[str, set[str]] = {msg_id: set() for msg_id in ids}
    completed: dict[str, object] = {}
    for kind, parent in order:
        if parent in seen:
            seen[parent].add(kind)
        for c in tracker.feed(_event(kind, parent)):
            assert c.msg_id not in completed, "completed twice"
            completed[c.msg_id] = c
            need = {"reply", "idle"} if types[ids.index(c.msg_id)] == "execute_request" else {
                "reply"
            }
            assert need <= seen[c.msg_id], "completed too early"
            if isinstance(c, ExecutionDone):
                assert c.reply == {"n": c.msg_id}
            else:
                assert isinstance(c, RequestCompleted) and c.reply == {"n": c.msg_id}
    assert set(completed) == set(ids)
    assert len(tracker) == 0


@settings(max_examples=200, deadline=None)
@given(
    deadlines=st.lists(st.one_of(st.none(), st.floats(0, 100)), min_size=1, max_size=8),
    clock=st.lists(st.floats(0, 120), min_size=1, max_size=5),
    die=st.booleans(),
)
def test_timeouts_and_death_account_for_every_request(
    deadlines: list[float | None], clock: list[float], die: bool
) -> None:
    tracker = RequestTracker()
    for i, deadline in enumerate(deadlines):
        tracker.register(f"r{i}", "kernel_info_request", "shell", deadline)
    outcomes: dict[str, object] = {}
    for now in sorted(clock):
        nd = tracker.next_deadline()
        expired = tracker.expired(now)
        for t in expired:
            assert isinstance(t, RequestTimedOut) and t.deadline <= now
            assert nd is not None and t.deadline >= nd
            outcomes[t.msg_id] = t
    if die:
        for f in tracker.feed(KernelDied("client", None, "gone")):
            assert isinstance(f, RequestFailed)
            outcomes[f.msg_id] = f
    for i, deadline in enumerate(deadlines):
        msg_id = f"r{i}"
        expired_by_clock = deadline is not None and deadline <= max(clock)
        if expired_by_clock:
            assert isinstance(outcomes.get(msg_id), RequestTimedOut)
        elif die:
            assert isinstance(outcomes.get(msg_id), RequestFailed)
        else:
            assert msg_id in tracker
