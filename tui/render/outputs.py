"""nbformat output dicts to Rich renderables, for the editor, bounded in what they cost.

Every output goes through the shared registry (:mod:`tui.render.registry`): its best
representation for the terminal (or the one the user cycled to) is drawn. Text (streams,
tracebacks, ``text/plain``, ``text/markdown``) is bounded before Rich sees it: at most
``max_lines`` lines (the tail, with a line saying how many came before) and at most
``ctx.max_line_cells`` characters of each line, the rest replaced by a dim
``… (N more characters)`` mark. Rendering and measuring an output therefore costs what is on
screen, not what is in the output: one 50 MB line renders as fast as 4,000 characters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from tui.mime import as_text, human_size
from tui.render.ansi import MAX_LINES, ansi_text
from tui.render.context import RenderContext
from tui.render.registry import (
    IMAGE_TYPES,
    Unrenderable,
    render_data,
    render_mime,
    representations,
    with_notes,
)

__all__ = ["MAX_LINES", "TEXT_TYPES", "bounded_ansi", "cut_long_lines", "human_size",
           "outputs_text", "render_bundle", "render_output", "render_outputs", "tail_text"]

TEXT_TYPES = ("text/markdown", "text/plain")
"""MIME types whose text is copied by :func:`outputs_text`, best first."""

DIM = "\x1b[0;2;3m"
"""SGR for a mark put inside ANSI text (dim italic, after a reset of what the line set)."""
RESET = "\x1b[0m"

STDERR_STYLE = "on #3a1e1e"
"""Background of stderr streams."""


def more_characters(count: int) -> str:
    """The mark that ends a cut line: ``… (N more characters)``."""
    return f"… ({count:,} more characters)"


def cut_long_lines(text: str, max_cells: int, *, ansi: bool = True) -> str:
    """``text`` with what a terminal shows of each line (the part after its last ``\\r``),
    each line longer than ``max_cells`` characters cut there and followed by the mark of
    :func:`more_characters` (dim, as SGR, when ``ansi``; plain otherwise).

    Costs time in the number of lines and in the characters kept, not in the text's size
    (a 50 MB line is one ``str.find`` and one slice).
    """
    max_cells = max(1, max_cells)
    if len(text) <= max_cells and "\r" not in text:
        return text
    parts: list[str] = []
    start, end = 0, len(text)
    changed = False
    while start <= end:
        newline = text.find("\n", start)
        stop = end if newline < 0 else newline
        line_start, line_stop = start, stop
        if line_stop > line_start and text[line_stop - 1] == "\r":
            line_stop -= 1  # \r\n
            changed = True
        overwritten = text.rfind("\r", line_start, line_stop)
        if overwritten >= 0:  # a progress bar: the last state
            line_start = overwritten + 1
            changed = True
        length = line_stop - line_start
        if length > max_cells:
            parts.append(text[line_start:line_start + max_cells])
            mark = more_characters(length - max_cells)
            parts.append(f"{DIM} {mark}{RESET}" if ansi else f" {mark}")
            changed = True
        else:
            parts.append(text[line_start:line_stop])
        if newline < 0:
            break
        parts.append("\n")
        start = newline + 1
    return "".join(parts) if changed else text


def tail_text(text: str, max_lines: int) -> tuple[str, int]:
    """The last ``max_lines`` lines of ``text`` (a trailing newline dropped) and how many
    lines came before them; costs time in the lines kept."""
    if text.endswith("\n"):
        text = text[:-1]
    max_lines = max(1, max_lines)
    cut = len(text)
    for _ in range(max_lines):
        cut = text.rfind("\n", 0, cut)
        if cut < 0:
            return text, 0
    return text[cut + 1:], text.count("\n", 0, cut) + 1


def bounded_ansi(text: str, *, max_lines: int = MAX_LINES, max_cells: int = 4000,
                 style: str = "") -> Text:
    """ANSI-coloured ``text`` as a :class:`Text`: its last ``max_lines`` lines (with a dim
    first line saying how many were left out), each cut at ``max_cells`` characters."""
    shown, hidden = tail_text(text, max_lines)
    body = ansi_text(cut_long_lines(shown, max_cells), style=style, max_lines=max_lines + 1)
    if hidden:
        return Text(f"… {hidden:,} earlier lines not shown\n", style="dim italic") + body
    return body


def _base(mime: str) -> str:
    return mime.split(";", 1)[0].strip().lower()


def render_bundle(data: Mapping[str, Any], metadata: Mapping[str, Any] | None,
                  ctx: RenderContext, *, choice: int = 0, order: Sequence[str] | None = None,
                  max_lines: int = MAX_LINES) -> RenderableType:
    """A MIME bundle through the registry: its ``choice``-th best representation (the next
    one when that has nothing to show); text kept within ``max_lines`` lines and
    ``ctx.max_line_cells`` characters a line."""
    options = representations(data, order)
    if not options:
        return render_data(data, metadata, ctx, order=order)  # placeholders
    start = choice % len(options)
    notes: list[RenderableType] = []
    shown = _bundle_choice(data, metadata, ctx, options[start:] + options[:start], notes,
                           order, max_lines)
    return with_notes(notes, shown)


def _bundle_choice(data: Mapping[str, Any], metadata: Mapping[str, Any] | None,
                   ctx: RenderContext, options: list[str], notes: list[RenderableType],
                   order: Sequence[str] | None, max_lines: int) -> RenderableType:
    cells = ctx.max_line_cells
    for mime in options:
        base = _base(mime)
        if base == "text/plain":
            return bounded_ansi(as_text(data[mime]), max_lines=max_lines, max_cells=cells)
        value = data[mime]
        if base == "text/markdown":
            value = cut_long_lines(as_text(value), cells, ansi=False)
        if not ctx.draws_images and (base in IMAGE_TYPES or base == "image/svg+xml"):
            alt: dict[str, Any] = {mime: value}
            if "text/plain" in data:  # the alt text, bounded as any text
                shown, _ = tail_text(as_text(data["text/plain"]), max_lines)
                alt["text/plain"] = cut_long_lines(shown, cells)
            return render_data(alt, metadata, ctx, order=(mime,))
        try:
            return render_mime(mime, value, metadata, ctx)
        except Unrenderable as exc:
            if exc.note is not None:
                notes.append(exc.note)
    return Text("")


def error_text(output: Mapping[str, Any]) -> str:
    """An error output's traceback (or ``ename: evalue``) as one ANSI text."""
    tb = output.get("traceback")
    if isinstance(tb, list) and tb:
        return "\n".join(str(line) for line in tb)
    return f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"


