"""``application/vnd.jupyter.widget-view+json``: an ipywidgets tree drawn as Rich text.

The bundle names a model (``{model_id, version_major: 2}``); the models come from
:attr:`RenderContext.widgets <tui.render.context.RenderContext.widgets>` (a live manager's
``get``, or models restored from a notebook's saved state). A model we do not know (no
lookup, no such model, a protocol version we cannot speak) makes the renderer raise
:class:`~tui.render.registry.Unrenderable`, so the bundle's text/plain is shown; a model of a
kind we do not draw (ipympl, ipyleaflet...) is one dim line naming it, above the text/plain.

Controls are drawn by :mod:`tui.render.widget_controls`; here are the containers
(Box/HBox/VBox/GridBox, Tab, Accordion, Stack), Label/HTML/HTMLMath (through the HTML
renderer), Image (through the image renderer: the graphics layer) and Output (its outputs
through the shared registry). ``layout.display = "none"`` hides a widget. Bounded: a tree
deeper than :data:`MAX_DEPTH` or one that refers to itself is cut with a mark, and at most
:data:`MAX_WIDGETS` widgets are drawn per output.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.text import Text

from tui.render.context import RenderContext
from tui.render.widget_controls import CONTROLS, html_text, plain, progress_bar

if TYPE_CHECKING:
    from tui.widgets.model import WidgetModel

VIEW_MIME = "application/vnd.jupyter.widget-view+json"
MODEL_REF = "IPY_MODEL_"
MAX_DEPTH = 32
"""Nesting drawn before a tree is cut with a mark (1,000-deep trees stay cheap)."""
MAX_WIDGETS = 2000
"""Widgets drawn in one output before the rest are counted."""
PROGRESS_NAMES = ("IntProgressModel", "FloatProgressModel")
CONTAINERS = ("BoxModel", "HBoxModel", "VBoxModel", "GridBoxModel")

Lookup = Callable[[str], "WidgetModel | None"]


def render_widget_view(value: Any, metadata: Mapping[str, Any],
                       ctx: RenderContext) -> RenderableType:
    """The registry's renderer: the widget tree ``value`` names, or :class:`Unrenderable`
    (with a note naming the model when it is of a kind we do not draw)."""
    from tui.render.registry import Unrenderable

    model = view_model(value, ctx.widgets)
    if model is None:
        raise Unrenderable("no such widget model")
    drawer = WidgetDrawer(ctx.widgets, ctx)  # type: ignore[arg-type]
    if not drawer.knows(model):
        raise Unrenderable("a widget the terminal does not draw", note=unknown_line(model))
    return drawer.draw(model, ctx.width)


def view_model(value: Any, lookup: Lookup | None) -> WidgetModel | None:
    """The model a widget-view value names, if ``lookup`` has it and we speak its version."""
    if lookup is None or not isinstance(value, Mapping) or value.get("version_major") != 2:
        return None
    model_id = value.get("model_id")
    return lookup(model_id) if isinstance(model_id, str) else None


def unknown_line(model: WidgetModel) -> Text:
    """The one-line stand-in for a widget we do not draw."""
    module = f" ({model.model_module})" if model.model_module else ""
    return Text(f"[widget {model.model_name or '?'}{module}: not drawn in the terminal]",
                style="dim italic")


class WidgetDrawer:
    """Draws one output's widget tree (one drawer per render: it counts and tracks cycles)."""

    def __init__(self, lookup: Lookup, ctx: RenderContext) -> None:
        self.lookup = lookup
        self.ctx = ctx
        self.drawn = 0
        self._path: list[str] = []

    def knows(self, model: WidgetModel) -> bool:
        """True for the models we draw (the rest get :func:`unknown_line`)."""
        name = model.model_name
        return name in CONTROLS or name in _SPECIAL

    def resolve(self, ref: Any) -> WidgetModel | None:
        """The model an ``IPY_MODEL_<id>`` reference names."""
        if isinstance(ref, str) and ref.startswith(MODEL_REF):
            return self.lookup(ref[len(MODEL_REF):])
        return None

    def hidden(self, model: WidgetModel) -> bool:
        """``layout.display == "none"`` (or ``visibility: hidden``)."""
        layout = self.resolve(model.state.get("layout"))
        if layout is None or layout is model:
            return False
        return (layout.state.get("display") == "none"
                or layout.state.get("visibility") == "hidden")

    def draw(self, model: WidgetModel, width: int) -> RenderableType:
        """``model`` and its children, ``width`` columns wide."""
        if model.model_id in self._path:
            return Text(f"[widget {model.model_name}: refers to itself]", style="dim italic")
        if len(self._path) >= MAX_DEPTH:
            return Text(f"[… widgets nested deeper than {MAX_DEPTH} not shown]",
                        style="dim italic")
        if self.drawn >= MAX_WIDGETS:
            return Text("")
        self.drawn += 1
        self._path.append(model.model_id)
        try:
            name = model.model_name
            control = CONTROLS.get(name)
            if control is not None:
                return control(model.state, max(1, width))
            special = _SPECIAL.get(name)
            if special is not None:
                return special(self, model, max(1, width))
            return unknown_line(model)
        finally:
            self._path.pop()

    def children(self, model: WidgetModel) -> list[WidgetModel]:
        """The shown children of a container (hidden ones and bad references left out)."""
        refs = model.state.get("children")
        found: list[WidgetModel] = []
        for ref in refs if isinstance(refs, (list, tuple)) else []:
            child = self.resolve(ref)
            if child is not None and not self.hidden(child):
                found.append(child)
        return found

    def titled(self, model: WidgetModel) -> list[tuple[str, WidgetModel]]:
        """A Tab's or Accordion's children with their titles (``titles``, or ipywidgets 7's
        ``_titles`` dict)."""
        titles = model.state.get("titles")
        old = model.state.get("_titles")
        out = []
        for i, child in enumerate(self.children(model)):
            title = ""
            if isinstance(titles, (list, tuple)) and i < len(titles):
                title = plain(titles[i])
            elif isinstance(old, Mapping):
                title = plain(old.get(str(i), ""))
            out.append((title or f"Page {i + 1}", child))
        return out


