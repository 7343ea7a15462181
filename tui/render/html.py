"""``text/html`` outputs: tables as aligned grids, other HTML as formatted text.

Parsed with the stdlib ``html.parser`` (:mod:`tui.render.html_dom`), bounded in time and
memory: long tables keep only the head and tail rows shown (``max_table_rows``), and the
middle rows of a long single table are cut from the source before parsing. Wide tables follow
``wide_tables`` (``split``, ``truncate`` or ``scroll`` with ``table_column_offset``). Scripts,
styles and the head are never shown; HTML with nothing visible (a JavaScript loader) raises
:class:`~tui.render.registry.Unrenderable` so the next representation is used.

Options read from ``ctx.options``: ``wide_tables`` (default ``"split"``), ``max_table_rows``
(default 60; 0 for all), ``table_column_offset`` (default 0).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Group, RenderableType
from rich.style import Style
from rich.text import Text

from tui.mime import as_text
from tui.render.context import RenderContext
from tui.render.html_css import id_styles
from tui.render.html_dom import parse_html
from tui.render.html_flow import HtmlFlow

DEFAULT_MAX_TABLE_ROWS = 60
"""Body rows of a table shown before the middle is left out (pandas' ``max_rows``)."""


def _max_rows(options: Mapping[str, Any]) -> int:
    try:
        return max(0, int(options.get("max_table_rows", DEFAULT_MAX_TABLE_ROWS)))
    except (TypeError, ValueError):
        return DEFAULT_MAX_TABLE_ROWS


def _render_image(mime: str, value: str, metadata: Mapping[str, object],
                  ctx: RenderContext) -> RenderableType:
    from tui.render.registry import Unrenderable, render_mime  # the registry imports us

    try:
        return render_mime(mime, value, metadata, ctx)
    except Unrenderable:
        return Text("[image]", style="dim italic")


def html_renderable(html: str, ctx: RenderContext) -> RenderableType | None:
    """``html`` as a Rich renderable for ``ctx``, or ``None`` when nothing in it is visible."""
    document = parse_html(html, max_rows=_max_rows(ctx.options))
    styles: Mapping[str, Style] | None = id_styles(document.styles) if ctx.color else None
    flow = HtmlFlow(ctx, ctx.width, images=_render_image, id_styles=styles)
    flow.walk(document.root)
    body = flow.renderable()
    if body is None:
        return None
    notes = list(document.notes)
    if flow.budget[0] <= 0:
        notes.append("text cut")
    if notes:
        return Group(body, Text(" · ".join(notes), style="dim italic"))
    return body


def render_html(value: Any, metadata: Mapping[str, Any], ctx: RenderContext) -> RenderableType:
    """``text/html``: tables as grids, other HTML as text; raises ``Unrenderable`` when the
    HTML shows nothing (only scripts or styles)."""
    from tui.render.registry import Unrenderable

    rendered = html_renderable(as_text(value), ctx)
    if rendered is None:
        raise Unrenderable("HTML with nothing visible")
    return rendered
