"""The question asked when a notebook opens with a recovery journal (as vim's E325), and the
differences view."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from nbio.model import Notebook
from tui.notebook.dialogs import ChoiceScreen
from tui.recovery.offer import RecoveryOffer, differences

RECOVER = "recover"
OPEN_SAVED = "saved"
SHOW_DIFF = "diff"


def recovery_dialog(name: str, offer: RecoveryOffer) -> ChoiceScreen:
    """Recover / Open as saved / Show differences."""
    return ChoiceScreen(
        offer.describe(name) + "\n\nOpen as saved keeps the journal until the next save.",
        [(RECOVER, "r", "Recover"), (OPEN_SAVED, "o", "Open as saved"),
         (SHOW_DIFF, "d", "Show differences")],
    )


class DifferencesScreen(ModalScreen[None]):
    """A unified diff of the cells' sources, saved file against journal; Esc or q closes."""

    DEFAULT_CSS = """
    DifferencesScreen { align: center middle; }
    DifferencesScreen > VerticalScroll {
        width: 96%; height: 90%; border: thick $accent; background: $surface; padding: 0 1;
    }
    """
    BINDINGS = [Binding("escape,q", "close", "Close", id="diff.close")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        """The diff, coloured, in a scrolling box."""
        from rich.syntax import Syntax

        with VerticalScroll():
            yield Static("Esc closes: differences between the saved file and the journal")
            yield Static(Syntax(self.text, "diff", theme="ansi_dark", word_wrap=True),
                         id="diff-text")

    def action_close(self) -> None:
        """Back to the question."""
        self.dismiss(None)


def ask_recovery(app: App[None], name: str, offer: RecoveryOffer, saved: Notebook | None,
                 answer: Callable[[bool], None]) -> None:
    """Push the question; ``answer(True)`` to recover, ``answer(False)`` to open as saved
    (Esc too). "Show differences" shows them, then asks again."""

    def chosen(choice: str | None) -> None:
        if choice == SHOW_DIFF:
            text = differences(saved, offer.journal.notebook, name)
            app.push_screen(DifferencesScreen(text), lambda _: ask_recovery(
                app, name, offer, saved, answer))
            return
        answer(choice == RECOVER)

    app.push_screen(recovery_dialog(name, offer), chosen)
