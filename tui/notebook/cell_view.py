"""How one cell looks: :class:`CellView` (a read-only rendering, recycled by the cell list) and
:class:`EditorView` (the one cell being edited, with a :class:`CellEditor` text area)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.color import Color
from textual.containers import Horizontal, Vertical
from textual.css.styles import RulesMap
from textual.geometry import Size
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import RenderOptions, RichVisual
from textual.widget import Widget
from textual.widgets import Static

from nbio.model import Cell
from tui.notebook import keymap, run_view
from tui.notebook.highlighted_text_area import HighlightedTextArea
from tui.notebook.messages import CellClicked, RunRequested
from tui.notebook.run_view import StdinState
from tui.notebook.stdin_bar import StdinRow
from tui.notebook.widget_views.cell import cell_widgets, ctx_for_widgets, widget_key
from tui.notebook.widget_views.outputs import OutputsArea
from tui.render.context import RenderContext
from tui.render.highlight import highlight
from tui.render.markdown import render_markdown

PROMPT_WIDTH = 8
"""Columns of the left gutter holding ``[12]:`` prompts."""


@dataclass(frozen=True)
class ViewOptions:
    """Notebook-wide display settings passed down to every cell view."""

    language: str = "python"
    line_numbers: bool = False
    comment: str = "#"


def prompt_text(cell: Cell) -> Text:
    """``[ 3]:`` for a code cell with an execution count, ``[ ]:`` without, blank otherwise."""
    if cell.cell_type != "code":
        return Text("")
    count = cell.execution_count
    label = "[*]:" if run_view.is_busy(cell) else f"[{count if count is not None else ' '}]:"
    return Text(label.rjust(PROMPT_WIDTH - 1), style="bold #6c8ebf")


def render_input(cell: Cell, options: ViewOptions, *, find: tuple[int, int] | None = None,
                 ctx: RenderContext | None = None) -> RenderableType:
    """The source part of a cell: highlighted code, rendered markdown (its math and images
    drawn for ``ctx``, with the cell's attachments) or plain raw text."""
    source = cell.source
    kind = cell.cell_type
    if kind == "markdown":
        return render_markdown(source, language=options.language,
                               ctx=markdown_context(cell, ctx))
    if kind == "code":
        syntax = highlight(source if source else " ", options.language,
                           line_numbers=options.line_numbers)
        if find is not None:
            syntax.stylize_range("black on yellow", _row_col(source, find[0]),
                                 _row_col(source, find[1]))
        return syntax
    text = Text(source if source else "(empty raw cell)", style="dim")
    if find is not None:
        text.stylize("black on yellow", *find)
    if kind != "raw":
        return Group(Text(f"[cell of unknown type {kind!r}]", style="dim italic"), text)
    return text


def markdown_context(cell: Cell, ctx: RenderContext | None) -> RenderContext | None:
    """``ctx`` for the markdown of ``cell``: with its attachments (``attachment:NAME``)."""
    attachments = cell.attachments
    if ctx is None or not attachments:
        return ctx
    return replace(ctx, attachments=attachments)


def _row_col(source: str, offset: int) -> tuple[int, int]:
    before = source[:offset]
    row = before.count("\n") + 1
    return row, offset - (before.rfind("\n") + 1)


def render_head(cell: Cell, options: ViewOptions, *,
                find: tuple[int, int] | None = None,
                ctx: RenderContext | None = None) -> RenderableType:
    """The top of a cell: the prompt gutter and the input (source) beside it (markdown
    images and math drawn for ``ctx``)."""
    grid = Table.grid(padding=0, expand=True)
    grid.add_column(width=PROMPT_WIDTH, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(prompt_text(cell), render_input(cell, options, find=find, ctx=ctx))
    return grid


def render_body(cell: Cell, *, outputs_hidden: bool = False,
                ctx: RenderContext | None = None) -> RenderableType | None:
    """What a cell shows below its status line: its (bounded) outputs, rendered for ``ctx``;
    ``None`` when there is nothing."""
    outputs = cell.outputs if cell.cell_type == "code" else []
    if not outputs:
        return None
    if outputs_hidden:
        return Text(f"… {len(outputs)} output(s) hidden (o to show)", style="dim italic")
    return run_view.render_outputs(cell, outputs, ctx)


def head_key(cell: Cell, options: ViewOptions, find: tuple[int, int] | None,
             ctx: RenderContext | None = None) -> tuple[object, ...]:
    """What :func:`render_head` depends on (for markdown: the context its images are drawn
    for and pending pictures that became ready)."""
    prompt = prompt_text(cell).plain if cell.cell_type == "code" else ""
    if cell.cell_type == "markdown":
        return (cell.cell_type, cell.source, prompt, options, find, context_key(ctx),
                run_view.body_key(cell), id(cell.attachments))
    return (cell.cell_type, cell.source, prompt, options, find)


def context_key(ctx: RenderContext | None) -> tuple[object, ...]:
    """What of a :class:`RenderContext` the outputs' rendering depends on."""
    if ctx is None:
        return ()
    return (ctx.width, ctx.graphics, ctx.max_line_cells, ctx.cell_size, ctx.base_dir)


def body_key(cell: Cell, outputs_hidden: bool,
             ctx: RenderContext | None = None) -> tuple[object, ...]:
    """What :func:`render_body` depends on."""
    outputs = cell.outputs if cell.cell_type == "code" else []
    return (len(outputs), id(outputs[-1]) if outputs else 0, outputs_hidden,
            run_view.body_key(cell), context_key(ctx), widget_key(cell))


def render_key(cell: Cell, options: ViewOptions, outputs_hidden: bool,
               find: tuple[int, int] | None,
               ctx: RenderContext | None = None) -> tuple[object, ...]:
    """What a cell's rendering depends on; equal keys mean the rendering can be reused."""
    return (head_key(cell, options, find, ctx), run_view.status_label(cell),
            body_key(cell, outputs_hidden, ctx), run_view.stdin_state(cell) is not None)


def is_pending(renderable: RenderableType | None) -> bool:
    """True when ``renderable`` (or a part of a :class:`Group`) waits for something drawn off
    the UI thread (an image being decoded: a ``ready`` attribute that is False); its view
    keeps showing what it showed until the render that is ready."""
    if renderable is None:
        return False
    if getattr(renderable, "ready", True) is False:
        return True
    if isinstance(renderable, Group):
        return any(is_pending(part) for part in renderable.renderables)
    return False


class RenderedOnce(RichVisual):
    """A Rich renderable rendered once per width and style: Textual's :class:`RichVisual`
    renders a renderable twice per update (once to count its lines for an auto height, once to
    draw it); this keeps the lines of the first render for the second."""

    def __init__(self, widget: Widget, renderable: RenderableType) -> None:
        super().__init__(widget, renderable)
        self._lines: tuple[int, VisualStyle, list[Strip]] | None = None

    def _strips(self, width: int, style: VisualStyle, options: RenderOptions | None
                ) -> list[Strip]:
        cached = self._lines
        if cached is not None and cached[0] == width and cached[1] == style:
            return cached[2]
        strips = super().render_strips(width, None, style, options)  # type: ignore[arg-type]
        self._lines = (width, style, strips)
        return strips

    def get_height(self, rules: RulesMap, width: int) -> int:
        """Lines at ``width`` (rendered with the widget's style, kept for drawing)."""
        return len(self._strips(width, self._widget.visual_style, None))

    def render_strips(self, width: int, height: int | None, style: VisualStyle,
                      options: RenderOptions) -> list[Strip]:
        """The lines, from the render :meth:`get_height` made when width and style match."""
        strips = self._strips(width, style, options)
        return strips if height is None else strips[:height]


_ACCENTS: dict[str, Color] = {}


def _accent(app: App[object]) -> Color:
    """The ``$accent`` colour of ``app``'s theme (looked up once per theme)."""
    color = _ACCENTS.get(app.theme)
    if color is None:
        color = _ACCENTS[app.theme] = Color.parse(app.get_css_variables()["accent"])
    return color


def mount_after(parent: Widget, widget: Widget, anchor: Widget) -> None:
    """Mount ``widget`` in ``parent`` after ``anchor`` (once ``parent`` has composed its
    children, when it has not yet)."""
    if anchor.parent is parent:
        parent.mount(widget, after=anchor)
    else:
        parent.call_later(lambda: anchor.parent is parent and widget.parent is None
                          and parent.mount(widget, after=anchor))


class CellPart(Static):
    """One separately rendered part of a :class:`CellView` (clicks go to the cell view)."""

    DEFAULT_CSS = """
    CellPart { height: auto; }
    CellPart.-indented { padding-left: 8; }
    """

    def show(self, renderable: RenderableType) -> None:
        """Display ``renderable`` (drawn through :class:`RenderedOnce`)."""
        self.update(RenderedOnce(self, renderable))


class CellView(Widget):
    """A read-only cell. The cell list recycles these: :meth:`show` points one at a cell.

    Three parts, each re-rendered only when what it shows changed: the head (prompt and
    source), the status line, and the body (outputs); below them, while the cell's stdin
    request is pending, the field answering it (:class:`~tui.notebook.stdin_bar.StdinRow`).
    A streaming cell therefore redraws only its body (a bounded head-and-tail preview), and
    moving the cursor only changes the border of the container (set inline,
    :meth:`set_cursor`: toggling a CSS class would restyle the view and all its parts,
    ~0.6 ms a toggle).
    """

    DEFAULT_CSS = """
    CellView {
        height: auto;
        layout: vertical;
        border-left: blank;
        padding: 0 1 1 0;
    }
    CellView.-selected {
        background: $primary 20%;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.index = -1
        self.cell: Cell | None = None
        self.head = CellPart("", markup=False, classes="cell-head")
        self.status = CellPart("", markup=False, classes="cell-status -indented")
        self.body = CellPart("", markup=False, classes="cell-body -indented")
        self.status.display = False
        self.body.display = False
        self._head_key: tuple[object, ...] | None = None
        self._status_key: tuple[str, str] | None = None
        self._body_key: tuple[object, ...] | None = None
        self._cursor: tuple[bool, str] | None = None
        self.stdin_row: StdinRow | None = None
        """The field answering the shown cell's pending stdin request, if it has one."""
        self.widgets: OutputsArea | None = None
        """The outputs with live widget views, shown instead of :attr:`body` when the cell
        has widget outputs."""

    @property
    def is_cursor(self) -> bool:
        """True when this view shows the cell cursor (a thick accent bar on its left)."""
        return self._cursor is not None and self._cursor[0]

    def set_cursor(self, on: bool) -> None:
        """Show or hide the cursor bar (in the current theme's accent colour)."""
        state = (on, self.app.theme)
        if state != self._cursor:
            self._cursor = state
            self.styles.border_left = ("thick" if on else "blank", _accent(self.app))

    def compose(self) -> ComposeResult:
        """The head, status and body parts."""
        yield self.head
        yield self.status
        yield self.body

    def show(self, index: int, cell: Cell, options: ViewOptions, *, outputs_hidden: bool,
             find: tuple[int, int] | None = None, ctx: RenderContext | None = None) -> bool:
        """Display ``cell`` (at ``index``), its outputs rendered for ``ctx``; re-renders only
        the parts whose content changed. Returns True when any part changed.

        A new render of the same cell's outputs that is still pending (an updated image being
        decoded) does not replace the one shown: the old render stays until the new one is
        ready (its ``request_redraw`` brings the view back here), so live plots never
        flicker."""
        same = self.cell is cell
        self.index = index
        self.cell = cell
        changed = False
        key = head_key(cell, options, find, ctx)
        if key != self._head_key:
            self._head_key = key
            self.head.show(render_head(cell, options, find=find, ctx=ctx))
            changed = True
        label = run_view.status_label(cell)
        if label != self._status_key:
            self._status_key = label
            if label is not None:
                self.status.show(Text(label[0], style=label[1]))
            self.status.display = label is not None
            changed = True
        key = body_key(cell, outputs_hidden, ctx)
        if key != self._body_key:
            if same and not outputs_hidden and self.widgets is not None \
                    and self.widgets.update_outputs(cell.outputs, ctx_for_widgets(ctx)):
                self._body_key = key  # a stream beside the widgets changed: they stay
                return self._show_stdin(run_view.stdin_state(cell)) or True
            widgets = None if outputs_hidden else cell_widgets(cell, ctx)
            self._show_widgets(widgets)
            if widgets is not None:
                self._body_key = key
                self.body.display = False
                changed = True
            else:
                body = render_body(cell, outputs_hidden=outputs_hidden, ctx=ctx)
                keep = (same and self.body.display and is_pending(body)
                        and self._body_key is not None)
                if not keep:
                    self._body_key = key
                    if body is not None:
                        self.body.show(body)
                    self.body.display = body is not None
                    changed = True
        return self._show_stdin(run_view.stdin_state(cell)) or changed

    def _show_widgets(self, widgets: OutputsArea | None) -> None:
        """Put ``widgets`` (the outputs with widget views) below the status, in place of
        the ones shown before (if any)."""
        if self.widgets is not None:
            self.widgets.remove()
            self.widgets = None
        if widgets is not None:
            widgets.add_class("-indented")
            widgets.styles.padding = (0, 0, 0, 8)
            self.widgets = widgets
            mount_after(self, widgets, self.body)

    def _show_stdin(self, state: StdinState | None) -> bool:
        """Mount the answer field of ``state`` below the outputs (or remove a stale one);
        True when the field was added or removed."""
        row = self.stdin_row
        if row is not None and row.state is state:
            return False
        if row is None and state is None:
            return False
        if row is not None:
            row.remove()
            self.stdin_row = None
        if state is not None:
            self.stdin_row = StdinRow(state)
            self.mount(self.stdin_row)
        return True

    def natural_height(self, width: int) -> int:
        """The rows this view takes when laid out ``width`` columns wide, computed from its
        parts' renders (which are kept for drawing them): the cell list knows a view's height
        before the frame is drawn, instead of measuring it after."""
        empty = Size(0, 0)
        gutter = self.styles.gutter
        inner = width - gutter.width
        rows = gutter.height
        for part in (self.head, self.status, self.body):
            if part.display:
                part_gutter = part.styles.gutter
                rows += part_gutter.height + part.get_content_height(
                    empty, empty, max(inner - part_gutter.width, 1))
        if self.widgets is not None:
            height = self.widgets.outer_size.height
            rows += height if height > 0 else max(1, len(self.widgets.outputs))
        if self.stdin_row is not None:
            rows += 1
        return rows

    def on_click(self, event: events.Click) -> None:
        """Select this cell; a double click (or a click on the active cell) edits it."""
        event.stop()
        if self.index >= 0:
            self.post_message(CellClicked(self.index, edit=event.chain >= 2
                                          or self.is_cursor))


class CellEditor(HighlightedTextArea):
    """The text area of the cell being edited (edit mode bindings live here), highlighted
    with Pygments for ``language`` (``None``: plain, for markdown and raw cells)."""

    BINDINGS = keymap.bindings("edit")

    def __init__(self, text: str, *, index: int, comment: str = "#",
                 line_numbers: bool = False, language: str | None = None) -> None:
        super().__init__(text, highlight_language=language, soft_wrap=True, tab_behavior="indent",
                         show_line_numbers=line_numbers, id="cell-editor")
        self.index = index
        self.comment = comment
        self.cursor_blink = False

    async def _on_key(self, event: events.Key) -> None:
        # TextArea (with tab indentation) moves the focus on Escape before bindings are
        # looked at; keep its default from running so the edit.command-mode binding decides.
        if event.key == "escape":
            event.prevent_default()

    def action_run(self, then: str) -> None:
        """Ask the screen to run this cell."""
        self.post_message(RunRequested([self.index], then))

    def action_toggle_comment(self) -> None:
        """Comment out the selected lines, or uncomment them when all are comments."""
        start, end = sorted((self.selection.start, self.selection.end))
        first, last = start[0], end[0]
        if end[0] > start[0] and end[1] == 0:
            last -= 1
        lines = self.text.split("\n")
        block = lines[first:last + 1]
        prefix = self.comment
        code_lines = [ln for ln in block if ln.strip()]
        commented = bool(code_lines) and all(ln.lstrip().startswith(prefix) for ln in code_lines)
        new_block = []
        for line in block:
            if not line.strip():
                new_block.append(line)
            elif commented:
                stripped = line.lstrip()
                indent = line[: len(line) - len(stripped)]
                body = stripped[len(prefix):]
                new_block.append(indent + (body[1:] if body.startswith(" ") else body))
            else:
                indent_len = min(len(ln) - len(ln.lstrip()) for ln in code_lines)
                new_block.append(line[:indent_len] + prefix + " " + line[indent_len:])
        end_col = len(lines[last])
        self.replace("\n".join(new_block), (first, 0), (last, end_col))

    def cursor_offset(self) -> int:
        """The cursor as a character offset into :attr:`text`."""
        row, col = self.cursor_location
        lines = self.text.split("\n")
        return sum(len(line) + 1 for line in lines[:row]) + col


class EditorView(Vertical):
    """The cell being edited: prompt, text area, and its outputs below."""

    DEFAULT_CSS = """
    EditorView {
        height: auto;
        border-left: thick $success;
        padding: 0 1 1 0;
    }
    EditorView > Horizontal { height: auto; }
    EditorView .prompt { width: 8; height: 1; }
    EditorView CellEditor, EditorView CellEditor:focus {
        height: auto; width: 1fr; border: none; padding: 0;
    }
    EditorView .outputs { height: auto; padding-left: 8; }
    """

    def __init__(self, index: int, cell: Cell, options: ViewOptions, *,
                 outputs_hidden: bool, ctx: RenderContext | None = None) -> None:
        super().__init__()
        self.index = index
        self.cell = cell
        self._options = options
        self._outputs_hidden = outputs_hidden
        self._ctx = ctx

    def compose(self) -> ComposeResult:
        """Prompt and editor side by side, outputs below."""
        cell = self.cell
        self._prompt = Static(prompt_text(cell), classes="prompt")
        self._outputs = CellPart("", markup=False, classes="outputs")
        self._outputs.display = False
        self._prompt_key: str | None = prompt_text(cell).plain
        self._outputs_key: tuple[object, ...] | None = None
        self._widgets: OutputsArea | None = None
        with Horizontal():
            yield self._prompt
            yield CellEditor(cell.source, index=self.index, comment=self._options.comment,
                             line_numbers=self._options.line_numbers,
                             language=self._options.language if cell.cell_type == "code" else None)
        yield self._outputs
        self.show_run()

    def show_run(self, ctx: RenderContext | None = None) -> None:
        """Bring the prompt (``[*]``, the count) and the outputs (bounded as in a
        :class:`CellView`, live while the cell runs, rendered for ``ctx``) up to date."""
        if ctx is not None:
            self._ctx = ctx
        cell = self.cell
        prompt = prompt_text(cell)
        if prompt.plain != self._prompt_key:
            self._prompt_key = prompt.plain
            self._prompt.update(prompt)
        if self._outputs_hidden:
            return
        key = body_key(cell, False, self._ctx)
        if key != self._outputs_key:
            widgets = cell_widgets(cell, self._ctx)
            if self._widgets is not None:
                self._widgets.remove()
                self._widgets = None
            if widgets is not None:
                self._outputs_key = key
                self._outputs.display = False
                widgets.styles.padding = (0, 0, 0, 8)
                self._widgets = widgets
                mount_after(self, widgets, self._outputs)
                return
            body = render_body(cell, ctx=self._ctx)
            if self._outputs.display and is_pending(body):
                return  # the old render stays until the new one is ready
            self._outputs_key = key
            if body is not None:
                self._outputs.show(body)
            self._outputs.display = body is not None

    def on_mount(self) -> None:
        """The view exists only in edit mode: its editor takes the focus."""
        self.editor.focus()

    @property
    def editor(self) -> CellEditor:
        """The text area."""
        return self.query_one(CellEditor)
