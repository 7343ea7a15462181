"""A cell's outputs when some are widgets: what the cell views ask this module.

:func:`widget_key` is part of a cell's outputs cache key (which widget outputs have a model
now: a model that arrives or goes away redraws the outputs); :func:`cell_widgets` makes the
:class:`~tui.notebook.widget_views.outputs.OutputsArea` a cell view shows in place of its
static outputs part, or returns None when no output of the cell is a widget we have a model
for (the common case: the static part alone, as before).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from nbio.model import Cell
from tui.notebook import run_view
from tui.notebook.widget_views.base import ViewEnv
from tui.notebook.widget_views.outputs import OutputsArea, view_ref
from tui.notebook.widget_views.sources import Lookup, active_lookup
from tui.render.context import RenderContext
from tui.widgets.manager import VIEW_MIME


def _refs(cell: Cell) -> list[str]:
    if cell.cell_type != "code":
        return []
    refs: list[str] = []
    for output in cell.outputs:
        data = output.get("data") if isinstance(output, dict) else None
        if isinstance(data, dict) and VIEW_MIME in data:
            ref = view_ref(output)
            if ref is not None:
                refs.append(ref)
    return refs


def widget_key(cell: Cell) -> tuple[Any, ...]:
    """The widget outputs of ``cell`` and whether each has a model (for cache keys)."""
    refs = _refs(cell)
    if not refs:
        return ()
    lookup = active_lookup()
    if lookup is None:
        return ()
    return tuple((ref, id(lookup(ref))) for ref in refs)


def cell_lookup(cell: Cell) -> Lookup | None:
    """The model lookup when at least one output of ``cell`` is a widget with a model."""
    refs = _refs(cell)
    if not refs:
        return None
    lookup = active_lookup()
    if lookup is None or all(lookup(ref) is None for ref in refs):
        return None
    return lookup


def ctx_for_widgets(ctx: RenderContext | None) -> RenderContext:
    """The context widget views of a cell's outputs are drawn for."""
    return ctx or RenderContext(interactive=True)


def cell_widgets(cell: Cell, ctx: RenderContext | None) -> OutputsArea | None:
    """The outputs of ``cell`` with live widget views, or None (no widget to draw)."""
    lookup = cell_lookup(cell)
    if lookup is None:
        return None
    env = ViewEnv(lookup, ctx_for_widgets(ctx))
    return OutputsArea(cell.outputs, env, partial(run_view.render_output_at, cell),
                       cell_output=True)
