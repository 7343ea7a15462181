"""Small modal questions: quit with unsaved changes, file changed on disk."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ChoiceScreen(ModalScreen[str]):
    """A question with a few answers; each answer has a key. Dismisses with the answer's id
    (``"cancel"`` on Esc)."""

    DEFAULT_CSS = """
    ChoiceScreen { align: center middle; }
    ChoiceScreen > Vertical {
        width: 70;
        max-width: 96%;
        height: auto;
        border: thick $warning;
        background: $surface;
        padding: 1 2;
    }
    ChoiceScreen Horizontal { height: auto; margin-top: 1; }
    ChoiceScreen Button { margin-right: 1; }
    """

    BINDINGS = [Binding("escape", "choose('cancel')", "Cancel", id="dialog.cancel")]

    def __init__(self, question: str, choices: list[tuple[str, str, str]]) -> None:
        """``choices``: (answer id, key, button label)."""
        super().__init__()
        self.question = question
        self.choices = choices
        for answer, key, label in choices:
            self._bindings.bind(key, f"choose('{answer}')", label)

    def compose(self) -> ComposeResult:
        """The question and one button per answer."""
        with Vertical():
            yield Static(self.question)
            with Horizontal():
                for answer, key, label in self.choices:
                    yield Button(f"{label} [{key}]", id=f"choice-{answer}")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """A button answers."""
        event.stop()
        self.dismiss((event.button.id or "choice-cancel").removeprefix("choice-"))

    def action_choose(self, answer: str) -> None:
        """A key answers."""
        self.dismiss(answer)


def quit_dialog(name: str) -> ChoiceScreen:
    """Asked when quitting with unsaved changes."""
    return ChoiceScreen(
        f"{name} has unsaved changes.",
        [("save", "s", "Save and quit"), ("discard", "d", "Quit without saving"),
         ("cancel", "c", "Cancel")],
    )


def changed_on_disk_dialog(name: str, where: str = "on disk") -> ChoiceScreen:
    """Asked when the file changed on disk (``where``: "on the server") since it was opened
    or saved."""
    return ChoiceScreen(
        f"{name} changed {where} since it was opened.\n"
        "Reload it (your unsaved changes are lost), or keep yours (the next save overwrites "
        "the file)?",
        [("reload", "r", "Reload from disk"), ("keep", "k", "Keep mine"),
         ("cancel", "c", "Decide later")],
    )


def revert_dialog(name: str, when: str) -> ChoiceScreen:
    """Asked before putting the checkpoint back (what is unsaved, and saved since, is lost)."""
    return ChoiceScreen(
        f"Revert {name} to its checkpoint of {when}?\n"
        "The notebook is replaced by the checkpoint; changes since then are lost.",
        [("revert", "r", "Revert"), ("cancel", "c", "Cancel")],
    )


def read_only_dialog(name: str) -> ChoiceScreen:
    """Offered when Ctrl+S meets a read-only file: save a copy elsewhere instead."""
    return ChoiceScreen(
        f"{name} is read-only: it was not saved (nothing was changed on disk).\n"
        "Save your notebook as another file?",
        [("save_as", "a", "Save as..."), ("cancel", "c", "Cancel")],
    )
