"""Shift+Tab: the kernel's ``inspect_reply`` in a panel, as JupyterLab's tooltip shows it.

The reply's MIME bundle is rendered with the best type we can draw: ``text/markdown`` rendered
when the kernel sends it, else ``text/plain`` with its ANSI colours (IPython colours the
section names). Long help scrolls (Up/Down, PageUp/PageDown, the mouse); Escape, ``q`` or
Shift+Tab again closes the panel.
"""

from __future__ import annotations

from typing import Any

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.mime import as_text
from tui.render.ansi import ansi_text
from tui.render.markdown import render_markdown

MAX_LINES = 2000
"""Lines of text/plain shown at most (a docstring is rarely near this)."""

NOT_FOUND = "no documentation found"
"""What the user is told when the kernel answers ``found: false``."""
NO_ANSWER = "the kernel did not answer in time (busy running a cell?)"
"""What the user is told when the inspect_request timed out."""


def inspect_mime(data: dict[str, Any]) -> str | None:
    """The MIME type the panel draws from ``data`` (markdown before plain text)."""
    for mime in ("text/markdown", "text/plain"):
        if as_text(data.get(mime) or "").strip():
            return mime
    return None


def render_inspect(data: dict[str, Any], *, language: str = "python") -> RenderableType:
    """The inspect_reply bundle as one renderable (a dim note when nothing is drawable)."""
    mime = inspect_mime(data)
    if mime == "text/markdown":
        return render_markdown(as_text(data[mime]), language=language)
    if mime == "text/plain":
        return ansi_text(as_text(data[mime]), max_lines=MAX_LINES)
    kinds = ", ".join(sorted(data)) or "nothing"
    return Text(f"(the kernel sent {kinds}; no text to show)", style="dim italic")


class InspectScreen(ModalScreen[None]):
    """The kernel's help about the name at the cursor (Shift+Tab), scrollable."""

    DEFAULT_CSS = """
    InspectScreen { align: center bottom; }
    InspectScreen > VerticalScroll {
        width: 100%;
        height: auto;
        max-height: 60%;
        border: round $accent;
        border-title-color: $text-muted;
        background: $surface;
        padding: 0 1;
    }
    """

    BINDINGS = [Binding("escape,shift+tab,q", "dismiss", "Close", id="inspect.close")]

    def __init__(self, data: dict[str, Any] | str, *, language: str = "python") -> None:
        super().__init__()
        self.data: dict[str, Any] = {"text/plain": data} if isinstance(data, str) else data
        self.language = language

    @property
    def mime(self) -> str | None:
        """The MIME type shown."""
        return inspect_mime(self.data)

    def compose(self) -> ComposeResult:
        """The help, scrollable (focused, so the keys scroll it)."""
        scroll = VerticalScroll(id="inspect-scroll")
        scroll.border_title = "help · Esc closes"
        with scroll:
            yield Static(render_inspect(self.data, language=self.language), id="inspect-text")

    def on_mount(self) -> None:
        """Focus the scroller so Up/Down/PageUp/PageDown scroll the help."""
        self.query_one("#inspect-scroll", VerticalScroll).focus()

    async def action_dismiss(self, result: None = None) -> None:
        """Close the panel."""
        self.dismiss(result)
