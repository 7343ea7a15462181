"""text/plain (with its ANSI colours) as a renderer of the registry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import RenderableType

from tui.mime import as_text
from tui.render.ansi import ansi_text
from tui.render.context import RenderContext


def render_plain(value: Any, metadata: Mapping[str, Any], ctx: RenderContext) -> RenderableType:
    """``text/plain``: SGR colours kept (every other control removed), bounded in lines and
    cut to ``ctx.max_line_cells`` characters a line."""
    return ansi_text(as_text(value), max_line_cells=ctx.max_line_cells)
