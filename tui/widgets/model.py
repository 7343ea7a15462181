"""WidgetModel: the frontend's copy of one kernel widget's state, kept in sync both ways.

Views subscribe with :meth:`WidgetModel.subscribe` and are called with the names of the keys
that changed, whoever changed them (the kernel, another view, this one): one model shown twice
stays in sync. A view changes the model with :meth:`WidgetModel.update`, which applies the change
at once and sends it to the kernel as an ``update``.

Echoes (widget protocol 2.1): the kernel answers a frontend's update with an ``echo_update`` to
every frontend. While our own update of a key is in flight, echoes of *older* updates of that key
are ignored (as ipywidgets' JavaScript does), so a slider dragged quickly never jumps back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from tui.widgets.buffers import remove_buffers

if TYPE_CHECKING:  # a type only: restored models (``jtui view``) load no protocol code
    from protocol.comms import Comm

log = logging.getLogger(__name__)

ChangeListener = Callable[["WidgetModel", frozenset[str]], None]
"""Called with the model and the names of the state keys that changed."""
CustomListener = Callable[["WidgetModel", dict[str, Any], tuple[bytes, ...]], None]
"""Called with the model, a ``custom`` message's content and its buffers."""
CloseListener = Callable[["WidgetModel"], None]


class WidgetModel:
    """One widget model (``model_id`` is its comm id)."""

    def __init__(self, model_id: str, state: dict[str, Any], comm: Comm | None = None,
                 *, version: str = "") -> None:
        self.model_id = model_id
        self.state: dict[str, Any] = state
        """The full state, with binary values as ``bytes`` where ``buffer_paths`` put them."""
        self.comm = comm
        """The comm to the kernel (``None`` for a model restored from saved state)."""
        self.version = version
        """The protocol version the kernel announced (``metadata.version``)."""
        self.closed = False
        self.updates_sent = 0
        self.echoes_ignored = 0
        self._listeners: list[ChangeListener] = []
        self._custom: list[CustomListener] = []
        self._close: list[CloseListener] = []
        self._expected_echo: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"<WidgetModel {self.model_name} {self.model_id}>"

    # -- identity -------------------------------------------------------------------------------
    @property
    def model_name(self) -> str:
        """``_model_name`` ("IntSliderModel", ...)."""
        return str(self.state.get("_model_name", ""))

    @property
    def model_module(self) -> str:
        """``_model_module`` ("@jupyter-widgets/controls", ...)."""
        return str(self.state.get("_model_module", ""))

    @property
    def model_module_version(self) -> str:
        """``_model_module_version``."""
        return str(self.state.get("_model_module_version", ""))

    @property
    def view_name(self) -> str:
        """``_view_name`` ("IntSliderView", ...; "" for models without a view)."""
        value = self.state.get("_view_name")
        return value if isinstance(value, str) else ""

    def get(self, key: str, default: Any = None) -> Any:
        """One state value."""
        return self.state.get(key, default)

    # -- subscribing ----------------------------------------------------------------------------
    def subscribe(self, listener: ChangeListener) -> Callable[[], None]:
        """Call ``listener`` on every state change; returns the function that unsubscribes."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    @property
    def subscribers(self) -> int:
        """How many listeners are subscribed (views showing the model)."""
        return len(self._listeners)

    def on_custom(self, listener: CustomListener) -> None:
        """Call ``listener`` with every ``custom`` message the kernel sends to this model."""
        self._custom.append(listener)

    def on_close(self, listener: CloseListener) -> None:
        """Call ``listener`` once when the model is closed (by the kernel, a restart...)."""
        self._close.append(listener)

    # -- from the frontend ----------------------------------------------------------------------
    def update(self, changes: Mapping[str, Any] | None = None, **kwargs: Any) -> str | None:
        """Change state keys from a view: applied and announced at once, then sent to the
        kernel as an ``update``; returns the message's msg_id (None without a live comm)."""
        values = {**(changes or {}), **kwargs}
        if not values:
            return None
        self._apply(values)
        return self.send_state(values.keys())

    def send_state(self, keys: Iterable[str] | None = None) -> str | None:
        """Send ``keys`` of the state (all by default) to the kernel as an ``update``."""
        if self.comm is None or self.comm.closed:
            return None
        names = list(self.state) if keys is None else list(keys)
        state, paths, buffers = remove_buffers({k: self.state.get(k) for k in names})
        msg_id = self.comm.send({"method": "update", "state": state, "buffer_paths": paths},
                                buffers=tuple(buffers))
        for name in names:
            self._expected_echo[name] = msg_id
        self.updates_sent += 1
        return msg_id

    def send_custom(self, content: Mapping[str, Any], buffers: tuple[bytes, ...] = ()) -> None:
        """Send a ``custom`` message (a Button's ``{"event": "click"}``, ...) to the kernel."""
        if self.comm is not None and not self.comm.closed:
            self.comm.send({"method": "custom", "content": dict(content)}, buffers=buffers)

    def request_state(self) -> None:
        """Ask the kernel for the full state (it answers with an ``update``)."""
        if self.comm is not None and not self.comm.closed:
            self.comm.send({"method": "request_state"})

    # -- from the kernel ------------------------------------------------------------------------
    def apply_update(self, state: dict[str, Any]) -> None:
        """Apply an ``update`` from the kernel."""
        self._apply(state)

    def apply_echo(self, state: dict[str, Any], parent_msg_id: str | None) -> None:
        """Apply an ``echo_update``, except for keys whose newer update of ours is pending."""
        if self._expected_echo:
            for name in list(state):
                expected = self._expected_echo.get(name)
                if expected is None:
                    continue
                if expected == parent_msg_id:
                    del self._expected_echo[name]
                else:
                    del state[name]
                    self.echoes_ignored += 1
        self._apply(state)

    def apply_custom(self, content: dict[str, Any], buffers: tuple[bytes, ...]) -> None:
        """Deliver a ``custom`` message to the listeners."""
        for listener in list(self._custom):
            try:
                listener(self, content, buffers)
            except Exception:
                log.exception("custom-message listener failed on %s", self.model_id)

    def mark_closed(self) -> None:
        """The model is gone (comm closed): tell the close listeners, drop the others."""
        if self.closed:
            return
        self.closed = True
        for listener in list(self._close):
            try:
                listener(self)
            except Exception:
                log.exception("close listener failed on %s", self.model_id)
        self._listeners.clear()
        self._custom.clear()
        self._close.clear()

    def _apply(self, values: Mapping[str, Any]) -> None:
        changed = frozenset(k for k, v in values.items()
                            if k not in self.state or self.state[k] != v)
        self.state.update(values)
        if not changed:
            return
        for listener in list(self._listeners):
            try:
                listener(self, changed)
            except Exception:
                log.exception("widget view failed on a change of %s", self.model_id)
