"""Sliders (Int, Float, FloatLog, Int/Float range, Selection, SelectionRange) and progress bars
(Int/Float progress: what ``tqdm.auto`` draws).

A slider is one line: ``description ━━━━●────── readout``. Left/Right step it, Page keys
take ten steps, Home/End go to the ends, and the mouse drags the knob (a click puts it there).
A range slider moves the handle nearest to the click (keys move the upper handle; Shift is not
needed: Home/End move the lower one to the start and the upper to the end).
"""

from __future__ import annotations

import math
from typing import Any

from rich.text import Text
from textual import events

from tui.notebook.widget_views.base import WidgetView

TRACK_MAX = 40
"""At most this many columns of track."""


def _number(value: Any, default: float = 0.0) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) \
        else default


def format_number(value: float, fmt: str, integer: bool) -> str:
    """``value`` with the widget's ``readout_format`` (Python format spec; d3 formats are the
    same for the common cases), falling back to a plain rendering."""
    spec = fmt or ("d" if integer else ".2f")
    try:
        return format(round(value) if integer and spec.endswith("d") else value, spec)
    except (ValueError, TypeError):
        return str(int(value)) if integer else f"{value:g}"


class SliderView(WidgetView):
    """Int, Float and FloatLog sliders (``value``, ``min``, ``max``, ``step``)."""

    can_focus = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._track: tuple[int, int] = (0, 1)
        """(first column, width) of the track in the last render, for the mouse."""
        self._dragging = False
        self._held: set[str] = set()
        """Keys changed by a drag of a ``continuous_update=False`` slider, sent on release."""

    def set_state(self, **changes: Any) -> None:
        """Change the model; while the mouse drags a slider whose ``continuous_update`` is
        False, only locally (its views follow) until the button is released."""
        if self.disabled_state:
            return
        if self._dragging and not self.model.get("continuous_update", True):
            self.model.apply_update(dict(changes))
            self._held.update(changes)
            return
        super().set_state(**changes)

    # the value as a position --------------------------------------------------------------
    @property
    def integer(self) -> bool:
        """True for integer sliders."""
        return self.model.model_name.startswith("Int")

    @property
    def is_log(self) -> bool:
        """True for FloatLogSlider (``min``/``max``/``step`` are exponents of ``base``)."""
        return self.model.model_name == "FloatLogSliderModel"

    def bounds(self) -> tuple[float, float]:
        """(min, max) in position units (exponents for a log slider)."""
        lo = _number(self.model.get("min"), 0.0)
        hi = _number(self.model.get("max"), 100.0)
        return (lo, hi) if hi >= lo else (hi, lo)

    def step(self) -> float:
        """One step in position units."""
        step = _number(self.model.get("step"), 1.0 if self.integer else 0.1)
        return step if step > 0 else (1.0 if self.integer else 0.1)

    def to_position(self, value: Any) -> float:
        """A state value as a position."""
        number = _number(value, 0.0)
        if self.is_log:
            base = _number(self.model.get("base"), 10.0)
            if number <= 0 or base <= 1:
                return self.bounds()[0]
            return math.log(number, base)
        return number

    def to_value(self, position: float) -> int | float:
        """A position (snapped to a step from ``min``, kept within bounds) as a state value."""
        lo, hi = self.bounds()
        step = self.step()
        position = min(max(position, lo), hi)
        position = lo + round((position - lo) / step) * step
        position = min(max(position, lo), hi)
        if self.is_log:
            return float(_number(self.model.get("base"), 10.0) ** position)
        if self.integer:
            return round(position)
        return float(round(position, 12))

    def readout(self, value: Any) -> str:
        """The value as the readout shows it."""
        if not self.model.get("readout", True):
            return ""
        fmt = self.model.get("readout_format")
        fmt = fmt if isinstance(fmt, str) else ""
        number = _number(value)
        if self.is_log and not fmt:
            fmt = ".3g"
        return format_number(number, fmt, self.integer)

    def fraction(self, position: float) -> float:
        """Where ``position`` lies on the track (0..1)."""
        lo, hi = self.bounds()
        return 0.0 if hi <= lo else min(max((position - lo) / (hi - lo), 0.0), 1.0)

    # drawing ------------------------------------------------------------------------------
    def _layout_line(self, readout: str) -> tuple[str, int, int]:
        prefix = self.prefix
        width = max(self.content_size.width, 20)
        track = max(5, min(TRACK_MAX, width - len(prefix) - len(readout) - 2))
        return prefix, len(prefix), track

    def render(self) -> Text:
        """``description ━━━━●──── readout``."""
        value = self.model.get("value")
        readout = self.readout(value)
        prefix, start, track = self._layout_line(readout)
        self._track = (start, track)
        knob = round(self.fraction(self.to_position(value)) * (track - 1))
        colour = "dim" if self.disabled_state else "bold #4c9be8"
        line = Text(prefix, style="bold")
        line.append("━" * knob, style=colour)
        line.append("●", style=colour)
        line.append("─" * (track - knob - 1), style="dim")
        line.append(f" {readout}")
        if self.disabled_state:
            line.stylize("dim")
        return line

    # changing -----------------------------------------------------------------------------
    def move_to(self, position: float) -> None:
        """Set the value at ``position`` (snapped), if it changes."""
        value = self.to_value(position)
        if value != self.model.get("value"):
            self.set_state(value=value)

    def action_adjust(self, delta: int) -> None:
        """``delta`` steps up or down."""
        self.move_to(self.to_position(self.model.get("value")) + delta * self.step())

    def action_extreme(self, end: int) -> None:
        """To ``min`` (-1) or ``max`` (1)."""
        lo, hi = self.bounds()
        self.move_to(lo if end < 0 else hi)

    def position_at(self, x: int) -> float:
        """The position under column ``x`` of the widget."""
        start, track = self._track
        lo, hi = self.bounds()
        fraction = min(max((x - start) / max(track - 1, 1), 0.0), 1.0)
        return lo + fraction * (hi - lo)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """A click on the track puts the knob there; holding the button drags it."""
        event.stop()
        if self.disabled_state:
            return
        self.capture_mouse()
        self._dragging = True
        self.drag_to(event.x)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """Dragging moves the knob."""
        if self.app.mouse_captured is self:
            self.drag_to(event.x)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        """Let the knob go."""
        if self.app.mouse_captured is self:
            self.release_mouse()
        self._dragging = False
        if self._held:
            self.model.send_state(sorted(self._held))
            self._held.clear()

    def drag_to(self, x: int) -> None:
        """The knob to column ``x``."""
        self.move_to(self.position_at(x))


