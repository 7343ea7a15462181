"""A whole notebook as Rich renderables, for ``jtui view`` (toolkit-free: Rich only).

Each cell is a prompt gutter beside its content, as JupyterLab lays it out: ``[3]:`` and the
highlighted source for code cells, rendered markdown (with math and images) for markdown
cells, dim text for raw cells; below a code cell, every output through the shared registry
(:func:`tui.render.registry.render_data`), ``[3]:`` in the gutter of its execute result.
Streams and tracebacks keep their colours and nothing else (no terminal control sequences);
a long stream shows its first and last lines and how many lie between, so a notebook holding
a million-line output renders in the time of the lines shown.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.text import Text

from nbio.model import Cell, Notebook
from nbio.outputs import stream_preview
from tui.mime import as_text
from tui.render.ansi import ansi_text
from tui.render.context import RenderContext
from tui.render.highlight import highlight, language_of
from tui.render.markdown import render_markdown
from tui.render.registry import render_data

GUTTER = 8
"""Columns of the prompt gutter (``[123]:`` and a space)."""

STREAM_LINES = (1000, 1000)
"""(head, tail) lines of one stream output shown; the lines between are counted."""

_IN_STYLE = "bold #6c8ebf"
_OUT_STYLE = "bold #d5654d"


@dataclass(frozen=True)
class DocumentOptions:
    """How a notebook is laid out (beyond the :class:`RenderContext`)."""

    language: str = "python"
    mime_order: Sequence[str] | None = None
    """The registry's representation order (``[display] mime_order`` applied)."""
    line_numbers: bool = False


def _prompt(label: str, style: str) -> Text:
    return Text(label.rjust(GUTTER - 1), style=style)


def _count_label(count: Any) -> str:
    return f"[{count if isinstance(count, int) else ' '}]:"


class Beside:
    """A gutter (a prompt) to the left of a body, ``width`` columns in all: the body is
    rendered ``width - GUTTER`` wide and the gutter's lines put before its lines. Cheaper than
    a table grid, which measures its cells (highlighting every code cell twice)."""

    def __init__(self, gutter: Text, body: RenderableType, width: int) -> None:
        self.gutter = gutter
        self.body = body
        self.width = width

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = min(self.width, options.max_width)
        inner = max(1, width - GUTTER)
        body = console.render_lines(self.body, options.update(width=inner, height=None),
                                    pad=True)
        gutter = console.render_lines(self.gutter, options.update(width=GUTTER, height=None),
                                      pad=True)
        blank = [Segment(" " * GUTTER)]
        newline = Segment.line()
        for index, line in enumerate(body):
            yield from gutter[index] if index < len(gutter) else blank
            yield from line
            yield newline


def _beside(gutter: Text, body: RenderableType, width: int) -> Beside:
    return Beside(gutter, body, width)


_MARKDOWN_TAKES_CTX = "ctx" in inspect.signature(render_markdown).parameters


def _markdown(cell: Cell, options: DocumentOptions, ctx: RenderContext) -> RenderableType:
    if _MARKDOWN_TAKES_CTX:
        attachments = cell.attachments
        cell_ctx = ctx if not attachments else _with(ctx, attachments=attachments)
        return render_markdown(cell.source, language=options.language,  # type: ignore[call-arg]
                               ctx=cell_ctx)
    return render_markdown(cell.source, language=options.language)


def _with(ctx: RenderContext, **changes: Any) -> RenderContext:
    from dataclasses import replace

    return replace(ctx, **changes)


def stream_renderable(text: str, *, stderr: bool = False,
                      lines: tuple[int, int] = STREAM_LINES) -> RenderableType:
    """A stream's text, its first and last lines when long, colours kept."""
    style = "on #3a1e1e" if stderr else ""
    head, tail = lines
    preview = stream_preview(text, head, tail)
    parts: list[RenderableType] = []
    if preview.head:
        parts.append(ansi_text(preview.head, style=style, max_lines=head + tail))
    if preview.hidden:
        parts.append(Text(f"… {preview.hidden:,} more lines", style="dim italic"))
        if preview.tail:
            parts.append(ansi_text(preview.tail, style=style, max_lines=head + tail))
    return Group(*parts) if len(parts) != 1 else parts[0]


def render_output(output: Mapping[str, Any], ctx: RenderContext,
                  options: DocumentOptions) -> RenderableType:
    """One nbformat output dict (a stream, an error, a result or display)."""
    kind = output.get("output_type")
    if kind == "stream":
        return stream_renderable(as_text(output.get("text", "")),
                                 stderr=output.get("name") == "stderr")
    if kind == "error":
        tb = output.get("traceback")
        if isinstance(tb, list) and tb:
            text = "\n".join(str(line) for line in tb)
        else:
            text = f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
        return stream_renderable(text)
    if kind in ("execute_result", "display_data"):
        data = output.get("data")
        metadata = output.get("metadata")
        return render_data(data if isinstance(data, Mapping) else {},
                           metadata if isinstance(metadata, Mapping) else {}, ctx,
                           order=options.mime_order)
    return Text(f"[unknown output type {kind!r}]", style="dim italic")


def render_cell(cell: Cell, ctx: RenderContext, options: DocumentOptions) -> RenderableType:
    """One cell: its prompt and input, then (code cells) its outputs."""
    inner = ctx.with_width(ctx.width - GUTTER)
    kind = cell.cell_type
    if kind == "markdown":
        return _beside(Text(""), _markdown(cell, options, inner), ctx.width)
    if kind != "code":
        source = cell.source or "(empty raw cell)"
        label = "" if kind == "raw" else f"[cell of unknown type {kind!r}]\n"
        return _beside(Text(""), Text(label + source, style="dim"), ctx.width)
    code = highlight(cell.source or " ", options.language, line_numbers=options.line_numbers)
    rows: list[RenderableType] = [
        _beside(_prompt(_count_label(cell.execution_count), _IN_STYLE), code, ctx.width)
    ]
    for output in cell.outputs:
        if not isinstance(output, Mapping):
            continue
        gutter = Text("")
        if output.get("output_type") == "execute_result":
            gutter = _prompt(_count_label(output.get("execution_count")), _OUT_STYLE)
        rows.append(_beside(gutter, render_output(output, inner, options), ctx.width))
    return Group(*rows)


def notebook_options(nb: Notebook, mime_order: Sequence[str] | None = None) -> DocumentOptions:
    """The :class:`DocumentOptions` of ``nb`` (its language from the metadata)."""
    return DocumentOptions(language=language_of(nb.metadata), mime_order=mime_order)


def render_notebook(nb: Notebook, ctx: RenderContext,
                    options: DocumentOptions | None = None) -> Iterator[RenderableType]:
    """Every cell of ``nb``, one renderable each, with a blank line between cells."""
    options = options or notebook_options(nb)
    for index, cell in enumerate(nb.cells):
        if index:
            yield Text("")
        yield render_cell(cell, ctx, options)
