"""How the editor draws outputs: its display settings (:class:`EditorDisplay`, resolved before
the app starts), the :class:`~tui.render.context.RenderContext` of each cell's outputs, and
the message a renderer's ``request_redraw`` posts (from any thread) when something it drew
off the UI thread (a decoded image) is ready.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from textual.message import Message

from tui.render.context import GraphicsMode, RenderContext

OUTPUT_INDENT = 10
"""Columns of a cell view around its outputs: the cursor bar, the prompt gutter, the right
padding (the outputs are this much narrower than the cell list)."""


@dataclass(frozen=True)
class EditorDisplay:
    """The editor's display settings: graphics mode (``--graphics`` / ``[display]``, detected
    before the UI starts), the terminal's cell size in pixels, the representation order, and
    the ``[display]`` options handed to renderers."""

    graphics: GraphicsMode = "halfblock"
    cell_size: tuple[int, int] = (10, 20)
    order: tuple[str, ...] | None = None
    """Representations best first (``[display] mime_order`` applied); ``None``: the
    registry's default."""
    options: Mapping[str, Any] = field(default_factory=dict)
    max_line_cells: int = 4000
    tmux_passthrough: bool = False
    """Escapes written to the terminal must be wrapped for tmux."""
    hint: str | None = None
    """One line from detection for the user (shown as a notification), if any."""

    def context(self, width: int, *, emit: Callable[[str], None] | None = None,
                request_redraw: Callable[[], None] | None = None) -> RenderContext:
        """The context of outputs ``width`` columns wide in the editor."""
        options = {**self.options, "wide_tables": "scroll"}
        if self.order is not None:
            options["mime_order"] = self.order
        return RenderContext(width=max(1, width), graphics=self.graphics,
                             cell_size=self.cell_size, max_line_cells=self.max_line_cells,
                             interactive=True, request_redraw=request_redraw, emit=emit,
                             options=options)


class OutputReady(Message):
    """Something pending in the outputs of the cell whose dict has ``id()`` ``key`` became
    ready: its view renders again (posted from any thread: ``post_message`` is thread-safe)."""

    def __init__(self, key: int) -> None:
        super().__init__()
        self.key = key