class RangeSliderView(SliderView):
    """Int/Float range sliders: ``value`` is ``[lower, upper]``."""

    def _pair(self) -> tuple[float, float]:
        value = self.model.get("value")
        if isinstance(value, (list, tuple)) and len(value) == 2:
            return _number(value[0]), _number(value[1])
        lo, hi = self.bounds()
        return lo, hi

    def render(self) -> Text:
        """``description ──●━━━━●── lower – upper``."""
        low, high = self._pair()
        readout = (f"{self.readout(low)} – {self.readout(high)}"
                   if self.model.get("readout", True) else "")
        prefix, start, track = self._layout_line(readout)
        self._track = (start, track)
        a = round(self.fraction(low) * (track - 1))
        b = max(a, round(self.fraction(high) * (track - 1)))
        colour = "dim" if self.disabled_state else "bold #4c9be8"
        line = Text(prefix, style="bold")
        line.append("─" * a, style="dim")
        line.append("●", style=colour)
        if b > a:
            line.append("━" * (b - a - 1), style=colour)
            line.append("●", style=colour)
        line.append("─" * (track - b - 1), style="dim")
        line.append(f" {readout}")
        if self.disabled_state:
            line.stylize("dim")
        return line

    def _set_pair(self, low: float, high: float) -> None:
        low_value, high_value = self.to_value(low), self.to_value(high)
        if low_value > high_value:
            low_value, high_value = high_value, low_value
        pair = [low_value, high_value]
        if pair != list(self._pair()):
            self.set_state(value=pair)

    def action_adjust(self, delta: int) -> None:
        """Move the upper handle ``delta`` steps (the lower one when it would cross)."""
        low, high = self._pair()
        self._set_pair(low, max(low, high + delta * self.step()))

    def action_extreme(self, end: int) -> None:
        """Home: the lower handle to ``min``; End: the upper handle to ``max``."""
        lo, hi = self.bounds()
        low, high = self._pair()
        self._set_pair(lo, high) if end < 0 else self._set_pair(low, hi)

    def drag_to(self, x: int) -> None:
        """The handle nearest to column ``x`` moves there."""
        position = self.position_at(x)
        low, high = self._pair()
        if abs(position - low) <= abs(position - high):
            self._set_pair(min(position, high), high)
        else:
            self._set_pair(low, max(position, low))


