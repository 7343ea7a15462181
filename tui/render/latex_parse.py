"""A small LaTeX math parser that lays formulas out as Unicode text boxes.

:class:`MathParser` reads the source once, left to right, building :class:`~tui.render.
latex_box.Box` es as it goes (no separate tree): groups, commands with their arguments,
sub/superscripts, ``\\left ... \\right`` and environments. It is strict about structure
(unbalanced braces, an ``\\end`` that closes nothing) and lenient about vocabulary: an unknown
command is set as its name. Nesting deeper than :data:`MAX_DEPTH` is refused, so hostile input
cannot exhaust the stack.
"""

from __future__ import annotations

from tui.render import latex_box as bx
from tui.render import latex_symbols as sym
from tui.render.latex_box import Box, Item, LatexSyntaxError, needs_parens
from tui.render.latex_commands import command

MAX_DEPTH = 80
"""Groups nested deeper than this are refused (a reason, not a RecursionError)."""


_CLASS_OF_CHAR = {
    "+": "bin", "-": "bin", "*": "bin", "=": "rel", "<": "rel", ">": "rel", ":": "rel",
    "(": "open", "[": "open", ")": "close", "]": "close", "!": "close", ",": "punct",
    ";": "punct",
}
_MATRICES = {"matrix": ("", ""), "pmatrix": ("(", ")"), "bmatrix": ("[", "]"),
             "Bmatrix": ("{", "}"), "vmatrix": ("|", "|"), "Vmatrix": ("‖", "‖"),
             "smallmatrix": ("", ""), "array": ("", ""), "subarray": ("", "")}
_CASES = {"cases": ("{", ""), "dcases": ("{", ""), "rcases": ("", "}"), "numcases": ("{", "")}
_ALIGNED = frozenset({"align", "align*", "aligned", "alignat", "alignat*", "alignedat",
                      "flalign", "flalign*", "eqnarray", "eqnarray*", "split"})
_STOP_CMDS = frozenset({"end", "right", "\\", "cr", "newline"})


