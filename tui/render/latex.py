"""LaTeX math to terminal text (and to an image where the terminal draws pixels).

:func:`math_to_unicode` lays a formula out as lines of Unicode (Greek, operators, Unicode
sub/superscripts where every character has one, stacked fractions, roots, limits above and
below big operators, grown delimiters, matrices and aligned environments as grids), through the
small parser of :mod:`tui.render.latex_parse`. :func:`render_math` makes it a renderable, an
image for display math when the terminal has a pixel protocol (ziamath draws the SVG, the image
renderer rasterises it). :func:`render_latex` is the registry's ``text/latex`` renderer: math
alone, or text with ``$...$`` math in it (IPython's ``Latex``), and :func:`split_math` finds the
math in a text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.console import Group, RenderableType
from rich.text import Text

from tui.mime import as_text
from tui.render.context import RenderContext
from tui.render.latex_box import LatexSyntaxError
from tui.render.latex_parse import MathParser

MAX_SOURCE = 20_000
"""Characters of one formula laid out; a longer one is refused with a reason."""

MAX_INLINE = 4_000
"""Characters searched for the end of inline math (``$`` that never closes is text)."""

PIXEL_MODES = frozenset({"kitty", "sixel", "iterm"})
"""Graphics modes in which display math is drawn as an image."""

_MATH_ENVS = ("equation", "equation*", "align", "align*", "aligned", "gather", "gather*",
              "multline", "multline*", "eqnarray", "eqnarray*", "displaymath", "math",
              "flalign", "flalign*", "alignat", "alignat*", "split", "cases", "matrix",
              "pmatrix", "bmatrix", "Bmatrix", "vmatrix", "Vmatrix", "array")
MATH_ENV_BEGIN = re.compile(r"\\begin\{(" + "|".join(re.escape(e) for e in _MATH_ENVS) + r")\}")
_UNWRAP = ("equation", "equation*", "displaymath", "math")


def math_to_unicode(tex: str, *, inline: bool = False) -> list[str]:
    """The lines of ``tex`` (math, without ``$``) laid out in Unicode; ``inline`` keeps it
    on one line (``a/b``, scripts beside).

    Raises :class:`~tui.render.registry.RenderError` with the reason when it does not parse.
    """
    from tui.render.registry import RenderError

    tex = strip_math_delimiters(tex)
    if len(tex) > MAX_SOURCE:
        raise RenderError(f"formula too long to lay out ({len(tex):,} characters)")
    try:
        box = MathParser(tex, inline=inline).parse()
    except LatexSyntaxError as exc:
        raise RenderError(f"LaTeX does not parse: {exc}") from None
    lines = list(box.lines) or [""]
    while len(lines) > 1 and not lines[0].strip():
        lines.pop(0)
    while len(lines) > 1 and not lines[-1].strip():
        lines.pop()
    return lines


def math_inline_text(tex: str) -> str:
    """``tex`` as one line of Unicode, for math inside a sentence."""
    return " ".join(line.strip() for line in math_to_unicode(tex, inline=True))


def strip_math_delimiters(tex: str) -> str:
    """``tex`` without the wrapper around the math: ``$$``, ``$``, ``\\[ \\]``, ``\\( \\)``,
    ``\\begin{equation}`` and friends, sympy's ``\\displaystyle``."""
    s = tex.strip()
    for _ in range(4):
        before = s
        for left, right in (("$$", "$$"), ("\\[", "\\]"), ("\\(", "\\)"), ("$", "$")):
            if len(s) >= len(left) + len(right) and s.startswith(left) and s.endswith(right):
                s = s[len(left):len(s) - len(right)].strip()
                break
        for env in _UNWRAP:
            begin, end = f"\\begin{{{env}}}", f"\\end{{{env}}}"
            if s.startswith(begin) and s.endswith(end):
                s = s[len(begin):len(s) - len(end)].strip()
        if s.startswith("\\displaystyle"):
            s = s[len("\\displaystyle"):].strip()
        if s == before:
            break
    return s


def render_math(tex: str, ctx: RenderContext, *, display: bool) -> RenderableType:
    """``tex`` as a renderable: for display math in a pixel graphics mode, an image (ziamath
    SVG rasterised), else Unicode text laid out in lines."""
    if not display:
        return Text(math_inline_text(tex))
    lines = [_fit(line.rstrip(), ctx.width) for line in math_to_unicode(tex)]  # checks it
    if ctx.graphics in PIXEL_MODES:
        image = _math_image(tex, ctx)
        if image is not None:
            return image
    return Text("\n".join(lines), no_wrap=True, overflow="ellipsis")


