"""Jupyter widgets (ipywidgets protocol 2.x), UI-free: the model manager and widget state.

Views (the editor's, the console's) subscribe to :class:`WidgetModel` objects; nothing here
imports a UI toolkit. Names are loaded on first use, so reading saved state
(:mod:`tui.widgets.state`, for ``jtui view``) loads no kernel-protocol code.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.widgets.manager import WIDGET_TARGET, WidgetManager
    from tui.widgets.model import WidgetModel
    from tui.widgets.state import STATE_MIME, restore_models, store_widget_state, widget_state

__all__ = ["STATE_MIME", "WIDGET_TARGET", "WidgetManager", "WidgetModel", "restore_models",
           "store_widget_state", "widget_state"]

_WHERE = {"WIDGET_TARGET": "manager", "WidgetManager": "manager", "WidgetModel": "model",
          "STATE_MIME": "state", "restore_models": "state", "store_widget_state": "state",
          "widget_state": "state"}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'tui.widgets' has no attribute {name!r}")
    return getattr(importlib.import_module(f"tui.widgets.{module}"), name)
