"""What every widget view shares: :class:`ViewEnv` (where models and render settings come
from, how deep we are) and :class:`WidgetView` (a Textual widget subscribed to one model and
its layout model, with the ``widget`` key scope).

A view redraws when its model changes, whoever changed it (the kernel, another view of the
same model, this one), so one model shown twice stays in sync. A view changes its model with
``self.model.update(...)``: applied at once, and sent to the kernel as an ``update`` (models
restored from saved state have no comm: their changes stay local).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widget import Widget

from tui.notebook import keymap
from tui.render.context import RenderContext
from tui.widgets.model import WidgetModel

DESCRIPTION_WIDTH = 12
"""Columns of the description in front of a control (ipywidgets aligns them the same way:
a fixed width, unless ``style.description_width`` is ``"initial"``); longer ones are kept."""

log = logging.getLogger(__name__)

MAX_DEPTH = 24
"""Widgets nested deeper than this are drawn as a placeholder (a tree 1,000 deep stays cheap)."""

Lookup = Callable[[str], "WidgetModel | None"]


@dataclass(frozen=True)
class ViewEnv:
    """What a view needs beyond its model: ``lookup`` (an id or ``IPY_MODEL_`` reference to
    a model, live or restored), the render context of rich content (HTML, images, outputs),
    its depth in the widget tree and the ids of its ancestors (a self-reference is cut)."""

    lookup: Lookup
    ctx: RenderContext = field(default_factory=lambda: RenderContext(interactive=True))
    depth: int = 0
    ancestors: frozenset[str] = frozenset()

    def child(self, model: WidgetModel) -> ViewEnv:
        """The env of a child view of ``model``."""
        return replace(self, depth=self.depth + 1, ancestors=self.ancestors | {model.model_id})

    def resolve(self, value: Any) -> WidgetModel | None:
        """The model a state value refers to (``IPY_MODEL_<id>``), or None."""
        if isinstance(value, str) and value.startswith("IPY_MODEL_"):
            return self.lookup(value)
        return None


class WidgetsResized(Message):
    """The widgets of an output changed size: the cell list lays its window out again."""


class WidgetView(Widget):
    """The view of one widget model. Subclasses draw in :meth:`render` (or compose
    children) and react to keys through the ``widget`` scope's actions."""

    BINDINGS = keymap.bindings("widget")  # type: ignore[assignment]

    DEFAULT_CSS = """
    WidgetView { height: auto; width: 1fr; }
    WidgetView:focus { background: $accent 25%; }
    WidgetView.-disabled { color: $text-muted; }
    """

    LAYOUT_KEYS: frozenset[str] = frozenset()
    """State keys whose change can change the view's size (others only repaint)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Guard each view's ``render`` and ``compose``: a state no one validated (a value
        of the wrong type...) draws a line saying so, never takes the editor down."""
        super().__init_subclass__(**kwargs)
        render = cls.__dict__.get("render")
        if render is not None and not getattr(render, "guarded", False):
            cls.render = _guard_render(render)  # type: ignore[method-assign, assignment]
        compose = cls.__dict__.get("compose")
        if compose is not None and not getattr(compose, "guarded", False):
            cls.compose = _guard_compose(compose)  # type: ignore[method-assign, assignment]

    def __init__(self, model: WidgetModel, env: ViewEnv) -> None:
        super().__init__(classes="widget-view")
        self.model = model
        self.env = env
        self._unsubscribe: list[Callable[[], None]] = []
        self._layout: WidgetModel | None = None
        self._rebuild_pending = False

    # subscriptions -------------------------------------------------------------------------
    def on_mount(self) -> None:
        """Follow the model (and its layout model) from now on."""
        self._unsubscribe.append(self.model.subscribe(self._model_changed))
        self._layout = self.env.resolve(self.model.get("layout"))
        if self._layout is not None:
            self._unsubscribe.append(self._layout.subscribe(self._layout_changed))
        self._apply_layout()
        self.set_class(self.disabled_state, "-disabled")

    def on_unmount(self) -> None:
        """Stop following the models."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()

    def _model_changed(self, model: WidgetModel, keys: frozenset[str]) -> None:
        if not self.is_mounted:
            return
        if "layout" in keys:
            self._layout = self.env.resolve(model.get("layout"))
            self._apply_layout()
        if "disabled" in keys:
            self.set_class(self.disabled_state, "-disabled")
        self.model_changed(keys)

    def _layout_changed(self, model: WidgetModel, keys: frozenset[str]) -> None:
        if self.is_mounted and keys & {"display", "visibility"}:
            self._apply_layout()

    def _apply_layout(self) -> None:
        layout = self._layout
        display = layout.get("display") if layout is not None else None
        visibility = layout.get("visibility") if layout is not None else None
        self.display = display != "none"
        self.visible = visibility != "hidden"

    def model_changed(self, keys: frozenset[str]) -> None:
        """React to a change of the model's ``keys`` (default: repaint, relayout when a key
        of :attr:`LAYOUT_KEYS` changed)."""
        self.refresh(layout=bool(keys & self.LAYOUT_KEYS))

    def build_children(self) -> list[Widget]:
        """The child widgets of a view that has some (rebuilt by :meth:`schedule_rebuild`)."""
        return []

    def schedule_rebuild(self, after: Callable[[], None] | None = None) -> None:
        """Replace the child widgets by new ones from :meth:`build_children` (once, soon,
        however many changes come before)."""
        if self._rebuild_pending:
            return
        self._rebuild_pending = True

        async def rebuild() -> None:
            self._rebuild_pending = False
            if not self.is_mounted:
                return
            try:
                children = self.build_children()
            except Exception as exc:
                from textual.widgets import Static

                children = [Static(_failure(self, exc))]
            await self.remove_children()
            await self.mount_all(children)
            if after is not None:
                after()

        self.call_later(rebuild)

    # common traits -------------------------------------------------------------------------
    @property
    def description(self) -> str:
        """The ``description`` trait (plain text)."""
        value = self.model.get("description")
        return value if isinstance(value, str) else ""

    @property
    def prefix(self) -> str:
        """The description as it is put in front of a control (padded to
        :data:`DESCRIPTION_WIDTH` and a space; empty without a description)."""
        description = self.description
        if not description:
            return ""
        style = self.env.resolve(self.model.get("style"))
        if style is not None and style.get("description_width") not in (None, ""):
            return f"{description} "
        return f"{description.ljust(DESCRIPTION_WIDTH)} "

    @property
    def disabled_state(self) -> bool:
        """True when the widget takes no input (``disabled``)."""
        return bool(self.model.get("disabled"))

    def describe(self, text: Text) -> Text:
        """``text`` with the description in front (and a dim look when disabled)."""
        out = Text(self.prefix, style="bold")
        out.append_text(text)
        if self.disabled_state:
            out.stylize("dim")
        return out

    def set_state(self, **changes: Any) -> None:
        """Change the model from this view (nothing when disabled)."""
        if not self.disabled_state:
            self.model.update(changes)

    # keys (the widget scope) ---------------------------------------------------------------
    def action_adjust(self, delta: int) -> None:
        """Left/right (and page keys): change the value by ``delta`` steps."""

    def action_vertical(self, delta: int) -> None:
        """Down (1) / up (-1): the next or previous option; a slider goes up on Up."""
        self.action_adjust(-delta)

    def action_extreme(self, end: int) -> None:
        """Home (-1) / End (1): the lowest or highest value."""

    def action_press(self) -> None:
        """Enter / Space: press a button, toggle a box."""

    def action_next_widget(self, delta: int) -> None:
        """Tab / Shift+Tab: the next or previous widget of the same output (wrapping)."""
        root = self._output_root()
        chain = [w for w in self.screen.focus_chain if root is not None and root in w.ancestors]
        if not chain:
            return
        focused = self.screen.focused
        index = chain.index(focused) if focused in chain else -1
        chain[(index + delta) % len(chain)].focus()

    def action_leave(self) -> None:
        """Escape: back to the cell list (command mode)."""
        node: Any = self.parent
        while node is not None and not getattr(node, "is_cell_list", False):
            node = node.parent
        if node is not None:
            node.focus()
        else:
            self.screen.set_focus(None)

    def _output_root(self) -> Widget | None:
        root: Widget | None = None
        node: Any = self
        while node is not None and isinstance(node, Widget):
            if getattr(node, "is_widget_output", False):
                root = node
                if getattr(node, "is_cell_output", False):
                    break
            node = node.parent
        return root

    def on_click(self, event: events.Click) -> None:
        """A click on a widget is the widget's (the cell does not take it as its own)."""
        event.stop()
        if self.can_focus and not self.has_focus:
            self.focus()


def _failure(view: WidgetView, exc: Exception) -> Text:
    log.warning("widget view of %s failed: %r", view.model.model_id, exc)
    return Text(f"[widget {view.model.model_name or '?'}: cannot draw: "
                f"{type(exc).__name__}: {exc}]"[:200], style="dim italic")


def _guard_render(render: Callable[[Any], Any]) -> Callable[[Any], Any]:
    @functools.wraps(render)
    def guarded(self: WidgetView) -> Any:
        try:
            return render(self)
        except Exception as exc:
            return _failure(self, exc)

    guarded.guarded = True  # type: ignore[attr-defined]
    return guarded


def _guard_compose(compose: Callable[[Any], Any]) -> Callable[[Any], Iterator[Widget]]:
    @functools.wraps(compose)
    def guarded(self: WidgetView) -> Iterator[Widget]:
        from textual.widgets import Static

        try:
            children = list(compose(self))
        except Exception as exc:
            children = [Static(_failure(self, exc))]
        yield from children

    guarded.guarded = True  # type: ignore[attr-defined]
    return guarded