def _fit(line: str, width: int) -> str:
    """``line`` cut to ``width`` cells with a mark (a 2-D layout must not wrap)."""
    if cell_len(line) <= width:
        return line
    return set_cell_size(line, max(0, width - 1)) + "…"


def _math_image(tex: str, ctx: RenderContext) -> RenderableType | None:
    try:
        from tui.render.image import render_svg  # type: ignore[attr-defined]
    except ImportError:
        return None
    try:
        import ziamath

        size = max(12, int(ctx.cell_size[1] * 0.9))
        svg = ziamath.Latex(strip_math_delimiters(tex), size=size).svg()
        return render_svg(svg, {}, ctx)  # type: ignore[no-any-return]
    except Exception:  # ziamath refuses what it cannot parse: the text layout is shown
        return None


def render_latex(value: Any, metadata: Mapping[str, Any], ctx: RenderContext) -> RenderableType:
    """``text/latex``: a formula (``$$...$$``, ``$\\displaystyle ...$``, an environment) laid
    out as display math, or text with math in it, each piece as it reads."""
    source = as_text(value).strip()
    pieces = split_math(source)
    if len(pieces) == 1 and pieces[0][0] != "text":
        return render_math(pieces[0][1], ctx, display=True)
    if all(kind == "text" for kind, _ in pieces):  # no delimiters: the whole thing is math
        return render_math(source, ctx, display=True)
    parts: list[RenderableType] = []
    line = Text()
    for kind, body in pieces:
        if kind == "display":
            line = Text(line.plain.rstrip())
            if line.plain.strip():
                parts.append(line)
            line = Text()
            parts.append(render_math(body, ctx, display=True))
        elif kind == "inline":
            line.append(math_inline_text(body))
        else:
            line.append(_latex_text(body))
    if line.plain.strip():
        parts.append(line)
    return Group(*parts) if len(parts) != 1 else parts[0]


def _latex_text(body: str) -> str:
    """Text-mode LaTeX around math: line breaks and the commonest markup undone."""
    body = re.sub(r"\\(?:textbf|textit|emph|text)\{([^{}]*)\}", r"\1", body)
    return body.replace("\\\\", "\n").replace("\\$", "$").replace("~", " ")


_DELIMS = re.compile(r"\\\$|\$\$|\$|\\\[|\\\(|\\begin\{")


def split_math(text: str) -> list[tuple[str, str]]:
    """``text`` cut into ``("text" | "inline" | "display", body)`` pieces: ``$...$`` and
    ``\\(...\\)`` inline, ``$$...$$``, ``\\[...\\]`` and math environments display. An escaped
    ``\\$`` is text; a ``$`` that never closes is text."""
    pieces: list[tuple[str, str]] = []
    buf: list[str] = []
    pos = 0
    while True:
        m = _DELIMS.search(text, pos)
        if m is None:
            buf.append(text[pos:])
            break
        token = m.group()
        found = _closing(text, m.start(), token)
        if found is None:
            buf.append(text[pos:m.end()])
            pos = m.end()
            continue
        kind, body, end = found
        buf.append(text[pos:m.start()])
        if "".join(buf):
            pieces.append(("text", "".join(buf)))
        buf = []
        pieces.append((kind, body))
        pos = end
    if "".join(buf):
        pieces.append(("text", "".join(buf)))
    return pieces


def _closing(text: str, start: int, token: str) -> tuple[str, str, int] | None:
    """Where the math opened by ``token`` at ``start`` ends: (kind, body, end)."""
    if token == "\\$":
        return None
    if token == "\\begin{":
        m = MATH_ENV_BEGIN.match(text, start)
        if m is None:
            return None
        end_tag = f"\\end{{{m.group(1)}}}"
        end = text.find(end_tag, m.end(), m.end() + MAX_SOURCE)
        if end < 0:
            return None
        stop = end + len(end_tag)
        body = text[start:stop]
        return ("display", body, stop)
    closer = {"$$": "$$", "$": "$", "\\[": "\\]", "\\(": "\\)"}[token]
    i = start + len(token)
    # an opener that never closes costs a bounded search
    limit = start + (MAX_INLINE if token in ("$", "\\(") else MAX_SOURCE)
    while True:
        end = text.find(closer, i, limit)
        if end < 0:
            return None
        if text[end - 1] == "\\" and closer.startswith("$"):
            i = end + 1
            continue
        break
    body = text[start + len(token):end]
    if not body.strip():
        return None
    after = text[end + len(closer):end + len(closer) + 1]
    if token == "$" and (body[0].isspace() or body[-1].isspace() or after.isdigit()
                         or "\n\n" in body):
        return None  # pandoc's rule: "costs $5 and $6" is not math
    kind = "inline" if token in ("$", "\\(") else "display"
    return (kind, body, end + len(closer))
