"""Containers: Box, HBox, VBox, GridBox, Tab, Accordion, Stack.

Children are views made by :func:`~tui.notebook.widget_views.factory.make_view` (a child
too deep or referring to an ancestor becomes a placeholder). A container rebuilds its child
views when ``children``, ``titles`` or ``selected_index`` change. Tab shows a row of titles (the
row is focusable: Left/Right pick a tab, a click on a title too); Accordion shows each title,
the selected one opened below it (Enter opens or closes the title under the focus).
"""

from __future__ import annotations

import re
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.widget import Widget

from tui.notebook.widget_views.base import WidgetView
from tui.widgets.model import WidgetModel

MAX_CHILDREN = 200
"""At most this many child views in one container (the rest are counted in one line: each
view is a Textual widget, about a millisecond to mount)."""


def child_models(view: WidgetView) -> list[WidgetModel | str]:
    """The models of ``children`` (a reference that resolves to nothing stays a string)."""
    children = view.model.get("children")
    if not isinstance(children, (list, tuple)):
        return []
    out: list[WidgetModel | str] = []
    for ref in children:
        model = view.env.resolve(ref)
        out.append(model if model is not None else str(ref)[:60])
    return out


def child_view(view: WidgetView, child: WidgetModel | str) -> Widget:
    """The view of one child (a placeholder for a missing reference)."""
    from tui.notebook.widget_views.display import PlaceholderView
    from tui.notebook.widget_views.factory import make_view

    if isinstance(child, str):
        return PlaceholderView(None, view.env, f"no model {child}")
    return make_view(child, view.env.child(view.model))


def grid_columns(template: Any) -> int:
    """How many columns a CSS ``grid-template-columns`` names (``repeat(3, 1fr)``,
    ``1fr 2fr 100px``), at least 1."""
    if not isinstance(template, str) or not template.strip():
        return 1
    repeat = re.match(r"\s*repeat\(\s*(\d+)\s*,", template)
    if repeat:
        return max(1, min(int(repeat.group(1)), 12))
    return max(1, min(len(re.findall(r"[^\s()]+(?:\([^)]*\))?", template)), 12))


class BoxView(WidgetView):
    """Box, VBox (children one under another), HBox (side by side), GridBox (in the columns
    of ``layout.grid_template_columns``)."""

    DEFAULT_CSS = """
    BoxView { layout: vertical; height: auto; }
    BoxView.-row { layout: horizontal; }
    BoxView.-row > WidgetView { width: auto; margin-right: 1; }
    BoxView.-row > SliderView, BoxView.-row > ProgressView, BoxView.-row > FieldView,
    BoxView.-row > ImageView { width: 1fr; }
    BoxView.-grid { layout: grid; grid-gutter: 0 1; }
    """

    REBUILD = frozenset({"children"})

    def compose(self) -> ComposeResult:
        """The children's views."""
        yield from self.build_children()

    def build_children(self) -> list[Widget]:
        """The children's views (the grid's columns set)."""
        name = self.model.model_name
        self.set_class(name == "HBoxModel", "-row")
        if name == "GridBoxModel":
            layout = self.env.resolve(self.model.get("layout"))
            columns = grid_columns(layout.get("grid_template_columns") if layout else None)
            self.set_class(True, "-grid")
            self.styles.grid_size_columns = columns
        children = child_models(self)
        views = [child_view(self, child) for child in children[:MAX_CHILDREN]]
        if len(children) > MAX_CHILDREN:
            from tui.notebook.widget_views.display import PlaceholderView

            views.append(PlaceholderView(self.model, self.env,
                                         f"{len(children) - MAX_CHILDREN:,} more children "
                                         "not shown"))
        return views

    def model_changed(self, keys: frozenset[str]) -> None:
        """Rebuild when the children changed."""
        if keys & self.REBUILD:
            self.schedule_rebuild()
        else:
            super().model_changed(keys)


def _titles(view: WidgetView, count: int) -> list[str]:
    titles = view.model.get("titles")
    if not isinstance(titles, (list, tuple)):  # ipywidgets 7: _titles {"0": ...}
        old = view.model.get("_titles")
        titles = [old.get(str(i), "") for i in range(count)] if isinstance(old, dict) else []
    names = [str(t) if t else "" for t in titles]
    names += [""] * (count - len(names))
    return [name or f"Tab {i}" for i, name in enumerate(names[:count])]


def _selected(view: WidgetView, count: int) -> int | None:
    index = view.model.get("selected_index")
    return index if isinstance(index, int) and 0 <= index < count else None


