"""Builders: each outgoing message has the right type, channel, content and reply type."""

from __future__ import annotations

from typing import Any

import pytest

from protocol import messages as M
from protocol.wire import Session


@pytest.mark.parametrize(
    ("out", "channel", "msg_type", "reply_type"),
    [
        (M.execute_request("1"), "shell", "execute_request", "execute_reply"),
        (M.inspect_request("x", 1), "shell", "inspect_request", "inspect_reply"),
        (M.complete_request("x", 1), "shell", "complete_request", "complete_reply"),
        (M.history_request(), "shell", "history_request", "history_reply"),
        (M.is_complete_request("x"), "shell", "is_complete_request", "is_complete_reply"),
        (M.kernel_info_request(), "shell", "kernel_info_request", "kernel_info_reply"),
        (M.kernel_info_request("control"), "control", "kernel_info_request", "kernel_info_reply"),
        (M.comm_info_request(), "shell", "comm_info_request", "comm_info_reply"),
        (M.comm_open("t"), "shell", "comm_open", None),
        (M.comm_msg("c"), "shell", "comm_msg", None),
        (M.comm_close("c"), "shell", "comm_close", None),
        (M.input_reply("v"), "stdin", "input_reply", None),
        (M.interrupt_request(), "control", "interrupt_request", "interrupt_reply"),
        (M.shutdown_request(), "control", "shutdown_request", "shutdown_reply"),
        (M.debug_request({"seq": 1}), "control", "debug_request", "debug_reply"),
    ],
)
def test_builders_channel_and_types(
    out: M.Outgoing, channel: str, msg_type: str, reply_type: str | None
) -> None:
    assert out.channel == channel
    assert out.msg_type == msg_type
    assert out.reply_type == reply_type
    msg = Session(b"k").build(out)
    assert msg.msg_type == msg_type
    assert msg.content == out.content


def test_execute_request_sends_all_six_fields() -> None:
    c = M.execute_request("x = 1").content
    assert c == {
        "code": "x = 1",
        "silent": False,
        "store_history": True,
        "user_expressions": {},
        "allow_stdin": True,
        "stop_on_error": True,
    }
    silent = M.execute_request("", silent=True, store_history=True).content
    assert silent["silent"] is True and silent["store_history"] is False


def test_history_request_fields_per_access_type() -> None:
    assert M.history_request(n=3).content == {
        "hist_access_type": "tail",
        "output": False,
        "raw": True,
        "n": 3,
    }
    rng = M.history_request(hist_access_type="range", session=-1, start=1, stop=5).content
    assert (rng["session"], rng["start"], rng["stop"]) == (-1, 1, 5)
    search = M.history_request(hist_access_type="search", pattern="imp*", unique=True).content
    assert search["pattern"] == "imp*" and search["unique"] is True
    with pytest.raises(ValueError):
        M.history_request(hist_access_type="all")


def test_kernel_info_only_on_shell_or_control() -> None:
    with pytest.raises(ValueError):
        M.kernel_info_request("iopub")


def test_comm_open_makes_unique_ids_and_passes_buffers() -> None:
    a, b = M.comm_open("jupyter.widget", {"state": {}}), M.comm_open("t")
    assert a.content["comm_id"] != b.content["comm_id"]
    assert a.content["target_name"] == "jupyter.widget" and a.content["data"] == {"state": {}}
    with_bufs = M.comm_msg("c", {"x": 1}, buffers=(b"1", b"2"), metadata={"version": "2"})
    assert with_bufs.buffers == (b"1", b"2") and with_bufs.metadata == {"version": "2"}
    msg = Session(b"k").build(with_bufs)
    assert msg.buffers == (b"1", b"2") and msg.metadata == {"version": "2"}


def test_input_reply_is_parented_to_the_request() -> None:
    s = Session(b"k")
    request = s.msg("input_request", {"prompt": "? ", "password": False})
    out = M.input_reply("42", request)
    msg = s.build(out)
    assert msg.parent_msg_id == request.msg_id
    assert M.input_reply("x", request.header).parent_header == request.header
    assert M.input_reply("x").parent_header == {}


def test_debug_request_passes_content_through() -> None:
    dap: dict[str, Any] = {"seq": 3, "type": "request", "command": "initialize", "arguments": {}}
    assert M.debug_request(dap).content == dap


def test_message_properties_tolerate_odd_headers() -> None:
    msg = M.Message({"msg_id": 5, "msg_type": None}, {"msg_id": ""}, {}, {})
    assert msg.msg_id == "5" and msg.msg_type == "None"
    assert msg.parent_msg_id is None
    assert M.Message({}, {"msg_id": 7}, {}, {}).parent_msg_id == "7"
    assert M.Message({}, {}, {}, {}).session == ""
