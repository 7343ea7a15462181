"""What the cell views show about runs: ``[*]`` prompts, status lines, bounded outputs, stdin.

The kernel controller keeps one :class:`RunViews` per notebook screen and registers it as
:data:`ACTIVE` while mounted; a cell view asks this module for its status line
(:func:`status_label`), its outputs part (:func:`render_outputs`) and a pending stdin request
(:func:`stdin_state`), and includes :func:`body_key` in the outputs part's cache key so that
part re-renders exactly when the outputs (version counter) or their expansion changed.

Outputs are bounded on screen: a stream shows its first and last lines and how many lie
between (``nbio.outputs.stream_preview``, costing time in the lines shown, not in the text), so a
cell printing a million lines renders as fast as one printing a hundred. The model keeps all of
it; :data:`LIMITS` are the (head, tail) line counts of each expansion level.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.text import Text

from nbio.model import Cell, Output
from nbio.outputs import OutputArea, Preview, stream_preview
from tui.render.context import RenderContext
from tui.render.outputs import STDERR_STYLE, bounded_ansi, render_output
from tui.session import CellRun, CellState, KernelSession

LIMITS: tuple[tuple[int, int], ...] = ((10, 30), (100, 400), (2000, 8000))
"""(head lines, tail lines) shown of one stream at each expansion level."""

LINE_FACTORS: tuple[int, ...] = (1, 10, 100)
"""How many times ``RenderContext.max_line_cells`` of one line are shown at each expansion
level (O shows more of a long line too)."""

_STATE_STYLE = {
    CellState.QUEUED: ("◌ queued", "dim"),
    CellState.RUNNING: ("● running", "bold yellow"),
    CellState.OK: ("✓", "dim green"),
    CellState.ERROR: ("✗ error", "bold red"),
    CellState.ABORTED: ("⊘ not run", "yellow"),
    CellState.DIED: ("✗ kernel died", "bold red"),
}


@dataclass
class StdinState:
    """A stdin prompt shown in a cell while the user types the answer."""

    prompt: str
    password: bool
    value: str = ""


@dataclass
class CellMark:
    """The run-related view state of one cell."""

    version: int = 0
    """Bumped whenever the session reports that the cell's outputs changed."""
    expand: int = 0
    """Index into :data:`LIMITS`."""
    stdin: StdinState | None = None
    choices: dict[int, int] = field(default_factory=dict)
    """Output index -> which of its representations is shown (cycled by the user)."""
    column_offset: int = 0
    """Columns the cell's wide tables are scrolled sideways."""
    redraws: int = 0
    """Bumped when something pending in the outputs (a decoded image) became ready."""

    def key(self) -> tuple[Any, ...]:
        """What the outputs part depends on in this mark."""
        return (self.version, self.expand, tuple(sorted(self.choices.items())),
                self.column_offset, self.redraws)


class RunViews:
    """Per-screen registry: the session (for run states and live output areas), marks, and
    the cell asking for stdin."""

    def __init__(self, session: KernelSession | None = None) -> None:
        self.session = session
        self.marks: dict[int, CellMark] = {}
        self.asking: Cell | None = None
        """The cell whose stdin request is pending (its view shows the answer field)."""

    def mark(self, cell: Cell) -> CellMark:
        """The mark of ``cell`` (created on first use)."""
        key = id(cell.data)
        mark = self.marks.get(key)
        if mark is None:
            mark = self.marks[key] = CellMark()
        return mark

    def run(self, cell: Cell) -> CellRun | None:
        """The session's latest run of ``cell``."""
        return self.session.run_info(cell) if self.session is not None else None

    def area(self, cell: Cell) -> OutputArea | None:
        """The live output area of ``cell`` when its outputs list is the one shown."""
        if self.session is None:
            return None
        area = self.session.output_area(cell)
        if area is not None and area.raw_outputs is cell.data.get("outputs"):
            return area
        return None


ACTIVE: RunViews | None = None
"""The registry of the notebook screen on display (set by the kernel controller)."""


def _mark(cell: Cell) -> CellMark | None:
    return ACTIVE.marks.get(id(cell.data)) if ACTIVE is not None else None


def cell_run(cell: Cell) -> CellRun | None:
    """The latest run of ``cell`` in the active session, if any."""
    return ACTIVE.run(cell) if ACTIVE is not None else None


def is_busy(cell: Cell) -> bool:
    """True while ``cell`` is queued or running (its prompt shows ``[*]``)."""
    run = cell_run(cell)
    return run is not None and not run.state.finished


def _seconds(value: float) -> str:
    if value < 60:
        return f"{value:.1f} s"
    minutes, seconds = divmod(int(value), 60)
    if minutes < 60:
        return f"{minutes}:{seconds:02d} min"
    return f"{minutes // 60}:{minutes % 60:02d} h"


def status_label(cell: Cell) -> tuple[str, str] | None:
    """The status line of ``cell`` (text, style), or ``None`` when there is nothing to say."""
    run = cell_run(cell)
    if run is None:
        return None
    text, style = _STATE_STYLE[run.state]
    elapsed = run.elapsed
    if run.state is CellState.RUNNING and elapsed is not None:
        text = f"{text} {_seconds(elapsed)}"
        if ACTIVE is not None and ACTIVE.session is not None:
            pending = ACTIVE.session.pending_input
            if pending is not None and pending.cell is cell:
                text += " · waiting for input"
    elif run.state in (CellState.OK, CellState.ERROR) and elapsed is not None:
        text = f"{text} {_seconds(elapsed)}"
    if run.state in (CellState.ABORTED, CellState.DIED) and run.reason:
        text = f"{text}: {run.reason}"
    return text, style


