"""A list of outputs some of which are widgets: :class:`OutputsArea`, and the ``Output``
widget's view (:class:`OutputWidgetView`), whose captured outputs are drawn the same way
(nested plots and widgets included).

Runs of ordinary outputs are drawn as one static part through a ``render_output(index,
output, ctx)`` function (the cell's bounded rendering, or the shared one); each widget
output whose model is known becomes its view; one whose model is gone (a restarted kernel,
nothing saved) is drawn as an ordinary output (its text/plain).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from rich.console import Group, RenderableType
from textual import events
from textual.widget import Widget

from tui.notebook.widget_views.base import MAX_DEPTH, ViewEnv, WidgetsResized, WidgetView
from tui.notebook.widget_views.display import Redraw, WidthAware
from tui.render.context import RenderContext
from tui.widgets.manager import VIEW_MIME
from tui.widgets.model import WidgetModel

MAX_WIDGET_OUTPUTS = 100
"""At most this many widget outputs of one list are live views; the others show their
text/plain (each view is Textual widgets, about a millisecond each to mount)."""

RenderOne = Callable[[int, dict[str, Any], RenderContext], RenderableType]
"""Draws output ``index`` of the list for a context."""


def view_ref(output: Mapping[str, Any]) -> str | None:
    """The model id a widget-view output shows (protocol 2), or None."""
    data = output.get("data") if isinstance(output, Mapping) else None
    view = data.get(VIEW_MIME) if isinstance(data, Mapping) else None
    if not isinstance(view, Mapping) or view.get("version_major") != 2:
        return None
    model_id = view.get("model_id")
    return model_id if isinstance(model_id, str) else None


def widget_models(outputs: Sequence[Any], env_lookup: Callable[[str], WidgetModel | None]
                  ) -> list[WidgetModel | None]:
    """For each output, the model it shows (None for ordinary outputs and missing models)."""
    out: list[WidgetModel | None] = []
    for output in outputs:
        ref = view_ref(output) if isinstance(output, dict) else None
        out.append(env_lookup(ref) if ref is not None else None)
    return out


def shared_render(index: int, output: dict[str, Any], ctx: RenderContext) -> RenderableType:
    """An output through the shared renderers (for an Output widget's captured outputs)."""
    from tui.render.outputs import render_output

    return render_output(output, ctx)


def _plain(output: Mapping[str, Any]) -> str:
    from tui.mime import as_text

    data = output.get("data")
    text = data.get("text/plain") if isinstance(data, Mapping) else None
    return as_text(text)[:500] if text is not None else ""


class StaticOutputs(Widget):
    """A run of ordinary outputs, drawn at the part's width."""

    DEFAULT_CSS = "StaticOutputs { height: auto; width: 1fr; }"

    def __init__(self, items: list[tuple[int, dict[str, Any]]], ctx: RenderContext,
                 render_one: RenderOne) -> None:
        super().__init__()
        self.items = items
        self.render_one = render_one
        self.ctx = replace(ctx, request_redraw=self._redraw_soon)
        self._made: WidthAware | None = None

    def show(self, items: list[tuple[int, dict[str, Any]]]) -> None:
        """Draw ``items`` from now on."""
        self.items = items
        self._made = None
        self.refresh(layout=True)

    def _make(self, ctx: RenderContext) -> RenderableType:
        return Group(*(self.render_one(i, o, ctx) for i, o in self.items))

    def render(self) -> RenderableType:
        """The outputs."""
        if self._made is None:
            self._made = WidthAware(self._make, self.ctx)
        return self._made

    def _redraw_soon(self) -> None:
        self.post_message(Redraw())

    def on_redraw(self, message: Redraw) -> None:
        """A picture is ready."""
        message.stop()
        self._made = None
        self.refresh(layout=True)


class OutputsArea(Widget):
    """Outputs, the widget ones as live views. ``cell_output``: the area of a cell (Tab
    moves among the widgets under it; its size changes are told to the cell list)."""

    DEFAULT_CSS = "OutputsArea { height: auto; width: 1fr; layout: vertical; }"

    is_widget_output = True

    def __init__(self, outputs: Sequence[Any], env: ViewEnv, render_one: RenderOne, *,
                 cell_output: bool = False) -> None:
        super().__init__()
        self.outputs = list(outputs)
        self.env = env
        self.render_one = render_one
        self.is_cell_output = cell_output

    def _segments(self, outputs: Sequence[Any]) -> list[WidgetModel | list[tuple[int, Any]]]:
        """Runs of ordinary outputs (index, output) and the models shown between them."""
        segments: list[WidgetModel | list[tuple[int, Any]]] = []
        run: list[tuple[int, Any]] = []
        models = widget_models(outputs, self.env.lookup)
        shown = 0
        for index, (output, model) in enumerate(zip(outputs, models)):
            if not isinstance(output, dict):
                continue
            if model is not None:
                shown += 1
            if model is None or shown > MAX_WIDGET_OUTPUTS:
                run.append((index, output))
                continue
            if run:
                segments.append(run)
                run = []
            segments.append(model)
        if run:
            segments.append(run)
        return segments

    def compose(self) -> Any:
        """Static parts and widget views, in the outputs' order."""
        from tui.notebook.widget_views.factory import make_view

        for segment in self._segments(self.outputs):
            if isinstance(segment, list):
                # widget outputs past the live limit are drawn as text (tui/render's)
                ctx = replace(self.env.ctx, widgets=self.env.lookup)
                yield StaticOutputs(segment, ctx, self.render_one)
            else:
                output: Mapping[str, Any] = next(
                    (o for o in self.outputs if view_ref(o) == segment.model_id), {})
                yield make_view(segment, self.env, _plain(output))

    def update_outputs(self, outputs: Sequence[Any], ctx: RenderContext) -> bool:
        """Show ``outputs`` by redrawing the static parts only, when the widgets among them
        are the same as shown (a stream beside a widget grew); False when the area must be
        made again."""
        if replace(ctx, request_redraw=None) != replace(self.env.ctx, request_redraw=None):
            return False
        new = self._segments(outputs)
        old = [child for child in self.children]
        if len(new) != len(old):
            return False
        for segment, child in zip(new, old):
            if isinstance(segment, list) != isinstance(child, StaticOutputs):
                return False
            if not isinstance(segment, list) and getattr(child, "model", None) is not segment:
                return False
        self.outputs = list(outputs)
        for segment, child in zip(new, old):
            if isinstance(segment, list) and isinstance(child, StaticOutputs):
                child.show(segment)
        return True

    def on_resize(self, event: events.Resize) -> None:
        """Tell the cell list (it lays its window out with the new height)."""
        if self.is_cell_output:
            self.post_message(WidgetsResized())


class OutputWidgetView(WidgetView):
    """The ``Output`` widget: its ``outputs`` (captured by the session, or set by the
    kernel) drawn as a cell's are."""

    DEFAULT_CSS = "OutputWidgetView { height: auto; layout: vertical; }"

    def build_children(self) -> list[Widget]:
        """One area of the outputs."""
        outputs = self.model.get("outputs")
        outputs = list(outputs) if isinstance(outputs, (list, tuple)) else []
        if self.env.depth >= MAX_DEPTH:
            return []
        return [OutputsArea(outputs, self.env.child(self.model), shared_render)]

    def compose(self) -> Any:
        """The outputs."""
        yield from self.build_children()

    def model_changed(self, keys: frozenset[str]) -> None:
        """New outputs: draw them."""
        if "outputs" not in keys:
            return
        outputs = self.model.get("outputs")
        outputs = list(outputs) if isinstance(outputs, (list, tuple)) else []
        area = next((c for c in self.children if isinstance(c, OutputsArea)), None)
        if area is not None and outputs and area.update_outputs(outputs, area.env.ctx):
            return  # the same widgets among them: only the static parts are drawn again
        self.schedule_rebuild()