class MathParser:
    """Parse and lay out one formula: ``MathParser(source, inline=False).parse() -> Box``.

    ``inline`` lays everything out on one line (``a/b``, scripts beside, ``^(…)`` where a
    script has no Unicode form), for math inside a line of text.
    """

    def __init__(self, source: str, *, inline: bool = False) -> None:
        self.src = source
        self.pos = 0
        self.inline = inline
        self.depth = 0

    # -- reading ---------------------------------------------------------------------------

    def _skip_space(self) -> None:
        src, n = self.src, len(self.src)
        while self.pos < n:
            c = src[self.pos]
            if c.isspace():
                self.pos += 1
            elif c == "%":
                end = src.find("\n", self.pos)
                self.pos = n if end < 0 else end + 1
            else:
                break

    def peek(self) -> tuple[str, str]:
        """The next token without consuming it: ``("cmd", name)``, ``("char", c)`` or
        ``("eof", "")``."""
        self._skip_space()
        if self.pos >= len(self.src):
            return ("eof", "")
        c = self.src[self.pos]
        if c != "\\":
            return ("char", c)
        end = self.pos + 1
        while end < len(self.src) and self.src[end].isalpha():
            end += 1
        if end == self.pos + 1:
            return ("cmd", self.src[end:end + 1])
        if end < len(self.src) and self.src[end] == "*":
            name = self.src[self.pos + 1:end]
            if name in ("operatorname", "hspace", "vspace"):
                return ("cmd", name + "*")
        return ("cmd", self.src[self.pos + 1:end])

    def next_token(self) -> tuple[str, str]:
        """The next token, consumed (see :meth:`peek`)."""
        kind, value = self.peek()
        if kind == "char":
            self.pos += 1
        elif kind == "cmd":
            self.pos += 1 + max(1, len(value))
        return kind, value

    def raw_group(self) -> str:
        """The source of the next argument, unparsed (``{text}`` or one token)."""
        kind, value = self.peek()
        if kind == "eof":
            return ""
        if (kind, value) != ("char", "{"):
            self.next_token()
            return value if kind == "char" else "\\" + value
        start = self.pos + 1
        level, i, src = 0, self.pos, self.src
        while i < len(src):
            c = src[i]
            if c == "\\":
                i += 2
                continue
            if c == "{":
                level += 1
            elif c == "}":
                level -= 1
                if level == 0:
                    self.pos = i + 1
                    return src[start:i]
            i += 1
        raise LatexSyntaxError("unbalanced braces: a { is never closed")

    def optional(self) -> str | None:
        """The ``[...]`` optional argument if one follows."""
        if self.peek() != ("char", "["):
            return None
        end = self.src.find("]", self.pos)
        if end < 0:
            raise LatexSyntaxError("an optional argument [ is never closed")
        raw = self.src[self.pos + 1:end]
        self.pos = end + 1
        return raw

    def sub(self, source: str, *, compact: bool = True) -> Box:
        """Lay out ``source`` (an argument read raw) with this parser's settings."""
        inner = MathParser(source, inline=self.inline)
        inner.depth = self.depth + 1
        if inner.depth > MAX_DEPTH:
            raise LatexSyntaxError("nested too deeply")
        return inner.parse(compact=compact)

    # -- structure -------------------------------------------------------------------------

    def parse(self, *, compact: bool = False) -> Box:
        """The whole source as one box (rows split by ``\\\\`` and ``&`` become a grid)."""
        rows = self._rows(None, compact=compact)
        if len(rows) == 1 and len(rows[0]) == 1:
            return rows[0][0]
        return self._layout_grid(rows, "aligned")

    def _rows(self, env: str | None, *, compact: bool = False) -> list[list[Box]]:
        rows: list[list[Box]] = [[]]
        while True:
            items = self.items(compact=compact)
            rows[-1].append(self.join(items, compact, lead=bool(rows[-1])))
            kind, value = self.next_token()
            if kind == "eof":
                if env is not None:
                    raise LatexSyntaxError(f"\\begin{{{env}}} is never ended")
                break
            if (kind, value) == ("char", "&"):
                continue
            if kind == "cmd" and value in ("\\", "cr", "newline"):
                self.optional()
                rows.append([])
                continue
            if kind == "cmd" and value == "end":
                name = self.raw_group().strip()
                if name != env:
                    what = f"\\begin{{{env}}}" if env else "nothing"
                    raise LatexSyntaxError(f"\\end{{{name}}} closes {what}")
                break
            if kind == "cmd" and value == "right":
                raise LatexSyntaxError("\\right without \\left")
            if (kind, value) == ("char", "}"):
                raise LatexSyntaxError("unbalanced braces: a } closes nothing")
        if len(rows) > 1 and rows[-1] == [bx.EMPTY]:
            rows.pop()
        return rows

    def items(self, *, compact: bool) -> list[Item]:
        """Atoms up to the end of the current group, cell or row."""
        items: list[Item] = []
        while True:
            kind, value = self.peek()
            if kind == "eof" or (kind == "char" and value in "}&"):
                break
            if kind == "cmd" and value in _STOP_CMDS:
                break
            item = self._atom(compact=compact)
            if item is None:
                continue
            items.append(self._attach_scripts(item, compact))
        return items

    def _group(self, *, compact: bool) -> Item:
        """A ``{...}`` group (the opening brace is next)."""
        self.next_token()
        items = self.items(compact=compact)
        if self.next_token() != ("char", "}"):
            raise LatexSyntaxError("unbalanced braces: a { is never closed")
        kind = items[0].kind if len(items) == 1 and items[0].kind in ("inner", "ord") else "ord"
        return Item(self.join(items, compact), kind, atoms=len(items))

    def argument(self, *, compact: bool = True) -> Item:
        """One argument: a group, or a single token (``\\frac12``, ``x^\\alpha``)."""
        kind, value = self.peek()
        if kind == "eof" or (kind == "char" and value in "}&"):
            return Item(bx.EMPTY, atoms=0)
        item = self._atom(compact=compact)
        return item if item is not None else Item(bx.EMPTY, atoms=0)

    def _attach_scripts(self, item: Item, compact: bool = False) -> Item:
        sup: Item | None = None
        sub: Item | None = None
        primes = ""
        while True:
            kind, value = self.peek()
            if kind == "cmd" and value in ("limits", "nolimits"):
                self.next_token()
                item.limits = item.explicit = value == "limits"
                continue
            if kind != "char" or value not in "^_'":
                break
            self.next_token()
            if value == "'":
                primes += "′"
            elif value == "^":
                sup = self.argument()
            else:
                sub = self.argument()
        if primes:
            item = Item(bx.hcat([item.box, bx.text(primes)]), item.kind, item.limits)
        if sup is None and sub is None:
            return item
        if compact and not item.explicit:
            item.limits = False  # text style (inside a fraction or script): limits beside
        return Item(self._scripted(item, sup.box if sup else None, sub.box if sub else None,
                                   sup.atoms if sup else 0, sub.atoms if sub else 0),
                    "ord" if item.kind not in ("bigop", "fn") else item.kind)

    def _scripted(self, item: Item, sup: Box | None, sub: Box | None,
                  sup_atoms: int, sub_atoms: int) -> Box:
        base = item.box
        if item.limits and not self.inline:
            return bx.limits(base, sup, sub)
        flat_sup = _unicode_script(sup, sym.SUPERSCRIPTS)
        flat_sub = _unicode_script(sub, sym.SUBSCRIPTS)
        if (sup is None or flat_sup is not None) and (sub is None or flat_sub is not None) \
                and (base.height == 1 or self.inline):
            return bx.hcat([base, bx.text((flat_sub or "") + (flat_sup or ""))])
        if self.inline:
            parts = [base]
            for mark, box, atoms in (("_", sub, sub_atoms), ("^", sup, sup_atoms)):
                if box is not None:
                    body = box.lines[0]
                    wrap = atoms > 1 or needs_parens(body)
                    parts.append(bx.text(mark + (f"({body})" if wrap else body)))
            return bx.hcat(parts)
        return bx.scripts(base, sup, sub)

    def join(self, items: list[Item], compact: bool, *, lead: bool = False) -> Box:
        """Items side by side, with the spaces LaTeX puts around operators and relations
        (``lead``: a relation first in an ``align`` cell is spaced on its left too)."""
        boxes: list[Box] = []
        prev: str | None = "ord" if lead else None
        for i, item in enumerate(items):
            kind = item.kind
            if kind == "bin" and (prev is None or prev in ("bin", "rel", "open", "punct",
                                                           "bigop", "fn")):
                kind = "ord"  # a sign, not an operator
            nxt = items[i + 1].kind if i + 1 < len(items) else None
            if kind in ("fn", "bigop") and prev in ("ord", "close", "inner"):
                boxes.append(bx.text(" "))  # "y sin(x)", "2 ∑ xᵢ"
            if kind in ("bin", "rel") and not compact:
                boxes.append(_spaced(item.box, left=prev is not None, right=nxt is not None))
                if not boxes[-1].lines[0].startswith(" ") and lead and not i:
                    boxes.insert(0, bx.text(" "))
            elif (kind == "punct" and not compact and nxt not in (None, "close")) or (
                    kind in ("fn", "bigop") and nxt in ("ord", "fn", "bigop")):
                boxes.extend([item.box, bx.text(" ")])
            else:
                boxes.append(item.box)
            if kind != "space":
                prev = kind
        return bx.hcat(boxes)

    # -- atoms -----------------------------------------------------------------------------

    def _atom(self, *, compact: bool) -> Item | None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise LatexSyntaxError("nested too deeply")
        try:
            return self._atom_inner(compact=compact)
        finally:
            self.depth -= 1

    def _atom_inner(self, *, compact: bool) -> Item | None:
        kind, value = self.peek()
        if kind == "char":
            if value == "{":
                return self._group(compact=compact)
            self.next_token()
            if value in "^_":  # a script with no base
                self.pos -= 1
                return Item(bx.EMPTY)
            if value == "~":
                return Item(bx.text(" "), "space")
            if value == "$":
                return None
            return Item(bx.text(value), _CLASS_OF_CHAR.get(value, "ord"))
        self.next_token()
        return self._command(value, compact=compact)

    def _command(self, name: str, *, compact: bool) -> Item | None:
        return command(self, name, compact=compact)

    # -- environments ----------------------------------------------------------------------

    def environment(self, name: str) -> Item:
        """``\\begin{name}`` (already read) up to its ``\\end``."""
        spec = None
        if name in ("array", "subarray", "alignat", "alignat*", "alignedat"):
            spec = self.raw_group()
        rows = self._rows(name)
        if name in ("array", "subarray") and spec:
            kind = "array:" + "".join(c for c in spec if c in "lcr")
        else:
            kind = name
        return Item(self._layout_grid(rows, kind))

    def _layout_grid(self, rows: list[list[Box]], env: str) -> Box:
        ncols = max(len(r) for r in rows)
        left, right = "", ""
        if env.startswith("array:"):
            aligns, gap = env[6:] or "c" * ncols, 2
        elif env in _MATRICES:
            left, right = _MATRICES[env]
            aligns, gap = "c" * ncols, 2
        elif env in _CASES:
            left, right = _CASES[env]
            aligns, gap = "l" * ncols, 2
        elif env in _ALIGNED:
            aligns, gap = "rl" * ncols, 0
        else:
            aligns, gap = "c" * ncols, 2
        if self.inline:
            sep = "" if gap == 0 else ", " if env in _CASES else " "
            line = "; ".join(sep.join(c.lines[0] for c in row if c.width) for row in rows)
            return bx.hcat([bx.text(left), bx.text(line), bx.text(right)])
        body = _aligned_grid(rows, aligns) if env in _ALIGNED else bx.grid(rows, aligns, gap)
        if left or right:
            pad = bx.text(" ")
            return bx.fence(left, bx.hcat([pad, body, pad]) if left in "([{" else body, right)
        return body


def _aligned_grid(rows: list[list[Box]], aligns: str) -> Box:
    """``align``: columns in pairs (right, left) with no gap inside a pair, two spaces
    between pairs."""
    cells: list[list[Box]] = []
    for row in rows:
        out: list[Box] = []
        for j, cell in enumerate(row):
            if j and j % 2 == 0:
                out.append(bx.text("  "))
            out.append(cell)
        cells.append(out)
    spread = []
    for j in range(max(len(r) for r in cells)):
        spread.append("l" if j % 3 == 2 else aligns[(j - j // 3) % 2])
    return bx.grid(cells, spread, gap=0)


def _unicode_script(box: Box | None, table: dict[str, str]) -> str | None:
    if box is None or box.height != 1:
        return None
    out = []
    for ch in box.lines[0]:
        mapped = table.get(ch)
        if mapped is None:
            return None
        out.append(mapped)
    return "".join(out)


def _spaced(box: Box, *, left: bool, right: bool) -> Box:
    return bx.hcat([bx.text(" " if left else ""), box, bx.text(" " if right else "")])