def body_key(cell: Cell) -> tuple[Any, ...]:
    """What this module adds to a cell's outputs part (not its status line), for its cache
    key: the output version, the expansion, the representations chosen, the sideways scroll
    and pending renders that became ready."""
    mark = _mark(cell)
    return mark.key() if mark is not None else ()


def stdin_state(cell: Cell) -> StdinState | None:
    """The pending stdin request of ``cell`` (its view shows a field for the answer)."""
    mark = _mark(cell)
    return mark.stdin if mark is not None else None


def asking_cell() -> Cell | None:
    """The cell whose stdin request is pending, if any."""
    return ACTIVE.asking if ACTIVE is not None else None


def estimated_rows(text: str, level: int = 0, width: int = 80, max_cells: int = 4000) -> int:
    """Rows :func:`render_outputs` gives a text output at expansion ``level`` and ``width``
    columns, guessed without reading more than the first 64 KiB of it (the cell list's height
    estimate): each line wraps, cut at ``max_cells`` characters."""
    head, tail = LIMITS[level]
    width = max(width, 1)
    cells = max_cells * LINE_FACTORS[level] + 30  # the mark of a cut line
    parts = text[:65536].split("\n", head + tail)
    rows = sum(1 + min(len(part), cells) // width for part in parts[:head + tail])
    return rows + 1 if len(parts) > head + tail else rows


class _FastText:
    """A stream preview's Text with a precomputed measurement, not wrapped when every line fits
    (Rich's measuring and wrapping of each line is most of the cost of redrawing a streaming
    cell; a preview of short lines needs neither)."""

    def __init__(self, text: Text) -> None:
        self.text = text
        self.longest = max((cell_len(line) for line in text.plain.split("\n")), default=0)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(min(self.longest, 1), self.longest)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        self.text.no_wrap = self.longest <= options.max_width
        yield self.text


def _preview_renderable(preview: Preview, style: str, limit: int,
                        cells: int) -> RenderableType:
    def text(part: str) -> Text:
        return bounded_ansi(part, style=style, max_lines=limit, max_cells=cells)

    head = text(preview.head) if preview.head else None
    if not preview.hidden:
        return _FastText(head) if head is not None else Text("")
    more = Text(f"… {preview.hidden:,} more lines (O shows more; the notebook keeps them all)",
                style="dim italic")
    tail = text(preview.tail) if preview.tail else None
    return Group(*(_FastText(p) if p is not more else p
                   for p in (head, more, tail) if p is not None))


def output_context(cell: Cell, ctx: RenderContext) -> RenderContext:
    """``ctx`` for the outputs of ``cell``: lines as long as its expansion shows, its tables
    scrolled sideways as the user left them."""
    mark = _mark(cell)
    if mark is None:
        return ctx
    changes: dict[str, Any] = {}
    if mark.expand:
        changes["max_line_cells"] = ctx.max_line_cells * LINE_FACTORS[mark.expand]
    if mark.column_offset:
        changes["options"] = {**ctx.options, "table_column_offset": mark.column_offset}
    return replace(ctx, **changes) if changes else ctx


def render_outputs(cell: Cell, outputs: Sequence[Output],
                   ctx: RenderContext | None = None) -> RenderableType | None:
    """A cell's outputs, bounded: streams show their head and tail at the cell's expansion,
    every line at most ``ctx.max_line_cells`` characters (more when expanded), the other
    outputs through the registry in the representation chosen for them."""
    mark = _mark(cell)
    head, tail = LIMITS[mark.expand if mark is not None else 0]
    ctx = output_context(cell, ctx or RenderContext(interactive=True))
    cells = ctx.max_line_cells
    choices = mark.choices if mark is not None else {}
    order = ctx.options.get("mime_order")
    area = ACTIVE.area(cell) if ACTIVE is not None else None
    parts: list[RenderableType] = []
    for index, output in enumerate(outputs):
        if not isinstance(output, dict):
            continue
        if output.get("output_type") == "stream":
            if area is not None:
                preview = area.stream_preview(index, head, tail)
            else:
                text = output.get("text", "")
                preview = stream_preview(
                    "".join(text) if isinstance(text, list) else str(text), head, tail
                )
            style = STDERR_STYLE if output.get("name") == "stderr" else ""
            parts.append(_preview_renderable(preview, style, head + tail, cells))
        else:
            parts.append(render_output(output, ctx, choice=choices.get(index, 0),
                                       order=order, max_lines=head + tail))
    return Group(*parts) if parts else None


def render_output_at(cell: Cell, index: int, output: Output,
                     ctx: RenderContext | None = None) -> RenderableType:
    """Output ``index`` of ``cell`` alone, bounded as :func:`render_outputs` draws it (the
    parts of a cell's outputs around its widgets)."""
    mark = _mark(cell)
    head, tail = LIMITS[mark.expand if mark is not None else 0]
    ctx = output_context(cell, ctx or RenderContext(interactive=True))
    if output.get("output_type") == "stream":
        area = ACTIVE.area(cell) if ACTIVE is not None else None
        if area is not None and index < len(area.raw_outputs) \
                and area.raw_outputs[index] is output:
            preview = area.stream_preview(index, head, tail)
        else:
            text = output.get("text", "")
            preview = stream_preview("".join(text) if isinstance(text, list) else str(text),
                                     head, tail)
        style = STDERR_STYLE if output.get("name") == "stderr" else ""
        return _preview_renderable(preview, style, head + tail, ctx.max_line_cells)
    choices = mark.choices if mark is not None else {}
    return render_output(output, ctx, choice=choices.get(index, 0),
                         order=ctx.options.get("mime_order"), max_lines=head + tail)


def bump(cell: Cell) -> None:
    """Note that ``cell``'s outputs changed (its view must re-render)."""
    if ACTIVE is not None:
        ACTIVE.mark(cell).version += 1
