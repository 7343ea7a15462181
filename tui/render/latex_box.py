"""Two-dimensional text boxes for math layout (:mod:`tui.render.latex`).

A :class:`Box` is a block of terminal text: lines of equal cell width and a baseline row, the
row that lines up with its neighbours when boxes are set side by side. Every function here
makes a new box; none mutates one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len

from tui.render.latex_symbols import GROWN


@dataclass(frozen=True)
class Box:
    """Lines of text of one cell width (``width``), ``base`` the index of the baseline row."""

    lines: tuple[str, ...]
    base: int
    width: int

    @property
    def height(self) -> int:
        """Rows of the box."""
        return len(self.lines)

    @property
    def descent(self) -> int:
        """Rows below the baseline."""
        return len(self.lines) - self.base - 1


EMPTY = Box(("",), 0, 0)
"""The box of nothing (an empty group)."""


def text(s: str) -> Box:
    """A one-line box of ``s``."""
    return Box((s,), 0, cell_len(s))


def _pad(line: str, width: int, align: str = "left") -> str:
    gap = width - cell_len(line)
    if gap <= 0:
        return line
    if align == "right":
        return " " * gap + line
    if align == "center":
        left = gap // 2
        return " " * left + line + " " * (gap - left)
    return line + " " * gap


def widen(box: Box, width: int, align: str = "center") -> Box:
    """``box`` padded with spaces to ``width`` cells."""
    if box.width >= width:
        return box
    return Box(tuple(_pad(line, width, align) for line in box.lines), box.base, width)


def hcat(boxes: Sequence[Box]) -> Box:
    """Boxes side by side, their baselines on one row."""
    boxes = [b for b in boxes if b.width or b.height > 1]
    if not boxes:
        return EMPTY
    if len(boxes) == 1:
        return boxes[0]
    if all(b.height == 1 for b in boxes):
        line = "".join(b.lines[0] for b in boxes)
        return Box((line,), 0, sum(b.width for b in boxes))
    ascent = max(b.base for b in boxes)
    descent = max(b.descent for b in boxes)
    rows = [""] * (ascent + descent + 1)
    for b in boxes:
        blank = " " * b.width
        top = ascent - b.base
        for r in range(len(rows)):
            i = r - top
            rows[r] += b.lines[i] if 0 <= i < b.height else blank
    return Box(tuple(rows), ascent, sum(b.width for b in boxes))


def vstack(boxes: Sequence[Box], base_box: int, align: str = "center") -> Box:
    """Boxes one above the other, the baseline that of ``boxes[base_box]``."""
    width = max(b.width for b in boxes)
    lines: list[str] = []
    base = 0
    for i, b in enumerate(boxes):
        if i == base_box:
            base = len(lines) + b.base
        lines.extend(widen(b, width, align).lines)
    return Box(tuple(lines), base, width)


def frac(num: Box, den: Box, *, bar: bool = True) -> Box:
    """A stacked fraction: numerator, a bar as wide as the wider part, denominator."""
    width = max(num.width, den.width)
    rule = text("─" * width if bar else " " * width)
    return vstack([num, rule, den], 1)


def scripts(base: Box, sup: Box | None, sub: Box | None) -> Box:
    """``base`` with a superscript raised above its top row and a subscript below its
    bottom row, both to its right."""
    width = max(sup.width if sup else 0, sub.width if sub else 0)
    parts: list[Box] = []
    if sup is not None:
        parts.append(sup)
    spacer_height = base.height
    parts.append(Box(tuple(" " * width for _ in range(spacer_height)), 0, width))
    if sub is not None:
        parts.append(sub)
    column = vstack(parts, 0, align="left")
    above = sup.height if sup is not None else 0
    column = Box(column.lines, above + base.base, column.width)
    return hcat([base, column])


def limits(op: Box, above: Box | None, below: Box | None) -> Box:
    """``op`` with its limits centred above and below it."""
    parts = [b for b in (above, op, below) if b is not None]
    return vstack(parts, 1 if above is not None else 0)


def delimiter(char: str, height: int, base: int) -> Box:
    """The delimiter ``char`` grown to ``height`` rows (baseline ``base``)."""
    if not char:
        return Box(tuple("" for _ in range(height)), base, 0)
    if height <= 1:
        return Box((char,), 0, cell_len(char))
    pieces = GROWN.get(char)
    if pieces is None:
        return Box(tuple(char for _ in range(height)), base, cell_len(char))
    top, ext, bottom, middle = pieces
    if char in "⟨⟩":
        half = height // 2
        rows = [top] * half + ([middle] if height % 2 else []) + [bottom] * half
        return Box(tuple(rows), base, 1)
    rows = [top] + [ext] * (height - 2) + [bottom]
    if char in "{}":
        if height == 2:
            rows = ["⎰", "⎱"] if char == "{" else ["⎱", "⎰"]
        else:
            rows[height // 2] = middle
    return Box(tuple(rows), base, 1)


def fence(left: str, inner: Box, right: str) -> Box:
    """``inner`` between two delimiters grown to its height."""
    return hcat([delimiter(left, inner.height, inner.base), inner,
                 delimiter(right, inner.height, inner.base)])


def sqrt(inner: Box, index: Box | None = None) -> Box:
    """A square root: ``√`` with a bar over ``inner`` (``index`` before it for n-th roots)."""
    if inner.height == 1:
        body = Box((" " + "_" * inner.width, "√" + inner.lines[0]), 1, inner.width + 1)
    else:
        rows = [" ┌" + "─" * inner.width]
        for i, line in enumerate(inner.lines):
            rows.append(("√│" if i == inner.height - 1 else " │") + line)
        body = Box(tuple(rows), inner.base + 1, inner.width + 2)
    if index is None:
        return body
    return hcat([Box(index.lines, index.base + index.height, index.width)
                 if body.height > index.height else index, body])


def over(inner: Box, mark: str, *, under: bool = False) -> Box:
    """``inner`` with a row of ``mark`` over it (or under it)."""
    rule = text(mark * max(1, inner.width))
    if under:
        return vstack([inner, rule], 0)
    return vstack([rule, inner], 1)


def grid(rows: Sequence[Sequence[Box]], aligns: Sequence[str], gap: int = 2) -> Box:
    """Cells in aligned columns (``aligns``: ``l``, ``c`` or ``r`` per column), the baseline
    on the middle row."""
    if not rows:
        return EMPTY
    ncols = max(len(r) for r in rows)
    widths = [0] * ncols
    for r in rows:
        for j, cell in enumerate(r):
            widths[j] = max(widths[j], cell.width)
    mode = {"l": "left", "r": "right", "c": "center"}
    lines: list[Box] = []
    for r in rows:
        cells: list[Box] = []
        for j in range(ncols):
            cell = r[j] if j < len(r) else EMPTY
            align = mode.get(aligns[j] if j < len(aligns) else "c", "center")
            cell = widen(cell, widths[j], align)
            if cell.width < widths[j]:
                cell = text(" " * widths[j])
            cells.append(cell)
            if j < ncols - 1 and gap:
                cells.append(text(" " * gap))
        lines.append(hcat(cells))
    out = vstack(lines, 0, align="left")
    total = out.height
    return Box(out.lines, (total - 1) // 2, out.width)


def boxed(inner: Box) -> Box:
    """``inner`` framed."""
    top = "┌" + "─" * inner.width + "┐"
    bottom = "└" + "─" * inner.width + "┘"
    rows = [top, *("│" + line + "│" for line in inner.lines), bottom]
    return Box(tuple(rows), inner.base + 1, inner.width + 2)


class LatexSyntaxError(ValueError):
    """The source does not parse; the message says why."""


@dataclass
class Item:
    """One laid-out atom and the part it plays in spacing (``ord``, ``bin``, ``rel``,
    ``open``, ``close``, ``punct``, ``fn``, ``bigop``, ``space``)."""

    box: Box
    kind: str = "ord"
    limits: bool = False
    """Scripts go above and below (``\\sum``, ``\\lim``) rather than beside."""
    explicit: bool = False
    """``\\limits`` was written: limits above and below even in a fraction."""
    atoms: int = 1
    """How many atoms a group held (an inline fraction brackets a part of more than one)."""


_NEGATED = {"=": "≠", "∈": "∉", "⊂": "⊄", "⊃": "⊅", "⊆": "⊈", "⊇": "⊉", "≤": "≰", "≥": "≱",
            "<": "≮", ">": "≯", "∼": "≁", "≅": "≇", "≡": "≢", "∃": "∄", "∣": "∤", "∥": "∦",
            "→": "↛", "←": "↚", "⇒": "⇏", "⇔": "⇎", "≈": "≉"}


def negate(item: Item) -> Item:
    """``\\not`` applied to ``item`` (``\\not=`` is ``≠``)."""
    if item.box.height == 1:
        line = item.box.lines[0]
        return Item(text(_NEGATED.get(line, line + "\u0338")), item.kind)
    return item


_LOOSE = frozenset(" +-−/=<>±∓×⋅,→←≤≥")


def needs_parens(text: str) -> bool:
    """True when ``text``, set inline (``a/b``, ``x^(…)``), must be bracketed: it has an
    operator, relation or space outside brackets."""
    depth = 0
    for ch in text.strip():
        if ch in "([{⟨":
            depth += 1
        elif ch in ")]}⟩":
            depth -= 1
        elif depth == 0 and ch in _LOOSE:
            return True
    return False
