"""event_from_message: every kernel message type to its typed event, never raising."""

from __future__ import annotations

from typing import Any

import pytest

from protocol import events as E
from protocol.messages import Message


def msg(msg_type: str, content: dict[str, Any], parent: str | None = "p1") -> Message:
    parent_header = {"msg_id": parent, "msg_type": "execute_request"} if parent else {}
    return Message({"msg_id": "m", "msg_type": msg_type}, parent_header, {}, content)


def test_status() -> None:
    ev = E.event_from_message("iopub", msg("status", {"execution_state": "busy"}))
    assert isinstance(ev, E.Status) and ev.execution_state == "busy"
    assert ev.channel == "iopub" and ev.msg_type == "status" and ev.parent_msg_id == "p1"


def test_stream() -> None:
    ev = E.event_from_message("iopub", msg("stream", {"name": "stderr", "text": "x\n"}))
    assert isinstance(ev, E.Stream) and (ev.name, ev.text) == ("stderr", "x\n")


def test_execute_input_and_result() -> None:
    ev = E.event_from_message("iopub", msg("execute_input", {"code": "1", "execution_count": 3}))
    assert isinstance(ev, E.ExecuteInput) and ev.code == "1" and ev.execution_count == 3
    content = {"data": {"text/plain": "2"}, "metadata": {}, "execution_count": 3}
    res = E.event_from_message("iopub", msg("execute_result", content))
    assert isinstance(res, E.ExecuteResult)
    assert res.data == {"text/plain": "2"} and res.execution_count == 3
    assert res.content is content or res.content == content


def test_display_and_update() -> None:
    content = {"data": {"text/plain": "a"}, "metadata": {}, "transient": {"display_id": "d1"}}
    ev = E.event_from_message("iopub", msg("display_data", content))
    assert isinstance(ev, E.DisplayData) and not ev.update and ev.display_id == "d1"
    up = E.event_from_message("iopub", msg("update_display_data", content))
    assert isinstance(up, E.DisplayData) and up.update
    plain = E.event_from_message("iopub", msg("display_data", {"data": {}}))
    assert isinstance(plain, E.DisplayData) and plain.display_id is None
    assert plain.transient == {} and plain.metadata == {}


def test_error_output() -> None:
    content = {"ename": "ZeroDivisionError", "evalue": "x", "traceback": ["\x1b[31mT\x1b[0m"]}
    ev = E.event_from_message("iopub", msg("error", content))
    assert isinstance(ev, E.ErrorOutput)
    assert (ev.ename, ev.evalue, ev.traceback) == ("ZeroDivisionError", "x", ["\x1b[31mT\x1b[0m"])
    bash = E.event_from_message("iopub", msg("error", {"ename": "", "evalue": "1"}))
    assert isinstance(bash, E.ErrorOutput) and bash.traceback == []


def test_clear_output_and_input_request() -> None:
    ev = E.event_from_message("iopub", msg("clear_output", {"wait": True}))
    assert isinstance(ev, E.ClearOutput) and ev.wait
    req = E.event_from_message("stdin", msg("input_request", {"prompt": "pw:", "password": True}))
    assert isinstance(req, E.InputRequest) and req.prompt == "pw:" and req.password


@pytest.mark.parametrize("channel", ["shell", "control"])
@pytest.mark.parametrize("status", ["ok", "error", "aborted", "abort"])
def test_replies(channel: str, status: str) -> None:
    ev = E.event_from_message(channel, msg("execute_reply", {"status": status}))
    assert isinstance(ev, E.Reply) and ev.status == status and ev.channel == channel
    assert ev.content == {"status": status}
    assert ev.ok == (status == "ok")
    assert ev.aborted == (status in ("aborted", "abort"))
    done = E.ExecutionDone("client", None, "m", ev.content)
    assert (done.ok, done.aborted) == (ev.ok, ev.aborted)


def test_reply_without_status() -> None:
    ev = E.event_from_message("shell", msg("kernel_info_reply", {}))
    assert isinstance(ev, E.Reply) and ev.status == ""


@pytest.mark.parametrize("channel", ["iopub", "shell", "stdin"])
@pytest.mark.parametrize("msg_type", ["comm_open", "comm_msg", "comm_close"])
def test_comms_on_any_channel(channel: str, msg_type: str) -> None:
    ev = E.event_from_message(channel, msg(msg_type, {"comm_id": "c", "data": {"x": 1}}))
    assert isinstance(ev, E.CommMessage) and ev.comm_id == "c" and ev.data == {"x": 1}
    assert ev.msg_type == msg_type


