"""CommRegistry, sans-IO: comm messages in, callbacks called and outgoing messages out."""

from __future__ import annotations

from typing import Any

from protocol.comms import Comm, CommPayload, CommRegistry, comm_info_request, comms_from_info_reply
from protocol.events import CommMessage, event_from_message
from protocol.messages import Message


def kernel_msg(msg_type: str, content: dict[str, Any], *, buffers: tuple[bytes, ...] = (),
               metadata: dict[str, Any] | None = None, parent: str = "") -> CommMessage:
    """A comm message as it arrives from the kernel on IOPub."""
    msg = Message({"msg_id": "k1", "msg_type": msg_type},
                  {"msg_id": parent} if parent else {}, metadata or {}, content, buffers)
    event = event_from_message("iopub", msg)
    assert isinstance(event, CommMessage)
    return event


def open_from_kernel(comm_id: str = "c1", target: str = "t", **kwargs: Any) -> CommMessage:
    return kernel_msg("comm_open", {"comm_id": comm_id, "target_name": target,
                                    "data": {"hello": 1}}, **kwargs)


def test_unknown_target_is_politely_closed() -> None:
    reg = CommRegistry()
    assert not reg.receive(open_from_kernel("c1", "nobody.listens"))
    [out] = reg.drain()
    assert (out.channel, out.msg_type, out.content) == ("shell", "comm_close",
                                                        {"comm_id": "c1", "data": {}})
    assert reg.stats.refused == 1 and len(reg) == 0


def test_kernel_opens_sends_and_closes_a_comm() -> None:
    reg = CommRegistry()
    opened: list[tuple[Comm, CommPayload]] = []
    got: list[CommPayload] = []
    closed: list[CommPayload] = []

    def handler(comm: Comm, payload: CommPayload) -> None:
        opened.append((comm, payload))
        comm.on_msg.append(lambda c, p: got.append(p))
        comm.on_close.append(lambda c, p: closed.append(p))

    reg.register_target("t", handler)
    assert reg.receive(open_from_kernel("c1", "t", metadata={"version": "2.1.0"}, parent="run"))
    [(comm, payload)] = opened
    assert comm.comm_id == "c1" and comm.target_name == "t" and not comm.primary
    assert payload.data == {"hello": 1} and payload.metadata == {"version": "2.1.0"}
    assert payload.parent_msg_id == "run"
    assert reg.get("c1") is comm and reg.drain() == []

    assert reg.receive(kernel_msg("comm_msg", {"comm_id": "c1", "data": {"x": 2}},
                                  buffers=(b"\x00\x01", b"zz")))
    assert got[0].data == {"x": 2} and got[0].buffers == (b"\x00\x01", b"zz")

    assert reg.receive(kernel_msg("comm_close", {"comm_id": "c1", "data": {"bye": True}}))
    assert closed[0].data == {"bye": True} and comm.closed and reg.get("c1") is None
    assert reg.drain() == []  # the kernel closed it: nothing to answer


def test_frontend_opens_sends_with_buffers_and_closes() -> None:
    sent = []
    reg = CommRegistry(sender=sent.append)
    comm = reg.open("jupyter.widget.control", {"a": 1}, metadata={"version": "2.1.0"},
                    buffers=(b"b0",))
    assert comm.primary and reg.get(comm.comm_id) is comm
    comm.send({"method": "request_states"}, buffers=(b"one", b"two"))
    comm.close({"why": "done"})
    comm.close()  # twice: nothing more
    assert [o.msg_type for o in sent] == ["comm_open", "comm_msg", "comm_close"]
    first, msg, close = sent
    assert first.content == {"comm_id": comm.comm_id, "target_name": "jupyter.widget.control",
                             "data": {"a": 1}}
    assert first.metadata == {"version": "2.1.0"} and first.buffers == (b"b0",)
    assert msg.content == {"comm_id": comm.comm_id, "data": {"method": "request_states"}}
    assert msg.buffers == (b"one", b"two")
    assert close.content["data"] == {"why": "done"} and reg.get(comm.comm_id) is None
    assert reg.outbox == []  # a sender was given: nothing kept


def test_sending_on_a_closed_comm_raises() -> None:
    reg = CommRegistry()
    comm = reg.open("t")
    comm.close()
    try:
        comm.send({"x": 1})
    except RuntimeError as exc:
        assert "closed" in str(exc)
    else:
        raise AssertionError("no error")


