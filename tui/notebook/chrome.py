"""The title bar (file name, unsaved mark) and the status bar (mode, cell n of m, kernel)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class TitleBar(Static):
    """``name.ipynb`` and a ``●`` when there are unsaved changes."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        height: 1;
        background: $panel;
        color: $text;
        text-style: bold;
        padding: 0 1;
    }
    """

    _shown: tuple[str, bool, str] | None = None

    def set_title(self, name: str, *, dirty: bool, read_only_note: str = "") -> None:
        """Show ``name`` with the unsaved-changes mark when ``dirty`` (a no-op when nothing in
        it changed: the editor calls this after every key)."""
        if self._shown == (name, dirty, read_only_note):
            return
        self._shown = (name, dirty, read_only_note)
        text = Text(name)
        if dirty:
            text.append(" ●", style="bold yellow")
        if read_only_note:
            text.append(f"  {read_only_note}", style="dim")
        self.update(text)


class StatusBar(Static):
    """Mode, position, kernel name, and the last message."""

    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        background: $panel;
        color: $text-muted;
        padding: 0 1;
    }
    """

    _shown: tuple[object, ...] | None = None

    def set_status(self, *, mode: str, cursor: int, count: int, selected: int,
                   kernel: str | None, message: str = "") -> None:
        """Render the status line (a no-op when nothing in it changed)."""
        shown = (mode, cursor, count, selected, kernel, message, self.size.width)
        if shown == self._shown:
            return
        self._shown = shown
        text = Text()
        text.append(f" {mode.upper()} ", style="reverse bold" if mode == "edit" else "reverse")
        position = f"  cell {cursor + 1} of {count}" if count else "  no cells"
        text.append(position)
        if selected > 1:
            text.append(f" ({selected} selected)")
        if message:
            text.append(f"  {message}", style="italic")
        right = Text(f"kernel: {kernel or 'none'}  F1 help ")
        width = self.size.width - 2 if self.size.width else 78
        pad = max(1, width - text.cell_len - right.cell_len)
        text.append(" " * pad)
        text.append_text(right)
        self.update(text)
