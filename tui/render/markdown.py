"""Markdown (cells and text/markdown outputs) to a Rich renderable."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import RenderableType
from rich.text import Text

from tui.mime import as_text
from tui.render.context import RenderContext
from tui.render.highlight import CODE_THEME


def render_markdown(source: str, *, language: str = "python") -> RenderableType:
    """Render ``source`` as markdown: headings, emphasis, lists, code blocks, tables, links.

    Empty sources render as a dim placeholder so the cell stays visible and clickable.
    """
    if not source.strip():
        return Text("(empty markdown cell: Enter to edit)", style="dim italic")
    from rich.markdown import Markdown  # markdown-it is a noticeable import: only when needed

    return Markdown(source, code_theme=CODE_THEME, inline_code_lexer=language,
                    hyperlinks=True, justify="left")


def render_markdown_output(value: Any, metadata: Mapping[str, Any],
                           ctx: RenderContext) -> RenderableType:
    """``text/markdown`` outputs, as markdown cells render."""
    return render_markdown(as_text(value))
