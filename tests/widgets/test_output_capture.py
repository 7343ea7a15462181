"""The Output widget's capture without a kernel: outputs of the request its ``msg_id`` names go
into its ``outputs`` (streams merged, ``clear_output(wait=True)`` deferred, the last ``with``
wins), synced back to the kernel; other requests' outputs are left to the cell."""

from __future__ import annotations

from protocol.comms import CommRegistry
from tui.widgets import WidgetManager

from .test_manager_sans_io import kernel

OUT = {"_model_name": "OutputModel", "_model_module": "@jupyter-widgets/output",
       "_model_module_version": "1.0.0", "_view_name": "OutputView", "msg_id": "",
       "outputs": []}


def _open(reg: CommRegistry, comm_id: str) -> None:
    reg.receive(kernel("comm_open", {"comm_id": comm_id, "target_name": "jupyter.widget",
                                     "data": {"state": dict(OUT), "buffer_paths": []}},
                       metadata={"version": "2.1.0"}))


def _set(reg: CommRegistry, comm_id: str, msg_id: str) -> None:
    reg.receive(kernel("comm_msg", {"comm_id": comm_id, "data": {
        "method": "update", "state": {"msg_id": msg_id}, "buffer_paths": []}}))


def test_capture_merges_streams_defers_clears_and_nests() -> None:
    reg = CommRegistry()
    widgets = WidgetManager(reg)
    _open(reg, "a")
    _open(reg, "b")
    capture = widgets.outputs.capture
    assert not capture("stream", {"name": "stdout", "text": "x"}, "run1")
    _set(reg, "a", "run1")
    assert capture("stream", {"name": "stdout", "text": "one\n"}, "run1")
    assert capture("stream", {"name": "stdout", "text": "two\n"}, "run1")
    a = widgets.get("a")
    assert a is not None
    assert a.get("outputs") == [{"output_type": "stream", "name": "stdout",
                                 "text": "one\ntwo\n"}]
    sent = [m for m in reg.drain() if m.msg_type == "comm_msg"]
    assert sent[-1].content["data"]["state"]["outputs"] == a.get("outputs")  # synced back
    _set(reg, "b", "run1")  # a nested ``with``: the inner one takes the outputs
    assert capture("display_data", {"data": {"text/plain": "p"}, "metadata": {}}, "run1")
    b = widgets.get("b")
    assert b is not None and len(b.get("outputs")) == 1 and len(a.get("outputs")) == 1
    _set(reg, "b", "")
    assert capture("clear_output", {"wait": True}, "run1")
    assert len(a.get("outputs")) == 1  # deferred until the next output
    assert capture("error", {"ename": "E", "evalue": "v", "traceback": ["tb"]}, "run1")
    assert [o["output_type"] for o in a.get("outputs")] == ["error"]
    assert capture("clear_output", {"wait": False}, "run1") and a.get("outputs") == []
    _set(reg, "a", "")
    assert not capture("stream", {"name": "stdout", "text": "cell\n"}, "run1")
    reg.receive(kernel("comm_close", {"comm_id": "a", "data": {}}))
    assert not capture("update_display_data", {"data": {}}, "run1")
