"""WidgetManager: the widget models of one kernel session, on the ``jupyter.widget`` comms.

Speaks the Jupyter widget protocol 2.x (ipywidgets 7 and 8):

- the kernel opens a comm for target ``jupyter.widget`` with ``data = {state, buffer_paths}``
  and ``metadata.version`` "2.x": a :class:`~tui.widgets.model.WidgetModel` is made from it
  (a major version we cannot speak makes no model: views show the output's text/plain);
- ``comm_msg`` methods: ``update`` and ``echo_update`` (state, with buffers put where
  ``buffer_paths`` say), ``custom`` (content and buffers to the model's listeners); models send
  ``update``, ``request_state`` and ``custom``;
- attaching to a running kernel: :meth:`WidgetManager.request_states` opens a comm to
  ``jupyter.widget.control`` and asks for every model at once (``update_states``);
  :meth:`WidgetManager.adopt` is the per-widget fallback (comm ids from a ``comm_info_request``,
  each asked with ``request_state``).

Bad input (a state that is not a dict, a buffer path pointing nowhere, a message for an unknown
model) is counted in :attr:`WidgetManager.stats`, logged, and survived. UI-free: no toolkit here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from protocol.comms import Comm, CommPayload, CommRegistry
from tui.widgets.buffers import put_buffers
from tui.widgets.model import WidgetModel
from tui.widgets.output import OutputCapture

log = logging.getLogger(__name__)

WIDGET_TARGET = "jupyter.widget"
CONTROL_TARGET = "jupyter.widget.control"
PROTOCOL_VERSION = "2.1.0"
"""The widget protocol version we speak."""
CONTROL_VERSION = "1.0.0"
"""The control protocol version (ipywidgets 8 checks its major with our comm_open)."""
VIEW_MIME = "application/vnd.jupyter.widget-view+json"
"""The MIME type of a widget's display (``{model_id, version_major, version_minor}``)."""
MODEL_REF = "IPY_MODEL_"
"""How one widget's state refers to another (``children``, ``layout``, ...)."""

ModelListener = Callable[[WidgetModel], None]


@dataclass
class WidgetStats:
    """What the manager could not use."""

    unsupported: int = 0
    """Models of a protocol version we cannot speak (no model made)."""
    bad_state: int = 0
    """Messages whose state or data was not usable (ignored)."""
    bad_buffers: int = 0
    """Buffer paths that pointed nowhere or had no buffer (skipped)."""
    unknown_method: int = 0
    """comm_msg methods we do not know."""
    problems: list[str] = field(default_factory=list)
    """The last problems, for a debug view (bounded)."""

    def report(self, problem: str) -> None:
        """Keep ``problem`` (the last 50) and log it."""
        log.warning("widget: %s", problem)
        self.problems.append(problem)
        del self.problems[:-50]


