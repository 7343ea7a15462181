"""Find (and replace) across all cells: the search itself and the bar that drives it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label

from nbio.model import Cell
from tui.notebook import keymap
from tui.notebook.typeahead import hold_keys_until


@dataclass(frozen=True)
class Match:
    """One occurrence: cell index and character range in its source."""

    cell: int
    start: int
    end: int


def find_matches(cells: Sequence[Cell], query: str, *, case_sensitive: bool = False
                 ) -> list[Match]:
    """All occurrences of ``query`` in the cells' sources, in notebook order."""
    if not query:
        return []
    needle = query if case_sensitive else query.lower()
    matches: list[Match] = []
    for index, cell in enumerate(cells):
        source = cell.source
        hay = source if case_sensitive else source.lower()
        start = hay.find(needle)
        while start >= 0:
            matches.append(Match(index, start, start + len(query)))
            start = hay.find(needle, start + max(len(needle), 1))
    return matches


def replace_in(source: str, query: str, replacement: str, *, case_sensitive: bool = False
               ) -> str:
    """``source`` with every occurrence of ``query`` replaced."""
    if not query:
        return source
    if case_sensitive:
        return source.replace(query, replacement)
    out: list[str] = []
    hay = source.lower()
    needle = query.lower()
    pos = 0
    start = hay.find(needle)
    while start >= 0:
        out.append(source[pos:start])
        out.append(replacement)
        pos = start + len(query)
        start = hay.find(needle, pos)
    out.append(source[pos:])
    return "".join(out)


class FindBar(Horizontal):
    """The find / replace bar above the status bar (hidden until Ctrl+F or Ctrl+H)."""

    DEFAULT_CSS = """
    FindBar {
        height: 1;
        display: none;
        background: $panel;
    }
    FindBar.-open { display: block; }
    FindBar Input, FindBar Input:focus { border: none; height: 1; width: 1fr; padding: 0 1; }
    FindBar Label { padding: 0 1; height: 1; }
    FindBar #replace { display: none; }
    FindBar.-replace #replace { display: block; }
    """

    BINDINGS = keymap.bindings("find")
    """Enter, Tab and Ctrl+R work in every terminal; Ctrl+H and Alt+A do not (Backspace, Esc a)."""

    class Search(Message):
        """The query changed or the user asked for the next/previous match."""

        def __init__(self, query: str, step: int) -> None:
            super().__init__()
            self.query = query
            self.step = step

    class Replace(Message):
        """Replace the current match (``all_matches``: every match)."""

        def __init__(self, query: str, replacement: str, all_matches: bool) -> None:
            super().__init__()
            self.query = query
            self.replacement = replacement
            self.all_matches = all_matches

    class Closed(Message):
        """The bar was closed."""

    def compose(self) -> ComposeResult:
        """A query field, a replacement field and a match counter."""
        for field in (Input(placeholder="find (Enter: next, ↑/↓)", id="query"),
                      Input(placeholder="replace with (Enter: one, Ctrl+R: all)", id="replace")):
            field.cursor_blink = False
            yield field
        yield Label("", id="count")

    @property
    def query_text(self) -> str:
        """The current search text."""
        return self.query_one("#query", Input).value

    def open(self, *, replace: bool) -> None:
        """Show the bar and focus the query (or the replacement) field."""
        self.add_class("-open")
        self.set_class(replace, "-replace")
        self.query_one("#replace" if replace and self.query_text else "#query", Input).focus()

    def set_count(self, current: int, total: int) -> None:
        """Show ``current of total``."""
        text = f"{current} of {total}" if total else "no matches"
        self.query_one("#count", Label).update(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        """Search as the user types."""
        if event.input.id == "query":
            event.stop()
            self.post_message(self.Search(event.value, 0))

    @property
    def replacing(self) -> bool:
        """Whether the replacement field is shown."""
        return self.has_class("-replace")

    def _field(self, field_id: str) -> Input:
        return self.query_one(f"#{field_id}", Input)

    def action_submit(self) -> None:
        """Enter: next match in the query field, replace this match in the replacement field."""
        field = self._focused_field()
        if field is not None and field.id == "replace" and self.replacing:
            self._after_keys_typed(field, lambda: self.Replace(
                self.query_text, field.value, False))
        else:
            self._after_keys_typed(field, lambda: self.Search(self.query_text, 1))

    def _focused_field(self) -> Input | None:
        focused = self.screen.focused
        return focused if isinstance(focused, Input) and focused.parent is self else None

    def _after_keys_typed(self, field: Input | None, message: Callable[[], Message]) -> None:
        """Post ``message()`` once ``field`` has taken the keys typed before this one.

        The bar's keys are priority bindings, run as they arrive (so Tab moves the focus before
        the next key is delivered), while the keys typed before them may still wait in the
        field's queue: reading the field's value from its own queue sees them all."""
        if field is None:
            self.post_message(message())
        else:
            field.call_later(lambda: self.post_message(message()))

    def action_other_field(self) -> None:
        """Tab: from the query to the replacement field (showing it), and back."""
        self._go_to("replace" if self.screen.focused is self._field("query") else "query")

    def _go_to(self, field_id: str) -> None:
        """Focus a field (showing the replacement field); keys typed meanwhile go to it."""
        field = self._field(field_id)
        if field_id == "replace":
            self.add_class("-replace")
        field.focus()
        hold_keys_until(self, lambda: self.screen.focused is field)

    def action_step(self, step: int) -> None:
        """Go to the next (1) or previous (-1) match."""
        self.post_message(self.Search(self.query_text, step))

    def action_replace_all(self) -> None:
        """Replace every match; with the replacement field hidden, show it first (so a
        replace-all key in the find bar never replaces the matches with nothing)."""
        if not self.replacing:
            self._go_to("replace")
            return
        field = self._field("replace")
        self._after_keys_typed(self._focused_field(), lambda: self.Replace(
            self.query_text, field.value, True))

    def action_close(self) -> None:
        """Hide the bar."""
        self.remove_class("-open")
        self.post_message(self.Closed())
