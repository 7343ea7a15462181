"""The widget manager without a kernel: comm messages in, models and outgoing messages out.
Edge cases a real kernel does not send (bad versions, bad states and buffer paths)."""

from __future__ import annotations

from typing import Any

from protocol.comms import CommRegistry
from protocol.events import CommMessage, event_from_message
from protocol.messages import Message
from tui.widgets import WidgetManager
from tui.widgets.buffers import put_buffers, remove_buffers

STATE = {"_model_name": "IntSliderModel", "_model_module": "@jupyter-widgets/controls",
         "_model_module_version": "2.0.0", "_view_name": "IntSliderView", "value": 1}


def kernel(msg_type: str, content: dict[str, Any], *, buffers: tuple[bytes, ...] = (),
           metadata: dict[str, Any] | None = None, parent: str = "") -> CommMessage:
    msg = Message({"msg_id": "k", "msg_type": msg_type}, {"msg_id": parent} if parent else {},
                  metadata or {}, content, buffers)
    event = event_from_message("iopub", msg)
    assert isinstance(event, CommMessage)
    return event


def open_widget(reg: CommRegistry, comm_id: str = "m1", state: Any = None,
                version: str = "2.1.0", **kwargs: Any) -> None:
    data = {"state": dict(STATE) if state is None else state,
            "buffer_paths": kwargs.pop("buffer_paths", [])}
    reg.receive(kernel("comm_open", {"comm_id": comm_id, "target_name": "jupyter.widget",
                                     "data": data}, metadata={"version": version}, **kwargs))


def test_models_from_comm_open_with_buffers() -> None:
    reg = CommRegistry()
    widgets = WidgetManager(reg)
    state = {**STATE, "data": {"x": None, "list": [0, 1]}}
    open_widget(reg, "m1", state, buffer_paths=[["value"], ["data", "x"], ["data", "list", 1]],
                buffers=(b"v", b"x", b"l"))
    model = widgets.get("IPY_MODEL_m1")
    assert model is not None and model is widgets.get("m1")
    assert model.get("value") == b"v" and model.get("data") == {"x": b"x", "list": [0, b"l"]}
    data = {"application/vnd.jupyter.widget-view+json":
            {"model_id": "m1", "version_major": 2, "version_minor": 0}, "text/plain": "x"}
    assert widgets.model_for_display(data) is model
    data["application/vnd.jupyter.widget-view+json"]["version_major"] = 3
    assert widgets.model_for_display(data) is None
    assert widgets.model_for_display({"text/plain": "x"}) is None


def test_unsupported_versions_and_bad_input_are_survived() -> None:
    reg = CommRegistry()
    widgets = WidgetManager(reg)
    open_widget(reg, "old", version="1.0.0")
    assert widgets.get("old") is None and widgets.stats.unsupported == 1
    assert reg.drain() == []  # its comm is not closed: that would break the kernel's widget
    open_widget(reg, "nostate", state=[1, 2])
    assert widgets.get("nostate") is not None and widgets.stats.bad_state == 1
    open_widget(reg, "badpath", buffer_paths=[["no", "where"], "junk", ["value"]],
                buffers=(b"1", b"2"))
    assert widgets.stats.bad_buffers == 3 and widgets.get("badpath") is not None
    model = widgets.get("m0")
    assert model is None
    open_widget(reg, "m0")
    reg.receive(kernel("comm_msg", {"comm_id": "m0", "data": {"method": "update",
                                                               "state": "nope"}}))
    reg.receive(kernel("comm_msg", {"comm_id": "m0", "data": {"method": "frobnicate"}}))
    reg.receive(kernel("comm_msg", {"comm_id": "ghost", "data": {"method": "update",
                                                                  "state": {}}}))
    assert widgets.stats.bad_state == 2 and widgets.stats.unknown_method == 1
    assert reg.stats.unknown == 1 and widgets.stats.problems


