"""An HTML ``<table>`` (its :class:`~tui.render.html_table.TableBuild`) as a
:class:`~tui.render.table.Grid`, then as text: :func:`render_table`.

Header rows are those in ``<thead>`` (or leading all-``<th>`` rows); index columns are the
leading columns that hold ``<th>`` cells in every body row (pandas' row labels, rowspans
included). A ``rowspan`` label shows once with blanks below, as pandas shows it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rich.console import Group, RenderableType
from rich.style import Style
from rich.text import Text

from tui.render.html_css import declarations_style, style_for
from tui.render.html_dom import Node
from tui.render.html_table import HCONT, ORIGIN, Row, TableBuild
from tui.render.table import Grid, GridCell, render_grid

CellText = Callable[[Node], Text]
"""Renders a cell's content as one line of styled text."""


def _index_cols(rows: list[Row]) -> int:
    best: int | None = None
    for row in rows:
        n = 0
        for slot in row.slots:
            if slot is None or not slot[1].header:
                break
            n += 1
        if n == len(row.slots):  # an all-<th> row says nothing about the index
            continue
        best = n if best is None else min(best, n)
        if best == 0:
            return 0
    return best or 0


def table_grid(table: TableBuild, cell_text: CellText,
               id_styles: Mapping[str, Style] | None = None) -> Grid:
    """The kept rows of ``table`` as a :class:`Grid` (cells rendered by ``cell_text``; a
    cell's ``id`` or ``style`` attribute gives its colours when ``id_styles`` is given)."""
    body = [*table.head_rows, *table.tail_rows]
    rows: list[list[GridCell | None]] = []
    for row in (*table.header_rows, *body):
        made: dict[int, GridCell] = {}
        out: list[GridCell | None] = []
        for slot in row.slots:
            if slot is None:
                out.append(None)
                continue
            kind, cell = slot
            if kind == ORIGIN:
                style = None
                if id_styles is not None:
                    style = style_for(id_styles, cell.node.tag, cell.node.attrs)
                    inline = cell.node.attrs.get("style")
                    if inline:
                        extra = declarations_style(inline)
                        if extra is not None:
                            style = style + extra if style is not None else extra
                made[id(cell)] = GridCell(cell_text(cell.node), cell.header, style)
                out.append(made[id(cell)])
            elif kind == HCONT:
                out.append(made.get(id(cell)))
            else:
                out.append(None)
        rows.append(out)
    elided = table.elided
    after = len(table.header_rows) + len(table.head_rows) - 1 if elided > 0 else None
    return Grid(rows, header_rows=len(table.header_rows), index_cols=_index_cols(body),
                elided_after=after, elided=max(elided, 0))


def render_table(node: Node, cell_text: CellText, *, width: int, options: Mapping[str, object],
                 id_styles: Mapping[str, Style] | None, max_line_cells: int
                 ) -> RenderableType | None:
    """A ``<table>`` node as its caption, the laid-out grid and dim notes; ``None`` when the
    table has no cells."""
    table = node.table
    if table is None:
        return None
    grid = table_grid(table, cell_text, id_styles)
    if not grid.rows or grid.ncols == 0:
        return None
    mode = str(options.get("wide_tables", "split"))
    try:
        offset = int(options.get("table_column_offset", 0))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        offset = 0
    text, notes = render_grid(grid, width=width, mode=mode, offset=offset,
                              max_line_cells=max_line_cells)
    parts: list[RenderableType] = []
    for child in node.children:
        if isinstance(child, Node) and child.tag == "caption" and not child.hidden:
            caption = cell_text(child)
            if caption.plain:
                caption.stylize("bold italic")
                parts.append(caption)
    parts.append(text)
    if notes:
        parts.append(Text(" · ".join(notes), style="dim italic"))
    return Group(*parts) if len(parts) > 1 else text
