"""Type-ahead: keys typed while a field is opening are kept, in order, for that field.

Textual forwards each key to the focused widget as it arrives and runs the non-priority
bindings only when the key has bubbled back up to the app, with the focus chain of *that*
moment. Typed fast (a paste, a slow SSH link), ``Ctrl+F`` followed by ``abLb`` was forwarded
to the cell list four more times before the find bar existed, and each letter then ran a
command-mode binding (three cells inserted, line numbers toggled).

Two rules fix it (:class:`TypeAheadApp` applies them in the app's own queue, so in the order
the keys were typed):

* While the focused widget is not a text field, a key's bindings run *before* the next key
  is looked at (as the priority bindings already do), so an action that opens a field runs
  before the keys typed after it are delivered anywhere.
* Such an action calls :meth:`TypeAhead.expect` with a test for "the field has the keyboard";
  keys arriving until then are held and delivered to the field once it does (or after
  :data:`HOLD_SECONDS`, to whatever has the focus then: a key is never dropped).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from textual import events
from textual.app import App
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, TextArea

HOLD_SECONDS = 2.0
"""Longest wait for a field to take the keyboard before held keys go where the focus is."""

POLL_SECONDS = 0.01
"""How often a waiting app looks whether the field has the keyboard yet."""

TEXT_FIELDS: tuple[type[Widget], ...] = (Input, TextArea)
"""Widgets that consume printable keys themselves (their keys go the ordinary way)."""


class TypeAhead:
    """The keys held for a field that is opening (one field at a time)."""

    def __init__(self) -> None:
        self._ready: Callable[[], bool] | None = None
        self._deadline = 0.0
        self._held: list[events.Key] = []
        self.held_total = 0
        """Keys held so far (for tests and the log)."""

    @property
    def waiting(self) -> bool:
        """Whether a field is opening."""
        return self._ready is not None

    def expect(self, ready: Callable[[], bool], *, hold: float = HOLD_SECONDS) -> None:
        """Hold keys from now until ``ready()`` is true (the field has the keyboard)."""
        self._ready = ready
        self._deadline = time.monotonic() + hold

    def due(self) -> bool:
        """Whether the held keys should be delivered now (the field is ready or the wait
        is over)."""
        if self._ready is None:
            return False
        try:
            ready = self._ready()
        except Exception:  # a field torn down meanwhile: deliver to wherever the focus is
            ready = True
        return ready or time.monotonic() >= self._deadline

    def hold(self, key: events.Key) -> None:
        """Keep ``key`` for the field."""
        self._held.append(key)
        self.held_total += 1

    def release(self) -> list[events.Key]:
        """Stop waiting; the held keys, oldest first."""
        keys, self._held, self._ready = self._held, [], None
        return keys


class TypeAheadApp(App[None]):
    """An app that keeps type-ahead in order (see the module's docstring)."""

    def __init__(self) -> None:
        super().__init__()
        self.typeahead = TypeAhead()
        """The keys held for a field that is opening."""
        self._typeahead_timer: Timer | None = None

    def expect_field(self, ready: Callable[[], bool]) -> None:
        """Hold the keys typed from now until ``ready()`` (a field has the keyboard)."""
        self.typeahead.expect(ready)
        if self._typeahead_timer is None:
            self._typeahead_timer = self.set_interval(POLL_SECONDS, self._poll_typeahead)

    def expect_focus(self, widget_type: type[Widget]) -> None:
        """Hold the keys typed from now until a ``widget_type`` has the focus."""
        self.expect_field(lambda: isinstance(self.focused, widget_type))

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        """Push ``screen`` (a dialog, the kernel picker...); keys typed meanwhile go to it."""
        result = super().push_screen(screen, *args, **kwargs)
        if not isinstance(screen, str):
            self.expect_field(screen_ready(self, screen))
        return result

    async def _poll_typeahead(self) -> None:
        if self.typeahead.due():
            await self._release_typeahead()

    async def _release_typeahead(self) -> None:
        if self._typeahead_timer is not None:
            self._typeahead_timer.stop()
            self._typeahead_timer = None
        for key in self.typeahead.release():
            await self._deliver_key(key)

    async def on_event(self, event: events.Event) -> None:
        """Keys in the order typed: held while a field opens, bindings first outside fields."""
        if not isinstance(event, events.Key) or event.is_forwarded:
            await super().on_event(event)
            return
        if self.typeahead.waiting:
            if not self.typeahead.due():
                self.typeahead.hold(event)
                return
            await self._release_typeahead()
        await self._deliver_key(event)

    async def _deliver_key(self, event: events.Key) -> None:
        if self.typeahead.waiting:  # an earlier key opened a field: this one waits for it
            self.typeahead.hold(event)
            return
        if not isinstance(self.focused, TEXT_FIELDS) and await self._bindings_first(event):
            return
        await super().on_event(event)

    async def _bindings_first(self, event: events.Key) -> bool:
        """Run ``event``'s binding now, if it has one: the priority bindings, then the focus
        chain's (what the app would run once the key came back up, with whatever focus the
        keys typed after it had left by then)."""
        self.app_focus = True
        if await self._check_bindings(event.key, priority=True):
            return True
        return await self._check_bindings(event.key)


def hold_keys_until(widget: Widget, ready: Callable[[], bool]) -> None:
    """From an action of ``widget`` that opens a field: hold the keys typed from now until
    ``ready()`` (nothing happens under an app that does not keep type-ahead)."""
    app = widget.app
    if isinstance(app, TypeAheadApp):
        app.expect_field(ready)


def screen_ready(app: App[Any], screen: object) -> Callable[[], bool]:
    """A test for "``screen`` is on top and has settled its focus" (a dialog just pushed)."""

    def ready() -> bool:
        top = app.screen
        if top is not screen:
            return False
        return top.is_mounted and (top.focused is not None or not top.focus_chain)

    return ready
