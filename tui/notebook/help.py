"""The help screen: every binding with its current keys, scope and id."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.notebook import keymap

SCOPE_TITLES = {"global": "Anywhere", "command": "Command mode", "edit": "Edit mode",
                "find": "Find bar (Ctrl+F, Ctrl+H)",
                "widget": "Output widgets (Tab)"}


def bindings_table(user_keymap: dict[str, str]) -> Table:
    """A Rich table of all bindings (after the user's remapping)."""
    table = Table(expand=True, show_edge=False, pad_edge=False, box=None)
    table.add_column("keys", style="bold", no_wrap=True)
    table.add_column("what it does", ratio=1)
    table.add_column("id", style="dim", no_wrap=True)
    for scope, title in SCOPE_TITLES.items():
        table.add_row(f"[underline]{title}[/]", "", "")
        for spec in keymap.DEFAULTS:
            if spec.scope == scope:
                keys = keymap.display_keys(keymap.effective_keys(spec, user_keymap))
                table.add_row(keys, spec.description, spec.id)
        table.add_row("", "", "")
    return table


class HelpScreen(ModalScreen[None]):
    """All key bindings; Esc, q, h or F1 closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 96%;
        height: 92%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    """

    BINDINGS = [Binding("escape,q,h,f1", "dismiss", "Close help", id="help.close")]

    def __init__(self, user_keymap: dict[str, str]) -> None:
        super().__init__()
        self._keymap = user_keymap

    def compose(self) -> ComposeResult:
        """The table in a scrollable box."""
        with VerticalScroll() as scroll:
            scroll.border_title = "Key bindings (Esc to close)"
            yield Static(bindings_table(self._keymap))
