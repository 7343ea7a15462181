"""A small, forgiving HTML tree for the ``text/html`` renderer, built on the stdlib parser.

:func:`parse_html` never raises on malformed input: unclosed tags are closed where a browser
would close them (a new ``<li>``, ``<td>`` or ``<tr>``; a block start inside ``<p>``), stray end
tags are ignored, nesting and node counts are bounded. Tables are not kept as a DOM: each closed
``<tr>`` is placed at once into a :class:`~tui.render.html_table.TableBuild` (rowspan/colspan
resolved), which keeps only the head and tail rows a renderer will show.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from html.parser import HTMLParser

from tui.render.html_table import TableBuild

VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
})
"""Elements without content or end tag."""

HIDDEN = frozenset({
    "script", "style", "head", "title", "template", "meta", "link", "base", "noembed",
    "object", "iframe", "colgroup", "col", "datalist", "select", "option", "svg", "math",
    "canvas", "audio", "video",
})
"""Elements whose content is never shown as text."""

BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "details", "dialog", "dd", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hgroup", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
    "table", "ul", "center", "body", "html", "caption",
})
"""Block-level elements (a new one closes an open ``<p>``)."""

MAX_DEPTH = 120
"""Deeper elements are kept flat under the 120th (no recursion limit is ever reached)."""
MAX_NODES = 200_000
"""Elements kept before the rest of the document is dropped (with a note)."""
MAX_HTML_CHARS = 1_000_000
"""Characters parsed (html.parser: about 0.8 s for 1 MB of tag-heavy input)."""
MAX_SVG_CHARS = 2_000_000
"""Largest inline ``<svg>`` kept for drawing."""
MAX_STYLE_CHARS = 200_000
"""Characters of ``<style>`` text kept for Styler colours."""

_TABLE_PARTS = frozenset({"table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption"})
_DISPLAY_NONE = re.compile(r"display\s*:\s*none", re.I)


class Node:
    """One element: ``tag``, ``attrs`` and ``children`` (``Node`` or text ``str``)."""

    __slots__ = ("attrs", "children", "hidden", "table", "tag")

    def __init__(self, tag: str, attrs: dict[str, str] | None = None) -> None:
        self.tag = tag
        self.attrs: dict[str, str] = attrs or {}
        self.children: list[Node | str] = []
        self.hidden = tag in HIDDEN
        self.table: TableBuild | None = None

    def text(self) -> str:
        """All visible text below this node, concatenated."""
        parts: list[str] = []
        stack: list[Node | str] = [self]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                parts.append(item)
            elif not item.hidden:
                if item.table is not None:
                    parts.append(" ".join(c.text() for c in item.table.cell_nodes()))
                if item.tag == "br":
                    parts.append("\n")
                stack.extend(reversed(item.children))
        return "".join(parts)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"<Node {self.tag} {len(self.children)} children>"


@dataclass
class Document:
    """A parsed HTML document: its root, the ``<style>`` texts, and notes on what was cut."""

    root: Node
    styles: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class _Builder(HTMLParser):
    """Tree builder with browser-like implied end tags and bounded size."""

    def __init__(self, max_rows: int, skip: tuple[int, int]) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack: list[Node] = [self.root]
        self.styles: list[str] = []
        self.style_chars = 0
        self.count = 0
        self.full = False
        self.max_rows = max_rows
        self.skip = skip
        self.source = ""
        self._line_starts: list[int] = [0]

    def set_source(self, html: str) -> None:
        """The whole text about to be fed, so inline ``<svg>`` can be sliced out verbatim
        (html.parser lowercases the attribute names SVG needs)."""
        self.source = html
        self._line_starts = [0, *(m.end() for m in re.finditer("\n", html))]

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._line_starts[line - 1] + col if line <= len(self._line_starts) else -1

    # --- helpers -------------------------------------------------------------------------
    def _open_index(self, tag: str, stop: frozenset[str] = frozenset()) -> int:
        """Index in the stack of the innermost open ``tag`` (above any ``stop``), else -1."""
        for i in range(len(self.stack) - 1, 0, -1):
            current = self.stack[i].tag
            if current == tag:
                return i
            if current in stop:
                return -1
        return -1

    def _pop_to(self, index: int) -> None:
        while len(self.stack) > index:
            self._close(self.stack.pop())

    def _close(self, node: Node) -> None:
        if node.tag == "style" and self.style_chars < MAX_STYLE_CHARS:
            css = "".join(c for c in node.children if isinstance(c, str))
            self.style_chars += len(css)
            self.styles.append(css[:MAX_STYLE_CHARS])
        elif node.tag == "tr":
            if node.table is not None:
                node.table.add_row(node)
        elif node.tag == "table" and node.table is not None:
            node.table.finish()

    def _current_table(self) -> Node | None:
        for node in reversed(self.stack):
            if node.tag == "table":
                return node
            if node.tag in ("td", "th", "caption"):
                return None
        return None

    # --- HTMLParser callbacks --------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.full:
            return
        self.count += 1
        if self.count > MAX_NODES:
            self.full = True
            return
        attributes = {k: (v if v is not None else "") for k, v in attrs}
        if tag in ("html", "body", "head"):
            return  # structure only; head's children are hidden one by one
        self._imply_end(tag)
        node = Node(tag, attributes)
        if "hidden" in attributes or _DISPLAY_NONE.search(attributes.get("style", "")):
            node.hidden = True
        parent = self.stack[-1]
        if tag in ("tr", "td", "th"):
            table = self._current_table()
            if tag != "tr" and table is not None and self.stack[-1].tag != "tr":
                self._start_row(table)  # a cell without a row: an implied <tr>
                parent = self.stack[-1]
            if tag == "tr" and table is not None:
                node.table = table.table
                node.attrs["data-section"] = self._section()
                self.stack.append(node)  # rows are not DOM children: the table places them
                return
        if tag == "svg" and self.source and self._open_index("svg") < 0:
            node.attrs["data-raw-start"] = str(self._offset())
        if tag == "table":
            node.table = TableBuild(self.max_rows, self.skip)
            self.skip = (0, 0)
        parent.children.append(node)
        if tag not in VOID and len(self.stack) < MAX_DEPTH:
            self.stack.append(node)

    def _start_row(self, table: Node) -> None:
        row = Node("tr", {"data-section": self._section()})
        row.table = table.table
        self.stack.append(row)

    def _section(self) -> str:
        for node in reversed(self.stack):
            if node.tag in ("thead", "tbody", "tfoot"):
                return node.tag
            if node.tag == "table":
                break
        return ""

    def _imply_end(self, tag: str) -> None:
        top = self.stack[-1].tag
        if tag in BLOCKS and top == "p":
            self._pop_to(len(self.stack) - 1)
        if tag == "li":
            i = self._open_index("li", frozenset({"ul", "ol", "table"}))
            if i > 0:
                self._pop_to(i)
        elif tag in ("dt", "dd"):
            i = max(self._open_index("dt", frozenset({"dl"})),
                    self._open_index("dd", frozenset({"dl"})))
            if i > 0:
                self._pop_to(i)
        elif tag in ("td", "th"):
            i = max(self._open_index("td", frozenset({"tr", "table"})),
                    self._open_index("th", frozenset({"tr", "table"})))
            if i > 0:
                self._pop_to(i)
        elif tag in ("tr", "thead", "tbody", "tfoot"):
            i = self._open_index("tr", frozenset({"table"}))
            if i > 0:
                self._pop_to(i)
            if tag != "tr":
                j = max(self._open_index(s, frozenset({"table"}))
                        for s in ("thead", "tbody", "tfoot"))
                if j > 0:
                    self._pop_to(j)

    def handle_endtag(self, tag: str) -> None:
        if self.full:
            return
        if tag == "br":  # </br> is a line break in every browser
            self.stack[-1].children.append(Node("br"))
            return
        stop = frozenset({"table"}) if tag in _TABLE_PARTS - {"table"} else frozenset()
        i = self._open_index(tag, stop)
        if i > 0:
            node = self.stack[i]
            start = node.attrs.pop("data-raw-start", None)
            if start is not None and int(start) >= 0:
                end = self.source.find(">", self._offset())
                if end > 0 and end - int(start) <= MAX_SVG_CHARS:
                    node.attrs["data-raw"] = self.source[int(start): end + 1]
            self._pop_to(i)

    def handle_data(self, data: str) -> None:
        if self.full or not data:
            return
        top = self.stack[-1]
        if top.tag in ("table", "thead", "tbody", "tfoot", "tr"):
            return  # text between rows: whitespace in practice, garbage otherwise
        top.children.append(data)

    def close(self) -> None:
        """Finish parsing and close every element still open."""
        try:
            super().close()
        finally:
            self.finish()

    def finish(self) -> None:
        """Close every element still open (also after a parser error)."""
        self._pop_to(1)


_TR = re.compile(r"<tr[\s>/]", re.I)
_ROWSPAN = re.compile(r"""<t[hd]\b[^>]*?rowspan\s*=\s*["']?(\d+)""", re.I)
_UNSAFE = re.compile(r"<script|<!--|<textarea|<!\[CDATA|<plaintext|<xmp", re.I)


