"""What the views make of values, without a screen: log and range sliders, number, date and
colour fields, grid columns, the factory's placeholders."""

from __future__ import annotations

from typing import Any

from tui.notebook.widget_views.base import MAX_DEPTH, ViewEnv
from tui.notebook.widget_views.containers import grid_columns
from tui.notebook.widget_views.display import PlaceholderView
from tui.notebook.widget_views.factory import make_view
from tui.notebook.widget_views.fields import ColorView, DateView, NumberView
from tui.notebook.widget_views.sliders import (
    RangeSliderView,
    SelectionRangeSliderView,
    SliderView,
    format_number,
)
from tui.widgets.model import WidgetModel

CONTROLS = {"_model_module": "@jupyter-widgets/controls"}


def view(cls: Any, name: str, **state: Any) -> Any:
    model = WidgetModel("m", {"_model_name": name, **CONTROLS, **state})
    return cls(model, ViewEnv(lambda ref: None))


def test_log_slider_steps_in_exponents() -> None:
    s = view(SliderView, "FloatLogSliderModel", value=100.0, base=10.0, min=0.0, max=4.0,
             step=0.5)
    assert s.to_position(100.0) == 2.0
    assert s.to_value(2.5) == 10 ** 2.5
    s.action_adjust(1)
    assert abs(s.model.get("value") - 10 ** 2.5) < 1e-9
    s.action_extreme(1)
    assert s.model.get("value") == 10_000.0
    assert s.readout(10_000.0) == "1e+04"


def test_int_slider_snaps_and_clamps() -> None:
    s = view(SliderView, "IntSliderModel", value=3, min=1, max=9, step=2)
    assert s.to_value(4.2) == 5 and s.to_value(100) == 9 and s.to_value(-5) == 1
    s.action_adjust(-10)
    assert s.model.get("value") == 1
    disabled = view(SliderView, "IntSliderModel", value=3, max=9, disabled=True)
    disabled.action_adjust(1)
    assert disabled.model.get("value") == 3
    assert format_number(0.5, ".1%", False) == "50.0%"
    assert format_number(3, "not a format", True) == "3"


def test_range_sliders_keep_order() -> None:
    r = view(RangeSliderView, "IntRangeSliderModel", value=[2, 4], min=0, max=10, step=1)
    r.action_adjust(3)
    assert r.model.get("value") == [2, 7]
    r.action_adjust(-20)  # the upper handle stops at the lower one
    assert r.model.get("value") == [2, 2]
    r.action_extreme(-1)
    assert r.model.get("value") == [0, 2]
    sel = view(SelectionRangeSliderView, "SelectionRangeSliderModel", index=[0, 1],
               _options_labels=["a", "b", "c"])
    sel.action_adjust(5)
    assert sel.model.get("index") == [0, 2]
    assert sel.readout(2) == "c"


def test_fields_check_what_is_typed() -> None:
    n = view(NumberView, "BoundedFloatTextModel", value=1.0, min=0.0, max=2.5)
    assert n.from_text("9") == (True, 2.5) and n.from_text("x") == (False, None)
    i = view(NumberView, "IntTextModel", value=1)
    assert i.from_text("4.0") == (True, 4) and i.to_text(3) == "3"
    d = view(DateView, "DatePickerModel", value={"year": 2024, "month": 0, "date": 31})
    assert d.to_text(d.model.get("value")) == "2024-01-31"
    assert d.from_text("2024-02-03") == (True, {"year": 2024, "month": 1, "date": 3})
    assert d.from_text("2024-13-01")[0] is False and d.from_text("") == (True, None)
    c = view(ColorView, "ColorPickerModel", value="#ff0000")
    assert c.from_text(" #0f0 ") == (True, "#0f0") and c.from_text("#12")[0] is False


def test_grid_columns_and_placeholders() -> None:
    assert grid_columns("repeat(3, 1fr)") == 3
    assert grid_columns("1fr 2fr 100px") == 3 and grid_columns(None) == 1
    env = ViewEnv(lambda ref: None)
    odd = WidgetModel("o", {"_model_name": "FigureModel", "_model_module": "jupyterlab-plotly"})
    assert isinstance(make_view(odd, env), PlaceholderView)
    deep = ViewEnv(lambda ref: None, depth=MAX_DEPTH)
    box = WidgetModel("b", {"_model_name": "VBoxModel", **CONTROLS})
    assert "nested deeper" in make_view(box, deep).reason
    looped = ViewEnv(lambda ref: None, ancestors=frozenset({"b"}))
    assert "contains itself" in make_view(box, looped).reason
    placeholder = make_view(odd, env, "FigureWidget(...)")
    assert "FigureWidget(...)" in placeholder.render().plain
    assert "jupyterlab-plotly" in placeholder.render().plain
