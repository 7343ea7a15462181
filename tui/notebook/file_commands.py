"""File commands of the notebook screen: revert to checkpoint, save as, rename.

:class:`FileCommands` offers them in the palette; :class:`FileCommandsMixin` (mixed into
:class:`NotebookScreen`) carries them out with :mod:`nbio.checkpoints`, whose layout is
jupyter_server's ``FileCheckpoints`` (JupyterLab's "Revert Notebook to Checkpoint" and ours read
the same ``.ipynb_checkpoints/NAME-checkpoint.ipynb``). Renaming moves the checkpoint with the
file, as the server's rename does.
"""

from __future__ import annotations

import asyncio
import os
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

import nbio
from nbio.checkpoints import CheckpointError, rename_notebook

if TYPE_CHECKING:
    from tui.notebook.screen import NotebookScreen

FILE_COMMANDS: tuple[tuple[str, str], ...] = (
    ("Revert to checkpoint", "revert_checkpoint"),
    ("Save as...", "save_as"),
    ("Rename...", "rename"),
    ("Show notebook problems (validation)", "show_problems"),
    ("Repair the notebook (as nbformat and JupyterLab do)", "repair_notebook"),
)
"""(palette text, screen action) of every file command."""


class FileCommands(Provider):
    """Offers the file commands by name."""

    def _run(self, action: str) -> None:
        screen = self.screen
        screen.call_later(screen.run_action, action)

    async def discover(self) -> Hits:
        """All file commands."""
        for text, action in FILE_COMMANDS:
            yield DiscoveryHit(text, partial(self._run, action), help="file")

    async def search(self, query: str) -> Hits:
        """File commands matching ``query``."""
        matcher = self.matcher(query)
        for text, action in FILE_COMMANDS:
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(self._run, action), help="file")


def resolve(answer: str, folder: Path) -> Path:
    """The path typed in a dialog: ``~`` expanded, relative to the notebook's ``folder``."""
    path = Path(os.path.expanduser(answer))
    return path if path.is_absolute() else folder / path


class FileCommandsMixin:
    """Revert to checkpoint, save as and rename (``self`` is a :class:`NotebookScreen`)."""

    @property
    def _fscreen(self) -> NotebookScreen:
        return self  # type: ignore[return-value]

    def _remote_refused(self, what: str) -> bool:
        if not self._fscreen.contents.remote:
            return False
        self._fscreen.say(f"not done: {what} works on local notebooks only (Ctrl+S saves to "
                          "the server)")
        return True

    # save as ---------------------------------------------------------------------------------
    def action_save_as(self) -> None:
        """Ask for a path, then save the notebook there and go on editing that file."""
        from tui.notebook.path_dialog import PathScreen

        screen = self._fscreen
        if self._remote_refused("save as"):
            return
        screen.app.push_screen(PathScreen("Save the notebook as:", str(screen.path)),
                               self._save_as_answered)

    def _save_as_answered(self, answer: str | None) -> None:
        screen = self._fscreen
        if answer is None:
            return
        target = resolve(answer, screen.path.parent)
        if target == screen.path:
            screen.save(manual=True)
            return
        if os.path.lexists(target):
            screen.notify(f"Not saved: {target} exists; choose another name",
                          severity="error", timeout=10)
            return
        screen.run_worker(self.save_as(target), group="save", description="save as")

    async def save_as(self, target: Path) -> bool:
        """Save the notebook to ``target`` (a manual save: with its checkpoint); on success
        the screen edits ``target`` from now on. True if written."""
        screen = self._fscreen
        old_path, old_stamp, was_new = screen.path, screen.nb.disk_stamp, screen.is_new
        screen.path = target
        screen.nb.disk_stamp = None  # a new file: nothing on disk to compare with
        if await screen.save_now(manual=True):
            await screen.journal_moved()
            screen._update_chrome()
            return True
        screen.path, screen.nb.disk_stamp, screen.is_new = old_path, old_stamp, was_new
        if screen.nb.path == target:
            screen.nb.path = old_path
        screen._update_chrome()
        return False

    # rename ----------------------------------------------------------------------------------
    def action_rename(self) -> None:
        """Ask for a new name, then rename the file and its checkpoint."""
        from tui.notebook.path_dialog import PathScreen

        screen = self._fscreen
        if self._remote_refused("rename"):
            return
        if screen.is_new or not screen.path.exists():
            screen.say("not renamed: the notebook has no file yet (Save as... makes one)")
            return
        screen.app.push_screen(PathScreen("Rename the notebook to:", screen.path.name),
                               self._rename_answered)

    def _rename_answered(self, answer: str | None) -> None:
        screen = self._fscreen
        if answer is None:
            return
        target = resolve(answer, screen.path.parent)
        if target != screen.path:
            screen.run_worker(self.rename(target), group="save", description="rename")

    async def rename(self, target: Path) -> bool:
        """Rename the notebook's file (and checkpoint) to ``target``; True if renamed."""
        screen = self._fscreen
        async with screen._save_lock:  # not while a save writes the old name
            old = screen.path
            try:
                await asyncio.to_thread(rename_notebook, old, target)
            except nbio.NotebookError as exc:
                screen.notify(f"Not renamed: {exc}", severity="error", timeout=10)
                return False
            screen.path = target
            screen.nb.path = target
        await screen.journal_moved()
        screen.say(f"renamed {old.name} to {target.name}")
        return True

    # revert ----------------------------------------------------------------------------------
    def action_revert_checkpoint(self) -> None:
        """Ask, then put the notebook's checkpoint back into the file and reload it."""
        screen = self._fscreen
        if screen.contents.remote:  # a request: not on the UI thread
            screen.run_worker(self._ask_revert_remote(), group="revert", exclusive=True)
        else:
            self._ask_revert(screen.contents.checkpoint_time())

    async def _ask_revert_remote(self) -> None:
        try:
            found = await asyncio.to_thread(self._fscreen.contents.checkpoint_time)
        except CheckpointError as exc:
            self._fscreen.notify(f"Not reverted: {exc}", severity="error", timeout=10)
            return
        self._ask_revert(found)

    def _ask_revert(self, found: datetime | None) -> None:
        from tui.notebook.dialogs import revert_dialog

        screen = self._fscreen
        if found is None:
            screen.say("no checkpoint yet: Ctrl+S saves and makes one")
            return
        when = found.astimezone().strftime("%Y-%m-%d %H:%M:%S")

        def answer(choice: str | None) -> None:
            if choice == "revert":
                screen.run_worker(self.revert_to_checkpoint(), group="save",
                                  description="revert to checkpoint")

        screen.app.push_screen(revert_dialog(screen.path.name, when), answer)

    async def revert_to_checkpoint(self) -> bool:
        """Restore the checkpoint into the file, then reload it; True if reverted."""
        screen = self._fscreen
        async with screen._save_lock:
            try:
                await asyncio.to_thread(screen.contents.restore_checkpoint)
            except nbio.ReadOnlyError:
                screen.notify(f"Not reverted: {screen.path.name} is read-only",
                              severity="error", timeout=10)
                return False
            except (CheckpointError, nbio.NotebookError, OSError) as exc:
                screen.notify(f"Not reverted: {exc}", severity="error", timeout=10)
                return False
            try:
                nb = await asyncio.to_thread(screen.contents.read)
            except (nbio.NotebookError, OSError) as exc:
                screen.notify(f"Reverted, but cannot reload: {exc}", severity="error")
                return False
            return screen.reload(message="reverted to the checkpoint:", nb=nb)