def test_updates_out_and_echoes_in() -> None:
    reg = CommRegistry()
    widgets = WidgetManager(reg)
    open_widget(reg, "m1")
    model = widgets.get("m1")
    assert model is not None
    first = model.update(value=2)
    second = model.update(value=3)
    sent = reg.drain()
    assert [o.msg_id for o in sent] == [first, second]
    assert sent[0].content["data"] == {"method": "update", "state": {"value": 2},
                                       "buffer_paths": []}
    # the echo of the first update arrives while the second is in flight: ignored
    reg.receive(kernel("comm_msg", {"comm_id": "m1", "data": {
        "method": "echo_update", "state": {"value": 2}, "buffer_paths": []}}, parent=first))
    assert model.get("value") == 3 and model.echoes_ignored == 1
    reg.receive(kernel("comm_msg", {"comm_id": "m1", "data": {
        "method": "echo_update", "state": {"value": 3}, "buffer_paths": []}}, parent=second))
    # another frontend's change (echoed to us) applies
    reg.receive(kernel("comm_msg", {"comm_id": "m1", "data": {
        "method": "echo_update", "state": {"value": 9}, "buffer_paths": []}}, parent="other"))
    assert model.get("value") == 9
    model.update(value=b"\x00")
    [out] = reg.drain()
    assert out.content["data"]["buffer_paths"] == [["value"]] and out.buffers == (b"\x00",)


def test_request_states_and_adopting() -> None:
    reg = CommRegistry()
    widgets = WidgetManager(reg)
    widgets.request_states()
    opened, asked = reg.drain()
    assert opened.content["target_name"] == "jupyter.widget.control"
    assert asked.content["data"] == {"method": "request_states"}
    control = opened.content["comm_id"]
    states = {"a": {"model_name": "IntSliderModel", "model_module": "@jupyter-widgets/controls",
                    "model_module_version": "2.0.0", "state": {**STATE, "value": 7}},
              "b": {"state": {"_model_name": "ImageModel", "value": None}},
              "c": "junk"}
    reg.receive(kernel("comm_msg", {"comm_id": control, "data": {
        "method": "update_states", "states": states,
        "buffer_paths": [["b", "state", "value"]]}}, buffers=(b"png",)))
    a, b = widgets.get("a"), widgets.get("b")
    assert a is not None and a.get("value") == 7 and b is not None and b.get("value") == b"png"
    assert widgets.states_received == 1 and widgets.stats.bad_state == 1
    a.update(value=8)  # adopted comms talk to the kernel's models
    assert [o.content["comm_id"] for o in reg.drain()] == ["a"]
    [c] = widgets.adopt(["c2"])
    assert [o.content["data"] for o in reg.drain()] == [{"method": "request_state"}]
    reg.receive(kernel("comm_msg", {"comm_id": "c2", "data": {
        "method": "update", "state": STATE, "buffer_paths": []}}))
    assert c.model_name == "IntSliderModel"


def test_reset_closes_every_model() -> None:
    reg = CommRegistry()
    widgets = WidgetManager(reg)
    open_widget(reg, "m1")
    model = widgets.get("m1")
    assert model is not None
    closed: list[object] = []
    model.on_close(closed.append)
    reg.reset()
    assert closed == [model] and widgets.models == {} and model.closed


def test_buffer_helpers_round_trip() -> None:
    state = {"a": b"1", "b": {"c": [1, bytearray(b"2")], "d": "text"}, "e": memoryview(b"3")}
    stripped, paths, buffers = remove_buffers(state)
    assert stripped == {"b": {"c": [1, None], "d": "text"}}
    assert paths == [["a"], ["b", "c", 1], ["e"]] and buffers == [b"1", b"2", b"3"]
    assert put_buffers(stripped, paths, buffers) == []
    assert stripped == {"b": {"c": [1, b"2"], "d": "text"}, "a": b"1", "e": b"3"}
    assert put_buffers({}, "junk", ()) and put_buffers({}, None, ()) == []