def render_output(output: Mapping[str, Any], ctx: RenderContext | None = None, *,
                  choice: int = 0, order: Sequence[str] | None = None,
                  max_lines: int = MAX_LINES) -> RenderableType:
    """One nbformat output dict as one renderable."""
    ctx = ctx or RenderContext(interactive=True)
    kind = output.get("output_type")
    cells = ctx.max_line_cells
    if kind == "stream":
        style = STDERR_STYLE if output.get("name") == "stderr" else ""
        return bounded_ansi(as_text(output.get("text", "")), max_lines=max_lines,
                            max_cells=cells, style=style)
    if kind == "error":
        return bounded_ansi(error_text(output), max_lines=max_lines, max_cells=cells)
    if kind in ("execute_result", "display_data", "update_display_data"):
        data = output.get("data")
        metadata = output.get("metadata")
        return render_bundle(data if isinstance(data, Mapping) else {},
                             metadata if isinstance(metadata, Mapping) else {}, ctx,
                             choice=choice, order=order, max_lines=max_lines)
    return Text(f"[unknown output type {kind!r}]", style="dim italic")


def render_outputs(outputs: Sequence[dict[str, Any]], ctx: RenderContext | None = None, *,
                   order: Sequence[str] | None = None,
                   max_lines: int = MAX_LINES) -> RenderableType | None:
    """All outputs of a cell as one renderable, or ``None`` when there are none."""
    parts = [render_output(output, ctx, order=order, max_lines=max_lines)
             for output in outputs if isinstance(output, dict)]
    return Group(*parts) if parts else None


def outputs_text(outputs: Sequence[dict[str, Any]]) -> str:
    """The plain text of outputs (ANSI codes removed), for copying to the clipboard."""
    parts: list[str] = []
    for output in outputs:
        kind = output.get("output_type")
        if kind == "stream":
            parts.append(as_text(output.get("text", "")))
        elif kind == "error":
            parts.append("\n".join(str(x) for x in output.get("traceback", [])) + "\n")
        elif isinstance(output.get("data"), dict):
            data = output["data"]
            for mime in TEXT_TYPES[::-1]:
                if mime in data:
                    text = as_text(data[mime])
                    parts.append(text if text.endswith("\n") else text + "\n")
                    break
    return Text.from_ansi("".join(parts)).plain
