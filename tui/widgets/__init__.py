"""Jupyter widgets (ipywidgets protocol 2.x), UI-free: the model manager and widget state.

Views (the editor's, the console's) subscribe to :class:`WidgetModel` objects; nothing here
imports a UI toolkit.
"""

from __future__ import annotations

from tui.widgets.manager import WIDGET_TARGET, WidgetManager
from tui.widgets.model import WidgetModel
from tui.widgets.state import STATE_MIME, restore_models, store_widget_state, widget_state

__all__ = ["STATE_MIME", "WIDGET_TARGET", "WidgetManager", "WidgetModel", "restore_models",
           "store_widget_state", "widget_state"]
