"""Find (and replace) across all cells: the search itself and the bar that drives it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label

from nbio.model import Cell


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

    BINDINGS = [
        Binding("escape", "close", "Close find", id="find.close"),
        Binding("down,f3,ctrl+g", "step(1)", "Next match", id="find.next"),
        Binding("up,shift+f3,ctrl+shift+g", "step(-1)", "Previous match", id="find.previous"),
        Binding("alt+a", "replace_all", "Replace all matches", id="find.replace-all"),
    ]

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
                      Input(placeholder="replace with (Enter: one, Alt+A: all)", id="replace")):
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

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter: next match in the query field, replace one in the replacement field."""
        event.stop()
        if event.input.id == "query":
            self.post_message(self.Search(self.query_text, 1))
        else:
            self.post_message(self.Replace(self.query_text, event.value, False))

    def action_step(self, step: int) -> None:
        """Go to the next (1) or previous (-1) match."""
        self.post_message(self.Search(self.query_text, step))

    def action_replace_all(self) -> None:
        """Replace every match."""
        replacement = self.query_one("#replace", Input).value
        self.post_message(self.Replace(self.query_text, replacement, True))

    def action_close(self) -> None:
        """Hide the bar."""
        self.remove_class("-open")
        self.post_message(self.Closed())
