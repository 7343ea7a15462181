"""Widgets in the console: drawn inline as text, redrawn live when the kernel changes them.

:class:`ConsoleWidgets` holds the console's comms (:class:`~tui.session.comms.SessionComms`,
so the kernel's ``jupyter.widget`` models live in a
:class:`~tui.widgets.manager.WidgetManager`), gives the printer's renderer the model lookup
(``application/vnd.jupyter.widget-view+json`` is drawn by :mod:`tui.render.widget_view`), and
watches every widget display: a change of any model in its tree (a tqdm bar's value, its
counts) redraws that display in place while it is still in the printer's live region, at most
:data:`REDRAWS_PER_SECOND` times a second (a kernel flooding updates costs a few renders), and
once more, at once, when the cell ends (the last state is what stays on screen).
Interaction is not offered here: the editor drives widgets.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from protocol.events import CommMessage
from tui.session.comms import SessionComms

if TYPE_CHECKING:
    from protocol.client import KernelClient
    from tui.console.printer import Printer
    from tui.widgets.model import WidgetModel

VIEW_MIME = "application/vnd.jupyter.widget-view+json"
REDRAWS_PER_SECOND = 20
LIVE_DISPLAYS = 32
"""Widget displays watched at once (the oldest stop redrawing)."""


class _Watch:
    """One widget display on screen: what it showed and the models it subscribes to."""

    def __init__(self, display_id: str, content: dict[str, Any], model: WidgetModel) -> None:
        self.display_id = display_id
        self.content = content
        self.model = model
        self.unsubscribe: dict[str, Any] = {}


class ConsoleWidgets:
    """The console's widget models and their live displays."""

    def __init__(self, printer: Printer) -> None:
        self.printer = printer
        self.comms = SessionComms()
        self.redraws = 0
        """Redraws done (tests and the bench read it)."""
        self._watches: OrderedDict[str, _Watch] = OrderedDict()
        self._dirty: set[str] = set()
        self._timer: asyncio.TimerHandle | None = None
        self._attaching: asyncio.Future[None] | None = None
        printer.renderer.widgets = self.lookup
        printer.widgets = self

    @property
    def manager(self) -> Any:
        """The :class:`~tui.widgets.manager.WidgetManager`."""
        return self.comms.widgets

    def lookup(self, model_id: str) -> WidgetModel | None:
        """The live model ``model_id`` (the renderer's lookup)."""
        model: WidgetModel | None = self.comms.widgets.get(model_id)
        return model

    def bind(self, client: KernelClient, *, reset: str = "") -> None:
        """Talk to ``client`` (at start; after a restart with ``reset`` saying why)."""
        if reset:
            self.forget()
        self.comms.bind(client, reset=reset)

    def attach(self, timeout: float = 5) -> None:
        """In the background, load the widgets a kernel we attached to already has
        (``--existing``), so showing one of them again draws it."""
        async def attach() -> None:
            with contextlib.suppress(Exception):
                await self.comms.attach_widgets(timeout)

        self._attaching = asyncio.ensure_future(attach())

    def receive(self, event: Any) -> bool:
        """A kernel event: True when it was handled here (a comm message, or an output an
        Output widget captures)."""
        if not isinstance(event, CommMessage):
            return bool(self.comms.widgets.outputs.capture(
                event.msg_type, event.content, event.parent_msg_id))
        self.comms.receive(event)
        return True

    # -- live displays -------------------------------------------------------------------------
    def watch(self, content: dict[str, Any]) -> str | None:
        """The display id to give a result or display showing a known widget (its redraws
        are watched from now on), or None for any other bundle."""
        data = content.get("data")
        view = data.get(VIEW_MIME) if isinstance(data, dict) else None
        model_id = view.get("model_id") if isinstance(view, dict) else None
        model = self.lookup(model_id) if isinstance(model_id, str) else None
        if model is None:
            return None
        transient = content.get("transient")
        given = transient.get("display_id") if isinstance(transient, dict) else None
        display_id = given if isinstance(given, str) and given else f"widget:{model.model_id}"
        old = self._watches.pop(display_id, None)
        if old is not None:
            self._drop(old)
        watch = _Watch(display_id, content, model)
        self._watches[display_id] = watch
        self._subscribe(watch)
        while len(self._watches) > LIVE_DISPLAYS:
            self._drop(self._watches.popitem(last=False)[1])
        return display_id

    def _subscribe(self, watch: _Watch) -> None:
        from tui.render.widget_view import tree_ids

        wanted = tree_ids(watch.model, self.lookup)
        for model_id in list(watch.unsubscribe):
            if model_id not in wanted:
                watch.unsubscribe.pop(model_id)()
        display_id = watch.display_id

        def changed(_model: WidgetModel, keys: frozenset[str]) -> None:
            self._changed(display_id, keys)

        for model_id in wanted - set(watch.unsubscribe):
            model = self.lookup(model_id)
            if model is not None:
                watch.unsubscribe[model_id] = model.subscribe(changed)

    def _drop(self, watch: _Watch) -> None:
        for unsubscribe in watch.unsubscribe.values():
            unsubscribe()
        watch.unsubscribe.clear()
        self._dirty.discard(watch.display_id)

    def _changed(self, display_id: str, keys: frozenset[str]) -> None:
        watch = self._watches.get(display_id)
        if watch is None:
            return
        if "children" in keys or "outputs" in keys:
            self._subscribe(watch)
        self._dirty.add(display_id)
        if self._timer is None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                self.flush()
                return
            self._timer = loop.call_later(1 / REDRAWS_PER_SECOND, self.flush)

    def flush(self) -> None:
        """Redraw every display whose models changed since its last redraw."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        dirty, self._dirty = self._dirty, set()
        for display_id in dirty:
            watch = self._watches.get(display_id)
            if watch is None:
                continue
            text = self.printer.bundle_text(watch.content, self.printer.columns)
            self.printer.update_display(display_id, text + "\n", reprint=False)
            self.redraws += 1

    def forget(self) -> None:
        """Stop watching every display (the kernel restarted: its widgets are gone)."""
        for watch in self._watches.values():
            self._drop(watch)
        self._watches.clear()

    async def aclose(self) -> None:
        """Stop: no more redraws, the comms' sender stopped."""
        self.forget()
        if self._attaching is not None:
            self._attaching.cancel()
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        with contextlib.suppress(Exception):
            await self.comms.aclose("the console closed")
