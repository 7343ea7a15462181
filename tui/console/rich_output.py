"""MIME bundles as terminal text for the console, through the shared renderer registry.

Images (half-block cells, or kitty / sixel / iTerm escape sequences), HTML tables, LaTeX,
markdown and JSON are rendered by :func:`tui.render.registry.render_data` into a Rich console
as wide as the terminal; the ANSI text it produces is what the printer writes, straight to
the terminal (never through prompt_toolkit's ANSI parser, which would mangle graphics
escapes). A bundle whose best representation is ``text/plain`` is kept as the kernel's own
text (sanitized and cut), so the terminal wraps it and a long repr copies as one line.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tui.console.linecut import bounded_text
from tui.mime import as_text
from tui.render.context import GraphicsMode
from tui.render.sanitize import sanitize_sgr_only

PIXEL_MARKS = ("\x1bP", "\x1b_G", "\x1b]1337;")
"""Escape sequences that draw pixels (sixel, kitty, iTerm): the rows they take cannot be told
from the text, so output holding them is never erased and redrawn in place."""


def color_system(env: Mapping[str, str] | None = None) -> str:
    """Rich's colour system for this terminal: ``truecolor``, ``256`` or ``standard``."""
    env = os.environ if env is None else env
    if env.get("COLORTERM", "").lower() in ("truecolor", "24bit"):
        return "truecolor"
    return "256" if "256" in env.get("TERM", "") else "standard"


@dataclass
class ConsoleRenderer:
    """How the console draws bundles: graphics mode, cell size, colours, MIME order."""

    graphics: GraphicsMode = "none"
    cell_size: tuple[int, int] = (10, 20)
    color: bool = True
    colors: str | None = None
    """Rich colour system (``None``: from the environment)."""
    order: Sequence[str] | None = None
    max_line_cells: int = 4000
    max_image_rows: int = 30
    options: Mapping[str, Any] | None = None
    widgets: Callable[[str], Any] | None = None
    """The live widget models by id (:mod:`tui.console.widgets`), for widget views."""

    def plain_first(self, data: Mapping[str, Any]) -> bool:
        """True when ``data`` is best shown as its ``text/plain`` (or has nothing to render;
        a widget view counts only when its model is known)."""
        from tui.render.registry import WIDGET_VIEW, representations

        options = representations(data, self.order)
        if options and options[0] == WIDGET_VIEW and not self._known(data[WIDGET_VIEW]):
            options = options[1:]
        return not options or options[0].split(";", 1)[0].strip().lower() == "text/plain"

    def _known(self, view: Any) -> bool:
        model_id = view.get("model_id") if isinstance(view, Mapping) else None
        return bool(self.widgets is not None and isinstance(model_id, str)
                    and self.widgets(model_id) is not None)

    def render(self, data: Mapping[str, Any], metadata: Mapping[str, Any] | None,
               width: int, *, line_limit: int | None = None) -> str:
        """``data`` as terminal text ``width`` columns wide (no trailing newline)."""
        limit = self.max_line_cells if line_limit is None else line_limit
        if self.plain_first(data):
            if "text/plain" not in data:
                return ""
            return bounded_text(as_text(data["text/plain"]), limit).rstrip("\n")
        return self._rich(data, metadata, width, limit)

    def _rich(self, data: Mapping[str, Any], metadata: Mapping[str, Any] | None, width: int,
              limit: int) -> str:
        from rich.console import Console

        from tui.render.context import RenderContext
        from tui.render.registry import render_data

        buffer = io.StringIO()
        system = (self.colors or color_system()) if self.color else None
        console = Console(file=buffer, width=max(20, width), force_terminal=True,
                          color_system=system,  # type: ignore[arg-type]
                          no_color=not self.color, highlight=False, emoji=False, markup=False,
                          legacy_windows=False, soft_wrap=False)
        graphics: GraphicsMode = self.graphics
        if not self.color and graphics == "halfblock":
            graphics = "none"  # half-block pictures are made of colours
        ctx = RenderContext(width=max(20, width), graphics=graphics, color=self.color,
                            cell_size=self.cell_size, max_image_rows=self.max_image_rows,
                            max_line_cells=limit, interactive=False, widgets=self.widgets,
                            options={"wide_tables": "split", **(self.options or {})})
        console.print(render_data(data, metadata, ctx, order=self.order))
        text = buffer.getvalue().rstrip("\n")
        if graphics in ("halfblock", "none"):
            # No pixel protocol: nothing but colours may reach the terminal, whatever a
            # renderer let through from the bundle (text inside HTML, JSON strings...).
            text = sanitize_sgr_only(text)
        return text


def holds_pixels(text: str) -> bool:
    """True when ``text`` draws an image with a pixel protocol."""
    return "\x1b" in text and any(mark in text for mark in PIXEL_MARKS)
