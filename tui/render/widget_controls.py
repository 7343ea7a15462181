"""Single ipywidgets controls as Rich text: sliders, progress bars, fields, buttons, choices.

Each drawer takes a widget's ``state`` (a dict, as the model holds it) and the columns it may
use, and returns a :class:`~rich.text.Text`. Pure: no models, no kernels, no I/O. The
containers and the dispatch by model name are in :mod:`tui.render.widget_view`.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping
from typing import Any

from rich.text import Text

State = Mapping[str, Any]
Drawer = Callable[[State, int], Text]

BAR_STYLES = {"success": "green", "info": "cyan", "warning": "yellow", "danger": "red",
              "primary": "blue"}
"""``bar_style`` / ``button_style`` -> colour (JupyterLab's palette, near enough)."""
DEFAULT_BAR = "#2196f3"
"""A progress bar without a ``bar_style`` (JupyterLab's blue)."""
EIGHTHS = " ▏▎▍▌▋▊▉"
"""Partial blocks, as tqdm draws the tip of a bar."""
SLIDER_CELLS = 24
PROGRESS_CELLS = 30
FIELD_CELLS = 14


def plain(value: Any) -> str:
    """A widget's text value as shown: ``None`` empty, tqdm's figure spaces as spaces."""
    if value is None:
        return ""
    return str(value).replace("\u2007", " ")


def html_text(value: Any) -> str | None:
    """The text of HTML that holds no tags (entities decoded), else None (a real HTML value
    for the HTML renderer). tqdm's counts (``200/200 [00:01&lt;00:00]``) take this path."""
    text = plain(value)
    return None if "<" in text else html.unescape(text)


def _description(state: State) -> Text:
    desc = plain(state.get("description"))
    return Text(desc + " ", style="bold") if desc else Text("")


def _number(value: Any, state: State) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return plain(value)
    if isinstance(value, int) and not str(state.get("_model_name", "")).startswith("Float"):
        return str(value)
    fmt = state.get("readout_format")
    if isinstance(fmt, str) and fmt:
        try:
            return format(value, fmt.lstrip("~"))
        except (ValueError, TypeError):
            pass
    return f"{value:.2f}"


def _fraction(value: Any, low: Any, high: Any) -> float:
    try:
        span = float(high) - float(low)
        part = (float(value) - float(low)) / span if span else 1.0
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if math.isnan(part) else min(1.0, max(0.0, part))


def _fit(width: int, taken: int, most: int) -> int:
    return max(5, min(most, width - taken))


def _track(cells: int, marks: list[float], style: str) -> Text:
    """A slider track ``cells`` wide with a knob at each fraction in ``marks`` (two: a range,
    the part between them in ``style``)."""
    spots = [min(cells - 1, round(m * (cells - 1))) for m in marks]
    low, high = min(spots), max(spots)
    track = Text()
    for i in range(cells):
        if i in spots:
            track.append("●", style=style or "bold")
        elif (len(spots) == 1 and i < low) or (len(spots) > 1 and low < i < high):
            track.append("━", style=style)
        else:
            track.append("─", style="dim")
    return track


def _slider_marks(state: State) -> tuple[list[float], str]:
    name = str(state.get("_model_name", ""))
    value = state.get("value")
    low, high = state.get("min", 0), state.get("max", 100)
    if name.startswith("Selection"):
        labels = state.get("_options_labels") or []
        index = state.get("index")
        last = max(1, len(labels) - 1)
        raw = list(index) if isinstance(index, (list, tuple)) else [index]
        picks: list[int] = [i if isinstance(i, int) else 0 for i in raw]
        shown = " – ".join(plain(labels[i]) if 0 <= i < len(labels) else "" for i in picks)
        return [_fraction(i, 0, last) for i in picks], shown
    if name == "FloatLogSliderModel":
        base = state.get("base", 10)
        try:
            exponent = math.log(float(value), float(base))  # type: ignore[arg-type]
        except (TypeError, ValueError, ZeroDivisionError):
            exponent = low
        return [_fraction(exponent, low, high)], _number(value, state)
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return ([_fraction(v, low, high) for v in value],
                f"{_number(value[0], state)} – {_number(value[1], state)}")
    return [_fraction(value, low, high)], _number(value, state)


def slider(state: State, width: int) -> Text:
    """Int/Float/FloatLog/range/Selection sliders: ``desc ━━━●──── 5``."""
    marks, readout = _slider_marks(state)
    head = _description(state)
    tail = Text(" " + readout) if state.get("readout", True) else Text("")
    cells = _fit(width, head.cell_len + tail.cell_len, SLIDER_CELLS)
    style = "dim" if state.get("disabled") else "bold #2196f3"
    return head + _track(cells, marks, style) + tail


def progress_bar(state: State, cells: int) -> Text:
    """A bar ``cells`` wide between ``|`` marks, filled as tqdm fills it (eighths at the
    tip), coloured by ``bar_style``."""
    inner = max(1, cells - 2)
    part = _fraction(state.get("value", 0), state.get("min", 0), state.get("max", 100))
    eighths = int(part * inner * 8)
    full, tip = divmod(eighths, 8)
    body = "█" * full + (EIGHTHS[tip] if full < inner and tip else "")
    body = body + " " * (inner - len(body))
    style = BAR_STYLES.get(str(state.get("bar_style") or ""), DEFAULT_BAR)
    return Text("|") + Text(body, style=style) + Text("|")


def progress(state: State, width: int) -> Text:
    """IntProgress / FloatProgress: ``desc |█████▌    |``."""
    head = _description(state)
    return head + progress_bar(state, _fit(width, head.cell_len, PROGRESS_CELLS))


def checkbox(state: State, width: int) -> Text:
    """Checkbox: ``☑ desc`` / ``☐ desc``."""
    mark = "☑" if state.get("value") else "☐"
    return Text(mark + " ", style="bold") + Text(plain(state.get("description")))


def valid(state: State, width: int) -> Text:
    """Valid: a green tick or a red cross and the readout."""
    ok = bool(state.get("value"))
    mark = Text("✔", style="green") if ok else Text("✘ " + plain(state.get("readout")),
                                                      style="red")
    return _description(state) + mark


def _button_face(label: str, style_name: Any, pressed: bool = True) -> Text:
    colour = BAR_STYLES.get(str(style_name or ""))
    style = f"bold white on {colour}" if colour else "reverse"
    return Text(f" {label} ", style=style if pressed else "dim")


def button(state: State, width: int) -> Text:
    """Button: its description on its ``button_style`` colour."""
    label = plain(state.get("description")) or plain(state.get("icon")) or " "
    return _button_face(label, state.get("button_style"), not state.get("disabled"))


def toggle_button(state: State, width: int) -> Text:
    """ToggleButton: pressed (reverse) when its value is true."""
    label = plain(state.get("description")) or " "
    if state.get("value"):
        return _button_face(label, state.get("button_style"))
    return Text(f"[{label}]")


def text_field(state: State, width: int) -> Text:
    """Text, Password, Int/Float/Bounded text, Combobox, DatePicker, ColorPicker: a field
    showing its value (its placeholder, dim, when empty)."""
    name = str(state.get("_model_name", ""))
    value = state.get("value")
    style = "underline"
    if name == "PasswordModel":
        shown = "•" * len(plain(value))
    elif name == "DatePickerModel" and isinstance(value, Mapping):
        shown = _date(value)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        shown = _number(value, state)
    else:
        shown = plain(value)
    head = _description(state)
    if name == "ColorPickerModel" and shown:
        head += Text("██", style=shown if _is_colour(shown) else "") + Text(" ")
    if not shown and state.get("placeholder"):
        shown, style = plain(state.get("placeholder")), "underline dim italic"
    cells = _fit(width, head.cell_len, max(FIELD_CELLS, len(shown) + 1))
    if len(shown) > cells:
        shown = shown[:cells - 1] + "…"
    return head + Text(shown.ljust(cells), style=style)


def _date(value: Mapping[str, Any]) -> str:
    try:
        return f"{int(value['year']):04d}-{int(value['month']) + 1:02d}-{int(value['date']):02d}"
    except (KeyError, TypeError, ValueError):
        return ""


def _is_colour(value: str) -> bool:
    return value.startswith("#") and len(value) in (4, 7) and all(
        c in "0123456789abcdefABCDEF" for c in value[1:])


def textarea(state: State, width: int) -> Text:
    """Textarea: its lines, each after a bar, at most ``rows`` lines."""
    value = plain(state.get("value")) or plain(state.get("placeholder"))
    rows = state.get("rows") if isinstance(state.get("rows"), int) else None
    lines = value.split("\n")[: rows or 10]
    body = Text("\n").join(Text("▏") + Text(line, style="underline") for line in lines)
    desc = plain(state.get("description"))
    return Text(desc + "\n", style="bold") + body if desc else body


def _labels(state: State) -> list[str]:
    labels = state.get("_options_labels")
    return [plain(label) for label in labels] if isinstance(labels, (list, tuple)) else []


def _selected(state: State) -> set[int]:
    index = state.get("index")
    if isinstance(index, (list, tuple)):
        return {i for i in index if isinstance(i, int)}
    return {index} if isinstance(index, int) else set()


def dropdown(state: State, width: int) -> Text:
    """Dropdown: the selected option and a ``▾``."""
    labels = _labels(state)
    chosen = sorted(i for i in _selected(state) if 0 <= i < len(labels))
    shown = labels[chosen[0]] if chosen else ""
    head = _description(state)
    cells = _fit(width, head.cell_len + 2, max(FIELD_CELLS, len(shown) + 1))
    return head + Text(shown[:cells].ljust(cells), style="underline") + Text(" ▾")


def radio_buttons(state: State, width: int) -> Text:
    """RadioButtons: every option, the selected one marked ``(•)``."""
    chosen = _selected(state)
    lines = [Text("(•) " if i in chosen else "( ) ") + Text(label, style="bold" if i in chosen
                                                            else "")
             for i, label in enumerate(_labels(state))]
    return _with_heading(state, lines)


def select(state: State, width: int) -> Text:
    """Select / SelectMultiple: the options (``rows`` of them), selected ones highlighted."""
    chosen = _selected(state)
    labels = _labels(state)
    raw = state.get("rows")
    rows = raw if isinstance(raw, int) and raw > 0 else 5
    first = min(chosen) if chosen else 0
    start = max(0, min(first, len(labels) - rows))
    lines = [Text(("› " if i in chosen else "  ") + labels[i],
                  style="reverse" if i in chosen else "")
             for i in range(start, min(len(labels), start + rows))]
    return _with_heading(state, lines)


def toggle_buttons(state: State, width: int) -> Text:
    """ToggleButtons: the options side by side, the selected one pressed."""
    chosen = _selected(state)
    faces = [(_button_face(label, state.get("button_style")) if i in chosen
              else Text(f"[{label}]")) for i, label in enumerate(_labels(state))]
    return _description(state) + Text(" ").join(faces)


def _with_heading(state: State, lines: list[Text]) -> Text:
    desc = plain(state.get("description"))
    body = Text("\n").join(lines)
    return Text(desc + "\n", style="bold") + body if desc else body


def label(state: State, width: int) -> Text:
    """Label: its value as text."""
    return _description(state) + Text(plain(state.get("value")))


def play(state: State, width: int) -> Text:
    """Play: a play mark and the current value."""
    return _description(state) + Text("▶ ", style="bold") + Text(_number(state.get("value"),
                                                                         state))


CONTROLS: dict[str, Drawer] = {
    **{name: slider for name in (
        "IntSliderModel", "FloatSliderModel", "FloatLogSliderModel", "IntRangeSliderModel",
        "FloatRangeSliderModel", "SelectionSliderModel", "SelectionRangeSliderModel")},
    "IntProgressModel": progress,
    "FloatProgressModel": progress,
    "CheckboxModel": checkbox,
    "ValidModel": valid,
    "ButtonModel": button,
    "ToggleButtonModel": toggle_button,
    **{name: text_field for name in (
        "TextModel", "PasswordModel", "IntTextModel", "FloatTextModel", "BoundedIntTextModel",
        "BoundedFloatTextModel", "ComboboxModel", "DatePickerModel", "ColorPickerModel",
        "DatetimeModel", "NaiveDatetimeModel", "TimeModel")},
    "TextareaModel": textarea,
    "DropdownModel": dropdown,
    "RadioButtonsModel": radio_buttons,
    "SelectModel": select,
    "SelectMultipleModel": select,
    "ToggleButtonsModel": toggle_buttons,
    "LabelModel": label,
    "PlayModel": play,
}
"""``_model_name`` -> its drawer (``@jupyter-widgets/controls``)."""
