"""The Output widget's capture, the frontend's half: while an ``OutputModel``'s ``msg_id`` names
a request, that request's outputs go into the model's ``outputs`` instead of the cell.

ipywidgets' ``with out:`` sets ``msg_id`` to the running request's id (and clears it after);
JupyterLab's OutputModel then takes that request's IOPub outputs (a message hook), keeps them in
its output area and syncs ``outputs`` back to the kernel; nbclient's ``OutputWidget`` mimics it
(streams of the same name merged, ``clear_output(wait=True)`` deferred to the next output). This
does the same for any frontend of ours: the session (editor, ``jtui run``) and the console ask
:meth:`OutputCapture.capture` first. Nested ``with`` blocks: the Output model that set the
``msg_id`` last wins. UI-free.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nbio.outputs import OutputError, output_from_msg
from tui.widgets.model import WidgetModel

OUTPUT_MODEL = "OutputModel"
CAPTURED_TYPES = frozenset({"stream", "display_data", "execute_result", "error",
                            "clear_output"})


class OutputCapture:
    """Which Output models capture which request, and putting captured outputs in them."""

    def __init__(self) -> None:
        self._by_msg: dict[str, list[WidgetModel]] = {}
        self._wait: set[str] = set()
        self.captured = 0
        """Outputs put into Output models."""

    def watch(self, model: WidgetModel) -> None:
        """Follow ``model``'s ``msg_id`` if it is an Output model (called for every model)."""
        if model.model_name != OUTPUT_MODEL:
            return
        current: list[str] = [""]

        def changed(m: WidgetModel, keys: frozenset[str]) -> None:
            if "msg_id" in keys:
                self._move(m, current[0], _msg_id(m))
                current[0] = _msg_id(m)

        model.subscribe(changed)
        model.on_close(lambda m: self._move(m, current[0], ""))
        current[0] = _msg_id(model)
        self._move(model, "", current[0])

    def _move(self, model: WidgetModel, old: str, new: str) -> None:
        if old:
            stack = self._by_msg.get(old, [])
            if model in stack:
                stack.remove(model)
            if not stack:
                self._by_msg.pop(old, None)
        if new:
            self._by_msg.setdefault(new, []).append(model)

    def capture(self, msg_type: str, content: Mapping[str, Any],
                parent_msg_id: str | None) -> bool:
        """Put an IOPub output into the Output model capturing its request; True when taken
        (the cell must not show it then)."""
        if not parent_msg_id or msg_type not in CAPTURED_TYPES:
            return False
        stack = self._by_msg.get(parent_msg_id)
        if not stack:
            return False
        model = stack[-1]
        if msg_type == "clear_output":
            if content.get("wait"):
                self._wait.add(model.model_id)
            else:
                self._wait.discard(model.model_id)
                model.update(outputs=[])
            return True
        try:
            output = output_from_msg(msg_type, content)
        except OutputError:
            return True  # a bad output of a captured request: dropped, as the cell would
        if output is None:
            return False
        outputs = [] if model.model_id in self._wait else list(model.get("outputs") or [])
        self._wait.discard(model.model_id)
        last = outputs[-1] if outputs else None
        if (output["output_type"] == "stream" and isinstance(last, dict)
                and last.get("output_type") == "stream" and last.get("name") == output["name"]):
            outputs[-1] = {**last, "text": str(last.get("text", "")) + output["text"]}
        else:
            outputs.append(output)
        model.update(outputs=outputs)
        self.captured += 1
        return True


def _msg_id(model: WidgetModel) -> str:
    value = model.get("msg_id")
    return value if isinstance(value, str) else ""