def precut_rows(html: str, max_rows: int) -> tuple[str, tuple[int, int]]:
    """Drop the middle rows of one long table from the source before it is parsed.

    Only for a document with exactly one ``<table>`` and nothing that could hide a ``<tr``
    (scripts, comments). Rows whose ``rowspan`` reaches the kept tail are kept, so the tail
    lays out as it would have. Returns the text to parse and ``(at, count)``: ``count`` rows
    were cut after the ``at``-th row that is not in ``<thead>``.
    """
    if max_rows <= 0:
        return html, (0, 0)
    head, tail = _head_tail(max_rows)
    lowered_tables = len(re.findall(r"<table[\s>]", html, re.I))
    if lowered_tables != 1 or _UNSAFE.search(html):
        return html, (0, 0)
    thead_end = html.lower().find("</thead")
    rows = [m.start() for m in _TR.finditer(html) if m.start() > thead_end]
    margin = 4
    if len(rows) <= head + tail + 2 * margin:
        return html, (0, 0)
    tail_first = len(rows) - tail - margin  # first row index kept at the end
    cut_from = head + margin  # first row index dropped
    keep_from = tail_first
    middle_start, middle_end = rows[cut_from], rows[tail_first]
    for match in _ROWSPAN.finditer(html, middle_start, middle_end):
        row = bisect_right(rows, match.start()) - 1
        if row + int(match.group(1)[:6]) > tail_first:
            keep_from = min(keep_from, row)
    if keep_from <= cut_from:
        return html, (0, 0)
    return html[: rows[cut_from]] + html[rows[keep_from]:], (cut_from, keep_from - cut_from)


def _head_tail(max_rows: int) -> tuple[int, int]:
    head = (max_rows + 1) // 2
    return head, max_rows - head


def parse_html(html: str, *, max_rows: int = 60) -> Document:
    """Parse ``html`` into a :class:`Document`; tables keep at most ``max_rows`` body rows
    (head and tail; ``0`` keeps all). Never raises on malformed input."""
    notes: list[str] = []
    html, skip = precut_rows(html, max_rows)
    if len(html) > MAX_HTML_CHARS:
        end = html.rfind("<", 0, MAX_HTML_CHARS)
        end = end if end > MAX_HTML_CHARS // 2 else MAX_HTML_CHARS
        notes.append(f"HTML cut after {end:,} of {len(html):,} characters")
        html = html[:end]
    builder = _Builder(max_rows, skip)
    builder.set_source(html)
    try:
        builder.feed(html)
        builder.close()
    except (AssertionError, ValueError):  # html.parser's own errors on garbage markup
        notes.append("HTML partly unreadable")
        builder.finish()
    if builder.full:
        notes.append(f"HTML cut after {MAX_NODES:,} elements")
    return Document(builder.root, builder.styles, notes)
