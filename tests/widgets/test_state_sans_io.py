"""Saved widget state without a kernel: bad saved state survived, closed models left out."""

from __future__ import annotations

from tui.widgets.model import WidgetModel
from tui.widgets.state import STATE_MIME, restore_models, widget_state


def test_restoring_bad_saved_state_reports_and_survives() -> None:
    assert restore_models({}) == ({}, [])
    models, problems = restore_models({"widgets": {STATE_MIME: {"version_major": 1}}})
    assert models == {} and "not supported" in problems[0]
    saved = {"version_major": 2, "version_minor": 0, "state": {
        "ok": {"model_name": "IntSliderModel", "model_module": "@jupyter-widgets/controls",
               "model_module_version": "2.0.0", "state": {"value": 1},
               "buffers": [{"path": ["x"], "data": "00ff", "encoding": "hex"}]},
        "nostate": {"model_name": "X"},
        "badbuf": {"state": {}, "buffers": [{"path": ["a"], "data": "!!"}, "junk",
                                            {"path": ["no", "where"], "data": "AA=="}]},
    }}
    models, problems = restore_models({"widgets": {STATE_MIME: saved}})
    assert set(models) == {"ok", "badbuf"} and len(problems) == 4
    ok = models["ok"]
    assert ok.model_name == "IntSliderModel" and ok.get("x") == b"\x00\xff"


def test_closed_models_are_not_saved() -> None:
    live = WidgetModel("a", {"_model_name": "M", "_model_module": "m",
                             "_model_module_version": "1", "v": b"\x01"})
    gone = WidgetModel("b", {"_model_name": "M"})
    gone.mark_closed()
    saved = widget_state([live, gone])
    assert saved == {"version_major": 2, "version_minor": 0, "state": {"a": {
        "model_name": "M", "model_module": "m", "model_module_version": "1",
        "state": {"_model_name": "M", "_model_module": "m", "_model_module_version": "1"},
        "buffers": [{"encoding": "base64", "path": ["v"], "data": "AQ=="}]}}}
    assert live.get("v") == b"\x01"  # the model keeps its bytes
