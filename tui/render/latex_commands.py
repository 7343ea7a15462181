"""LaTeX commands for :class:`~tui.render.latex_parse.MathParser`: one function, the command
(already read) to its laid-out :class:`~tui.render.latex_parse.Item` (or ``None`` for a
command that shows nothing)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.render import latex_box as bx
from tui.render import latex_symbols as sym
from tui.render.latex_box import Item, LatexSyntaxError, needs_parens, negate

if TYPE_CHECKING:
    from tui.render.latex_parse import MathParser

_FRACTIONS = frozenset({"frac", "dfrac", "tfrac", "cfrac", "genfrac"})
_BINOMS = frozenset({"binom", "dbinom", "tbinom"})
_ROOT_GLYPHS = {"3": "∛", "4": "∜"}


def command(p: MathParser, name: str, *, compact: bool) -> Item | None:
    """The layout of ``\\name`` and its arguments, read from ``p``."""
    simple = _symbol(name)
    if simple is not None:
        return simple
    if name in sym.SPACES:
        return Item(bx.text(sym.SPACES[name]), "space")
    if name in sym.IGNORED:
        return None
    if name in sym.DROP_ONE_ARG:
        p.optional()
        p.raw_group()
        return None
    if name in _FRACTIONS or name in _BINOMS:
        return _fraction(p, name)
    if name == "sqrt":
        return _sqrt(p)
    if name == "left":
        return _left(p)
    if name == "begin":
        return p.environment(p.raw_group().strip())
    if name in sym.BIG_OPERATORS:
        return Item(bx.text(sym.BIG_OPERATORS[name]), "bigop",
                    limits=name not in sym.SIDE_LIMITS)
    if name in sym.FUNCTIONS or name in sym.LIMIT_FUNCTIONS:
        return Item(bx.text(sym.FUNCTION_NAMES.get(name, name)), "fn",
                    limits=name in sym.LIMIT_FUNCTIONS)
    if name in ("operatorname", "operatorname*"):
        return Item(bx.text(_plain_text(p.raw_group())), "fn", limits=name.endswith("*"))
    if name in sym.TEXT_COMMANDS:
        return Item(bx.text(_plain_text(p.raw_group())))
    if name in sym.FONTS:
        return _font(p.argument(compact=compact), sym.FONTS[name])
    if name in sym.PLAIN_FONTS:
        arg = p.argument(compact=compact)
        kind = {"mathbin": "bin", "mathrel": "rel", "mathop": "fn"}.get(name, "ord")
        return Item(arg.box, kind, limits=name == "mathop", atoms=arg.atoms)
    if name in sym.ACCENTS or name in sym.WIDE_ACCENTS:
        return _accent(p, name)
    return _structural(p, name, compact=compact)


def _symbol(name: str) -> Item | None:
    for table, kind in ((sym.GREEK, "ord"), (sym.RELATION, "rel"), (sym.BINARY, "bin"),
                        (sym.ORDINARY, "ord")):
        char = table.get(name)
        if char is not None:
            if name == "mod":
                return Item(bx.text(" mod "), "space")
            if name in ("{", "lbrace", "langle", "lfloor", "lceil"):
                kind = "open"
            elif name in ("}", "rbrace", "rangle", "rfloor", "rceil"):
                kind = "close"
            return Item(bx.text(char), kind)
    return None


def _structural(p: MathParser, name: str, *, compact: bool) -> Item | None:
    if name == "not":
        nxt = p.argument(compact=compact)
        return negate(nxt)
    if name in ("overset", "stackrel", "underset"):
        mark = p.argument()
        base = p.argument(compact=compact)
        if p.inline:
            return Item(base.box, "rel")
        above, below = (None, mark.box) if name == "underset" else (mark.box, None)
        return Item(bx.limits(base.box, above, below), "rel")
    if name in ("xrightarrow", "xleftarrow", "xRightarrow", "xLeftarrow"):
        below = p.optional()
        label = p.argument()
        arrow = {"xrightarrow": "→", "xleftarrow": "←", "xRightarrow": "⇒",
                 "xLeftarrow": "⇐"}[name]
        if p.inline:
            return Item(bx.text(arrow), "rel")
        width = max(label.box.width + 2, 3)
        line = "─" * (width - 1) + arrow if arrow in "→⇒" else arrow + "─" * (width - 1)
        return Item(bx.limits(bx.text(line), label.box,
                              p.sub(below) if below else None), "rel")
    if name == "boxed":
        arg = p.argument(compact=compact)
        return Item(arg.box if p.inline else bx.boxed(arg.box))
    if name in ("phantom", "hphantom"):
        arg = p.argument()
        return Item(bx.text(" " * arg.box.width), "space")
    if name in ("vphantom", "smash"):
        arg = p.argument()
        return None if name == "vphantom" else arg
    if name in ("textcolor", "colorbox"):
        p.raw_group()
        return p.argument(compact=compact)
    if name == "substack":
        source = p.raw_group()
        inner = p.sub(source)
        return Item(inner)
    if name == "pmod":
        arg = p.argument()
        return Item(bx.hcat([bx.text(" (mod "), arg.box, bx.text(")")]), "space")
    if name in ("right", "end"):
        raise LatexSyntaxError(f"\\{name} without \\{'left' if name == 'right' else 'begin'}")
    if name in ("over", "choose"):
        return Item(bx.text("/" if name == "over" else " choose "), "bin")
    return Item(bx.text(name))  # unknown: its name, as LaTeX users read it


def _fraction(p: MathParser, name: str) -> Item:
    if name == "genfrac":
        for _ in range(4):
            p.raw_group()
    num = p.argument()
    den = p.argument()
    if name in _BINOMS:
        if p.inline:
            return Item(bx.text(f"C({num.box.lines[0]}, {den.box.lines[0]})"))
        return Item(bx.fence("(", bx.frac(num.box, den.box, bar=False), ")"))
    if p.inline:
        parts = []
        for part in (num, den):
            body = part.box.lines[0]
            parts.append(f"({body})" if needs_parens(body) else body)
        return Item(bx.text(parts[0] + "/" + parts[1]))
    return Item(bx.frac(num.box, den.box))


def _sqrt(p: MathParser) -> Item:
    index = p.optional()
    arg = p.argument(compact=False)
    idx = index.strip() if index is not None else None
    if p.inline or (arg.box.height == 1 and idx in _ROOT_GLYPHS):
        glyph = _ROOT_GLYPHS.get(idx or "", "√")
        prefix = "" if idx is None or idx in _ROOT_GLYPHS else p.sub(idx).lines[0]
        body = arg.box.lines[0]
        return Item(bx.text(prefix + glyph + (f"({body})" if needs_parens(body) else body)))
    index_box = p.sub(idx) if idx else None
    return Item(bx.sqrt(arg.box, index_box))


def _left(p: MathParser) -> Item:
    opening = _delimiter(p)
    items = p.items(compact=False)
    if p.next_token() != ("cmd", "right"):
        raise LatexSyntaxError("\\left without \\right")
    closing = _delimiter(p)
    inner = p.join(items, False)
    if p.inline or inner.height == 1:
        return Item(bx.hcat([bx.text(opening), inner, bx.text(closing)]), "inner")
    return Item(bx.fence(opening, inner, closing), "inner")


def _delimiter(p: MathParser) -> str:
    kind, value = p.next_token()
    if kind == "eof":
        raise LatexSyntaxError("\\left or \\right without a delimiter")
    key = value if kind == "char" else ("\\" + value if value in "{}|" else value)
    return sym.DELIMITERS.get(key, value)


def _font(arg: Item, table: dict[str, str]) -> Item:
    box = arg.box
    lines = tuple("".join(table.get(c, c) for c in line) for line in box.lines)
    return Item(bx.Box(lines, box.base, box.width), atoms=arg.atoms)


def _accent(p: MathParser, name: str) -> Item:
    arg = p.argument(compact=False)
    box = arg.box
    if not arg.atoms and not box.width:
        return Item(bx.text(name))
    under = name in ("underline", "underbrace")
    if name in sym.ACCENTS and box.height == 1 and box.width == 1:
        return Item(bx.text(box.lines[0] + sym.ACCENTS[name]), atoms=1)
    if p.inline or name not in sym.WIDE_ACCENTS:
        return Item(box, atoms=arg.atoms)
    item = Item(bx.over(box, sym.WIDE_ACCENTS[name], under=under), atoms=arg.atoms)
    if name in ("overbrace", "underbrace"):
        item.limits = True
    return item


def _plain_text(raw: str) -> str:
    """The text of ``\\text{...}``: spaces kept, simple escapes and ``$`` removed."""
    out = raw.replace("\\ ", " ").replace("\\{", "{").replace("\\}", "}")
    out = out.replace("\\%", "%").replace("\\&", "&").replace("\\_", "_").replace("$", "")
    return " ".join(out.split()) if "\n" in out else out
