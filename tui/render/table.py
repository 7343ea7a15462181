"""A grid of cells laid out as aligned text: :func:`render_grid`.

Toolkit-free and independent of HTML: a :class:`Grid` is rows of :class:`GridCell` (a cell
spanning columns appears in each of them, the same object), ``None`` for a blank slot. The
layout right-aligns numeric columns, sets off the index columns with a separator, draws a rule
under the header rows, and fits the width in one of three ways (:data:`WIDE_MODES`): ``split``
into blocks that each repeat the index (as pandas' ``to_string``), ``truncate`` with a ``…``
column and a note, or ``scroll`` (full width, from a first data column, index pinned).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.console import OverflowMethod
from rich.style import Style
from rich.text import Text

WIDE_MODES = ("split", "truncate", "scroll")
"""How a table wider than the output is shown."""

GAP = 2
"""Spaces between two columns."""
SEPARATOR = " │ "
"""Between the index columns and the data columns."""
MAX_CELL_WIDTH = 50
"""Widest a column gets (longer cells are cut with ``…``), as pandas' ``max_colwidth``."""
ELLIPSIS = "…"

_NUMBER = re.compile(
    r"^[-+−]?[$€£¥]?(\d[\d,_\u2009 ]*(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s?(%|[a-zA-Zµ]{1,3})?$"
    r"|^[-+]?(inf|infinity)$|^[-+]?\d+(\.\d+)?[-+]\d+(\.\d+)?j$",
    re.I,
)
_NULL = frozenset({"nan", "none", "<na>", "nat", "null", "...", "…", "-", ""})


def is_number(text: str) -> bool:
    """True for ``12``, ``-3.5``, ``1,234``, ``1e-05``, ``45%``, ``inf``, ``1+2j``."""
    return bool(_NUMBER.match(text.strip()))


@dataclass(eq=False)
class GridCell:
    """One cell: its (single-line) text, whether it is a header cell, and an extra style
    (a Styler background) applied over its whole width."""

    text: Text
    header: bool = False
    style: Style | None = None


@dataclass
class Grid:
    """Rows of cells; the first ``header_rows`` are headers, the first ``index_cols`` columns
    the index. ``elided`` body rows were left out after row ``elided_after`` (``…`` row)."""

    rows: list[list[GridCell | None]]
    header_rows: int = 0
    index_cols: int = 0
    elided_after: int | None = None
    elided: int = 0
    ncols: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self.ncols = max((len(r) for r in self.rows), default=0)
        for row in self.rows:
            row.extend([None] * (self.ncols - len(row)))


@dataclass
class _Layout:
    widths: list[int]
    right: list[bool]
    grid: Grid


def _measure(grid: Grid) -> _Layout:
    n = grid.ncols
    widths = [0] * n
    numeric = [0] * n
    textual = [0] * n
    spans: list[tuple[int, int, int]] = []
    for r, row in enumerate(grid.rows):
        c = 0
        while c < n:
            cell = row[c]
            end = c + 1
            while end < n and cell is not None and row[end] is cell:
                end += 1
            if cell is not None:
                length = min(cell_len(cell.text.plain), MAX_CELL_WIDTH)
                if end - c == 1:
                    widths[c] = max(widths[c], length)
                else:
                    spans.append((c, end, length))
                if r >= grid.header_rows and end - c == 1 and not cell.header:
                    plain = cell.text.plain.strip()
                    if is_number(plain):
                        numeric[c] += 1
                    elif plain.lower() not in _NULL:
                        textual[c] += 1
            c = end
    for start, end, length in spans:
        have = sum(widths[start:end]) + GAP * (end - start - 1)
        if length > have:
            widths[end - 1] += length - have
    right = [numeric[c] > 0 and textual[c] == 0 and c >= grid.index_cols for c in range(n)]
    return _Layout(widths, right, grid)


def _blocks(layout: _Layout, width: int, mode: str, offset: int,
            max_cells: int) -> tuple[list[list[int]], int, int]:
    """Data columns of each block; how many are left out after them; how many before
    (``scroll``: a leading ``…``)."""
    grid, widths = layout.grid, layout.widths
    data = list(range(grid.index_cols, grid.ncols))
    index_width = _index_width(layout)
    room = max(1, width - index_width)
    if not data:
        return [[]], 0, 0
    if mode == "scroll":
        start = max(0, min(offset, len(data) - 1))
        shown: list[int] = []
        used = index_width + (2 if start else 0)
        for c in data[start:]:
            add = widths[c] + (GAP if shown else 0)
            if shown and used + add > max_cells:
                break
            shown.append(c)
            used += add
        return [shown], len(data) - start - len(shown), start
    if mode == "truncate":
        shown, used = [], 0
        total = sum(widths[c] for c in data) + GAP * (len(data) - 1)
        limit = room if total <= room else room - GAP - 1
        for c in data:
            add = widths[c] + (GAP if shown else 0)
            if shown and used + add > limit:
                break
            shown.append(c)
            used += add
        return [shown], len(data) - len(shown), 0
    blocks: list[list[int]] = [[]]
    used = 0
    for c in data:
        add = widths[c] + (GAP if blocks[-1] else 0)
        if blocks[-1] and used + add > room:
            blocks.append([])
            used, add = 0, widths[c]
        blocks[-1].append(c)
        used += add
    return blocks, 0, 0