def test_kernel_refusing_our_comm_calls_on_close() -> None:
    reg = CommRegistry()
    comm = reg.open("missing.target")
    closed: list[CommPayload] = []
    comm.on_close.append(lambda c, p: closed.append(p))
    assert reg.receive(kernel_msg("comm_close", {"comm_id": comm.comm_id, "data": {}}))
    assert len(closed) == 1 and comm.closed and len(reg) == 0


def test_messages_for_unknown_comms_and_malformed_ones_are_counted() -> None:
    reg = CommRegistry()
    assert not reg.receive(kernel_msg("comm_msg", {"comm_id": "ghost", "data": {}}))
    assert not reg.receive(kernel_msg("comm_close", {"comm_id": "ghost"}))
    assert not reg.receive(kernel_msg("comm_msg", {"data": {}}))
    assert not reg.receive(kernel_msg("comm_open", {"comm_id": "c9", "target_name": 5}))
    assert reg.stats.unknown == 2 and reg.stats.malformed == 2
    # an open without a usable target is still closed, so the kernel's object is not left open
    assert [o.content["comm_id"] for o in reg.drain()] == ["c9"]


def test_a_failing_target_handler_closes_the_comm() -> None:
    reg = CommRegistry()

    def broken(comm: Comm, payload: CommPayload) -> None:
        raise ValueError("bad state")

    reg.register_target("t", broken)
    assert not reg.receive(open_from_kernel("c1", "t"))
    assert reg.stats.failed == 1 and len(reg) == 0
    assert [o.msg_type for o in reg.drain()] == ["comm_close"]


def test_a_failing_callback_does_not_stop_the_others() -> None:
    reg = CommRegistry()
    seen: list[int] = []

    def handler(comm: Comm, payload: CommPayload) -> None:
        comm.on_msg.append(lambda c, p: 1 / 0)  # type: ignore[func-returns-value]
        comm.on_msg.append(lambda c, p: seen.append(p.data["n"]))

    reg.register_target("t", handler)
    reg.receive(open_from_kernel("c1", "t"))
    reg.receive(kernel_msg("comm_msg", {"comm_id": "c1", "data": {"n": 7}}))
    assert seen == [7] and reg.stats.failed == 1


def test_unregistered_targets_are_refused_again() -> None:
    reg = CommRegistry()
    reg.register_target("t", lambda c, p: None)
    assert reg.targets == ["t"]
    reg.unregister_target("t")
    assert not reg.receive(open_from_kernel("c1", "t")) and reg.stats.refused == 1


def test_reset_closes_everything_without_sending() -> None:
    reg = CommRegistry()
    reasons: list[str] = []
    reg.register_target("t", lambda c, p: c.on_close.append(lambda c2, p2: reasons.append(
        p2.data["reason"])))
    reg.receive(open_from_kernel("c1", "t"))
    reg.receive(open_from_kernel("c2", "t"))
    reg.reset("kernel restarted")
    assert reasons == ["kernel restarted"] * 2 and len(reg) == 0 and reg.drain() == []


def test_comm_info_and_adopting_comms_of_a_running_kernel() -> None:
    out = comm_info_request("jupyter.widget")
    assert (out.channel, out.msg_type, out.content) == (
        "shell", "comm_info_request", {"target_name": "jupyter.widget"})
    reply = {"status": "ok", "comms": {"a": {"target_name": "jupyter.widget"},
                                       "b": {"target_name": 3}, "c": "junk"}}
    assert comms_from_info_reply(reply) == {"a": "jupyter.widget"}
    assert comms_from_info_reply({"status": "error"}) == {}
    assert comms_from_info_reply({"status": "ok", "comms": []}) == {}
    reg = CommRegistry()
    comm = reg.adopt("a", "jupyter.widget")
    assert reg.adopt("a", "jupyter.widget") is comm and not comm.primary
    comm.send({"method": "request_state"})
    assert [o.content for o in reg.drain()] == [
        {"comm_id": "a", "data": {"method": "request_state"}}]


def test_non_comm_events_are_ignored() -> None:
    reg = CommRegistry()
    msg = Message({"msg_id": "x", "msg_type": "stream"}, {}, {}, {"comm_id": "c"})
    assert not reg.receive(CommMessage("iopub", msg, "c", {}))
    assert not reg.receive(CommMessage("client", None, "c", {}))


def test_send_returns_the_msg_id_the_header_will_carry() -> None:
    from protocol.wire import Session

    reg = CommRegistry()
    comm = reg.open("t")
    msg_id = comm.send({"x": 1})
    _, out = reg.drain()
    assert out.msg_id == msg_id and Session(b"k").build(out).msg_id == msg_id
