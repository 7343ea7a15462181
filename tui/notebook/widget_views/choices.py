"""Buttons and choices: Button, ToggleButton, Checkbox, Valid, ToggleButtons, Dropdown,
RadioButtons, Select, SelectMultiple.

Enter or Space presses a button (the kernel runs its ``on_click`` callbacks) or toggles a box;
arrows move between options; a click picks the option under the mouse.
"""

from __future__ import annotations

from typing import Any

from rich.color import Color, ColorParseError
from rich.text import Text
from textual import events

from tui.notebook.widget_views.base import DESCRIPTION_WIDTH, WidgetView

BUTTON_STYLES = {"primary": "#2f6db5", "success": "#3d8b3d", "info": "#31a0c0",
                 "warning": "#d08a1e", "danger": "#c9302c", "": "#555555"}
"""``button_style`` backgrounds."""


def safe_colour(value: Any, default: str) -> str:
    """A CSS colour of a style model as a Rich colour (``default`` when Rich cannot read it)."""
    if isinstance(value, str) and value:
        try:
            Color.parse(value)
            return value
        except ColorParseError:
            pass
    return default


def button_face(label: str, style: Any, *, pressed: bool = False, disabled: bool = False,
                focused: bool = False) -> Text:
    """`` label `` on the ``button_style`` colour (brighter when pressed)."""
    background = BUTTON_STYLES.get(style if isinstance(style, str) else "", BUTTON_STYLES[""])
    if pressed:
        background = "#e0e0e0"
    face = f"bold {'black' if pressed else 'white'} on {background}"
    if disabled:
        face = "dim on #333333"
    if focused:
        face += " underline"
    return Text(f" {label or ' '} ", style=face)


def option_labels(model_state: dict[str, Any]) -> list[str]:
    """``_options_labels`` as strings."""
    labels = model_state.get("_options_labels")
    return [str(x) for x in labels] if isinstance(labels, (list, tuple)) else []


class ButtonView(WidgetView):
    """Button: a click (Enter, Space, the mouse) sends ``{"event": "click"}``."""

    can_focus = True
    DEFAULT_CSS = "ButtonView { width: auto; }"

    def render(self) -> Text:
        """The button's face (its ``icon`` name is not drawn)."""
        return button_face(self.description, self.model.get("button_style"),
                           disabled=self.disabled_state, focused=self.has_focus)

    def action_press(self) -> None:
        """Click."""
        if not self.disabled_state:
            self.model.send_custom({"event": "click"})

    def on_click(self, event: events.Click) -> None:
        """A mouse click is a press."""
        event.stop()
        self.action_press()

    def on_focus(self) -> None:
        """Redraw the face (underlined while focused)."""
        self.refresh()

    def on_blur(self) -> None:
        """Redraw the face."""
        self.refresh()


class ToggleButtonView(ButtonView):
    """ToggleButton: ``value`` flips on a press."""

    def render(self) -> Text:
        """Pressed looks lit."""
        return button_face(self.description, self.model.get("button_style"),
                           pressed=bool(self.model.get("value")),
                           disabled=self.disabled_state, focused=self.has_focus)

    def action_press(self) -> None:
        """Flip the value."""
        self.set_state(value=not bool(self.model.get("value")))


class CheckboxView(WidgetView):
    """Checkbox: ``[x] description``."""

    can_focus = True

    def render(self) -> Text:
        """The box and the description."""
        mark = "[x]" if self.model.get("value") else "[ ]"
        indent = " " * (DESCRIPTION_WIDTH + 1) if self.model.get("indent", True) else ""
        text = Text(indent + mark, style="bold")
        if self.description:
            text.append(f" {self.description}")
        if self.disabled_state:
            text.stylize("dim")
        return text

    def action_press(self) -> None:
        """Toggle."""
        self.set_state(value=not bool(self.model.get("value")))

    def on_click(self, event: events.Click) -> None:
        """A click toggles."""
        event.stop()
        self.action_press()


class ValidView(WidgetView):
    """Valid: ✓ or ✗ and the ``readout`` when invalid (display only)."""

    def render(self) -> Text:
        """The mark."""
        if self.model.get("value"):
            mark = Text("✓", style="bold green")
        else:
            readout = self.model.get("readout")
            mark = Text(f"✗ {readout if isinstance(readout, str) else 'Invalid'}",
                        style="bold red")
        return self.describe(mark)


class ChoiceView(WidgetView):
    """What the single-choice views share: ``index`` into ``_options_labels``."""

    can_focus = True

    @property
    def labels(self) -> list[str]:
        """The options' labels."""
        return option_labels(self.model.state)

    @property
    def index(self) -> int | None:
        """The selected option (None: nothing selected)."""
        index = self.model.get("index")
        return index if isinstance(index, int) and 0 <= index < len(self.labels) else None

    def choose(self, index: int) -> None:
        """Select option ``index`` (kept within the options)."""
        count = len(self.labels)
        if count == 0:
            return
        index = min(max(index, 0), count - 1)
        if index != self.model.get("index"):
            self.set_state(index=index)

    def action_adjust(self, delta: int) -> None:
        """The option ``delta`` on."""
        current = self.index
        self.choose((current if current is not None else -1 if delta > 0 else 0) + delta)

    def action_vertical(self, delta: int) -> None:
        """Down: the next option; Up: the previous one."""
        self.action_adjust(delta)

    def action_extreme(self, end: int) -> None:
        """The first or last option."""
        self.choose(0 if end < 0 else len(self.labels) - 1)


