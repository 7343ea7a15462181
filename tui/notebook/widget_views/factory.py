"""Which view draws which model: :func:`make_view`, by ``_model_name``.

Models of ``@jupyter-widgets/controls`` and ``@jupyter-widgets/output`` we know get their
view; anything else (third-party widgets, models we do not draw), a tree nested past
:data:`~tui.notebook.widget_views.base.MAX_DEPTH` or a model that contains itself gets a
one-line placeholder naming it. Never raises.
"""

from __future__ import annotations

from tui.notebook.widget_views import choices, containers, display, fields, outputs, sliders
from tui.notebook.widget_views.base import MAX_DEPTH, ViewEnv, WidgetView
from tui.widgets.model import WidgetModel

VIEWS: dict[str, type[WidgetView]] = {
    "IntSliderModel": sliders.SliderView,
    "FloatSliderModel": sliders.SliderView,
    "FloatLogSliderModel": sliders.SliderView,
    "IntRangeSliderModel": sliders.RangeSliderView,
    "FloatRangeSliderModel": sliders.RangeSliderView,
    "SelectionSliderModel": sliders.SelectionSliderView,
    "SelectionRangeSliderModel": sliders.SelectionRangeSliderView,
    "IntProgressModel": sliders.ProgressView,
    "FloatProgressModel": sliders.ProgressView,
    "IntTextModel": fields.NumberView,
    "FloatTextModel": fields.NumberView,
    "BoundedIntTextModel": fields.NumberView,
    "BoundedFloatTextModel": fields.NumberView,
    "TextModel": fields.FieldView,
    "ComboboxModel": fields.FieldView,
    "PasswordModel": fields.PasswordView,
    "TextareaModel": fields.TextareaView,
    "DatePickerModel": fields.DateView,
    "ColorPickerModel": fields.ColorView,
    "CheckboxModel": choices.CheckboxView,
    "ToggleButtonModel": choices.ToggleButtonView,
    "ToggleButtonsModel": choices.ToggleButtonsView,
    "ButtonModel": choices.ButtonView,
    "ValidModel": choices.ValidView,
    "DropdownModel": choices.DropdownView,
    "RadioButtonsModel": choices.ListView,
    "SelectModel": choices.ListView,
    "SelectMultipleModel": choices.SelectMultipleView,
    "LabelModel": display.LabelView,
    "HTMLModel": display.HTMLView,
    "HTMLMathModel": display.HTMLView,
    "ImageModel": display.ImageView,
    "OutputModel": outputs.OutputWidgetView,
    "BoxModel": containers.BoxView,
    "HBoxModel": containers.BoxView,
    "VBoxModel": containers.BoxView,
    "GridBoxModel": containers.BoxView,
    "TabModel": containers.SelectorView,
    "AccordionModel": containers.SelectorView,
    "StackModel": containers.SelectorView,
}
"""``_model_name`` -> view class."""

MODULES = ("@jupyter-widgets/controls", "@jupyter-widgets/output", "")


def make_view(model: WidgetModel, env: ViewEnv, text: str = "") -> WidgetView:
    """The view of ``model`` in ``env`` (``text``: what a placeholder adds, the output's
    text/plain)."""
    if env.depth >= MAX_DEPTH:
        return display.PlaceholderView(model, env, f"nested deeper than {MAX_DEPTH}")
    if model.model_id in env.ancestors:
        return display.PlaceholderView(model, env, "contains itself")
    view = VIEWS.get(model.model_name)
    if view is None or model.model_module not in MODULES:
        return display.PlaceholderView(model, env, "not drawn in the terminal", text)
    try:
        return view(model, env)
    except Exception as exc:  # a view's bug must not take the output down
        return display.PlaceholderView(model, env, f"cannot draw: {type(exc).__name__}")
