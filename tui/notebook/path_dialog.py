"""A modal asking for a file path (save as, rename): Enter answers, Esc cancels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class PathScreen(ModalScreen[str | None]):
    """Ask for a path, prefilled with ``initial``; dismisses with the text typed (stripped) or
    ``None`` on Esc or an empty answer."""

    DEFAULT_CSS = """
    PathScreen { align: center middle; }
    PathScreen > Vertical {
        width: 80;
        max-width: 96%;
        height: auto;
        border: thick $accent;
        background: $surface;
        padding: 1 2;
    }
    PathScreen Input { margin-top: 1; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, question: str, initial: str) -> None:
        super().__init__()
        self.question = question
        self.initial = initial

    def compose(self) -> ComposeResult:
        """The question and the path field."""
        with Vertical():
            yield Static(self.question)
            yield Input(self.initial, id="path")

    def on_mount(self) -> None:
        """The field has the keyboard, the cursor at the end."""
        field = self.query_one(Input)
        field.focus()
        field.cursor_position = len(field.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter answers."""
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        """Esc: no answer."""
        self.dismiss(None)