class DropdownView(ChoiceView):
    """Dropdown: one line, ``description ▾ choice``; arrows cycle through the options."""

    def render(self) -> Text:
        """The selected option in a box."""
        index = self.index
        label = self.labels[index] if index is not None else "—"
        count = len(self.labels)
        place = f" {index + 1}/{count}" if index is not None else ""
        return self.describe(Text.assemble(("▾ ", "bold"), (label, "reverse" if self.has_focus
                                                              else "underline"),
                                           (place, "dim")))

    def on_click(self, event: events.Click) -> None:
        """A click shows the next option."""
        event.stop()
        self.focus()
        self.action_adjust(1)

    def on_focus(self) -> None:
        """Redraw (the choice is highlighted while focused)."""
        self.refresh()

    def on_blur(self) -> None:
        """Redraw."""
        self.refresh()


class ToggleButtonsView(ChoiceView):
    """ToggleButtons: a row of buttons, the selected one lit."""

    DEFAULT_CSS = "ToggleButtonsView { width: auto; }"

    def _spans(self) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        x = len(self.prefix)
        for label in self.labels:
            spans.append((x, x + len(label) + 2))
            x += len(label) + 3
        return spans

    def render(self) -> Text:
        """The buttons."""
        text = Text(self.prefix, style="bold")
        for i, label in enumerate(self.labels):
            if i:
                text.append(" ")
            text.append_text(button_face(label, self.model.get("button_style"),
                                         pressed=i == self.index, disabled=self.disabled_state,
                                         focused=self.has_focus and i == self.index))
        return text

    def on_click(self, event: events.Click) -> None:
        """The button under the mouse."""
        event.stop()
        for i, (start, end) in enumerate(self._spans()):
            if start <= event.x < end:
                self.choose(i)

    def on_focus(self) -> None:
        """Redraw."""
        self.refresh()

    def on_blur(self) -> None:
        """Redraw."""
        self.refresh()


class ListView(ChoiceView):
    """RadioButtons and Select: one option a line (Select: ``rows`` lines, scrolled to the
    selection)."""

    LAYOUT_KEYS = frozenset({"_options_labels", "rows", "description"})

    @property
    def radio(self) -> bool:
        """True for RadioButtons."""
        return self.model.model_name == "RadioButtonsModel"

    def _window(self) -> tuple[int, int]:
        count = len(self.labels)
        rows = self.model.get("rows")
        if self.radio or not isinstance(rows, int) or rows <= 0 or rows >= count:
            return 0, count
        index = self.index or 0
        start = min(max(index - rows // 2, 0), count - rows)
        return start, start + rows

    def selected(self, i: int) -> bool:
        """True when option ``i`` is selected."""
        return i == self.index

    def cursor(self) -> int | None:
        """The option the keys act on."""
        return self.index

    def render(self) -> Text:
        """Description line, then the options."""
        lines = Text()
        if self.description:
            lines.append(f"{self.description}\n", style="bold")
        start, stop = self._window()
        for i in range(start, stop):
            on = self.selected(i)
            mark = ("(•) " if on else "( ) ") if self.radio else ("[x] " if on else "[ ] ") \
                if self.multiple else ("▸ " if on else "  ")
            style = "reverse" if self.has_focus and i == self.cursor() else (
                "bold" if on else "")
            lines.append(mark + self.labels[i], style=style)
            if i < stop - 1:
                lines.append("\n")
        if self.disabled_state:
            lines.stylize("dim")
        return lines

    multiple = False

    def on_click(self, event: events.Click) -> None:
        """The option under the mouse."""
        event.stop()
        self.focus()
        row = event.y - (1 if self.description else 0)
        start, stop = self._window()
        if 0 <= row < stop - start:
            self.pick(start + row)

    def pick(self, i: int) -> None:
        """A click on option ``i``."""
        self.choose(i)

    def on_focus(self) -> None:
        """Redraw."""
        self.refresh()

    def on_blur(self) -> None:
        """Redraw."""
        self.refresh()


class SelectMultipleView(ListView):
    """SelectMultiple: ``index`` is a list; Up/Down move a cursor, Enter/Space (or a click)
    toggles the option under it."""

    multiple = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._cursor = 0

    def _chosen(self) -> list[int]:
        index = self.model.get("index")
        return [i for i in index if isinstance(i, int)] if isinstance(index, (list, tuple)) \
            else []

    def selected(self, i: int) -> bool:
        """True when option ``i`` is among the selected."""
        return i in self._chosen()

    def cursor(self) -> int | None:
        """The option under the cursor."""
        return self._cursor

    @property
    def index(self) -> int | None:
        """The cursor (for the window the options are scrolled to)."""
        return self._cursor

    def action_adjust(self, delta: int) -> None:
        """Move the cursor."""
        self._cursor = min(max(self._cursor + delta, 0), max(len(self.labels) - 1, 0))
        self.refresh()

    def action_extreme(self, end: int) -> None:
        """The cursor to the first or last option."""
        self._cursor = 0 if end < 0 else max(len(self.labels) - 1, 0)
        self.refresh()

    def action_press(self) -> None:
        """Toggle the option under the cursor."""
        self.pick(self._cursor)

    def pick(self, i: int) -> None:
        """Toggle option ``i``."""
        self._cursor = i
        chosen = self._chosen()
        chosen = [x for x in chosen if x != i] if i in chosen else sorted([*chosen, i])
        self.set_state(index=chosen)
        self.refresh()
