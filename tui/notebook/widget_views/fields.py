"""Text fields: Text, Password, Combobox, Textarea, Int/Float text (bounded or not), and
DatePicker and ColorPicker as text fields.

Text-like widgets send each change when ``continuous_update`` (the default for Text), else on
Enter and when the field loses the focus; number fields check what was typed (a bad number
puts the last good value back, a bounded one is kept within ``min``/``max``); a date is
``YYYY-MM-DD`` (sent as ipywidgets' ``{year, month (0-based), date}``), a colour ``#rrggbb``
or a CSS name. Up/Down step a number field.
"""

from __future__ import annotations

import re
from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input, Static, TextArea

from tui.notebook.widget_views.base import WidgetView


class FieldView(WidgetView):
    """One line: the description, then an :class:`Input` holding the value as text."""

    DEFAULT_CSS = """
    FieldView { layout: horizontal; height: 1; }
    FieldView > .field-label { width: auto; text-style: bold; }
    FieldView > Input { border: none; height: 1; padding: 0 1 0 0; width: 1fr; max-width: 40;
                        background: $boost; }
    FieldView > Input:focus { border: none; background: $accent 30%; }
    """

    password = False

    def compose(self) -> ComposeResult:
        """Label and field."""
        label = Static(self.prefix, classes="field-label", markup=False)
        label.display = bool(self.description)
        yield label
        placeholder = self.model.get("placeholder")
        yield Input(self.to_text(self.model.get("value")), password=self.password,
                    placeholder=placeholder if isinstance(placeholder, str) else "",
                    disabled=self.disabled_state, select_on_focus=False)

    @property
    def field(self) -> Input:
        """The input."""
        return self.query_one(Input)

    def to_text(self, value: Any) -> str:
        """The state value as the field's text."""
        return "" if value is None else str(value)

    def from_text(self, text: str) -> tuple[bool, Any]:
        """(ok, value) of what was typed."""
        return True, text

    @property
    def continuous(self) -> bool:
        """True when each keystroke is sent."""
        return bool(self.model.get("continuous_update", True))

    def model_changed(self, keys: frozenset[str]) -> None:
        """Show the new value (unless it is what the field already says)."""
        if not self.is_mounted or not self.children:
            return
        field = self.field
        if "value" in keys:
            ok, current = self.from_text(field.value)
            if not ok or current != self.model.get("value"):
                field.value = self.to_text(self.model.get("value"))
        if "disabled" in keys:
            field.disabled = self.disabled_state
        if "description" in keys:
            label = self.query_one(".field-label", Static)
            label.update(self.prefix)
            label.display = bool(self.description)

    def commit(self, text: str) -> None:
        """Send ``text`` as the value, or put the last good value back."""
        ok, value = self.from_text(text)
        if not ok:
            self.field.value = self.to_text(self.model.get("value"))
            return
        if value != self.model.get("value"):
            self.set_state(value=value)
        shown = self.to_text(value)
        if shown != text and not self.continuous:
            self.field.value = shown

    def on_input_changed(self, event: Input.Changed) -> None:
        """Each keystroke, when continuous."""
        event.stop()
        if self.continuous and event.input.has_focus:
            ok, value = self.from_text(event.value)
            if ok and value != self.model.get("value"):
                self.set_state(value=value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter commits (a Text widget's ``on_submit`` runs in the kernel)."""
        event.stop()
        self.commit(event.value)
        if self.model.model_name == "TextModel":
            self.model.send_custom({"event": "submit"})

    def on_descendant_blur(self) -> None:
        """Leaving the field commits."""
        if self.children:
            self.commit(self.field.value)


class PasswordView(FieldView):
    """Password: the value is not shown."""

    password = True


class NumberView(FieldView):
    """Int/Float text, bounded or not; Up/Down add or take a ``step``."""

    @property
    def integer(self) -> bool:
        """True for the Int models."""
        return self.model.model_name.startswith(("Int", "BoundedInt"))

    @property
    def continuous(self) -> bool:
        """Numbers are sent on Enter and on leaving the field (``continuous_update`` is
        False by default for them)."""
        return bool(self.model.get("continuous_update", False))

    def to_text(self, value: Any) -> str:
        """The number as text."""
        if isinstance(value, float) and value.is_integer() and not self.integer:
            return repr(value)
        return "" if value is None else str(value)

    def from_text(self, text: str) -> tuple[bool, Any]:
        """A number within the bounds (a bad one is not ok)."""
        try:
            value: float = int(text) if self.integer else float(text)
        except ValueError:
            try:
                value = int(float(text)) if self.integer else float(text)
            except ValueError:
                return False, None
        lo, hi = self.model.get("min"), self.model.get("max")
        if isinstance(lo, (int, float)) and value < lo:
            value = type(value)(lo)
        if isinstance(hi, (int, float)) and value > hi:
            value = type(value)(hi)
        return True, value

    def action_vertical(self, delta: int) -> None:
        """Up: one step more; Down: one less."""
        step = self.model.get("step")
        step = step if isinstance(step, (int, float)) and step else 1
        value = self.model.get("value")
        value = value if isinstance(value, (int, float)) else 0
        ok, new = self.from_text(str(value - delta * step))
        if ok and new != value:
            self.set_state(value=new)
            self.field.value = self.to_text(new)


DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


class DateView(FieldView):
    """DatePicker as ``YYYY-MM-DD`` (empty: no date)."""

    @property
    def continuous(self) -> bool:
        """Sent on Enter and on leaving the field."""
        return False

    def to_text(self, value: Any) -> str:
        """``{year, month, date}`` (month 0-based) as ISO text."""
        if isinstance(value, dict):
            try:
                return f"{int(value['year']):04d}-{int(value['month']) + 1:02d}-" \
                       f"{int(value['date']):02d}"
            except (KeyError, TypeError, ValueError):
                return ""
        return ""

    def from_text(self, text: str) -> tuple[bool, Any]:
        """ISO text as ipywidgets' date dict."""
        if not text.strip():
            return True, None
        match = DATE.match(text)
        if match is None:
            return False, None
        year, month, day = (int(g) for g in match.groups())
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return False, None
        return True, {"year": year, "month": month - 1, "date": day}


COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$|^[a-zA-Z]+$")


class ColorView(FieldView):
    """ColorPicker as text (``#rrggbb`` or a CSS name)."""

    @property
    def continuous(self) -> bool:
        """Sent on Enter and on leaving the field."""
        return False

    def from_text(self, text: str) -> tuple[bool, Any]:
        """A colour ``#rgb``/``#rrggbb`` or a name."""
        text = text.strip()
        return (True, text) if COLOUR.match(text) else (False, None)


class TextareaView(WidgetView):
    """Textarea: a multi-line field (``rows`` lines); Tab leaves it, as in other widgets."""

    DEFAULT_CSS = """
    TextareaView { layout: vertical; height: auto; }
    TextareaView > .field-label { text-style: bold; }
    TextareaView > TextArea { height: auto; max-height: 12; min-height: 3; max-width: 80;
                              border: none; padding: 0 1; background: $boost; }
    """

    def compose(self) -> ComposeResult:
        """Label above, text below."""
        label = Static(self.description, classes="field-label", markup=False)
        label.display = bool(self.description)
        yield label
        value = self.model.get("value")
        area = TextArea(value if isinstance(value, str) else "", soft_wrap=True,
                        tab_behavior="focus", disabled=self.disabled_state,
                        show_line_numbers=False)
        rows = self.model.get("rows")
        if isinstance(rows, int) and rows > 0:
            area.styles.min_height = min(rows, 12)
        yield area

    def model_changed(self, keys: frozenset[str]) -> None:
        """The kernel's value, unless the field already says it."""
        if "value" in keys and self.children:
            area = self.query_one(TextArea)
            value = self.model.get("value")
            value = value if isinstance(value, str) else ""
            if area.text != value:
                area.load_text(value)
        if "disabled" in keys and self.children:
            self.query_one(TextArea).disabled = self.disabled_state

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        """Each change is sent when ``continuous_update``."""
        event.stop()
        area = event.text_area
        if area.has_focus and self.model.get("continuous_update", True) \
                and area.text != self.model.get("value"):
            self.set_state(value=area.text)

    def on_descendant_blur(self) -> None:
        """Leaving the field sends it."""
        if self.children:
            text = self.query_one(TextArea).text
            if text != self.model.get("value"):
                self.set_state(value=text)
