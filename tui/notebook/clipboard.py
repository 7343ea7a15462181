"""Copying cells and text: an internal clipboard plus the system one through OSC 52.

OSC 52 is an escape sequence the terminal turns into a system clipboard write; it works over SSH
and inside tmux (with ``set -g set-clipboard on``). Terminals that ignore it still leave the text
in the internal clipboard, which the editor's paste uses.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from textual.app import App


@dataclass
class Clipboard:
    """Cells (as dict copies) for paste, and the last text sent to the system clipboard."""

    cells: list[dict[str, Any]] = field(default_factory=list)
    text: str = ""

    def set_cells(self, cells: list[dict[str, Any]]) -> None:
        """Remember deep copies of ``cells`` (later edits to the originals don't leak in)."""
        self.cells = [copy.deepcopy(c) for c in cells]

    def take_cells(self) -> list[dict[str, Any]]:
        """Fresh deep copies of the remembered cells, for one paste."""
        return [copy.deepcopy(c) for c in self.cells]

    def copy_text(self, app: App[Any], text: str) -> None:
        """Put ``text`` in the internal clipboard and, by OSC 52, in the system one."""
        self.text = text
        app.copy_to_clipboard(text)