def _index_width(layout: _Layout) -> int:
    cols = range(layout.grid.index_cols)
    if not cols:
        return 0
    return sum(layout.widths[c] for c in cols) + GAP * (len(cols) - 1) + len(SEPARATOR)


def _fit(text: Text, width: int, right: bool, style: Style | str | None) -> Text:
    line = text.copy()
    line.plain = line.plain.replace("\n", " ")
    if cell_len(line.plain) > width:
        line.truncate(width, overflow="ellipsis")
    pad = width - cell_len(line.plain)
    if pad > 0:
        line = Text(" " * pad) + line if right else line + Text(" " * pad)
    if style:
        line.stylize(style)
    return line


def _render_row(layout: _Layout, row: Sequence[GridCell | None], cols: list[int],
                header: bool, lead: bool, trail: bool) -> Text:
    """One row over the visible columns ``cols`` (index first); ``lead``/``trail`` add the
    ``…`` mark columns of scroll/truncate."""
    widths, grid = layout.widths, layout.grid
    out = Text(no_wrap=True, overflow="ignore")
    i = 0
    first = True
    while i < len(cols):
        c = cols[i]
        cell = row[c]
        j = i + 1
        in_index = c < grid.index_cols
        while (j < len(cols) and cell is not None and row[cols[j]] is cell
               and cols[j] == cols[j - 1] + 1 and (cols[j] < grid.index_cols) == in_index):
            j += 1
        if not first:
            if in_index or cols[i - 1] >= grid.index_cols:
                out.append(" " * GAP)
            else:
                out.append(SEPARATOR, style="dim")
                if lead:
                    out.append(ELLIPSIS + " " * (GAP - 1), style="dim")
        elif not in_index and lead:
            out.append(ELLIPSIS + " " * (GAP - 1), style="dim")
        first = False
        width = sum(widths[k] for k in cols[i:j]) + GAP * (j - i - 1)
        if cell is None:
            out.append(" " * width)
        else:
            style: Style | str = "bold" if (header or cell.header) else ""
            right = j - i == 1 and layout.right[c] and not in_index
            piece = _fit(cell.text, width, right, style)
            if cell.style is not None:
                piece.stylize(cell.style)
            out.append_text(piece)
        i = j
    if grid.index_cols and cols and cols[-1] < grid.index_cols:
        out.append(SEPARATOR, style="dim")
    if trail:
        out.append(" " * GAP + ELLIPSIS, style="dim")
    return out


def _ellipsis_row(layout: _Layout, cols: list[int]) -> list[GridCell | None]:
    row: list[GridCell | None] = [None] * layout.grid.ncols
    for c in cols:
        row[c] = GridCell(Text(ELLIPSIS, style="dim"))
    return row


def _rule(layout: _Layout, cols: list[int], lead: bool, trail: bool) -> Text:
    grid, widths = layout.grid, layout.widths
    index = [c for c in cols if c < grid.index_cols]
    data = [c for c in cols if c >= grid.index_cols]

    def span(cs: list[int]) -> int:
        return sum(widths[c] for c in cs) + GAP * max(0, len(cs) - 1)

    left = span(index)
    right = span(data) + (GAP if lead else 0) + (GAP + 1 if trail else 0)
    if not index:
        return Text("─" * right, style="dim")
    return Text("─" * (left + 1) + "┼" + "─" * (right + 1), style="dim")


def render_grid(grid: Grid, *, width: int = 80, mode: str = "split", offset: int = 0,
                max_line_cells: int = 4000) -> tuple[Text, list[str]]:
    """Lay out ``grid`` within ``width`` cells (see :data:`WIDE_MODES`; ``offset`` is the first
    data column shown in ``scroll`` mode). Returns the table as one :class:`Text` (one line per
    row, never wrapped) and notes to show below it (``"12 more columns"``)."""
    if mode not in WIDE_MODES:
        mode = "split"
    layout = _measure(grid)
    if mode != "scroll":
        for c in range(grid.ncols):
            layout.widths[c] = min(layout.widths[c], max(1, width - 4))
    blocks, hidden, before = _blocks(layout, width, mode, offset, max(width, max_line_cells))
    trail, lead = hidden > 0, before > 0
    index = list(range(grid.index_cols))
    lines: list[Text] = []
    for b, block in enumerate(blocks):
        if b:
            lines.append(Text(""))
        cols = index + block
        if not cols:
            continue
        for r, row in enumerate(grid.rows):
            header = r < grid.header_rows
            lines.append(_render_row(layout, row, cols, header, lead, trail))
            if r == grid.header_rows - 1:
                lines.append(_rule(layout, cols, lead, trail))
            if grid.elided_after is not None and r == grid.elided_after:
                dots = _ellipsis_row(layout, cols)
                lines.append(_render_row(layout, dots, cols, False, lead, trail))
    notes: list[str] = []
    if hidden:
        notes.append(f"{hidden} more column{'s' if hidden != 1 else ''}")
    if lead:
        notes.append(f"{before} more column{'s' if before != 1 else ''} to the left")
    if grid.elided:
        notes.append(f"{grid.elided:,} more row{'s' if grid.elided != 1 else ''}")
    overflow: OverflowMethod = "ignore" if mode == "scroll" else "crop"
    table = Text("\n", no_wrap=True, overflow=overflow).join(lines)
    table.no_wrap, table.overflow = True, overflow
    return table, notes
