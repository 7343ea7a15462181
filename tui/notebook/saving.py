"""The notebook screen's saving (mixed into :class:`NotebookScreen`): save, reload, disk watch.

A save is snapshotted on the event loop and written from a thread (:func:`nbio.commit_write`),
signed with the trust store ``jupyter trust`` uses when the notebook is trusted
(:mod:`tui.notebook.trust_hooks`). A manual save (Ctrl+S, "save and quit", "keep mine") also
writes the checkpoint JupyterLab's "Revert to checkpoint" reads
(``.ipynb_checkpoints/NAME-checkpoint.ipynb``, :mod:`nbio.checkpoints`); autosave does not, as in
JupyterLab. A read-only file is not replaced: a manual save says so and offers "save as".

Where the file lives is the screen's ``contents`` (:mod:`tui.contents`): a local file, or a
notebook on a Jupyter Server (checked, saved and checkpointed through its contents API).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual.worker import Worker

import nbio
from nbio import edits
from nbio.checkpoints import CheckpointError

if TYPE_CHECKING:
    from tui.notebook.screen import NotebookScreen


class SaveMixin:
    """Save, reload and disk watching for the notebook screen (``self`` is a
    :class:`NotebookScreen`)."""

    checkpoints_written = 0
    """Checkpoints written after manual saves (tests wait for these)."""
    save_widget_state: bool | None = None
    """``[editor] save_widget_state`` (read from the config file at the first save)."""

    @property
    def _sscreen(self) -> NotebookScreen:
        return self  # type: ignore[return-value]

    def action_save(self) -> None:
        """Save through nbio: validated, atomic, and never over a file changed on disk."""
        self.save(manual=True)

    def save(self, *, force: bool = False, manual: bool = False) -> Worker[bool]:
        """Save in the background (one save at a time: a second one waits for the first).

        ``manual``: asked for by the user (writes the checkpoint, offers "save as" for a
        read-only file). The returned worker's result says whether the file was written.
        """
        return self._sscreen.run_worker(self.save_now(force=force, manual=manual),
                                        group="save", description="save the notebook")

    @property
    def saving(self) -> bool:
        """A save is being written (or waits for the one being written)."""
        return self._sscreen._saves_pending > 0

    async def save_now(self, *, force: bool = False, manual: bool = False) -> bool:
        """Snapshot the notebook here (the event loop), write it from a thread; True if saved.

        The snapshot marks the history saved at that point: edits made while the file is being
        written keep the notebook dirty, and a failed write marks it dirty again.
        """
        screen = self._sscreen
        screen._saves_pending += 1
        try:
            async with screen._save_lock:
                saved = await self._save_locked(force, manual)
                if saved and manual:  # the file as just written, before any later save
                    await self._write_checkpoint()
                return saved
        finally:
            screen._saves_pending -= 1

    async def _save_locked(self, force: bool, manual: bool) -> bool:
        screen = self._sscreen
        await screen.trust_ready()
        prepared = self._snapshot()
        if prepared is None:
            return False
        was_new = screen.is_new
        screen.history.mark_saved()
        screen.is_new = False
        screen.say(f"saving {screen.path.name}…")
        try:
            stamp = await asyncio.to_thread(screen.contents.save, prepared, force=force)
        except nbio.FileChangedError:
            self._save_failed(was_new)
            self._ask_disk_changed()
            return False
        except nbio.ReadOnlyError:
            self._save_failed(was_new)
            self._read_only(manual)
            return False
        except (OSError, nbio.NotebookError) as exc:
            self._save_failed(was_new)
            screen.notify(f"Not saved: {exc}", severity="error", timeout=10)
            screen.say("not saved")
            return False
        screen.nb.path = prepared.target
        screen.nb.disk_stamp = stamp
        screen._disk_prompted = False
        screen.say(f"saved {screen.path.name}")
        return True

    async def _write_checkpoint(self) -> None:
        screen = self._sscreen
        try:
            await asyncio.to_thread(screen.contents.create_checkpoint)
        except CheckpointError as exc:
            screen.notify(f"Saved, but {exc}", severity="warning", timeout=10)
            return
        self.checkpoints_written += 1

    def _read_only(self, manual: bool) -> None:
        screen = self._sscreen
        screen.say(f"not saved: {screen.path.name} is read-only")
        if not manual:
            return
        from tui.notebook.dialogs import read_only_dialog

        def answer(choice: str | None) -> None:
            if choice == "save_as":
                screen.action_save_as()

        screen.app.push_screen(read_only_dialog(screen.path.name), answer)

    def _snapshot(self) -> nbio.PreparedWrite | None:
        """The notebook's bytes as of now, or None (told why) when it cannot be saved."""
        screen = self._sscreen
        screen.commit_editor()
        screen.kernel_sync_outputs()
        self._store_widgets()
        problems = nbio.validate(screen.nb)
        if problems:
            first = problems[0]
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            screen.notify(f"Not saved: the notebook is invalid: {first}{more}",
                          severity="error", timeout=10)
            screen.say("not saved: invalid notebook")
            screen.run_worker(screen.open_problems(focus=False), group="problems")
            return None
        try:
            return nbio.prepare_write(screen.nb, screen.path, notary=screen.notary)
        except (ValueError, nbio.NotebookError) as exc:
            screen.notify(f"Not saved: {exc}", severity="error", timeout=10)
            screen.say("not saved")
            return None

    def _store_widgets(self) -> None:
        """The kernel's live widgets into ``metadata.widgets`` when the setting is on
        (without live widgets a state saved earlier is kept)."""
        if self.save_widget_state is None:
            from tui.config import load_editor

            self.save_widget_state = load_editor().save_widget_state
        if self.save_widget_state:
            from tui.widgets.state import store_widget_state

            screen = self._sscreen
            try:
                models = list(screen.kernel.session.comms.widgets.models.values())
            except Exception:  # no kernel controller (the screen is going away)
                return
            store_widget_state(screen.nb.metadata, models)

    def _save_failed(self, was_new: bool) -> None:
        self._sscreen.history.mark_dirty()
        self._sscreen.is_new = was_new

    def _check_disk(self) -> None:
        """The timer's tick: check the file in a worker, one check at a time."""
        screen = self._sscreen
        if not screen._disk_checking:
            screen.run_worker(self.check_disk(), group="disk-check")

    async def check_disk(self) -> None:
        """Compare the file with the stamp of our last read or write, by hash (nbio), off the
        UI thread: hashing a 50 MB notebook takes about 0.1 s, which no key should wait for."""
        screen = self._sscreen
        stamp = screen.nb.disk_stamp
        if stamp is None or screen._disk_prompted or self.saving:  # our own write is no change
            return
        screen._disk_checking = True
        try:
            state = await asyncio.to_thread(screen.contents.state, stamp)
        except OSError:
            return
        finally:
            screen._disk_checking = False
        if screen.nb.disk_stamp is not stamp or screen._disk_prompted or self.saving:
            return  # saved, reloaded or asked meanwhile: this answer is out of date
        if state is nbio.DiskState.DELETED:
            if not screen._disk_deleted:
                screen._disk_deleted = True
                screen.history.mark_dirty()  # the only copy is here now: quitting asks
                screen.notify(f"{screen.path.name} was deleted on disk; Ctrl+S writes it again",
                              severity="warning", timeout=10)
                screen.say("file deleted on disk")
            return
        screen._disk_deleted = False
        if state is nbio.DiskState.CHANGED:
            self._ask_disk_changed()

    def _ask_disk_changed(self) -> None:
        screen = self._sscreen
        screen._disk_prompted = True

        def answer(choice: str | None) -> None:
            if choice == "reload":
                screen.run_worker(self.reload_now(), group="save", description="reload")
            elif choice == "keep":
                self.save(force=True, manual=True)
            else:
                screen.say("file changed on disk: Ctrl+S asks again")
                screen._disk_prompted = False

        from tui.notebook.dialogs import changed_on_disk_dialog

        where = "on the server" if screen.contents.remote else "on disk"
        screen.app.push_screen(changed_on_disk_dialog(screen.path.name, where), answer)

    async def reload_now(self, *, message: str = "reloaded") -> bool:
        """Read the stored file in a thread, then :meth:`reload` with it."""
        screen = self._sscreen
        try:
            nb = await asyncio.to_thread(screen.contents.read)
        except (OSError, nbio.NotebookError) as exc:
            screen.notify(f"Cannot reload: {exc}", severity="error")
            return False
        return self.reload(message=message, nb=nb)

    def reload(self, *, message: str = "reloaded", nb: nbio.Notebook | None = None) -> bool:
        """Replace the model with the stored file (or ``nb``, read from it; a fresh history);
        False if it failed."""
        screen = self._sscreen
        if nb is None:
            try:
                nb = screen.contents.read()
            except (OSError, nbio.NotebookError) as exc:
                screen.notify(f"Cannot reload: {exc}", severity="error")
                return False
        if screen.mode == "edit":
            screen.mode = "command"
            screen.cell_list.editing = None
        screen.nb = nb
        screen.history = edits.History(nb)
        screen.history.listeners.append(screen._on_history)
        screen.cell_list.cells = nb.cells
        screen.cell_list.forget_heights()
        screen._disk_prompted = False
        screen.trust_check()
        screen.say(f"{message} {screen.path.name}")
        screen._push_state()
        screen.cell_list.focus()
        return True
