"""The ``Output`` widget's capture: IOPub outputs meant for an Output widget go into it.

ipywidgets' ``Output`` does not send what it captures: ``with out:`` sets the model's
``msg_id`` to the request being handled, and the *frontend* routes every output whose parent
is that request into the widget (JupyterLab's ``OutputModel``), then syncs the widget's
``outputs`` back to the kernel (so ``out.outputs`` is right there). :class:`OutputCapture` does
that for one :class:`~tui.widgets.manager.WidgetManager`: the session asks
:meth:`OutputCapture.capture` before routing an output to a cell. When several widgets capture
the same request, the one that started capturing last wins (JupyterLab's hook order).

UI-free; outputs are kept as nbformat output dicts by :class:`nbio.outputs.OutputArea`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nbio.outputs import OutputArea
from tui.widgets.manager import WidgetManager
from tui.widgets.model import WidgetModel

OUTPUT_MODEL = "OutputModel"


class OutputCapture:
    """Routes captured outputs into the Output models of ``manager``."""

    def __init__(self, manager: WidgetManager) -> None:
        self.manager = manager
        self.captured = 0
        """Output messages put into an Output widget."""
        self._order: list[str] = []
        """Output model ids, in the order their ``msg_id`` was last set."""
        self._areas: dict[str, OutputArea] = {}
        self._sent: dict[str, object] = {}
        manager.on_model_created(self._created)
        for model in list(manager.models.values()):
            self._created(model)

    def _created(self, model: WidgetModel) -> None:
        if model.model_name != OUTPUT_MODEL:
            return
        model.subscribe(self._changed)
        model.on_close(self._closed)
        if model.get("msg_id"):
            self._order.append(model.model_id)

    def _changed(self, model: WidgetModel, keys: frozenset[str]) -> None:
        if "msg_id" in keys:
            if model.model_id in self._order:
                self._order.remove(model.model_id)
            if model.get("msg_id"):
                self._order.append(model.model_id)
        if "outputs" in keys and model.get("outputs") is not self._sent.get(model.model_id):
            self._areas.pop(model.model_id, None)  # the kernel set them: start from those

    def _closed(self, model: WidgetModel) -> None:
        if model.model_id in self._order:
            self._order.remove(model.model_id)
        self._areas.pop(model.model_id, None)
        self._sent.pop(model.model_id, None)

    def target(self, parent_msg_id: str | None) -> WidgetModel | None:
        """The Output model capturing the outputs of request ``parent_msg_id``, if any."""
        if not parent_msg_id:
            return None
        for model_id in reversed(self._order):
            model = self.manager.models.get(model_id)
            if model is not None and not model.closed and model.get("msg_id") == parent_msg_id:
                return model
        return None

    def capture(self, msg_type: str, content: Mapping[str, Any],
                parent_msg_id: str | None) -> bool:
        """Put one output message (stream, display_data, execute_result, error, clear_output)
        into the Output widget capturing its parent request; False when none does (the
        message goes to its cell)."""
        model = self.target(parent_msg_id)
        if model is None:
            return False
        area = self._areas.get(model.model_id)
        if area is None:
            current = model.get("outputs")
            outputs = [dict(o) for o in current if isinstance(o, dict)] \
                if isinstance(current, (list, tuple)) else []
            area = self._areas[model.model_id] = OutputArea(outputs)
        if area.apply(msg_type, content):
            value = [dict(o) for o in area.outputs]
            self._sent[model.model_id] = value
            model.update(outputs=value)
        self.captured += 1
        return True
