"""Where the models a cell's outputs show come from: the live models of the screen's kernel
session (its :class:`~tui.widgets.manager.WidgetManager`), then the static ones restored from
the notebook's saved widget state (``metadata.widgets``, restored once per state object).

A static model has no comm: drawn with its saved values, changed only locally. Running the cell
replaces its outputs with ones that show live models.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from tui.notebook import run_view
from tui.widgets.model import WidgetModel
from tui.widgets.state import restore_models

log = logging.getLogger(__name__)

Lookup = Callable[[str], "WidgetModel | None"]

_STATIC: dict[int, tuple[object, dict[str, WidgetModel]]] = {}
"""``id(notebook metadata)`` -> (the widgets entry restored, its models)."""


def static_models(metadata: Mapping[str, Any]) -> dict[str, WidgetModel]:
    """The models of ``metadata``'s saved widget state (problems logged, never raised)."""
    widgets = metadata.get("widgets")
    if widgets is None:
        return {}
    cached = _STATIC.get(id(metadata))
    if cached is not None and cached[0] is widgets:
        return cached[1]
    try:
        models, problems = restore_models(metadata)
    except Exception:  # a state no one validated must not break the notebook
        log.exception("saved widget state not restored")
        models, problems = {}, ["saved widget state not restored"]
    for problem in problems:
        log.warning("saved widget state: %s", problem)
    if len(_STATIC) > 32:
        _STATIC.clear()
    _STATIC[id(metadata)] = (widgets, models)
    return models


def make_lookup(live: Mapping[str, WidgetModel] | None,
                static: Mapping[str, WidgetModel] | None) -> Lookup:
    """Find a model (``id`` or ``IPY_MODEL_id``): live first, then static."""

    def lookup(ref: str) -> WidgetModel | None:
        model_id = ref.removeprefix("IPY_MODEL_")
        model = live.get(model_id) if live is not None else None
        if model is None or model.closed:
            model = static.get(model_id) if static is not None else None
        return model

    return lookup


def active_lookup() -> Lookup | None:
    """The lookup of the notebook screen on display (None without one)."""
    views = run_view.ACTIVE
    session = views.session if views is not None else None
    if session is None:
        return None
    live = session.comms.widgets.models
    static = static_models(session.nb.metadata) if session.nb is not None else {}
    return make_lookup(live, static)
