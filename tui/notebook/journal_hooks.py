"""The notebook screen's recovery journal (mixed into :class:`NotebookScreen`).

A tick every :data:`TICK` seconds compares a fingerprint of the notebook's state (the history's
steps and dirty mark, keys typed into the cell editor, kernel output batches, the file's disk
stamp) with the last one. When it moved and there are unsaved changes, the tick takes a cheap
snapshot (:func:`tui.recovery.snapshot.take`, the edited cell's lines included) and hands it to
the :class:`~tui.recovery.writer.JournalWriter`, whose thread serialises and writes it; when
the notebook is clean (saved, or undone back to the saved state) the journal is removed. The
UI thread never waits for the journal. A failing journal (folder unwritable, disk full) is
reported once; editing goes on.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.widgets import TextArea

from nbio import edits
from nbio.model import DiskStamp
from tui.recovery.offer import forget_kept
from tui.recovery.settings import RecoverySettings
from tui.recovery.snapshot import Editing, take
from tui.recovery.writer import JournalWriter

if TYPE_CHECKING:
    from tui.notebook.screen import NotebookScreen

TICK = 0.2
"""Seconds between looks at the notebook's state (a compare of a few integers when idle)."""


def recovery_settings(app: Any) -> RecoverySettings:
    """The app's :class:`RecoverySettings` (the defaults when it has none)."""
    settings = getattr(app, "recovery", None)
    return settings if isinstance(settings, RecoverySettings) else RecoverySettings()


class JournalMixin:
    """Keeps the screen's notebook journaled (``self`` is a :class:`NotebookScreen`)."""

    journal: JournalWriter | None = None
    """The journal writer (None when journaling is off)."""
    _journal_fp: tuple[Any, ...] | None = None
    _journal_events = 0
    _journal_typed = 0
    _journal_typed_in: TextArea | None = None
    _journal_history: edits.History | None = None
    _journal_stamp: DiskStamp | None = None
    _journal_kept: list[Path]
    _journal_reported = False
    _journal_discarded = False

    @property
    def _jscreen(self) -> NotebookScreen:
        return self  # type: ignore[return-value]

    def on_mount(self) -> None:
        """Start the journal writer and its tick (Textual calls every class's on_mount)."""
        screen = self._jscreen
        settings = recovery_settings(screen.app)
        if not settings.journal:
            return
        stamp = screen.nb.disk_stamp
        self._journal_stamp = stamp
        self._journal_kept = list(settings.kept)
        self.journal = JournalWriter(screen.contents.journal_source,
                                     source_sha256=stamp.sha256 if stamp else None,
                                     directory=settings.directory)
        screen.set_interval(TICK, self._journal_tick)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        """A key typed into the cell editor: the next tick journals it."""
        from tui.notebook.cell_view import CellEditor

        if isinstance(event.text_area, CellEditor):
            self._journal_typed += 1
            self._journal_typed_in = event.text_area

    def _journal_listener(self, edit: edits.Edit, action: str) -> None:
        self._journal_events += 1
        self._journal_typed_in = None  # the edited text went into the model (or was undone)

    async def journal_moved(self) -> None:
        """The notebook now lives at ``screen.path`` (save as, rename): journal it there.

        The old journal is removed (its file is saved, or renamed with the changes still
        here) and a new one, named after the new path, gets the next change."""
        old = self.journal
        if old is None:
            return
        screen = self._jscreen
        stamp = screen.nb.disk_stamp
        settings = recovery_settings(screen.app)
        self.journal = JournalWriter(screen.contents.journal_source,
                                     source_sha256=stamp.sha256 if stamp else None,
                                     directory=settings.directory)
        self._journal_stamp = stamp
        self._journal_fp = None
        await asyncio.to_thread(old.close, remove=True)

    def journal_discard_requested(self) -> None:
        """The user quits without saving: the journal goes with the changes."""
        self._journal_discarded = True

    def _journal_tick(self) -> None:
        writer = self.journal
        if writer is None:
            return
        screen = self._jscreen
        self._journal_report(writer)
        history = screen.history
        if history is not self._journal_history:
            self._journal_history = history
            history.listeners.append(self._journal_listener)
            self._journal_typed_in = None
        self._journal_new_base(writer)
        stamp = screen.nb.disk_stamp
        batches = 0
        try:
            batches = screen.kernel.batches_handled
        except Exception:  # no kernel controller (yet)
            pass
        fp = (id(history), self._journal_events, history.dirty, id(stamp), batches,
              self._journal_typed)
        if fp == self._journal_fp:
            return
        self._journal_fp = fp
        editor = screen.editor
        typed = editor is not None and editor is self._journal_typed_in
        if not (history.dirty or typed):
            writer.discard()
            return
        editing = None
        if typed and editor is not None:
            doc = editor.document
            editing = Editing(editor.index, list(doc.lines), doc.newline)
        try:
            snapshot = take(screen.nb, editing)
        except Exception as exc:  # pragma: no cover - a model no copy can walk
            self._journal_say_failed(str(exc))
            return
        writer.update(snapshot)

    def _journal_new_base(self, writer: JournalWriter) -> None:
        """After a save (or reload, a new disk stamp): journals record the new hash, and the
        journals kept from before (recovered, or "open as saved") go once their writers are
        gone."""
        stamp = self._jscreen.nb.disk_stamp
        if stamp is self._journal_stamp:
            return
        self._journal_stamp = stamp
        writer.set_source_sha256(stamp.sha256 if stamp else None)
        self._journal_typed_in = None
        if self._journal_kept:
            self._journal_kept = forget_kept(self._journal_kept)

    def _journal_report(self, writer: JournalWriter) -> None:
        error = writer.error
        if error is not None and not self._journal_reported:
            self._journal_say_failed(error.strerror or str(error))

    def _journal_say_failed(self, why: str) -> None:
        self._journal_reported = True
        writer = self.journal
        where = writer.directory if writer is not None else "the journal folder"
        self._jscreen.notify(
            f"The recovery journal cannot be written in {where}: {why}. Editing goes on, "
            "but unsaved changes are not protected against a crash: save often.",
            title="Recovery journal", severity="warning", timeout=15)

    def journal_flush(self, timeout: float = 10.0) -> bool:
        """Journal the current state now and wait until it is written (tests, shutdown)."""
        self._journal_fp = None
        self._journal_tick()
        return self.journal.flush(timeout) if self.journal is not None else True

    def on_unmount(self) -> None:
        """A clean quit (nothing unsaved, or the user chose to discard) removes the journal;
        any other end keeps it, the latest changes written."""
        writer = self.journal
        if writer is None:
            return
        self.journal = None
        screen = self._jscreen
        failed = getattr(screen.app, "_exception", None) is not None
        if not failed:
            self._journal_new_base(writer)  # saved just before quitting
        clean = not screen.history.dirty and self._journal_typed_in is None
        writer.close(remove=(clean or self._journal_discarded) and not failed)
