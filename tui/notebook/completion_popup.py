"""Tab completion (complete_request) in a popup at the cursor, Shift+Tab inspection.

The popup lists the kernel's matches under the cursor of the cell editor and takes the focus:
Up/Down choose, Enter or Tab insert, Escape closes; typing goes on into the editor and narrows
the list (Backspace widens it again). A single match is inserted at once, as in JupyterLab.
The inspector shows ``inspect_request``'s text/plain (with its ANSI colours) in a panel.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static, TextArea
from textual.widgets.option_list import Option

from tui.render.ansi import ansi_text
from tui.session import Completion

MAX_ROWS = 10


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
    """Replace the completed span (plus what was typed since) with ``match``."""
    text = editor.text
    start = offset_to_location(text, completion.cursor_start)
    end = offset_to_location(text, completion.cursor_end + typed_after)
    editor.replace(match, start, end)


class CompletionPopup(OptionList):
    """The list of completions, overlaid at the editor's cursor."""

    DEFAULT_CSS = """
    CompletionPopup {
        overlay: screen;
        position: absolute;
        width: auto;
        min-width: 20;
        max-width: 60;
        height: auto;
        max-height: 12;
        border: round $accent;
        background: $surface;
        padding: 0;
    }
    """

    BINDINGS = [
        Binding("enter,tab", "accept", "Insert the completion", id="completion.accept"),
        Binding("escape", "dismiss", "Close the completions", id="completion.close"),
    ]

    def __init__(self, editor: TextArea, completion: Completion) -> None:
        self.editor = editor
        self.completion = completion
        self.typed = ""
        super().__init__(*self._options(), id="completion-popup")

    def _options(self) -> list[Option]:
        prefix_len = self.completion.cursor_end - self.completion.cursor_start
        text = self.editor.text
        prefix = text[self.completion.cursor_start:self.completion.cursor_start + prefix_len]
        wanted = prefix + self.typed
        options = []
        for i, match in enumerate(self.completion.matches):
            if match.startswith(wanted) or not wanted:
                kind = self.completion.types[i] if self.completion.types else ""
                label = Text(match)
                if kind and kind != "<unknown>":
                    label.append(f"  {kind}", style="dim")
                options.append(Option(label, id=f"m{i}"))
        return options

    def on_mount(self) -> None:
        """Place the popup under the cursor and take the focus."""
        x, y = self.editor.cursor_screen_offset
        height = min(len(self.completion.matches), MAX_ROWS) + 2
        below = y + 1
        if below + height > self.screen.size.height - 1:
            below = max(0, y - height)
        self.styles.offset = (max(0, x - 1), below)
        self.highlighted = 0
        self.focus()

    def _chosen(self) -> str | None:
        if self.highlighted is None or self.option_count == 0:
            return None
        option = self.get_option_at_index(self.highlighted)
        return self.completion.matches[int(str(option.id)[1:])]

    def action_accept(self) -> None:
        """Insert the highlighted match."""
        match = self._chosen()
        if match is not None:
            apply_completion(self.editor, self.completion, match, len(self.typed))
        self.action_dismiss()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A click (or Enter) on an option inserts it."""
        event.stop()
        self.action_accept()

    def action_dismiss(self) -> None:
        """Close and give the focus back to the editor."""
        editor = self.editor
        self.remove()
        if editor.is_mounted:
            editor.focus()

    def on_key(self, event: events.Key) -> None:
        """Typing continues in the editor and narrows the list."""
        if event.is_printable and event.character:
            event.stop()
            self.editor.insert(event.character)
            self.typed += event.character
        elif event.key == "backspace":
            event.stop()
            if not self.typed:
                self.action_dismiss()
                return
            self.editor.action_delete_left()
            self.typed = self.typed[:-1]
        else:
            return
        self.clear_options()
        self.add_options(self._options())
        if self.option_count == 0:
            self.action_dismiss()
        else:
            self.highlighted = 0


class InspectScreen(ModalScreen[None]):
    """The kernel's help about the name at the cursor (Shift+Tab)."""

    DEFAULT_CSS = """
    InspectScreen { align: center bottom; }
    InspectScreen > VerticalScroll {
        width: 100%;
        height: auto;
        max-height: 60%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    """

    BINDINGS = [Binding("escape,shift+tab,q", "dismiss", "Close", id="inspect.close")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        """The help text, scrollable."""
        with VerticalScroll():
            yield Static(ansi_text(self.text, max_lines=400), id="inspect-text")

    async def action_dismiss(self, result: None = None) -> None:
        """Close the panel."""
        self.dismiss(result)
