"""The Output widget's capture without a kernel: which widget captures, what it keeps, what is
sent back (real captures on ipykernel: tests/widget_views/test_live.py)."""

from __future__ import annotations

from protocol.comms import CommRegistry
from tests.widgets.test_manager_sans_io import kernel, open_widget
from tui.widgets import WidgetManager
from tui.widgets.capture import OutputCapture

OUTPUT = {"_model_name": "OutputModel", "_model_module": "@jupyter-widgets/output",
          "_model_module_version": "1.0.0", "_view_name": "OutputView", "outputs": [],
          "msg_id": ""}


def stream(text: str) -> dict[str, str]:
    return {"name": "stdout", "text": text}


def test_the_last_output_to_capture_a_request_gets_its_outputs() -> None:
    reg = CommRegistry()
    widgets = WidgetManager(reg)
    capture = OutputCapture(widgets)
    open_widget(reg, "a", dict(OUTPUT))
    open_widget(reg, "b", dict(OUTPUT))
    a, b = widgets.get("a"), widgets.get("b")
    assert a is not None and b is not None
    assert not capture.capture("stream", stream("x"), "req1")  # nobody captures: the cell's
    reg.receive(kernel("comm_msg", {"comm_id": "a", "data": {
        "method": "update", "state": {"msg_id": "req1"}, "buffer_paths": []}}))
    reg.receive(kernel("comm_msg", {"comm_id": "b", "data": {
        "method": "update", "state": {"msg_id": "req1"}, "buffer_paths": []}}))
    reg.drain()
    assert capture.capture("stream", stream("one\n"), "req1")
    assert capture.capture("stream", stream("two\n"), "req1")
    assert b.get("outputs") == [{"output_type": "stream", "name": "stdout",
                                 "text": "one\ntwo\n"}]
    assert a.get("outputs") == []
    sent = reg.drain()
    assert [m.content["data"]["method"] for m in sent] == ["update", "update"]
    assert sent[-1].content["data"]["state"]["outputs"][0]["text"] == "one\ntwo\n"
    # b stops capturing: a (still capturing req1) gets the next
    reg.receive(kernel("comm_msg", {"comm_id": "b", "data": {
        "method": "update", "state": {"msg_id": ""}, "buffer_paths": []}}))
    assert capture.capture("display_data", {"data": {"text/plain": "7"}, "metadata": {}},
                           "req1")
    assert a.get("outputs")[0]["data"] == {"text/plain": "7"}


def test_clear_output_wait_and_outputs_set_by_the_kernel() -> None:
    reg = CommRegistry()
    widgets = WidgetManager(reg)
    capture = OutputCapture(widgets)
    open_widget(reg, "o", {**OUTPUT, "msg_id": "r"})
    out = widgets.get("o")
    assert out is not None
    capture.capture("stream", stream("old\n"), "r")
    capture.capture("clear_output", {"wait": True}, "r")
    assert out.get("outputs")[0]["text"] == "old\n"  # kept until the next output
    capture.capture("stream", stream("new\n"), "r")
    assert [o["text"] for o in out.get("outputs")] == ["new\n"]
    # the kernel sets the outputs (out.append_stdout): captures go on from those
    kernel_outputs = [{"output_type": "stream", "name": "stdout", "text": "from kernel\n"}]
    reg.receive(kernel("comm_msg", {"comm_id": "o", "data": {
        "method": "update", "state": {"outputs": kernel_outputs}, "buffer_paths": []}}))
    capture.capture("stream", stream("more\n"), "r")
    assert [o["text"] for o in out.get("outputs")] == ["from kernel\nmore\n"]
    # closed: nothing captured any more
    reg.receive(kernel("comm_close", {"comm_id": "o", "data": {}}))
    assert not capture.capture("stream", stream("late\n"), "r")