class TitleRow(Widget, can_focus=True):
    """The row of a Tab's titles (focusable: Left/Right choose, a click too)."""

    DEFAULT_CSS = """
    TitleRow { height: 1; width: 1fr; }
    TitleRow:focus { background: $accent 25%; }
    """

    def __init__(self, owner: SelectorView) -> None:
        super().__init__()
        self.owner = owner

    def render(self) -> Text:
        """The titles, the selected one lit."""
        titles = self.owner.titles()
        selected = self.owner.selected()
        text = Text()
        for i, title in enumerate(titles):
            style = "bold reverse" if i == selected else "dim"
            text.append(f" {title} ", style=style)
            text.append("│", style="dim")
        return text

    def on_click(self, event: events.Click) -> None:
        """The title under the mouse."""
        event.stop()
        x = 0
        for i, title in enumerate(self.owner.titles()):
            width = len(title) + 3
            if x <= event.x < x + width:
                self.owner.select(i)
                return
            x += width

    def on_key(self, event: events.Key) -> None:
        """Left/Right: the previous or next tab."""
        if event.key in ("left", "right"):
            event.stop()
            selected = self.owner.selected()
            delta = 1 if event.key == "right" else -1
            count = len(self.owner.titles())
            if count:
                self.owner.select(((selected if selected is not None else 0) + delta) % count)


class AccordionTitle(Widget, can_focus=True):
    """One title of an Accordion (Enter or a click opens it, or closes it when open)."""

    DEFAULT_CSS = """
    AccordionTitle { height: 1; width: 1fr; background: $boost; }
    AccordionTitle:focus { background: $accent 25%; }
    """

    def __init__(self, owner: SelectorView, index: int) -> None:
        super().__init__()
        self.owner = owner
        self.index = index

    def render(self) -> Text:
        """``▾ title`` when open, ``▸ title`` when closed."""
        titles = self.owner.titles()
        title = titles[self.index] if self.index < len(titles) else ""
        open_ = self.owner.selected() == self.index
        return Text(f"{'▾' if open_ else '▸'} {title}", style="bold" if open_ else "")

    def toggle(self) -> None:
        """Open this one (or close it)."""
        self.owner.select(None if self.owner.selected() == self.index else self.index)

    def on_click(self, event: events.Click) -> None:
        """A click toggles."""
        event.stop()
        self.toggle()

    def on_key(self, event: events.Key) -> None:
        """Enter or Space toggles."""
        if event.key in ("enter", "space"):
            event.stop()
            self.toggle()


class SelectorView(WidgetView):
    """Tab, Accordion and Stack: children of which ``selected_index`` is shown."""

    DEFAULT_CSS = """
    SelectorView { layout: vertical; height: auto; }
    SelectorView > .tab-body { padding-left: 1; }
    """

    REBUILD = frozenset({"children", "selected_index", "titles", "_titles"})

    def titles(self) -> list[str]:
        """The children's titles."""
        return _titles(self, len(child_models(self)))

    def selected(self) -> int | None:
        """The shown child."""
        return _selected(self, len(child_models(self)))

    def select(self, index: int | None) -> None:
        """Show child ``index`` (None: none; an Accordion closes)."""
        if index != self.model.get("selected_index"):
            self.set_state(selected_index=index)

    def compose(self) -> ComposeResult:
        """Titles and the selected child."""
        yield from self.build_children()

    def build_children(self) -> list[Widget]:
        """Titles and the selected child."""
        out: list[Widget] = []
        children = child_models(self)
        selected = _selected(self, len(children))
        name = self.model.model_name
        if name == "TabModel":
            out.append(TitleRow(self))
            if selected is not None:
                body = child_view(self, children[selected])
                body.add_class("tab-body")
                out.append(body)
        elif name == "AccordionModel":
            for i, child in enumerate(children):
                out.append(AccordionTitle(self, i))
                if i == selected:
                    body = child_view(self, child)
                    body.add_class("tab-body")
                    out.append(body)
        elif selected is not None:  # Stack
            out.append(child_view(self, children[selected]))
        return out

    def model_changed(self, keys: frozenset[str]) -> None:
        """Rebuild when the children or the selection changed."""
        if keys & self.REBUILD:
            focused = self.screen.focused if self.is_mounted else None
            refocus = isinstance(focused, (TitleRow, AccordionTitle)) and focused.owner is self
            index = getattr(focused, "index", None)
            self.schedule_rebuild((lambda: self._refocus(index)) if refocus else None)
        else:
            super().model_changed(keys)

    def _refocus(self, index: int | None) -> None:
        for child in self.children:
            if isinstance(child, TitleRow) or (isinstance(child, AccordionTitle)
                                                and child.index == index):
                child.focus()
                return
