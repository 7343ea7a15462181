"""The virtual cell list: only the cells in (or next to) the viewport are widgets.

Scrolling is anchored on a cell: the list shows cells from :attr:`CellList.top` downwards, the
first one shifted up by :attr:`CellList.shift` rows. A view that keeps its cell knows its new
height as soon as its content changes (its parts render at the list's width and keep that render
for drawing), so the window is settled before the frame is drawn; other heights are measured
after layout, and the cells never shown are estimated from their line counts. Moving, paging or
jumping to the end therefore costs one screen of widgets, whatever the size of the notebook. The
:class:`CellView` widgets are recycled: scrolling points existing views at other cells.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Size
from textual.widget import Widget

from nbio.model import Cell
from tui.notebook import keymap, run_view
from tui.notebook.cell_view import CellView, EditorView, ViewOptions, render_key
from tui.notebook.messages import EditorScrolledAway
from tui.notebook.output_view import OUTPUT_INDENT, EditorDisplay, OutputReady
from tui.notebook.widget_views.base import WidgetsResized
from tui.render.context import RenderContext

MAX_SETTLE = 6
"""How many measure-and-relayout passes one change may take before we accept the result."""


def estimate_height(cell: Cell, width: int, outputs_hidden: bool = False) -> int:
    """A cheap guess of a cell's rendered height in rows (corrected once it is measured)."""
    width = max(width - 10, 10)
    source = cell.source
    rows = sum(1 + len(line) // width for line in source.split("\n")) if source else 1
    if cell.cell_type == "markdown":
        rows += source.count("\n\n") + source.count("#")
    if run_view.status_label(cell) is not None:
        rows += 1
    if cell.cell_type == "code" and cell.outputs:
        if outputs_hidden:
            rows += 1
        else:
            level = run_view.body_key(cell)[1:2] or (0,)
            for output in cell.outputs:
                rows += _output_rows(output, width, level[0])
    return rows + 1  # padding below each cell


def _head_text(value: object, limit: int = 65536) -> str:
    """The first ``limit`` characters (about) of an output's text (a string or list of them)
    without joining all of it."""
    if isinstance(value, list):
        parts: list[str] = []
        size = 0
        for part in value:
            parts.append(str(part))
            size += len(parts[-1])
            if size >= limit:
                break
        return "".join(parts)
    return value[:limit] if isinstance(value, str) else str(value)[:limit]


IMAGE_ROWS = 20
"""Guessed rows of an image output before it is measured."""


def _output_rows(output: dict[str, object], width: int, level: int) -> int:
    if not isinstance(output, dict):
        return 0
    data = output.get("data")
    if isinstance(data, dict):
        if any(mime.startswith("image/") for mime in data):
            return IMAGE_ROWS
        if "text/plain" not in data:
            return 2
        text = _head_text(data["text/plain"])
    elif output.get("output_type") == "error":
        tb = output.get("traceback")
        text = "\n".join(str(x) for x in tb[:200]) if isinstance(tb, list) else ""
    else:
        text = _head_text(output.get("text", ""))
    return run_view.estimated_rows(text, level, width)


class _Stack(Vertical):
    """The container of the views (moved up by the list's shift)."""

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size,
                      layout: bool = True) -> bool:
        # The window's height changes with what it holds; Textual would lay the screen out a
        # second time for the new virtual size, which nothing here uses (no scrolling).
        return super()._size_updated(size, virtual_size, container_size, layout=False)


