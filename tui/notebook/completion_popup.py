"""Tab completion (complete_request) in a popup at the cursor, as JupyterLab's completer.

The popup lists the kernel's matches under the text being completed and takes the focus:
Up/Down choose, Enter or Tab insert (replacing ``cursor_start..cursor_end`` plus whatever was
typed since), Escape closes. Typing goes on into the editor and filters the list client-side:
the query is the text from ``cursor_start`` to the end of the completed span, matched as a
fuzzy subsequence and ranked as JupyterLab's ``CompleterModel`` does (Lumino's
``StringExt.matchSumOfSquares``: the sum of the squared positions of the matched characters,
lower first, so prefix and contiguous matches come first; ties in alphabetical order). Matched
characters are highlighted. When nothing matches any more, when the cursor leaves the span or
the text shrinks below what it was at the request, the popup closes. Any other key closes it
and goes on to the editor as if the popup had not been there. A reply with a single match is
inserted at once (the caller does that). When the kernel sends
``metadata._jupyter_types_experimental`` (ipykernel does), each item shows its type, and the
highlighted item's signature is shown under the list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widgets import OptionList, TextArea
from textual.widgets.option_list import Option

from tui.session import Completion

MAX_ROWS = 10
"""Items shown at once (the list scrolls)."""

MAX_LABEL = 40
"""Labels longer than this are cut in the list (the inserted text is whole)."""

MIN_WIDTH = 20
MAX_WIDTH = 64
"""The popup's width bounds, borders included (as in its CSS)."""

MATCH_STYLE = "bold underline"
"""How the characters matching the typed query are marked (JupyterLab's ``<mark>``)."""

KNOWN_TYPES = ("function", "instance", "class", "module", "keyword")
"""JupyterLab's ordered known types: each gets a fixed colour, others follow alphabetically."""

TYPE_COLOURS = ("#d7875f", "#5f87d7", "#87af5f", "#af87d7", "#d7af5f", "#5fafaf", "#d75f87")
"""Colours of the type column, indexed by the type's place in the ordered types."""

PASS_THROUGH = frozenset({"up", "down", "pageup", "pagedown", "home", "end",
                          "enter", "tab", "shift+tab", "escape"})
"""Keys the popup handles itself (through its bindings and OptionList's)."""


# ---------------------------------------------------------------------------------------------
# offsets
def offset_to_location(text: str, offset: int) -> tuple[int, int]:
    """A character offset in ``text`` as a (row, column) TextArea location."""
    before = text[:offset]
    row = before.count("\n")
    return row, offset - (before.rfind("\n") + 1)


def location_to_offset(text: str, location: tuple[int, int]) -> int:
    """A (row, column) TextArea location as a character offset into ``text``."""
    row, col = location
    lines = text.split("\n")
    return sum(len(line) + 1 for line in lines[:row]) + col


def wants_completion(text: str, offset: int) -> bool:
    """JupyterLab's rule: Tab completes when the line has non-blank text before the cursor."""
    line_start = text.rfind("\n", 0, offset) + 1
    return bool(text[line_start:offset].strip())


def apply_completion(editor: TextArea, completion: Completion, match: str,
                     typed_after: int = 0) -> None:
    """Replace the completed span (plus ``typed_after`` characters typed since) with ``match``."""
    text = editor.text
    start = offset_to_location(text, completion.cursor_start)
    end = offset_to_location(text, completion.cursor_end + typed_after)
    editor.replace(match, start, end)


# ---------------------------------------------------------------------------------------------
# matching and ranking (pure: unit-testable without a kernel)
def fuzzy_match(source: str, query: str) -> tuple[int, list[int]] | None:
    """Lumino's ``StringExt.matchSumOfSquares``: ``query`` as a subsequence of ``source``.

    Each query character is found left to right (case-sensitive) after the previous one; the
    score is the sum of the squares of their indices (lower is better, 0 for a one-character
    prefix). ``None`` when ``query`` is not a subsequence.
    """
    indices: list[int] = []
    at = 0
    for ch in query:
        found = source.find(ch, at)
        if found < 0:
            return None
        indices.append(found)
        at = found + 1
    return sum(i * i for i in indices), indices


