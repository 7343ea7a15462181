"""The notebook screen's autosave (mixed into :class:`NotebookScreen`), as JupyterLab's.

Every ``autosave_every`` seconds (:class:`~tui.recovery.settings.RecoverySettings`; 120 by
default, 0 turns it off) a notebook with unsaved changes is saved into its own file, only when
it validates and the file on disk still has the content it was read or last saved with
(compared by hash, read off the UI thread). A file changed or deleted on disk stops autosave
with a notification instead of being overwritten; autosave resumes once the notebook is saved
or reloaded (a new disk stamp). A notebook never saved (no file yet) is not autosaved: the
journal protects it.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import nbio
from nbio.model import DiskStamp
from tui.notebook.journal_hooks import recovery_settings
from tui.recovery.autosave import DiskState, disk_state

if TYPE_CHECKING:
    from tui.notebook.screen import NotebookScreen


class AutosaveMixin:
    """Autosave for the notebook screen (``self`` is a :class:`NotebookScreen`)."""

    autosaves = 0
    """Autosaves written so far."""
    autosave_ticks = 0
    """Times the autosave timer fired (tests wait for these instead of sleeping)."""
    _autosave_busy = False
    _autosave_stopped: DiskStamp | None = None
    """The disk stamp autosave stopped at (a file changed on disk), until it moves."""
    _autosave_was_stopped = False

    @property
    def _ascreen(self) -> NotebookScreen:
        return self  # type: ignore[return-value]

    def on_mount(self) -> None:
        """Start the autosave timer (Textual calls every class's on_mount)."""
        every = recovery_settings(self._ascreen.app).autosave_every
        if every > 0:
            self._ascreen.set_interval(every, self._autosave_tick)

    @property
    def autosave_stopped(self) -> bool:
        """Autosave is held because the file changed on disk."""
        return self._autosave_was_stopped and self._autosave_stopped is self._ascreen.nb.disk_stamp

    def _autosave_tick(self) -> None:
        self.autosave_ticks += 1
        screen = self._ascreen
        stamp = screen.nb.disk_stamp
        if self._autosave_busy or screen.saving or stamp is None or not screen.dirty:
            return
        if self.autosave_stopped:
            return
        self._autosave_was_stopped = False
        self._autosave_busy = True
        screen.run_worker(self._autosave(stamp), group="autosave", description="autosave")

    async def _stored_state(self, stamp: DiskStamp) -> DiskState:
        screen = self._ascreen
        if not screen.contents.remote:
            return await asyncio.to_thread(disk_state, screen.path, stamp.sha256)
        try:  # a server's file: asked through its contents API
            found = await asyncio.to_thread(screen.contents.state, stamp)
        except nbio.NotebookError:  # unreachable: the save says so
            return DiskState.SAME
        return {nbio.DiskState.CHANGED: DiskState.CHANGED,
                nbio.DiskState.DELETED: DiskState.MISSING}.get(found, DiskState.SAME)

    async def _autosave(self, stamp: DiskStamp) -> None:
        screen = self._ascreen
        try:
            state = await self._stored_state(stamp)
            if stamp is not screen.nb.disk_stamp or screen.saving:
                return  # saved or reloaded meanwhile
            if state is not DiskState.SAME:
                self._autosave_stopped = stamp
                self._autosave_was_stopped = True
                screen.notify(f"{screen.path.name} is {state.value}: autosave is off until "
                              "you save (Ctrl+S asks what to do) or reload.",
                              title="Autosave", severity="warning", timeout=15)
                screen.say(f"autosave off: file {state.value}")
                return
            if nbio.validate(screen.nb):
                screen.say("not autosaved: the notebook is invalid (Ctrl+S says why)")
                return
            if await screen.save_now():
                self.autosaves += 1
                screen.say(f"autosaved {screen.path.name}")
        finally:
            self._autosave_busy = False