class CellList(Widget, can_focus=True):
    """The notebook's cells, virtualised. Command mode bindings live here (focused in command
    mode); their actions run on the screen, which owns the model."""

    DEFAULT_CSS = """
    CellList {
        height: 1fr;
        overflow: hidden hidden;
    }
    CellList > #stack {
        height: auto;
    }
    """

    BINDINGS = keymap.bindings("command")

    is_cell_list = True
    """Widget views look for this ancestor to give the focus back (Escape)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.cells: Sequence[Cell] = ()
        self.options = ViewOptions()
        self.cursor = 0
        self.selection: range = range(0, 1)
        self.editing: int | None = None
        self.hidden_outputs: set[int] = set()
        """``id()`` of cell dicts whose outputs are collapsed."""
        self.find_match: tuple[int, int, int] | None = None
        """(cell index, start, end) of the current find match, highlighted."""
        self.top = 0
        self.shift = 0
        self._heights: dict[int, tuple[tuple[object, ...], int, int]] = {}
        self._pool: list[CellView] = []
        self._editor_view: EditorView | None = None
        self._window: list[int] = []
        self._reveal: int | None = None
        self._follow = False
        """True while the cursor was last brought into view and not scrolled away from: when
        cells above it grow (a run's output), the cursor is brought back into view."""
        self._settle = 0
        self._measure_pending = True  # until the first layout is measured
        self.display_settings = EditorDisplay()
        """How outputs are drawn (the app's, set by the screen)."""
        self._base_ctx: tuple[tuple[object, ...], RenderContext] | None = None
        self.base_dir: Path | None = None
        """The notebook's folder: relative image paths in markdown are read from it."""
        self._emitted: set[bytes] = set()

    def compose(self) -> ComposeResult:
        """One vertical stack that holds the views of the cells in the window."""
        yield _Stack(id="stack")

    @property
    def stack(self) -> Vertical:
        """The container of the views."""
        return self.query_one("#stack", Vertical)

    @property
    def editor_view(self) -> EditorView | None:
        """The view of the cell being edited, if it is mounted."""
        return self._editor_view

    @property
    def window(self) -> list[int]:
        """Indices of the cells that currently have a widget."""
        return list(self._window)

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size,
                      layout: bool = True) -> bool:
        # as _Stack: the list does not scroll, its virtual size is of no use to a layout
        return super()._size_updated(size, virtual_size, container_size, layout=False)

    # heights -------------------------------------------------------------------------------
    def _hidden(self, cell: Cell) -> bool:
        return id(cell.data) in self.hidden_outputs

    def height_of(self, index: int) -> int:
        """The measured height of a cell if known and current, else an estimate."""
        cell = self.cells[index]
        width = self.size.width
        entry = self._heights.get(id(cell.data))
        if entry is not None:
            key, measured_width, height = entry
            if measured_width == width and key == self._key(index, cell):
                return height
        return estimate_height(cell, width, self._hidden(cell))

    def _key(self, index: int, cell: Cell) -> tuple[object, ...]:
        return (*render_key(cell, self.options, self._hidden(cell), self._find_for(index),
                            self.output_context()),
                index == self.editing)

    # outputs -------------------------------------------------------------------------------
    def output_context(self) -> RenderContext:
        """The render context of outputs at the list's current width (no redraw callback)."""
        width = max(self.size.width - OUTPUT_INDENT, 1)
        settings = self.display_settings
        cached = self._base_ctx
        if cached is not None and cached[0] == (width, settings, self.base_dir):
            return cached[1]
        ctx = replace(settings.context(width, emit=self._emit), base_dir=self.base_dir)
        self._base_ctx = ((width, settings, self.base_dir), ctx)
        return ctx

    def _context_for(self, cell: Cell) -> RenderContext:
        return replace(self.output_context(),
                       request_redraw=partial(self.post_message, OutputReady(id(cell.data))))

    def _emit(self, data: str) -> None:
        """Write an out-of-band escape (a kitty image upload) to the terminal, once per
        distinct escape, through Textual's driver (its writer thread orders it between
        frames); wrapped for tmux's passthrough when the terminal is inside tmux."""
        digest = hashlib.blake2b(data.encode("utf-8", "surrogateescape"), digest_size=16).digest()
        if digest in self._emitted:
            return
        self._emitted.add(digest)
        if self.display_settings.tmux_passthrough:
            data = "\x1bPtmux;" + data.replace("\x1b", "\x1b\x1b") + "\x1b\\"
        driver = getattr(self.app, "_driver", None)
        if driver is not None:
            driver.write(data)

    @on(OutputReady)
    def _output_ready(self, message: OutputReady) -> None:
        """A pending render (a decoded image) is ready: its cell renders again."""
        message.stop()
        cell = next((self.cells[i] for i in self._window if i < len(self.cells)
                     and id(self.cells[i].data) == message.key), None)
        if cell is None:
            cell = next((c for c in self.cells if id(c.data) == message.key), None)
        if cell is None or run_view.ACTIVE is None:
            return
        run_view.ACTIVE.mark(cell).redraws += 1
        self.sync()

    @on(WidgetsResized)
    def _widgets_resized(self, message: WidgetsResized) -> None:
        """Widgets of an output grew or shrank: lay the window out with their new height."""
        message.stop()
        self.sync()

    def action_focus_widgets(self) -> None:
        """Tab: the first widget (slider, button...) of the active cell's outputs."""
        views: list[Widget] = [v for v in self._pool if v.display and v.index == self.cursor]
        if self._editor_view is not None and self._editor_view.index == self.cursor:
            views.append(self._editor_view)
        for view in views:
            for widget in self.screen.focus_chain:
                if view in widget.ancestors and widget is not self:
                    widget.focus()
                    return

    def _find_for(self, index: int) -> tuple[int, int] | None:
        match = self.find_match
        if match is not None and match[0] == index:
            return match[1], match[2]
        return None

    # scrolling -----------------------------------------------------------------------------
    def _clamp(self) -> None:
        n = len(self.cells)
        if n == 0:
            self.top = self.shift = 0
            return
        self.top = max(0, min(self.top, n - 1))
        self.shift = max(0, self.shift)
        while self.shift >= self.height_of(self.top) and self.top < n - 1:
            self.shift -= self.height_of(self.top)
            self.top += 1
        # never leave blank space below the last cell when there is content above
        viewport = max(self.size.height, 1)
        total = -self.shift
        index = self.top
        while index < n and total < viewport:
            total += self.height_of(index)
            index += 1
        if total < viewport and (self.top > 0 or self.shift > 0):
            self._align_bottom(n - 1)

    def _align_bottom(self, index: int) -> None:
        """Scroll so the bottom of cell ``index`` is at the bottom of the viewport."""
        viewport = max(self.size.height, 1)
        total = self.height_of(index)
        top = index
        while top > 0 and total < viewport:
            top -= 1
            total += self.height_of(top)
        self.top = top
        self.shift = max(0, total - viewport)

    def scroll_rows(self, rows: int) -> None:
        """Scroll by ``rows`` (negative: up); the view stops following the cursor."""
        self._follow = False
        self._scroll(rows)

    def _scroll(self, rows: int) -> None:
        self.shift += rows
        while self.shift < 0 and self.top > 0:
            self.top -= 1
            self.shift += self.height_of(self.top)
        self._clamp()
        self.sync()

    def page(self, direction: int) -> None:
        """Scroll one page down (1) or up (-1)."""
        self.scroll_rows(direction * max(self.size.height - 2, 1))

    def reveal(self, index: int) -> None:
        """Scroll the least needed to show cell ``index`` (its top when it is taller than the
        viewport)."""
        self._reveal = index
        self._follow = index == self.cursor
        self._settle = 0
        self._apply_reveal()
        self.sync()

    def _apply_reveal(self) -> None:
        index = self._reveal
        if index is None or not self.cells:
            return
        index = min(index, len(self.cells) - 1)
        viewport = max(self.size.height, 1)
        if index < self.top or (index == self.top and self.shift > 0):
            self.top, self.shift = index, 0
            return
        if index - self.top > 200:
            self._align_bottom(index)
            return
        top_row = -self.shift + sum(self.height_of(i) for i in range(self.top, index))
        height = self.height_of(index)
        if top_row + height > viewport:
            if height >= viewport:
                self.top, self.shift = index, 0
            else:
                self._align_bottom(index)

    def reveal_row(self, index: int, row: int) -> None:
        """Scroll so row ``row`` of cell ``index`` (being edited) is visible."""
        if index < self.top:
            self.top, self.shift = index, 0
        top_row = -self.shift + sum(self.height_of(i) for i in range(self.top, index))
        screen_row = top_row + row
        viewport = max(self.size.height, 1)
        if screen_row < 0:
            self._scroll(screen_row)
        elif screen_row >= viewport:
            self._scroll(screen_row - viewport + 1)

    def _keep_following(self) -> bool:
        """A cell above the followed cursor grew and pushed it out of view: bring it back
        (True when it asks for that)."""
        if self._reveal is None and self._follow and self.cells and self.cursor not in self._window:
            self._reveal = self.cursor
            return True
        return False

    # window --------------------------------------------------------------------------------
    def sync(self) -> None:
        """Lay out the window for the current state (call after any change)."""
        if not self.is_mounted:
            return
        self._settle = 0
        self._sync()

    def _sync(self) -> None:
        if self.size.height <= 0:
            return
        # Views know their height as soon as they show their cell (their parts render at the
        # list's width, and keep that render for drawing): when one differs from the height
        # the window was laid out with, lay it out again now, before the frame is drawn.
        # A cell asking for stdin stays on screen (its view holds the answer field).
        asking = self._asking_index()
        for _ in range(MAX_SETTLE):
            if self._reveal is not None:
                self._apply_reveal()
            changed = self._lay_out(asking)
            if not self._keep_following() and not changed:
                break
        self.stack.styles.offset = (0, -self.shift)
        self._measure_pending = True
        self.call_after_refresh(self._measure)

    @property
    def settled(self) -> bool:
        """True when the window on screen was laid out with measured heights (no measurement
        of the last layout is still to come); tests wait for it before a screenshot."""
        return not self._measure_pending

    def _asking_index(self) -> int | None:
        cell = run_view.asking_cell()
        if cell is None:
            return None
        return next((i for i, c in enumerate(self.cells) if c is cell), None)

    def _lay_out(self, asking: int | None = None) -> bool:
        """Point the views at the cells of the window; True when a view's height turned out
        different from the one the window was computed with, or when the window leaves out
        cell ``asking`` (then nothing is changed but the reveal target)."""
        viewport = self.size.height
        width = self.size.width
        self._clamp()
        n = len(self.cells)
        window: list[int] = []
        assumed: dict[int, int] = {}
        index = self.top
        total = -self.shift
        while index < n and total < viewport:
            window.append(index)
            assumed[index] = height = self.height_of(index)
            total += height
            index += 1
        if asking is not None and asking not in assumed:
            self._reveal = asking
            return True
        self._window = window
        stack = self.stack
        # the edited cell's view
        editing = self.editing if self.editing in window else None
        view = self._editor_view
        if view is not None and (editing is None or view.index != editing
                                 or view.cell is not self.cells[editing]):
            if self.editing is not None and editing is None and view.is_mounted:
                self.post_message(EditorScrolledAway(view.index, view.editor.text))
            view.remove()
            view = self._editor_view = None
        plain = [i for i in window if i != editing]
        new_views: list[CellView] = []
        while len(self._pool) < len(plain):
            view_ = CellView()
            self._pool.append(view_)
            new_views.append(view_)
        if new_views:
            stack.mount(*new_views)
        changed = False
        for view_, index in zip(self._pool, plain):
            cell = self.cells[index]
            same = view_.cell is cell
            content_changed = view_.show(index, cell, self.options,
                                         outputs_hidden=self._hidden(cell),
                                         find=self._find_for(index),
                                         ctx=self._context_for(cell))
            view_.set_cursor(index == self.cursor and editing != index)
            view_.set_class(index in self.selection and len(self.selection) > 1, "-selected")
            view_.display = True
            # A view that keeps its cell while its content changes (a stream growing, a status
            # changing) settles its height now; one pointed at another cell (paging, where
            # keys come in bursts) or unchanged is measured after the frame instead of
            # rendered for every key of the burst.
            if same and content_changed and view_.head.is_mounted:
                height = view_.natural_height(width)
                self._heights[id(cell.data)] = (self._key(index, cell), width, height)
                changed = changed or height != assumed[index]
        for view_ in self._pool[len(plain):]:
            view_.display = False
            view_.index = -1
        if editing is not None:
            before = sum(1 for i in plain if i < editing)
            if view is None:
                cell = self.cells[editing]
                view = EditorView(editing, cell, self.options, outputs_hidden=self._hidden(cell),
                                  ctx=self._context_for(cell))
                self._editor_view = view
                if before == 0:
                    stack.mount(view, before=0)
                else:
                    stack.mount(view, after=self._pool[before - 1])
            elif view.is_mounted:
                view.show_run(self._context_for(view.cell))
                if before == 0:
                    stack.move_child(view, before=0)
                else:
                    stack.move_child(view, after=self._pool[before - 1])
        return changed

    def _measure(self) -> None:
        """Record the heights of the mounted views; re-lay out when guesses were wrong."""
        self._measure_pending = False
        if not self.is_mounted:
            return
        width = self.size.width
        changed = False
        views: list[tuple[int, Widget]] = [(v.index, v) for v in self._pool if v.display
                                           and v.index >= 0]
        if self._editor_view is not None and self._editor_view.is_mounted:
            views.append((self._editor_view.index, self._editor_view))
        unmeasured = False
        for index, view in views:
            if index >= len(self.cells):
                continue
            height = view.outer_size.height
            if height <= 0:  # not laid out yet (the first frame): measure after the next one
                unmeasured = True
                continue
            cell = self.cells[index]
            before = self.height_of(index)
            self._heights[id(cell.data)] = (self._key(index, cell), width, height)
            if before != height:
                changed = True
        self._keep_following()
        if self._reveal is not None:
            old = (self.top, self.shift)
            self._apply_reveal()
            changed = changed or old != (self.top, self.shift)
        if changed and self._settle < MAX_SETTLE:
            self._settle += 1
            self._sync()
        elif unmeasured and self._settle < MAX_SETTLE:
            self._settle += 1
            self._measure_pending = True
            self.call_after_refresh(self._measure)
        else:
            self._reveal = None

    def forget_heights(self) -> None:
        """Drop all measurements (after a width change)."""
        self._heights.clear()

    # events --------------------------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        """Re-lay out for the new size."""
        self.sync()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        """Wheel down: three rows."""
        event.stop()
        self.scroll_rows(3)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        """Wheel up: three rows."""
        event.stop()
        self.scroll_rows(-3)