@pytest.mark.parametrize(
    ("channel", "msg_type"),
    [
        ("iopub", "iopub_welcome"),
        ("iopub", "debug_event"),
        ("iopub", "shutdown_reply"),  # ipykernel's broadcast copy
        ("iopub", "shutdown"),  # xeus's broadcast
        ("iopub", "some_future_type"),
        ("shell", "stream"),  # output types only count on IOPub
        ("stdin", "status"),
        ("control", "input_request"),
        ("weird", "status"),
    ],
)
def test_other_messages(channel: str, msg_type: str) -> None:
    m = msg(msg_type, {"a": 1})
    ev = E.event_from_message(channel, m)
    assert type(ev) is E.OtherMessage
    assert ev.msg is m and ev.msg_type == msg_type and ev.content == {"a": 1}


@pytest.mark.parametrize(
    ("msg_type", "content"),
    [
        ("status", {"execution_state": None}),
        ("stream", {"name": 3, "text": ["a", "b", 1]}),
        ("stream", {}),
        ("execute_input", {"code": None, "execution_count": "3"}),
        ("execute_result", {"data": [], "metadata": "x", "execution_count": 1.5}),
        ("display_data", {"data": None, "transient": ["d"]}),
        ("error", {"ename": 1, "evalue": {"a": 1}, "traceback": "tb"}),
        ("error", {"traceback": [1, None]}),
        ("clear_output", {"wait": "yes"}),
        ("comm_msg", {"comm_id": None, "data": 5}),
    ],
)
def test_odd_content_is_coerced_not_raised(msg_type: str, content: dict[str, Any]) -> None:
    ev = E.event_from_message("iopub", msg(msg_type, content))
    assert type(ev) is not E.OtherMessage
    for name in ("data", "metadata", "transient"):
        if hasattr(ev, name):
            assert isinstance(getattr(ev, name), dict)
    for name in ("text", "name", "code", "ename", "evalue", "comm_id", "execution_state"):
        if hasattr(ev, name):
            assert isinstance(getattr(ev, name), str)
    if isinstance(ev, E.Stream) and msg_type == "stream" and content:
        assert ev.text == "ab1"
    if isinstance(ev, E.ErrorOutput):
        assert all(isinstance(line, str) for line in ev.traceback)


def test_synthetic_events() -> None:
    done = E.ExecutionDone("client", None, "m1", {"status": "ok", "execution_count": 1})
    assert done.parent_msg_id == "m1" and done.content == {} and done.msg_type == ""
    assert done.status == "ok"
    died = E.KernelDied("client", None, "process exited with code 1")
    assert died.parent_msg_id is None and died.reason.endswith("1")


def test_events_are_frozen() -> None:
    ev = E.Status("iopub", None, "idle")
    with pytest.raises(AttributeError):
        ev.execution_state = "busy"  # type: ignore[misc]


def test_fast_init_keeps_dataclass_semantics() -> None:
    import dataclasses

    m = Message({"msg_id": "a", "msg_type": "stream"}, {}, {}, {"text": "x"})
    assert m.buffers == () and m.identities == ()
    kw = Message(header={}, parent_header={}, metadata={}, content={}, identities=(b"t",))
    assert kw.identities == (b"t",) and kw.buffers == ()
    assert dataclasses.replace(m, buffers=(b"b",)).buffers == (b"b",)
    assert m == Message({"msg_id": "a", "msg_type": "stream"}, {}, {}, {"text": "x"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.content = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        Message({}, {}, {})  # type: ignore[call-arg]
    ev = E.Stream(channel="iopub", msg=m, name="stdout", text="x")
    assert ev == E.Stream("iopub", m, "stdout", "x")
    assert [f.name for f in dataclasses.fields(ev)] == ["channel", "msg", "name", "text"]
    assert "Stream(channel='iopub'" in repr(ev)
    with pytest.raises(dataclasses.FrozenInstanceError):
        ev.text = "y"  # type: ignore[misc]


def test_fast_init_refuses_default_factory() -> None:
    import dataclasses

    from protocol.messages import fast_frozen_init

    @dataclasses.dataclass(frozen=True, slots=True)
    class WithFactory:
        items: list[int] = dataclasses.field(default_factory=list)

    with pytest.raises(TypeError):
        fast_frozen_init(WithFactory)