@dataclass(frozen=True)
class CompletionItem:
    """One match of a complete_reply, with what the kernel said about it."""

    text: str
    type: str = ""
    signature: str = ""


@dataclass(frozen=True)
class RankedItem:
    """An item that matches the query, with the matched character indices in its text."""

    item: CompletionItem
    indices: tuple[int, ...]


def completion_items(completion: Completion) -> list[CompletionItem]:
    """The reply's matches with their types (``<unknown>`` shows as no type) and signatures."""
    types = completion.types if len(completion.types) == len(completion.matches) else []
    signatures = (completion.signatures
                  if len(completion.signatures) == len(completion.matches) else [])
    items = []
    for i, match in enumerate(completion.matches):
        kind = types[i] if types else ""
        items.append(CompletionItem(
            match,
            "" if kind == "<unknown>" else kind,
            signatures[i] if signatures else "",
        ))
    return items


def rank(items: Sequence[CompletionItem], query: str) -> list[RankedItem]:
    """JupyterLab's filter: no query keeps the kernel's order; otherwise the items whose text
    (up to any ``(``) has ``query`` as a subsequence, by score, then alphabetically."""
    if not query:
        return [RankedItem(item, ()) for item in items]
    scored: list[tuple[int, str, str, RankedItem]] = []
    for item in items:
        paren = item.text.find("(")
        matched = fuzzy_match(item.text if paren < 0 else item.text[:paren], query)
        if matched is not None:
            score, indices = matched
            scored.append((score, item.text.casefold(), item.text,
                           RankedItem(item, tuple(indices))))
    scored.sort(key=lambda entry: entry[:3])
    return [entry[3] for entry in scored]


def ordered_types(items: Sequence[CompletionItem]) -> list[str]:
    """JupyterLab's ordered types: the known ones first, then the others alphabetically."""
    others = sorted({i.type for i in items if i.type and i.type not in KNOWN_TYPES})
    return [*KNOWN_TYPES, *others]


def item_label(ranked: RankedItem, width: int, type_colour: str | None) -> Text:
    """One row: the text with its matched characters marked, then the type (if any)."""
    text = ranked.item.text
    shown = text if len(text) <= width else text[:width - 1] + "…"
    label = Text(shown)
    for i in ranked.indices:
        if i < len(shown):
            label.stylize(MATCH_STYLE, i, i + 1)
    if ranked.item.type:
        label.append(" " * (width - len(shown) + 2))
        label.append(ranked.item.type, style=type_colour or "dim")
    return label


