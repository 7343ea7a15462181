"""Markdown (cells and text/markdown outputs) to a Rich renderable, with math and images.

Rich's :class:`~rich.markdown.Markdown` draws the text. Around it: ``$...$`` becomes Unicode
math inline, ``$$...$$``, ``\\[...\\]`` and ``\\begin{equation}`` blocks display math
(:func:`tui.render.latex.render_math`), and a paragraph made only of images draws them
(``attachment:NAME`` from the cell's attachments, ``data:`` URIs, local files under the
notebook's folder) through the registry; remote images are never fetched. ``$`` inside code
spans and fenced blocks, and an escaped ``\\$``, stay as they are. A source with none of
``$``, ``![``, ``\\begin``, ``\\[``, ``\\(`` goes straight to Rich, as fast as before.
"""

from __future__ import annotations

import base64
import re
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from rich.console import Group, RenderableType
from rich.text import Text

from tui.mime import as_text
from tui.render.context import RenderContext
from tui.render.highlight import CODE_THEME

MAX_IMAGE_FILE = 20 * 1024 * 1024
"""Bytes of a local image file read for a markdown image."""

MAX_MATH_LINES = 200
"""Lines of one display-math block looked through for its end."""

_TRIGGERS = ("$", "![", "\\begin", "\\[", "\\(", "<img", "<IMG")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_IMAGE = re.compile(r"!\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
_IMAGES_ONLY = re.compile(r"^\s*(?:" + _IMAGE.pattern + r"\s*)+$")
_IMG_TAG = re.compile(r"<img\s[^>]*>", re.IGNORECASE)
_IMG_TAGS_ONLY = re.compile(r"^\s*(?:<img\s[^>]*>\s*)+$", re.IGNORECASE)
_ATTR = re.compile(r"""\b(src|alt)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_CODE_SPAN = re.compile(r"(`+)(?:.|\n)+?(?<!`)\1(?!`)")
_ESCAPE = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&])")
_EXTENSIONS = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".webp": "image/webp", ".bmp": "image/bmp",
               ".svg": "image/svg+xml"}
_DRAWN = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "image/svg+xml")


def render_markdown(source: str, *, language: str = "python",
                    ctx: RenderContext | None = None) -> RenderableType:
    """Render ``source`` as markdown: headings, emphasis, lists, code blocks, tables, links,
    math and images (``ctx`` gives the width, graphics mode, attachments and folder).

    Empty sources render as a dim placeholder so the cell stays visible and clickable.
    """
    if not source.strip():
        return Text("(empty markdown cell: Enter to edit)", style="dim italic")
    if not any(t in source for t in _TRIGGERS):
        return _markdown(source, language)
    ctx = ctx or RenderContext()
    parts: list[RenderableType] = []
    for kind, body in _blocks(source):
        if kind == "text":
            text = _inline(body)
            if text.strip():
                parts.append(_markdown(text, language))
        elif kind == "math":
            parts.append(_display_math(body, ctx))
        else:
            parts.extend(_images(body, ctx))
    if len(parts) == 1:
        return parts[0]
    spaced: list[RenderableType] = []
    for i, part in enumerate(parts):
        if i:
            spaced.append(Text(""))
        spaced.append(part)
    return Group(*spaced)


def _markdown(source: str, language: str) -> RenderableType:
    from rich.markdown import Markdown  # markdown-it is a noticeable import: only when needed

    from tui.render.highlight import IPYTHON_LEXERS

    # Rich looks the inline lexer up by name for every code span: a name only a plugin has
    # (ipykernel's "ipython3") made Pygments scan every package's entry points each time
    # (22 scans, ~40 ms with importlib.metadata, on one Handbook notebook)
    inline = "python" if language.lower() in IPYTHON_LEXERS else language
    return Markdown(source, code_theme=CODE_THEME, inline_code_lexer=inline,
                    hyperlinks=True, justify="left")


def render_markdown_output(value: Any, metadata: Mapping[str, Any],
                           ctx: RenderContext) -> RenderableType:
    """``text/markdown`` outputs, as markdown cells render."""
    return render_markdown(as_text(value), ctx=ctx)


# -- blocks ----------------------------------------------------------------------------------


def _blocks(source: str) -> list[tuple[str, str]]:
    """``source`` cut into ``("text" | "math" | "images", body)`` blocks; fenced code stays
    in text blocks, marked so that inline processing leaves it alone (``\\x00`` lines)."""
    from tui.render.latex import MATH_ENV_BEGIN

    lines = source.split("\n")
    blocks: list[tuple[str, str]] = []
    text: list[str] = []

    def flush() -> None:
        """End the text block gathered so far."""
        if text:
            blocks.append(("text", "\n".join(text)))
            text.clear()

    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        stripped = line.strip()
        fence = _FENCE.match(line)
        if fence:
            mark = fence.group(1)
            j = i + 1
            while j < n and not lines[j].strip().startswith(mark[0] * len(mark)):
                j += 1
            text.extend("\x00" + ln for ln in lines[i:j + 1])
            i = j + 1
            continue
        closer = None
        if stripped.startswith("$$"):
            closer = "$$"
        elif stripped.startswith("\\["):
            closer = "\\]"
        else:
            m = MATH_ENV_BEGIN.match(stripped)
            if m:
                closer = f"\\end{{{m.group(1)}}}"
        if closer is not None:
            start = len(closer) if closer in ("$$", "\\]") else 0
            end = _find_close(lines, i, closer, start)
            if end is not None:
                j, body = end
                flush()
                blocks.append(("math", body))
                i = j + 1
                continue
        if (("![" in line and _IMAGES_ONLY.match(line))
                or ("<" in line and _IMG_TAGS_ONLY.match(line))) and not _text_continues(text):
            flush()
            blocks.append(("images", line))
            i += 1
            continue
        text.append(line)
        i += 1
    flush()
    return blocks


def _text_continues(text: list[str]) -> bool:
    """True when the line before is a paragraph's text (an image there is inline)."""
    return bool(text) and bool(text[-1].strip()) and not text[-1].startswith("\x00")


def _find_close(lines: list[str], i: int, closer: str, skip: int) -> tuple[int, str] | None:
    """The last line of a math block opened on line ``i`` and the block's source."""
    first = lines[i].strip()
    rest = first[skip:]
    if closer in rest:
        before, _, after = rest.partition(closer)
        if after.strip():
            return None  # "$$a$$ and text": inline in a paragraph
        return (i, first if skip == 0 else before)
    body = [first if skip == 0 else rest]
    for j in range(i + 1, min(len(lines), i + MAX_MATH_LINES)):
        line = lines[j]
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
        return _images_as_text(text)
    from tui.render.latex import math_inline_text, split_math
    from tui.render.registry import RenderError

    out: list[str] = []
    for kind, body in split_math(text):
        if kind == "text":
            out.append(_images_as_text(body))
            continue
        try:
            out.append(_escape(math_inline_text(body)))
        except RenderError:
            out.append(_escape(body))
    return "".join(out)


def _images_as_text(text: str) -> str:
    if "![" not in text:
        return text
    return _IMAGE.sub(lambda m: _escape(_image_label(m.group(1), m.group(2))), text)


def _escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


def _image_label(alt: str, src: str) -> str:
    label = f"[image: {alt}]" if alt else "[image]"
    return label + f"({src})" if src.startswith(("http://", "https://")) else label


# -- display math and images -----------------------------------------------------------------


def _display_math(body: str, ctx: RenderContext) -> RenderableType:
    from tui.render.latex import render_math
    from tui.render.registry import RenderError

    try:
        return render_math(body, ctx, display=True)
    except RenderError as exc:
        return Group(Text(body.strip(), style="dim"), Text(f"[math: {exc}]", style="dim italic"))


def _images(line: str, ctx: RenderContext) -> list[RenderableType]:
    out: list[RenderableType] = []
    for m in _IMAGE.finditer(line):
        alt, src = m.group(1), m.group(2)
        out.append(_image(alt, src, ctx))
    for tag in _IMG_TAG.finditer(line):  # <img src="attachment:x.png" alt="..."> lines
        attrs = {a.group(1).lower(): a.group(2) or a.group(3) or a.group(4) or ""
                 for a in _ATTR.finditer(tag.group())}
        out.append(_image(attrs.get("alt", ""), attrs.get("src", ""), ctx))
    return out


def _image(alt: str, src: str, ctx: RenderContext) -> RenderableType:
    label = Text(_image_label(alt, src), style="dim italic")
    if src.startswith(("http://", "https://")) or not ctx.draws_images:
        return label
    found = _image_data(src, ctx)
    if found is None:
        return label
    if isinstance(found, str) and found.startswith("!"):
        return Text(f"{label.plain[:-1]}: {found[1:]}]", style="dim italic")
    mime, data = found
    from tui.render.registry import Unrenderable, render_mime

    try:
        return render_mime(mime, data, {}, ctx)
    except Unrenderable:
        return label


def _image_data(src: str, ctx: RenderContext) -> tuple[str, str] | str | None:
    """(mime, value as a bundle holds it) for ``src``, a ``"!reason"`` string when it cannot
    be read, ``None`` when there is nothing to read."""
    if src.startswith("attachment:"):
        bundle = (ctx.attachments or {}).get(unquote(src[len("attachment:"):]))
        if not isinstance(bundle, Mapping):
            return "!no such attachment"
        for mime in _DRAWN:
            if mime in bundle:
                return mime, as_text(bundle[mime])
        return "!attachment has no image"
    if src.startswith("data:"):
        header, sep, payload = src[5:].partition(",")
        if not sep:
            return "!bad data URI"
        mime = header.split(";")[0].strip().lower() or "text/plain"
        if mime not in _DRAWN:
            return f"!{mime} is not an image"
        if ";base64" in header:
            return mime, payload
        raw = unquote(payload)
        if mime == "image/svg+xml":
            return mime, raw
        return mime, base64.b64encode(raw.encode("latin-1", "replace")).decode()
    return _local_file(src, ctx)


def _local_file(src: str, ctx: RenderContext) -> tuple[str, str] | str | None:
    if ctx.base_dir is None or "://" in src:
        return None
    rel = unquote(src.split("#", 1)[0].split("?", 1)[0])
    mime = _EXTENSIONS.get(Path(rel).suffix.lower())
    if mime is None:
        return "!not an image file"
    path = Path(ctx.base_dir) / rel
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return "!not a regular file"
        if info.st_size > MAX_IMAGE_FILE:
            return f"!file too large ({info.st_size:,} bytes)"
        with path.open("rb") as fh:
            data = fh.read(MAX_IMAGE_FILE + 1)
    except OSError as exc:
        return f"!cannot read: {exc.strerror or exc}"
    if len(data) > MAX_IMAGE_FILE:
        return "!file too large"
    if mime == "image/svg+xml":
        return mime, data.decode("utf-8", "replace")
    return mime, base64.b64encode(data).decode()