def _selected_index(model: WidgetModel) -> int | None:
    index = model.state.get("selected_index")
    return index if isinstance(index, int) and not isinstance(index, bool) else None


def _vbox(drawer: WidgetDrawer, model: WidgetModel, width: int) -> RenderableType:
    children = drawer.children(model)
    if model.model_name == "HBoxModel":
        return hbox(drawer, children, width)
    return Group(*(drawer.draw(child, width) for child in children))


def hbox(drawer: WidgetDrawer, children: Sequence[WidgetModel], width: int) -> RenderableType:
    """Children side by side: one line of text when they are all one line (a progress bar
    takes the room the others leave, as tqdm's HBox does), else columns."""
    bars = [c for c in children if c.model_name in PROGRESS_NAMES]
    drawn: list[RenderableType | None] = [None if c in bars else drawer.draw(c, width)
                                          for c in children]
    if all(isinstance(d, Text) and "\n" not in d.plain for d in drawn if d is not None):
        taken = sum(d.cell_len for d in drawn if isinstance(d, Text)) + len(children) - 1
        room = max(5, (width - taken) // max(1, len(bars))) if bars else 0
        line = Text()
        for i, (child, part) in enumerate(zip(children, drawn)):
            if part is None:
                part = _inline_progress(child, min(room, 40))
            if i and child not in bars and children[i - 1] not in bars:
                line.append(" ")
            line.append_text(part)  # type: ignore[arg-type]
        return line
    parts = [d if d is not None else drawer.draw(c, width) for c, d in zip(children, drawn)]
    return Row(parts)


def _inline_progress(model: WidgetModel, cells: int) -> Text:
    desc = plain(model.state.get("description"))
    head = Text(desc + " ", style="bold") if desc else Text("")
    return head + progress_bar(model.state, max(5, cells - head.cell_len))


class Row:
    """Renderables side by side, each rendered once (no measuring pass: nested rows cost
    what they draw). One-line texts take their own width; the others share the rest."""

    def __init__(self, parts: Sequence[RenderableType], gap: int = 1) -> None:
        self.parts = list(parts)
        self.gap = gap

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        fixed = {i: p.cell_len for i, p in enumerate(self.parts)
                 if isinstance(p, Text) and "\n" not in p.plain}
        flexible = len(self.parts) - len(fixed)
        spare = width - sum(fixed.values()) - self.gap * max(0, len(self.parts) - 1)
        share = max(1, spare // flexible) if flexible else 0
        columns = []
        for i, part in enumerate(self.parts):
            cells = max(1, fixed.get(i, share))
            lines = console.render_lines(part, options.update(width=cells, height=None),
                                         pad=True)
            columns.append((cells, lines))
        height = max((len(lines) for _, lines in columns), default=0)
        gap = [Segment(" " * self.gap)] if self.gap else []
        for row in range(height):
            for i, (cells, lines) in enumerate(columns):
                if i:
                    yield from gap
                yield from lines[row] if row < len(lines) else [Segment(" " * cells)]
            yield Segment.line()


def _tab(drawer: WidgetDrawer, model: WidgetModel, width: int) -> RenderableType:
    pages = drawer.titled(model)
    chosen = _selected_index(model)
    header = Text()
    for i, (title, _) in enumerate(pages):
        header.append(f" {title} ", style="reverse bold" if i == chosen else "dim")
        header.append("│", style="dim")
    if chosen is None or not 0 <= chosen < len(pages):
        return header
    return Group(header, drawer.draw(pages[chosen][1], width))


def _accordion(drawer: WidgetDrawer, model: WidgetModel, width: int) -> RenderableType:
    chosen = _selected_index(model)
    rows: list[RenderableType] = []
    for i, (title, child) in enumerate(drawer.titled(model)):
        rows.append(Text(("▾ " if i == chosen else "▸ ") + title, style="bold"))
        if i == chosen:
            rows.append(Row([Text("  "), drawer.draw(child, max(1, width - 2))], gap=0))
    return Group(*rows)


def _stack(drawer: WidgetDrawer, model: WidgetModel, width: int) -> RenderableType:
    children = drawer.children(model)
    chosen = _selected_index(model)
    if chosen is None or not 0 <= chosen < len(children):
        return Text("")
    return drawer.draw(children[chosen], width)


def _html(drawer: WidgetDrawer, model: WidgetModel, width: int) -> RenderableType:
    desc = plain(model.state.get("description"))
    head = Text(desc + " ", style="bold") if desc else Text("")
    text = html_text(model.state.get("value"))
    if text is not None:
        return head + Text(text)
    from tui.render.registry import Unrenderable, render_mime

    try:
        body = render_mime("text/html", str(model.state.get("value")), None,
                           drawer.ctx.with_width(max(1, width - head.cell_len)))
    except Unrenderable:
        return head
    return Row([head, body], gap=0) if desc else body


def _image(drawer: WidgetDrawer, model: WidgetModel, width: int) -> RenderableType:
    from tui.render.registry import render_data

    value = model.state.get("value")
    fmt = plain(model.state.get("format")) or "png"
    if not isinstance(value, (bytes, bytearray, memoryview)) or fmt == "url":
        return Text(f"[image ({fmt}) without data]", style="dim italic")
    mime = "image/svg+xml" if fmt.startswith("svg") else f"image/{fmt}"
    payload: Any = base64.b64encode(bytes(value)).decode("ascii")
    if mime == "image/svg+xml":
        payload = bytes(value).decode("utf-8", "replace")
    meta: dict[str, Any] = {}
    for key in ("width", "height"):
        size = plain(model.state.get(key)).removesuffix("px")
        if size.isdigit():
            meta[key] = int(size)
    return render_data({mime: payload}, {mime: meta}, drawer.ctx.with_width(width))


def _output(drawer: WidgetDrawer, model: WidgetModel, width: int) -> RenderableType:
    from tui.render.outputs import render_output

    outputs = model.state.get("outputs")
    parts: list[RenderableType] = []
    ctx = drawer.ctx.with_width(width)
    for output in outputs if isinstance(outputs, (list, tuple)) else []:
        if not isinstance(output, Mapping):
            continue
        data = output.get("data")
        nested = view_model(data.get(VIEW_MIME), drawer.lookup) if isinstance(data, Mapping) \
            else None
        if nested is not None and drawer.knows(nested):  # stays in this drawer (cycles)
            parts.append(drawer.draw(nested, width))
        else:
            parts.append(render_output(output, ctx))
    return Group(*parts)


_SPECIAL: dict[str, Callable[[WidgetDrawer, WidgetModel, int], RenderableType]] = {
    **{name: _vbox for name in CONTAINERS},
    "TabModel": _tab,
    "AccordionModel": _accordion,
    "StackModel": _stack,
    "HTMLModel": _html,
    "HTMLMathModel": _html,
    "ImageModel": _image,
    "OutputModel": _output,
}
"""Models drawn from their children or through other renderers."""


def widget_text(model: WidgetModel, lookup: Lookup, ctx: RenderContext) -> RenderableType:
    """``model``'s tree as a renderable (a known model, or its one-line stand-in)."""
    drawer = WidgetDrawer(lookup, ctx)
    return drawer.draw(model, ctx.width) if drawer.knows(model) else unknown_line(model)


def tree_ids(model: WidgetModel, lookup: Lookup, limit: int = MAX_WIDGETS) -> set[str]:
    """The ids of ``model`` and every model its tree refers to (children, layouts, an
    Output's nested displays), bounded by ``limit``: what a live view subscribes to."""
    seen: set[str] = set()
    todo = [model]
    while todo and len(seen) < limit:
        current = todo.pop()
        if current.model_id in seen:
            continue
        seen.add(current.model_id)
        for ref in _refs(current.state):
            child = lookup(ref[len(MODEL_REF):])
            if child is not None and child.model_id not in seen:
                todo.append(child)
    return seen


def _refs(state: Mapping[str, Any]) -> list[str]:
    refs: list[str] = []
    for key, value in state.items():
        if isinstance(value, str) and value.startswith(MODEL_REF):
            refs.append(value)
        elif key == "children" and isinstance(value, (list, tuple)):
            refs.extend(v for v in value if isinstance(v, str) and v.startswith(MODEL_REF))
        elif key == "outputs" and isinstance(value, (list, tuple)):
            for output in value:
                data = output.get("data") if isinstance(output, Mapping) else None
                view = data.get(VIEW_MIME) if isinstance(data, Mapping) else None
                if isinstance(view, Mapping) and isinstance(view.get("model_id"), str):
                    refs.append(MODEL_REF + view["model_id"])
    return refs
