"""HTML table rows placed on a grid as they are parsed: :class:`TableBuild`.

Each closed ``<tr>`` is laid out at once (``rowspan`` and ``colspan`` resolved against the
cells still open from rows above), then kept only if a renderer will show it: header rows, the
first body rows and, in a ring, the last ones. A 100,000-row table costs the memory of the rows
on screen.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.render.html_dom import Node

ORIGIN = 0
"""Slot kind: the cell starts here."""
HCONT = 1
"""Slot kind: covered by a ``colspan`` of the cell to the left in the same row."""
VCOVER = 2
"""Slot kind: covered by a ``rowspan`` from a row above (shown blank, as pandas shows it)."""

MAX_COLUMNS = 1000
"""Grid columns kept; cells beyond are dropped."""
MAX_SPAN = 1000
"""Largest ``colspan`` honoured."""
MAX_ROWSPAN = 1_000_000
"""Largest ``rowspan`` honoured (``0``, "to the end", counts as this)."""


class Cell:
    """One ``<td>``/``<th>``: its node, spans and whether it is a header cell."""

    __slots__ = ("colspan", "header", "node", "rowspan")

    def __init__(self, node: Node, colspan: int, rowspan: int) -> None:
        self.node = node
        self.colspan = colspan
        self.rowspan = rowspan
        self.header = node.tag == "th"


Slot = tuple[int, Cell] | None
"""A grid position: ``(kind, cell)`` or ``None`` when nothing is there."""


class Row:
    """One placed row: a slot per grid column, and whether it is a header row."""

    __slots__ = ("header", "slots")

    def __init__(self, slots: list[Slot], header: bool) -> None:
        self.slots = slots
        self.header = header


def _span(value: str | None, default: int, limit: int) -> int:
    if not value:
        return default
    digits = ""
    for ch in value.strip()[:8]:
        if not ch.isdigit():
            break
        digits += ch
    if not digits:
        return default
    n = int(digits)
    if n == 0:
        return limit if limit == MAX_ROWSPAN else 1
    return min(n, limit)


class TableBuild:
    """Rows of one table placed on a grid, the head and tail kept (see module doc).

    ``max_rows`` body rows are kept (half from the head, half from the tail; ``0`` keeps all).
    ``skip`` is ``(at, count)`` when :func:`~tui.render.html_dom.precut_rows` removed ``count``
    rows from the source after its ``at``-th non-``<thead>`` row: the layout steps over them.
    """

    def __init__(self, max_rows: int, skip: tuple[int, int] = (0, 0)) -> None:
        if max_rows > 0:
            self.head_limit: int | None = (max_rows + 1) // 2
            tail = max_rows - self.head_limit
        else:
            self.head_limit, tail = None, 0
        self.header_rows: list[Row] = []
        self.head_rows: list[Row] = []
        self.tail_rows: deque[Row] = deque(maxlen=max(tail, 0))
        self.body_count = 0
        self.saw_thead = False
        self.ncols = 0
        self._open: list[tuple[int, Cell] | None] = []  # per column: rows still covered, cell
        self._source_rows = 0
        self._skip_at, self._skip_count = skip
        self.finished = False

    @property
    def elided(self) -> int:
        """Body rows not kept (shown as one ``…`` row between head and tail)."""
        return self.body_count - len(self.head_rows) - len(self.tail_rows)

    def add_row(self, tr: Node) -> None:
        """Place the cells of a closed ``<tr>`` and keep the row if it may be shown."""
        section = tr.attrs.get("data-section", "")
        if section == "thead":
            self.saw_thead = True
        else:
            if self._skip_count and self._source_rows == self._skip_at:
                self._step_over(self._skip_count)
                self.body_count += self._skip_count
                self._skip_count = 0
            self._source_rows += 1
        cells = [Cell(c, _span(c.attrs.get("colspan"), 1, MAX_SPAN),
                      _span(c.attrs.get("rowspan"), 1, MAX_ROWSPAN))
                 for c in tr.children
                 if not isinstance(c, str) and c.tag in ("td", "th")]
        slots = self._place(cells)
        header = section == "thead" or (
            section != "tfoot" and not self.saw_thead and self.body_count == 0
            and bool(cells) and all(c.header for c in cells))
        row = Row(slots, header)
        if header:
            self.header_rows.append(row)
            return
        self.body_count += 1
        if self.head_limit is None or len(self.head_rows) < self.head_limit:
            self.head_rows.append(row)
        elif self.tail_rows.maxlen:
            self.tail_rows.append(row)

    def _step_over(self, rows: int) -> None:
        for col, entry in enumerate(self._open):
            if entry is not None:
                left = entry[0] - rows
                self._open[col] = (left, entry[1]) if left > 0 else None

    def _place(self, cells: list[Cell]) -> list[Slot]:
        slots: list[Slot] = []
        covered = self._open
        new_open: list[tuple[int, Cell] | None] = []
        col = 0

        def cover_at(c: int) -> tuple[int, Cell] | None:
            return covered[c] if c < len(covered) else None

        def put(c: int, slot: Slot, still: tuple[int, Cell] | None) -> None:
            while len(slots) <= c:
                slots.append(None)
                new_open.append(None)
            slots[c] = slot
            new_open[c] = still

        def take_covers() -> None:
            nonlocal col
            while (entry := cover_at(col)) is not None:
                left, cell = entry
                put(col, (VCOVER, cell), (left - 1, cell) if left > 1 else None)
                col += 1

        for cell in cells:
            take_covers()
            if col >= MAX_COLUMNS:
                break
            span = min(cell.colspan, MAX_COLUMNS - col)
            still = (cell.rowspan - 1, cell) if cell.rowspan > 1 else None
            for k in range(span):
                if cover_at(col + k) is not None:  # overlapping spans: the cell stops there
                    span = k
                    break
                put(col + k, (ORIGIN if k == 0 else HCONT, cell), still)
            col += max(span, 1) if span else 0
            if span == 0:
                continue
        # columns covered from above to the right of the last cell
        for c in range(col, len(covered)):
            entry = covered[c]
            if entry is not None:
                left, cell = entry
                put(c, (VCOVER, cell), (left - 1, cell) if left > 1 else None)
        self._open = new_open
        self.ncols = max(self.ncols, len(slots))
        return slots

    def finish(self) -> None:
        """Called when ``</table>`` closes: labels spanning from dropped rows into the first
        tail row are shown again there."""
        if self.finished:
            return
        self.finished = True
        if self.elided <= 0 or not self.tail_rows:
            return
        kept = {id(slot[1]) for row in (*self.header_rows, *self.head_rows, *self.tail_rows)
                for slot in row.slots if slot is not None and slot[0] == ORIGIN}
        first = self.tail_rows[0]
        seen: set[int] = set()
        for c, slot in enumerate(first.slots):
            if slot is not None and slot[0] == VCOVER and id(slot[1]) not in kept:
                kind = HCONT if id(slot[1]) in seen else ORIGIN
                seen.add(id(slot[1]))
                first.slots[c] = (kind, slot[1])

    def rows(self) -> Iterator[Row]:
        """Every kept row, header first."""
        yield from self.header_rows
        yield from self.head_rows
        yield from self.tail_rows

    def cell_nodes(self) -> Iterator[Node]:
        """The nodes of every kept cell, in order."""
        for row in self.rows():
            for slot in row.slots:
                if slot is not None and slot[0] == ORIGIN:
                    yield slot[1].node