# ---------------------------------------------------------------------------------------------
class CompletionPopup(OptionList):
    """The list of completions, overlaid under the completed text."""

    DEFAULT_CSS = """
    CompletionPopup {
        overlay: screen;
        position: absolute;
        width: auto;
        min-width: 20;
        max-width: 64;
        height: auto;
        max-height: 12;
        border: round $accent;
        border-subtitle-color: $text-muted;
        background: $surface;
        padding: 0;
    }
    CompletionPopup:focus { border: round $accent; }
    """

    BINDINGS = [
        Binding("enter,tab", "accept", "Insert the completion", id="completion.accept"),
        Binding("escape", "dismiss", "Close the completions", id="completion.close"),
        Binding("shift+tab", "cursor_up", "Previous completion", show=False),
    ]

    def __init__(self, editor: TextArea, completion: Completion) -> None:
        self.editor = editor
        self.completion = completion
        self.items = completion_items(completion)
        self.original_text = editor.text
        self.request_offset = location_to_offset(editor.text, editor.cursor_location)
        types = ordered_types(self.items)
        self._colours = {t: TYPE_COLOURS[i % len(TYPE_COLOURS)] for i, t in enumerate(types)}
        self._width = min(MAX_LABEL, max((len(i.text) for i in self.items), default=1))
        self.shown: list[RankedItem] = []
        self._dismissed = False
        super().__init__(id="completion-popup")
        self._refilter()

    # state -----------------------------------------------------------------------------------
    @property
    def typed_after(self) -> int:
        """How many characters the text grew by since the request (typed while open)."""
        return len(self.editor.text) - len(self.original_text)

    @property
    def query_text(self) -> str:
        """The text being completed: from ``cursor_start`` to the end of the span."""
        end = self.completion.cursor_end + self.typed_after
        return self.editor.text[self.completion.cursor_start:end]

    @property
    def matches(self) -> list[str]:
        """The texts listed, in order."""
        return [r.item.text for r in self.shown]

    def _still_valid(self) -> bool:
        """JupyterLab's reset rules: the text did not shrink below the request and the cursor
        stays inside the completed span (on its line)."""
        if self.typed_after < 0 or "\n" in self.query_text:
            return False
        cursor = location_to_offset(self.editor.text, self.editor.cursor_location)
        end = self.completion.cursor_end + self.typed_after
        return self.request_offset <= cursor <= end

    def _refilter(self) -> bool:
        """Rebuild the list for the current query; False when nothing is left to show."""
        if not self._still_valid():
            return False
        self.shown = rank(self.items, self.query_text)
        if not self.shown:
            return False
        self.set_options(
            Option(item_label(r, self._width, self._colours.get(r.item.type)), id=f"m{k}")
            for k, r in enumerate(self.shown)
        )
        self.highlighted = 0
        self._show_signature()
        return True

    def _show_signature(self) -> None:
        chosen = self._chosen()
        self.border_subtitle = chosen.signature if chosen is not None else ""

    def _chosen(self) -> CompletionItem | None:
        if self.highlighted is None or not 0 <= self.highlighted < len(self.shown):
            return None
        return self.shown[self.highlighted].item

    # placement -------------------------------------------------------------------------------
    def on_mount(self) -> None:
        """Place the popup under the completed text (above when there is no room) and focus."""
        x, y = self.editor.cursor_screen_offset
        row, col = self.editor.cursor_location
        start_row, start_col = offset_to_location(self.editor.text, self.completion.cursor_start)
        if start_row == row:
            x -= col - start_col  # the items' text lines up with the text they replace
        height = min(len(self.shown), MAX_ROWS) + 2
        below = y + 1
        if below + height > self.screen.size.height - 1:
            below = max(0, y - height)
        type_width = max((len(i.type) + 2 for i in self.items if i.type), default=0)
        width = min(MAX_WIDTH, max(MIN_WIDTH, self._width + type_width + 2))
        left = min(x - 1, self.screen.size.width - width)  # kept inside the right edge
        self.styles.offset = (max(0, left), below)
        self.highlighted = 0
        self.focus()

    # actions ---------------------------------------------------------------------------------
    def action_accept(self) -> None:
        """Insert the highlighted match in place of the completed span."""
        chosen = self._chosen()
        if chosen is not None:
            apply_completion(self.editor, self.completion, chosen.text, self.typed_after)
        self.action_dismiss()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A click on an option inserts it."""
        event.stop()
        self.action_accept()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """The highlighted item's signature goes under the list."""
        event.stop()
        self._show_signature()

    def action_dismiss(self) -> None:
        """Close and give the focus back to the editor."""
        if self._dismissed:
            return
        self._dismissed = True
        editor = self.editor
        self.remove()
        if editor.is_mounted:
            editor.focus()

    def on_blur(self) -> None:
        """The focus went elsewhere (a click in the editor, say): close, as JupyterLab does."""
        if not self._dismissed:
            self._dismissed = True
            self.remove()

    def on_key(self, event: events.Key) -> None:
        """Typing goes on in the editor and filters the list; other keys close the popup and
        reach the editor as if it had not been open."""
        key = event.key
        if key in PASS_THROUGH:
            return
        event.stop()
        event.prevent_default()
        if event.is_printable and event.character:
            self.editor.insert(event.character)
        elif key == "backspace":
            self.editor.action_delete_left()
        elif key == "left":
            self.editor.action_cursor_left()
        elif key == "right":
            self.editor.action_cursor_right()
        else:
            self.action_dismiss()
            self.app.simulate_key(key)
            return
        if not self._refilter():
            self.action_dismiss()
