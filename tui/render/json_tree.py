"""``application/json`` as a highlighted, folded tree.

Keys, strings, numbers, booleans and ``null`` each have their style. As JupyterLab's JSON
viewer does, the root is open and ``metadata["expanded"]`` opens everything; otherwise
containers deeper than ``ctx.options["json_depth"]`` (2) are folded to one line (``{…} 5
keys``). Everything is bounded: the first :data:`MAX_CHILDREN` children of a container, long
strings cut with a mark, at most :data:`MAX_LINES` lines, and the walk is iterative, so a value
nested 10,000 levels deep costs what is shown, never a RecursionError.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from itertools import islice
from typing import Any

from rich.console import RenderableType
from rich.text import Text

from tui.render.context import RenderContext

MAX_CHILDREN = 50
"""Children of one container shown; the rest are counted."""
MAX_STRING = 200
"""Characters of one string shown before it is cut."""
MAX_LINES = 2000
"""Lines of one tree; the rest are counted as cut."""
MAX_DEPTH = 100
"""Containers deeper than this stay folded even when the output asks to expand all."""
MAX_SOURCE = 20 * 1024 * 1024
"""A JSON string longer than this (bytes) is not parsed."""

KEY = "bold #5f87d7"
STRING = "#5f9f5f"
NUMBER = "#d7875f"
CONSTANT = "italic #af5fd7"
PUNCT = "dim"
NOTE = "dim italic"


def render_json(value: Any, metadata: Mapping[str, Any], ctx: RenderContext) -> RenderableType:
    """A JSON value (parsed, or a string of JSON) as a folded, highlighted tree."""
    from tui.render.registry import RenderError

    if isinstance(value, (str, bytes)):
        if len(value) > MAX_SOURCE:
            raise RenderError(f"JSON too large to show ({len(value):,} bytes)")
        try:
            value = json.loads(value)
        except RecursionError:
            raise RenderError("JSON nested too deeply to parse") from None
        except ValueError as exc:
            raise RenderError(f"invalid JSON: {exc}") from None
    expanded = bool(metadata.get("expanded")) if isinstance(metadata, Mapping) else False
    depth = MAX_DEPTH if expanded else _option_depth(ctx)
    return JsonTree(depth, ctx.width).render(value)


def _option_depth(ctx: RenderContext) -> int:
    raw = ctx.options.get("json_depth", 2) if isinstance(ctx.options, Mapping) else 2
    try:
        return max(1, min(MAX_DEPTH, int(raw)))
    except (TypeError, ValueError):
        return 2


def _count(n: int, one: str) -> str:
    return f"{n:,} {one}" + ("" if n == 1 else "s")


class JsonTree:
    """One tree's layout: containers open down to ``open_depth`` (the root is depth 1)."""

    def __init__(self, open_depth: int, width: int = 80) -> None:
        self.open_depth = open_depth
        self.width = width
        self.out = Text(no_wrap=True, overflow="ellipsis")
        self.lines = 0

    def render(self, value: Any) -> Text:
        """The tree of ``value``."""
        # each frame: (children, indent, closing bracket); children yield (key, value, last)
        stack: list[tuple[Iterator[tuple[str | None, Any, bool]], int, str]] = []
        self._value(None, value, 0, True, stack)
        while stack:
            children, indent, closer = stack[-1]
            entry = next(children, None)
            if entry is None:
                stack.pop()
                self._line(indent)
                self.out.append(closer, PUNCT)
                continue
            if self.lines >= MAX_LINES:
                self._line(indent + 1)
                self.out.append("… (cut: too many lines)", NOTE)
                break
            key, child, last = entry
            self._value(key, child, indent + 1, last, stack)
        return self.out

    def _line(self, indent: int) -> None:
        if self.lines:
            self.out.append("\n")
        self.lines += 1
        deep = max(4, self.width // 3) // 2  # deeper levels share one indent (still readable)
        self.out.append("  " * min(indent, deep))

    def _value(self, key: str | None, value: Any, indent: int, last: bool,
               stack: list[tuple[Iterator[tuple[str | None, Any, bool]], int, str]]) -> None:
        self._line(indent)
        used = 2 * indent
        if key is not None:
            label = json.dumps(key, ensure_ascii=False)
            if len(label) > MAX_STRING:
                label = label[:MAX_STRING] + "…\""
            self.out.append(label, KEY)
            self.out.append(": ", PUNCT)
            used += len(label) + 2
        comma = "" if last else ","
        if isinstance(value, (Mapping, list, tuple)):
            is_map = isinstance(value, Mapping)
            opener, closer = ("{", "}") if is_map else ("[", "]")
            n = len(value)
            if n == 0:
                self.out.append(opener + closer, PUNCT)
                self.out.append(comma, PUNCT)
                return
            if indent + 1 > self.open_depth:
                self.out.append(opener + "…" + closer, PUNCT)
                self.out.append(" " + _count(n, "key" if is_map else "item"), NOTE)
                self.out.append(comma, PUNCT)
                return
            inline = None if is_map else self._inline_scalars(value)
            if inline is not None:
                self.out.append_text(inline)
                self.out.append(comma, PUNCT)
                return
            self.out.append(opener, PUNCT)
            stack.append((_children(value, n), indent, closer + comma))
            return
        room = max(20, min(MAX_STRING, self.width - used - 24))
        self.out.append_text(_scalar(value, room))
        self.out.append(comma, PUNCT)

    def _inline_scalars(self, items: Any) -> Text | None:
        """A short list of scalars on one line (``[0, 1]``), else ``None``."""
        if len(items) > 8:
            return None
        parts = Text("[", PUNCT)
        for i, item in enumerate(items):
            if isinstance(item, (Mapping, list, tuple)):
                return None
            if i:
                parts.append(", ", PUNCT)
            parts.append_text(_scalar(item))
            if len(parts.plain) > 60:
                return None
        parts.append("]", PUNCT)
        return parts


def _children(value: Any, n: int) -> Iterator[tuple[str | None, Any, bool]]:
    shown = min(n, MAX_CHILDREN)
    more = n - shown
    if isinstance(value, Mapping):
        for i, (k, v) in enumerate(islice(value.items(), shown)):
            yield (str(k), v, i == shown - 1 and not more)
        if more:
            yield (None, _More(_count(more, "more key")), True)
    else:
        for i, v in enumerate(islice(value, shown)):
            yield (None, v, i == shown - 1 and not more)
        if more:
            yield (None, _More(_count(more, "more item")), True)


class _More:
    """The "… N more" line at the end of a long container."""

    def __init__(self, label: str) -> None:
        self.label = label


def _scalar(value: Any, room: int = MAX_STRING) -> Text:
    if isinstance(value, _More):
        return Text("… " + value.label, NOTE)
    if value is None:
        return Text("null", CONSTANT)
    if isinstance(value, bool):
        return Text("true" if value else "false", CONSTANT)
    if isinstance(value, (int, float)):
        return Text(_number(value), NUMBER)
    text = value if isinstance(value, str) else str(value)
    if len(text) > room:
        cut = json.dumps(text[:room], ensure_ascii=False)[:-1]
        out = Text(cut + "…\"", STRING)
        out.append(f" ({len(text):,} characters)", NOTE)
        return out
    return Text(json.dumps(text, ensure_ascii=False), STRING)


def _number(value: int | float) -> str:
    if isinstance(value, int) and abs(value) >= 10 ** 40:
        digits = len(str(abs(value))) if value.bit_length() < 14_000 else None
        return f"<integer of {digits:,} digits>" if digits else "<huge integer>"
    return json.dumps(value)
