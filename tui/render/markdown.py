"""Markdown (cells and text/markdown outputs) to a Rich renderable, with math and images.

Rich's :class:`~rich.markdown.Markdown` draws the text. Around it: ``$...$`` becomes Unicode
math inline, ``$$...$$``, ``\\[...\\]`` and ``\\begin{equation}`` blocks display math
(:func:`tui.render.latex.render_math`) wherever they stand (top level, list items, block
quotes), and images are drawn (:mod:`tui.render.markdown_rich`, ``attachment:NAME`` from the
cell's attachments, ``data:`` URIs, local files under the notebook's folder, through the
registry; :mod:`tui.render.markdown_images`); remote images are never fetched. ``$`` inside code
spans and fenced blocks, and an escaped ``\\$``, stay as they are. A source with none of
``$``, ``![``, ``\\begin``, ``\\[``, ``\\(`` goes straight to Rich, as fast as before.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rich.console import RenderableType
from rich.text import Text

from tui.mime import as_text
from tui.render.context import RenderContext
from tui.render.highlight import CODE_THEME
from tui.render.markdown_images import MAX_IMAGE_FILE
from tui.render.markdown_rich import MATH_INFO, NotebookMarkdown

__all__ = ["MAX_IMAGE_FILE", "render_markdown", "render_markdown_output"]

MAX_MATH_LINES = 200
"""Lines of one display-math block looked through for its end."""

_TRIGGERS = ("$", "![", "\\begin", "\\[", "\\(", "<img", "<IMG")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CONTAINER = re.compile(r"^(?:[ \t]*>)*[ \t]*(?:(?:[-+*]|\d{1,9}[.)])(?:[ \t]+|$))?[ \t]*")
_QUOTES = re.compile(r"^(?:[ \t]*>)*[ \t]*")
_CODE_SPAN = re.compile(r"(`+)(?:.|\n)+?(?<!`)\1(?!`)")
_ESCAPE = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&])")


def render_markdown(source: str, *, language: str = "python",
                    ctx: RenderContext | None = None) -> RenderableType:
    """Render ``source`` as markdown: headings, emphasis, lists, code blocks, tables, links,
    math and images (``ctx`` gives the width, graphics mode, attachments and folder), display
    math and images inside list items and block quotes as well as at the top level.

    Empty sources render as a dim placeholder so the cell stays visible and clickable.
    """
    if not source.strip():
        return Text("(empty markdown cell: Enter to edit)", style="dim italic")
    if not any(t in source for t in _TRIGGERS):
        return _markdown(source, language, ctx)
    text, maths = _rewrite(source)
    return _markdown(_inline(text), language, ctx, maths)


def _markdown(source: str, language: str, ctx: RenderContext | None,
              maths: list[str] | None = None) -> RenderableType:
    from tui.render.highlight import IPYTHON_LEXERS

    # Rich looks the inline lexer up by name for every code span: a name only a plugin has
    # (ipykernel's "ipython3") made Pygments scan every package's entry points each time
    # (22 scans, ~40 ms with importlib.metadata, on one Handbook notebook)
    inline = "python" if language.lower() in IPYTHON_LEXERS else language
    return NotebookMarkdown(source, ctx=ctx, maths=maths or (), code_theme=CODE_THEME,
                            inline_code_lexer=inline, hyperlinks=True, justify="left")


def render_markdown_output(value: Any, metadata: Mapping[str, Any],
                           ctx: RenderContext) -> RenderableType:
    """``text/markdown`` outputs, as markdown cells render."""
    return render_markdown(as_text(value), ctx=ctx)


# -- display math ----------------------------------------------------------------------------


def _rewrite(source: str) -> tuple[str, list[str]]:
    """``source`` with every display-math block (``$$``, ``\\[``, ``\\begin{equation}``...,
    at the top level or inside list items and block quotes) replaced by an empty fence whose
    info string is ``jtui-math-N``, ``N`` indexing the returned block sources. Fenced code is
    kept, its lines marked (``\\x00``) so that inline processing leaves them alone."""
    from tui.render.latex import MATH_ENV_BEGIN

    lines = source.split("\n")
    out: list[str] = []
    maths: list[str] = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        prefix = _CONTAINER.match(line).group()  # type: ignore[union-attr]
        rest = line[len(prefix):]
        fence = _FENCE.match(line) or (_FENCE.match(rest) if prefix.strip() else None)
        if fence:
            mark = fence.group(1)
            j = i + 1
            while j < n and not _unquoted(lines[j]).strip().startswith(mark[0] * len(mark)):
                j += 1
            out.extend("\x00" + ln for ln in lines[i:j + 1])
            i = j + 1
            continue
        stripped = rest.strip()
        closer = None
        if stripped.startswith("$$"):
            closer = "$$"
        elif stripped.startswith("\\["):
            closer = "\\]"
        elif m := MATH_ENV_BEGIN.match(stripped):
            closer = f"\\end{{{m.group(1)}}}"
        if closer is not None:
            skip = len(closer) if closer in ("$$", "\\]") else 0
            end = _find_close(lines, i, stripped, closer, skip)
            if end is not None:
                j, body = end
                cont = re.sub(r"[^>\s]", " ", prefix)
                out.append("\x00" + prefix + "```" + MATH_INFO + str(len(maths)))
                out.append("\x00" + cont + "```")
                maths.append(body)
                i = j + 1
                continue
        out.append(line)
        i += 1
    return "\n".join(out), maths


def _unquoted(line: str) -> str:
    """``line`` without its block-quote markers."""
    return line[len(_QUOTES.match(line).group()):]  # type: ignore[union-attr]


def _find_close(lines: list[str], i: int, first: str, closer: str,
                skip: int) -> tuple[int, str] | None:
    """The last line of a math block opened on line ``i`` (whose content, containers cut
    off, is ``first``) and the block's source."""
    rest = first[skip:]
    if closer in rest:
        before, _, after = rest.partition(closer)
        if after.strip():
            return None  # "$$a$$ and text": inline in a paragraph
        return (i, first if skip == 0 else before)
    body = [first if skip == 0 else rest]
    for j in range(i + 1, min(len(lines), i + MAX_MATH_LINES)):
        line = _unquoted(lines[j])
        if closer in line:
            before, _, after = line.partition(closer)
            if after.strip():
                return None
            body.append(line if skip == 0 else before)
            return (j, "\n".join(body))
        if not line.strip():
            return None  # a blank line ends the paragraph: not math
        body.append(line)
    return None


# -- inline ----------------------------------------------------------------------------------


def _inline(text: str) -> str:
    """Inline math to Unicode and inline images to text, outside code; code lines unmarked."""
    out: list[str] = []
    prose: list[str] = []

    def flush() -> None:
        """Convert the prose lines gathered so far."""
        if prose:
            out.append(_inline_prose("\n".join(prose)))
            prose.clear()

    for line in text.split("\n"):
        if line.startswith("\x00"):
            flush()
            out.append(line[1:])
        else:
            prose.append(line)
    flush()
    return "\n".join(out)


def _inline_prose(text: str) -> str:
    pieces: list[str] = []
    pos = 0
    for m in _CODE_SPAN.finditer(text):
        pieces.append(_math_and_images(text[pos:m.start()]))
        pieces.append(m.group())
        pos = m.end()
    pieces.append(_math_and_images(text[pos:]))
    return "".join(pieces)


def _math_and_images(text: str) -> str:
    if "$" not in text and "\\(" not in text and "\\[" not in text and "\\begin" not in text:
        return text
    from tui.render.latex import math_inline_text, split_math
    from tui.render.registry import RenderError

    out: list[str] = []
    for kind, body in split_math(text):
        if kind == "text":
            out.append(body)
            continue
        try:
            out.append(_escape(math_inline_text(body)))
        except RenderError:
            out.append(_escape(body))
    return "".join(out)


def _escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)
