"""The widget-view renderer on models restored from saved state (no kernel): each kind of
control, containers, the registry's choice, and bad trees (1,000 deep, self-reference,
unknown models, a buffer path that points nowhere)."""

from __future__ import annotations

import time
from typing import Any

from rich.console import Console

from tui.render.context import RenderContext
from tui.render.registry import render_data, representations
from tui.widgets.state import STATE_MIME, restore_models

VIEW = "application/vnd.jupyter.widget-view+json"


def saved(models: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Notebook metadata holding ``models`` (id -> state with ``_model_name``)."""
    return {"widgets": {STATE_MIME: {"version_major": 2, "version_minor": 0, "state": {
        model_id: {"model_name": state.get("_model_name", ""),
                   "model_module": state.get("_model_module", "@jupyter-widgets/controls"),
                   "model_module_version": "2.0.0", "state": state,
                   **({"buffers": state.pop("__buffers")} if "__buffers" in state else {})}
        for model_id, state in models.items()}}}}


def draw(models: dict[str, dict[str, Any]], top: str, width: int = 80,
         plain: str = "Widget(...)") -> str:
    restored, _ = restore_models(saved(models))
    ctx = RenderContext(width=width, graphics="none", widgets=restored.get)
    bundle = {VIEW: {"model_id": top, "version_major": 2, "version_minor": 0},
              "text/plain": plain}
    console = Console(width=width, color_system=None, force_terminal=False)
    with console.capture() as capture:
        console.print(render_data(bundle, {}, ctx))
    return capture.get()


def test_the_view_is_preferred_to_text_plain_only_when_the_model_is_known() -> None:
    data = {"text/plain": "IntSlider(value=5)", VIEW: {"model_id": "a", "version_major": 2}}
    assert representations(data)[0] == VIEW
    assert draw({"a": {"_model_name": "IntSliderModel", "value": 5}}, "a",
                plain="IntSlider(value=5)").strip().endswith(" 5")
    assert draw({}, "missing", plain="IntSlider(value=5)").strip() == "IntSlider(value=5)"
    bundle = {VIEW: {"model_id": "a", "version_major": 3}, "text/plain": "old"}
    ctx = RenderContext(widgets=lambda _: None)
    console = Console(width=40, color_system=None)
    with console.capture() as capture:
        console.print(render_data(bundle, {}, ctx))
    assert capture.get().strip() == "old"


def test_controls() -> None:
    cases = {
        "IntSliderModel": ({"value": 5, "min": 0, "max": 10, "description": "n"}, "n ━", "─ 5"),
        "FloatSliderModel": ({"value": 0.5, "max": 1.0, "readout_format": ".1f"}, "━", " 0.5"),
        "IntRangeSliderModel": ({"value": [2, 8], "max": 10}, "●", " 2 – 8"),
        "SelectionSliderModel": ({"_options_labels": ["lo", "hi"], "index": 1}, "━━", "● hi"),
        "IntProgressModel": ({"value": 5, "max": 10, "description": "half"}, "half |█", "|"),
        "CheckboxModel": ({"value": False, "description": "ok"}, "☐ ok", ""),
        "ToggleButtonModel": ({"value": False, "description": "t"}, "[t]", ""),
        "ButtonModel": ({"description": "Run", "button_style": "danger"}, "Run", ""),
        "TextModel": ({"value": "", "placeholder": "type", "description": "Name"}, "Name type",
                      ""),
        "PasswordModel": ({"value": "abc"}, "•••", ""),
        "DatePickerModel": ({"value": {"year": 2024, "month": 0, "date": 5}}, "2024-01-05", ""),
        "DropdownModel": ({"_options_labels": ["a", "b"], "index": 1, "description": "P"},
                          "P b", "▾"),
        "RadioButtonsModel": ({"_options_labels": ["a", "b"], "index": 0}, "(•) a", ""),
        "SelectMultipleModel": ({"_options_labels": ["a", "b", "c"], "index": [0, 2]}, "› a",
                                ""),
        "ToggleButtonsModel": ({"_options_labels": ["x", "y"], "index": 1}, "[x]  y", ""),
        "LabelModel": ({"value": "just text"}, "just text", ""),
        "HTMLModel": ({"value": "<b>bold</b> and &amp;"}, "bold and &", ""),
        "ValidModel": ({"value": False, "readout": "bad"}, "✘ bad", ""),
    }
    for name, (state, start, end) in cases.items():
        text = draw({"m": {"_model_name": name, **state}}, "m").strip()
        assert start in text and text.endswith(end), (name, text)


def test_tqdm_layout_is_exact() -> None:
    models = {
        "box": {"_model_name": "HBoxModel",
                "children": ["IPY_MODEL_l", "IPY_MODEL_p", "IPY_MODEL_r"]},
        "l": {"_model_name": "HTMLModel", "value": "100%"},
        "p": {"_model_name": "FloatProgressModel", "value": 200.0, "max": 200.0,
              "bar_style": "success"},
        "r": {"_model_name": "HTMLModel",
              "value": "\u2007200/200\u2007[00:01&lt;00:00,\u2007150.00it/s]"},
    }
    line = draw(models, "box").strip()
    assert line.startswith("100%|██") and line.endswith("██| 200/200 [00:01<00:00, 150.00it/s]")
    models["p"]["value"] = 100.0
    models["l"]["value"] = "\u200750%"
    half = draw(models, "box").strip()
    bar = half[half.index("|") + 1: half.rindex("|")]
    assert bar.count("█") in (len(bar) // 2, len(bar) // 2 - 1) and bar.endswith(" "), half


def test_containers_tabs_accordions_output_and_hidden_layouts() -> None:
    models = {
        "v": {"_model_name": "VBoxModel", "children": ["IPY_MODEL_a", "IPY_MODEL_h",
                                                       "IPY_MODEL_t", "IPY_MODEL_acc",
                                                       "IPY_MODEL_o", "IPY_MODEL_gone"]},
        "a": {"_model_name": "LabelModel", "value": "first"},
        "h": {"_model_name": "LabelModel", "value": "hidden", "layout": "IPY_MODEL_lay"},
        "lay": {"_model_name": "LayoutModel", "_model_module": "@jupyter-widgets/base",
                "display": "none"},
        "t": {"_model_name": "TabModel", "children": ["IPY_MODEL_a", "IPY_MODEL_b"],
              "titles": ["One", "Two"], "selected_index": 1},
        "b": {"_model_name": "LabelModel", "value": "second"},
        "acc": {"_model_name": "AccordionModel", "children": ["IPY_MODEL_b"],
                "titles": ["Sec"], "selected_index": None},
        "o": {"_model_name": "OutputModel", "_model_module": "@jupyter-widgets/output",
              "outputs": [{"output_type": "stream", "name": "stdout", "text": "printed\n"},
                          {"output_type": "display_data", "metadata": {}, "data": {
                              VIEW: {"model_id": "a", "version_major": 2},
                              "text/plain": "Label"}}]},
    }
    text = draw(models, "v")
    assert "first" in text and "hidden" not in text
    assert " One │ Two │" in text and "second" in text
    assert "▸ Sec" in text
    assert "printed" in text and text.count("first") == 2
    assert "gone" not in text  # a reference to no model is left out


def test_unknown_models_are_named_and_the_text_plain_follows() -> None:
    top = draw({"x": {"_model_name": "MPLCanvasModel", "_model_module": "jupyter-matplotlib"}},
               "x", plain="Canvas(toolbar=...)")
    assert top.splitlines() == [
        "[widget MPLCanvasModel (jupyter-matplotlib): not drawn in the terminal]",
        "Canvas(toolbar=...)"]
    inner = draw({"box": {"_model_name": "HBoxModel", "children": ["IPY_MODEL_x"]},
                  "x": {"_model_name": "MapModel", "_model_module": "jupyter-leaflet"}}, "box")
    assert "[widget MapModel (jupyter-leaflet): not drawn in the terminal]" in inner


def test_a_thousand_deep_tree_and_self_references_are_bounded() -> None:
    models = {f"n{i}": {"_model_name": "VBoxModel", "children": [f"IPY_MODEL_n{i + 1}"]}
              for i in range(1000)}
    models["n1000"] = {"_model_name": "LabelModel", "value": "bottom"}
    started = time.perf_counter()
    text = draw(models, "n0")
    assert time.perf_counter() - started < 2
    assert "nested deeper than" in text and "bottom" not in text
    loop = {"a": {"_model_name": "HBoxModel", "children": ["IPY_MODEL_b"]},
            "b": {"_model_name": "VBoxModel", "children": ["IPY_MODEL_a", "IPY_MODEL_b"]}}
    text = draw(loop, "a")
    assert text.count("refers to itself") == 2
    out = {"o": {"_model_name": "OutputModel", "outputs": [{
        "output_type": "display_data", "metadata": {},
        "data": {VIEW: {"model_id": "o", "version_major": 2}, "text/plain": "Output()"}}]}}
    assert "refers to itself" in draw(out, "o")


def test_bad_states_and_buffers_are_survived() -> None:
    models = {"img": {"_model_name": "ImageModel", "format": "png",
                      "__buffers": [{"path": ["nowhere", "deep"], "data": "AAAA",
                                     "encoding": "base64"}]},
              "s": {"_model_name": "IntSliderModel", "value": "not a number", "min": None,
                    "max": "x", "_options_labels": 5},
              "d": {"_model_name": "DropdownModel", "_options_labels": ["a"], "index": 7}}
    _, problems = restore_models(saved(models))
    assert any("points nowhere" in p for p in problems)
    assert "[image (png) without data]" in draw(models, "img")
    assert draw(models, "s").strip().endswith("not a number")
    assert "▾" in draw(models, "d")
