"""HTML other than tables as formatted text: :class:`HtmlFlow` walks a parsed tree into Rich
renderables (headings, paragraphs, lists, links, emphasis, code, ``<pre>``, ``<hr>``,
blockquotes, images), separated as a browser would (a blank line around paragraphs)."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Mapping
from urllib.parse import unquote

from rich.console import Group, RenderableType
from rich.constrain import Constrain
from rich.padding import Padding
from rich.style import Style
from rich.table import Table
from rich.text import Text

from tui.render.context import RenderContext
from tui.render.html_css import declarations_style
from tui.render.html_dom import BLOCKS, Node
from tui.render.html_grid import render_table

MAX_TEXT_CHARS = 200_000
"""Characters of text shown from one HTML output (the rest is cut with a note)."""

INLINE_STYLES: dict[str, Style] = {
    "b": Style(bold=True), "strong": Style(bold=True),
    "i": Style(italic=True), "em": Style(italic=True), "cite": Style(italic=True),
    "var": Style(italic=True), "dfn": Style(italic=True), "address": Style(italic=True),
    "u": Style(underline=True), "ins": Style(underline=True),
    "s": Style(strike=True), "strike": Style(strike=True), "del": Style(strike=True),
    "code": Style(bold=True, color="cyan"), "tt": Style(bold=True, color="cyan"),
    "samp": Style(bold=True, color="cyan"), "kbd": Style(reverse=True),
    "mark": Style(reverse=True), "small": Style(dim=True),
    "th": Style(bold=True), "dt": Style(bold=True), "summary": Style(bold=True),
}
"""Styles of inline elements (and of block elements whose text is emphasised)."""

HEADINGS: dict[str, Style] = {
    "h1": Style(bold=True, underline=True), "h2": Style(bold=True),
    "h3": Style(bold=True), "h4": Style(bold=True, italic=True),
    "h5": Style(bold=True, dim=True), "h6": Style(italic=True, dim=True),
}

MARGIN = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "table", "ul", "ol", "dl", "blockquote",
    "hr", "figure", "details", "fieldset", "center",
})
"""Blocks with a blank line around them."""

BULLETS = ("•", "◦", "▪")
_SPACES = re.compile(r"[ \t\n\r\f]+")
_DATA_URI = re.compile(r"^data:(image/[\w.+-]+)((?:;[\w=.-]+)*?)(;base64)?,(.*)$", re.I | re.S)

ImageRenderer = Callable[[str, str, Mapping[str, object], RenderContext], RenderableType]
"""``render_mime``: (mime, value, metadata, ctx) -> renderable."""


def _href_shown(href: str, text: str) -> bool:
    href = href.strip()
    if not href or href.startswith(("#", "javascript:")):
        return False
    plain = text.strip()
    return href != plain and href.removeprefix("mailto:") != plain


def _link_style(href: str) -> Style:
    if href.startswith(("http://", "https://", "mailto:", "ftp://")):
        return Style(underline=True, link=href)
    return Style(underline=True)


class _Block:
    """One block of a flow and whether it wants a blank line before and after it."""

    __slots__ = ("after", "before", "renderable")

    def __init__(self, renderable: RenderableType, before: bool = False,
                 after: bool = False) -> None:
        self.renderable = renderable
        self.before = before
        self.after = after


class _Line:
    """Inline text being gathered, whitespace collapsed as HTML does."""

    def __init__(self) -> None:
        self.text = Text()
        self.space = True

    def add(self, data: str, style: Style | None) -> int:
        data = _SPACES.sub(" ", data)
        if self.space:
            data = data.lstrip(" ")
        if not data:
            return 0
        self.text.append(data, style)
        self.space = data.endswith(" ")
        return len(data)

    def br(self) -> None:
        self.text.rstrip()
        self.text.append("\n")
        self.space = True

    def take(self) -> Text | None:
        text, self.text, self.space = self.text, Text(), True
        text.rstrip()
        return text if text.plain.strip() else None


class HtmlFlow:
    """Walks HTML nodes into a list of blocks for one container ``width`` cells wide.

    ``images`` renders a data-URI ``<img>`` (the registry's ``render_mime``) and is only
    called when the context draws images; ``id_styles`` are the Styler colours (``None``: no
    colour).
    """

    def __init__(self, ctx: RenderContext, width: int, *, images: ImageRenderer | None,
                 id_styles: Mapping[str, Style] | None, budget: list[int] | None = None,
                 depth: int = 0) -> None:
        self.ctx = ctx
        self.width = max(1, width)
        self.images = images
        self.id_styles = id_styles
        self.blocks: list[_Block] = []
        self.line = _Line()
        self.budget = budget if budget is not None else [MAX_TEXT_CHARS]
        self.depth = depth
        self.compact = False
        """True in a list item: nested lists get no blank line around them."""
        self.in_cell = False
        """True in a table cell: a nested table is flattened to its text."""

    # --- output ---------------------------------------------------------------------------
    def flush(self) -> None:
        """Close the current run of inline text as a block."""
        text = self.line.take()
        if text is not None:
            self.blocks.append(_Block(Constrain(text, self.width)))

    def add_block(self, renderable: RenderableType, margin: bool, wide: bool = False) -> None:
        """Append a block (``margin``: blank lines around it; ``wide``: not held to the
        width, a table in ``scroll`` mode), after the inline text gathered so far."""
        self.flush()
        if not wide:
            renderable = Constrain(renderable, self.width)
        self.blocks.append(_Block(renderable, margin, margin))

    def renderable(self) -> RenderableType | None:
        """Every block, a blank line where a neighbour has a margin; ``None``: empty."""
        self.flush()
        if not self.blocks:
            return None
        parts: list[RenderableType] = []
        for i, block in enumerate(self.blocks):
            if i and (block.before or self.blocks[i - 1].after):
                parts.append(Text(""))
            parts.append(block.renderable)
        return parts[0] if len(parts) == 1 else Group(*parts)

    # --- walking --------------------------------------------------------------------------
    def walk(self, node: Node, style: Style | None = None) -> None:
        """Add the content of ``node`` (not the node itself) to this flow."""
        for child in node.children:
            if self.budget[0] <= 0:
                return
            if isinstance(child, str):
                self.budget[0] -= self.line.add(child[: max(self.budget[0], 0)], style)
            elif child.tag == "svg" and "data-raw" in child.attrs:
                self.svg(child)
            elif not child.hidden:
                self.element(child, style)

    def _child_style(self, node: Node, style: Style | None) -> Style | None:
        extra = INLINE_STYLES.get(node.tag) or HEADINGS.get(node.tag)
        if self.id_styles is not None and "style" in node.attrs:
            css = declarations_style(node.attrs["style"])
            extra = extra + css if extra is not None and css is not None else extra or css
        if extra is None:
            return style
        return style + extra if style is not None else extra

    def element(self, node: Node, style: Style | None) -> None:
        """Add one element (inline or block) to this flow."""
        tag = node.tag
        inner = self._child_style(node, style)
        if tag == "br":
            self.line.br()
        elif tag == "img":
            self.image(node, style)
        elif tag == "a":
            self.link(node, inner)
        elif tag == "input":
            if node.attrs.get("type", "").lower() in ("checkbox", "radio"):
                self.line.add("[x] " if "checked" in node.attrs else "[ ] ", style)
        elif tag == "q":
            self.line.add("“", inner)
            self.walk(node, inner)
            self.line.add("”", inner)
        elif tag == "table":
            self.table(node)
        elif tag in ("ul", "ol", "menu"):
            self.add_block(self.listing(node), not self.compact)
        elif tag == "pre":
            self.pre(node)
        elif tag == "hr":
            self.add_block(Text("─" * self.width, style="dim"), True)
        elif tag in ("blockquote", "dd", "figure"):
            indent = 2 if tag == "blockquote" else 4
            sub = self.sub_flow(self.width - indent)
            sub.walk(node, inner)
            body = sub.renderable()
            if body is not None:
                self.add_block(Padding(body, (0, 0, 0, indent)), tag != "dd")
        elif tag == "li":
            self.add_block(self.listing(node, single=True), False)
        elif tag in BLOCKS or tag in ("td", "th", "tr", "tbody", "thead", "tfoot", "legend"):
            self.flush()
            first = len(self.blocks)
            self.walk(node, inner)
            self.flush()
            if tag in MARGIN and len(self.blocks) > first:
                self.blocks[first].before = True
                self.blocks[-1].after = True
        else:
            self.walk(node, inner)

    def sub_flow(self, width: int) -> HtmlFlow:
        """A flow for nested content (a list item, a quote), sharing the text budget."""
        return HtmlFlow(self.ctx, width, images=self.images, id_styles=self.id_styles,
                        budget=self.budget, depth=self.depth + 1)

    # --- elements -------------------------------------------------------------------------
    def link(self, node: Node, style: Style | None) -> None:
        """Link text (underlined, a terminal hyperlink for web URLs), then its URL dim."""
        href = node.attrs.get("href", "").strip()
        start = len(self.line.text.plain)
        self.walk(node, (style or Style()) + _link_style(href) if href else style)
        shown = self.line.text.plain[start:]
        if href and _href_shown(href, shown):
            if not shown.strip():
                self.line.add(href, _link_style(href))
            else:
                self.line.add(f" ({href})", Style(dim=True))

    def image(self, node: Node, style: Style | None) -> None:
        """A data-URI image drawn through the registry, else ``[image: alt]``."""
        src = node.attrs.get("src", "").strip()
        alt = node.attrs.get("alt", "").strip() or node.attrs.get("title", "").strip()
        match = _DATA_URI.match(src)
        if match and self.images is not None and self.ctx.draws_images:
            drawn = self._data_image(match, node)
            if drawn is not None:
                self.add_block(drawn, False)
                return
        if not alt and src and not src.startswith("data:"):
            alt = src.rsplit("/", 1)[-1][:60]
        self.line.add(f"[image: {alt}]" if alt else "[image]", Style(dim=True, italic=True))

    def svg(self, node: Node) -> None:
        """Inline ``<svg>`` drawn through the registry, else ``[image: svg]``."""
        if "hidden" in node.attrs or "display:none" in node.attrs.get("style", "").replace(
                " ", ""):
            return
        if self.images is not None and self.ctx.draws_images:
            self.add_block(self.images("image/svg+xml", node.attrs["data-raw"], {},
                                       self.ctx.with_width(self.width)), False)
        else:
            self.line.add("[image: svg]", Style(dim=True, italic=True))

    def _data_image(self, match: re.Match[str], node: Node) -> RenderableType | None:
        assert self.images is not None
        mime, is_base64, payload = match.group(1).lower(), match.group(3), match.group(4)
        if mime == "image/svg+xml":
            try:
                value = (base64.b64decode(payload).decode("utf-8", "replace") if is_base64
                         else unquote(payload))
            except (binascii.Error, ValueError):
                return None
        elif is_base64:
            value = "".join(payload.split())
        else:
            return None
        meta: dict[str, object] = {}
        for key in ("width", "height"):
            raw = node.attrs.get(key, "").strip().removesuffix("px")
            if raw.isdigit():
                meta[key] = int(raw)
        return self.images(mime, value, {mime: meta} if meta else {},
                           self.ctx.with_width(self.width))

    def pre(self, node: Node) -> None:
        """``<pre>`` verbatim (its text, whitespace kept)."""
        raw = node.text()
        raw = raw[1:] if raw.startswith("\n") else raw
        raw = raw.rstrip("\n")[: max(self.budget[0], 0)]
        self.budget[0] -= len(raw)
        if raw.strip():
            self.add_block(Text(raw, style=Style(dim=False), overflow="fold"), True)

    def listing(self, node: Node, single: bool = False) -> RenderableType:
        """``<ul>``/``<ol>`` (or a lone ``<li>``) with bullets or numbers, nested lists
        indented."""
        ordered = node.tag == "ol"
        try:
            number = int(node.attrs.get("start", "1"))
        except ValueError:
            number = 1
        items = [node] if single else [c for c in node.children
                                       if isinstance(c, Node) and not c.hidden]
        grid = Table.grid(padding=(0, 1, 0, 0))
        grid.add_column(no_wrap=True)
        grid.add_column()
        marker_width = len(f"{number + max(len(items) - 1, 0)}.") if ordered else 1
        for item in items:
            sub = self.sub_flow(self.width - marker_width - 1)
            sub.compact = True
            if item.tag == "li" or single:
                sub.walk(item)
            else:
                sub.element(item, None)
            body = sub.renderable()
            if body is None and item.tag != "li":
                continue
            marker = f"{number}." if ordered else BULLETS[self.depth % len(BULLETS)]
            grid.add_row(Text(marker.rjust(marker_width), style="bold" if ordered else ""),
                         body if body is not None else Text(""))
            number += 1
        return grid

    def table(self, node: Node) -> None:
        """A ``<table>`` as an aligned grid (see :mod:`tui.render.html_grid`)."""
        if self.in_cell:
            self.line.add(" " + node.text() + " ", None)
            return
        rendered = render_table(node, self.cell_text, width=self.width,
                                options=self.ctx.options, id_styles=self.id_styles,
                                max_line_cells=self.ctx.max_line_cells)
        if rendered is not None:
            wide = self.ctx.options.get("wide_tables") == "scroll"
            self.add_block(rendered, True, wide=wide)
        for child in node.children:  # misplaced content (a table in a table): after it
            if (isinstance(child, Node) and not child.hidden
                    and child.tag not in ("caption", "thead", "tbody", "tfoot")):
                self.element(child, None)

    def cell_text(self, node: Node) -> Text:
        """A cell's content as one line (blocks and line breaks become spaces)."""
        sub = HtmlFlow(self.ctx, 10_000, images=None, id_styles=self.id_styles,
                       budget=[2_000], depth=self.depth + 1)
        sub.in_cell = True
        sub.walk(node)
        sub.flush()
        parts = [b.renderable.renderable for b in sub.blocks
                 if isinstance(b.renderable, Constrain)
                 and isinstance(b.renderable.renderable, Text)]
        if not parts:
            return Text("")
        text = Text(" ").join(parts)
        text.plain = text.plain.replace("\n", " ")
        return text