class _OptionsTrack:
    """The track of a selection slider: positions are indices into ``_options_labels``."""

    model: Any
    integer = True
    is_log = False

    def _labels(self) -> list[str]:
        labels = self.model.get("_options_labels")
        return [str(x) for x in labels] if isinstance(labels, (list, tuple)) else []

    def bounds(self) -> tuple[float, float]:
        """(0, last index)."""
        return 0.0, float(max(len(self._labels()) - 1, 0))

    def step(self) -> float:
        """One option."""
        return 1.0


class SelectionSliderView(_OptionsTrack, SliderView):
    """SelectionSlider: ``index`` into ``_options_labels``."""

    def render(self) -> Text:
        """The track, the selected label as the readout."""
        labels = self._labels()
        index = self.model.get("index")
        index = index if isinstance(index, int) and 0 <= index < len(labels) else 0
        readout = labels[index] if labels and self.model.get("readout", True) else ""
        prefix, start, track = self._layout_line(readout)
        self._track = (start, track)
        knob = round(self.fraction(index) * (track - 1))
        colour = "dim" if self.disabled_state else "bold #4c9be8"
        line = Text(prefix, style="bold")
        line.append("━" * knob, style=colour)
        line.append("●", style=colour)
        line.append("─" * (track - knob - 1), style="dim")
        line.append(f" {readout}")
        if self.disabled_state:
            line.stylize("dim")
        return line

    def move_to(self, position: float) -> None:
        """Select the option at ``position``."""
        index = int(self.to_value(position))
        if index != self.model.get("index"):
            self.set_state(index=index)

    def action_adjust(self, delta: int) -> None:
        """``delta`` options on."""
        index = self.model.get("index")
        self.move_to((index if isinstance(index, int) else 0) + delta)


class SelectionRangeSliderView(_OptionsTrack, RangeSliderView):
    """SelectionRangeSlider: ``index`` is ``[lower, upper]`` into ``_options_labels``."""

    def _pair(self) -> tuple[float, float]:
        index = self.model.get("index")
        if isinstance(index, (list, tuple)) and len(index) == 2:
            return _number(index[0]), _number(index[1])
        return self.bounds()

    def readout(self, value: Any) -> str:
        """The option's label."""
        labels = self._labels()
        i = int(_number(value))
        return labels[i] if 0 <= i < len(labels) else ""

    def _set_pair(self, low: float, high: float) -> None:
        pair = sorted([int(self.to_value(low)), int(self.to_value(high))])
        if pair != [int(x) for x in self._pair()]:
            self.set_state(index=pair)


BAR_STYLES = {"success": "#5cb85c", "info": "#5bc0de", "warning": "#f0ad4e",
              "danger": "#d9534f", "": "#4c9be8"}
"""``bar_style`` colours (Bootstrap's, as ipywidgets' CSS)."""


class ProgressView(WidgetView):
    """Int/Float progress: ``description █████░░░░`` in the ``bar_style`` colour (or
    ``style.bar_color``); no readout, as in JupyterLab (tqdm puts its counts in HTML beside)."""

    DEFAULT_CSS = """
    ProgressView { width: 1fr; min-width: 10; max-width: 64; }
    """

    def render(self) -> Text:
        """The bar, eighth-block exact."""
        model = self.model
        lo, hi = _number(model.get("min"), 0.0), _number(model.get("max"), 100.0)
        value = _number(model.get("value"), 0.0)
        fraction = 0.0 if hi <= lo else min(max((value - lo) / (hi - lo), 0.0), 1.0)
        prefix = self.prefix
        width = max(self.content_size.width - len(prefix), 4)
        eighths = round(fraction * width * 8)
        full, part = divmod(eighths, 8)
        colour = self._colour()
        line = Text(prefix, style="bold")
        line.append("█" * full, style=colour)
        if part and full < width:
            line.append(" ▏▎▍▌▋▊▉"[part], style=f"{colour} on #333333")
            full += 1
        line.append(" " * (width - full), style="on #333333")
        return line

    def _colour(self) -> str:
        from tui.notebook.widget_views.choices import safe_colour

        style = self.env.resolve(self.model.get("style"))
        colour = style.get("bar_color") if style is not None else None
        if isinstance(colour, str) and colour:
            return safe_colour(colour.lower(), BAR_STYLES[""])
        bar_style = self.model.get("bar_style")
        return BAR_STYLES.get(bar_style if isinstance(bar_style, str) else "", BAR_STYLES[""])