class WidgetManager:
    """The widget models of one kernel connection (one per kernel session)."""

    def __init__(self, registry: CommRegistry) -> None:
        self.registry = registry
        self.models: dict[str, WidgetModel] = {}
        self.stats = WidgetStats()
        self.outputs = OutputCapture()
        """The Output widgets' capture of a request's outputs (asked before the cell)."""
        self.states_received = 0
        """How many ``update_states`` answers (to :meth:`request_states`) arrived."""
        self._created: list[ModelListener] = []
        self._answered: list[Callable[[bool], None]] = []
        self._control: Comm | None = None
        registry.register_target(WIDGET_TARGET, self._on_open)

    # -- lookups -----------------------------------------------------------------------------------
    def get(self, model_id: str) -> WidgetModel | None:
        """The live model ``model_id`` (also accepts ``IPY_MODEL_<id>``), or None."""
        return self.models.get(model_id.removeprefix(MODEL_REF))

    def model_for_display(self, data: dict[str, Any]) -> WidgetModel | None:
        """The model a display's MIME bundle shows (its widget-view entry), if we have it and
        speak its version; None means: show the bundle's text/plain."""
        view = data.get(VIEW_MIME)
        if not isinstance(view, dict) or view.get("version_major") != 2:
            return None
        model_id = view.get("model_id")
        return self.get(model_id) if isinstance(model_id, str) else None

    def resolve(self, value: Any) -> WidgetModel | None:
        """The model an ``IPY_MODEL_<id>`` reference names (None for anything else)."""
        if isinstance(value, str) and value.startswith(MODEL_REF):
            return self.get(value)
        return None

    def on_model_created(self, listener: ModelListener) -> None:
        """Call ``listener`` with every model made from now on."""
        self._created.append(listener)

    # -- attaching to a running kernel -------------------------------------------------------------
    def request_states(self, answered: Callable[[bool], None] | None = None) -> None:
        """Ask the kernel for every widget it has (``jupyter.widget.control``); the models
        arrive with the ``update_states`` answer (counted in :attr:`states_received`).

        ``answered`` is called once: with True when the answer was applied, with False when the
        kernel refused the control comm (ipywidgets before 8: use :meth:`adopt`)."""
        if answered is not None:
            self._answered.append(answered)
        if self._control is None or self._control.closed:
            self._control = self.registry.open(CONTROL_TARGET,
                                               metadata={"version": CONTROL_VERSION})
            self._control.on_msg.append(self._on_control_msg)
            self._control.on_close.append(lambda comm, payload: self._answer(False))
        self._control.send({"method": "request_states"})

    def _answer(self, ok: bool) -> None:
        waiting, self._answered = self._answered, []
        for callback in waiting:
            callback(ok)

    def adopt(self, model_ids: Iterable[str]) -> list[WidgetModel]:
        """The fallback when the bulk answer does not come: models for comms the kernel already
        has open (from a ``comm_info_request`` for ``jupyter.widget``), each asked for its state
        with ``request_state`` (its ``update`` fills it in)."""
        adopted = []
        for model_id in model_ids:
            model = self.models.get(model_id)
            if model is None:
                comm = self.registry.adopt(model_id, WIDGET_TARGET)
                model = self._make(model_id, {}, comm, PROTOCOL_VERSION)
            model.request_state()
            adopted.append(model)
        return adopted

    def _on_control_msg(self, comm: Comm, payload: CommPayload) -> None:
        data = payload.data
        if data.get("method") != "update_states":
            self.stats.unknown_method += 1
            return
        states = data.get("states")
        if not isinstance(states, dict):
            self.stats.bad_state += 1
            self.stats.report("update_states without a states dict")
            return
        self._put(states, data.get("buffer_paths"), payload.buffers)
        for model_id, entry in states.items():
            state = entry.get("state") if isinstance(entry, dict) else None
            if not isinstance(model_id, str) or not isinstance(state, dict):
                self.stats.bad_state += 1
                continue
            model = self.models.get(model_id)
            if model is None:
                comm_of = self.registry.adopt(model_id, WIDGET_TARGET)
                self._make(model_id, state, comm_of, PROTOCOL_VERSION)
            else:
                model.apply_update(state)
        self.states_received += 1
        self._answer(True)

    # -- the jupyter.widget target -----------------------------------------------------------------
    def _on_open(self, comm: Comm, payload: CommPayload) -> None:
        version = payload.metadata.get("version", "")
        version = version if isinstance(version, str) else str(version)
        if version and not version.startswith("2."):
            self.stats.unsupported += 1
            self.stats.report(f"model {comm.comm_id}: protocol {version} is not supported")
            return  # the comm stays open (closing it would break the kernel's widget)
        data = payload.data
        state = data.get("state")
        if not isinstance(state, dict):
            self.stats.bad_state += 1
            self.stats.report(f"model {comm.comm_id}: comm_open without a state dict")
            state = {}
        self._put(state, data.get("buffer_paths"), payload.buffers)
        self._make(comm.comm_id, state, comm, version or PROTOCOL_VERSION)

    def _make(self, model_id: str, state: dict[str, Any], comm: Comm,
              version: str) -> WidgetModel:
        model = WidgetModel(model_id, state, comm, version=version)
        self.models[model_id] = model
        self.outputs.watch(model)
        comm.on_msg.append(self._on_msg)
        comm.on_close.append(self._on_close)
        for listener in list(self._created):
            try:
                listener(model)
            except Exception:
                log.exception("model-created listener failed")
        return model

    def _on_msg(self, comm: Comm, payload: CommPayload) -> None:
        model = self.models.get(comm.comm_id)
        if model is None:
            return
        data = payload.data
        method = data.get("method")
        if method in ("update", "echo_update"):
            state = data.get("state")
            if not isinstance(state, dict):
                self.stats.bad_state += 1
                self.stats.report(f"model {model.model_id}: {method} without a state dict")
                return
            self._put(state, data.get("buffer_paths"), payload.buffers)
            if method == "update":
                model.apply_update(state)
            else:
                model.apply_echo(state, payload.parent_msg_id)
        elif method == "custom":
            content = data.get("content")
            model.apply_custom(content if isinstance(content, dict) else {}, payload.buffers)
        else:
            self.stats.unknown_method += 1

    def _on_close(self, comm: Comm, payload: CommPayload) -> None:
        model = self.models.pop(comm.comm_id, None)
        if model is not None:
            model.mark_closed()

    def _put(self, state: dict[str, Any], paths: object, buffers: tuple[bytes, ...]) -> None:
        for problem in put_buffers(state, paths, buffers):
            self.stats.bad_buffers += 1
            self.stats.report(problem)
