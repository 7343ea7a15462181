"""The notebook editor application."""

from __future__ import annotations

import gc
from pathlib import Path

from nbio.model import Notebook
from tui.contents import NotebookContents
from tui.notebook import keymap
from tui.notebook.output_view import EditorDisplay
from tui.notebook.screen import NotebookScreen
from tui.notebook.typeahead import TypeAheadApp
from tui.recovery.settings import RecoverySettings


class NotebookApp(TypeAheadApp):
    """``jtui PATH``: one notebook in a :class:`NotebookScreen`.

    ``user_keymap`` (binding id -> keys) comes from the config file; ``warnings`` are shown as
    notifications once the screen is up. ``freeze_gc``: :func:`freeze_startup_objects` after
    the first frame (``jtui PATH`` sets it; one app per process). ``output_display``: how outputs
are drawn (graphics mode, representation order; half-block by default). ``recovery``: the
    journal, autosave and a journal to offer (:class:`RecoverySettings`; journal on, autosave
    every 120 s by default). Keys typed while a field or a dialog opens go to it
    (:mod:`tui.notebook.typeahead`).
    """

    TITLE = "jupyter-tui"
    ENABLE_COMMAND_PALETTE = True
    COMMAND_PALETTE_BINDING = "ctrl+p"

    def __init__(self, nb: Notebook, path: Path, *, is_new: bool = False,
                 user_keymap: dict[str, str] | None = None,
                 warnings: list[str] | None = None, check_disk_every: float = 2.0,
                 freeze_gc: bool = False, output_display: EditorDisplay | None = None,
                 recovery: RecoverySettings | None = None,
                 contents: NotebookContents | None = None) -> None:
        super().__init__()
        self.contents = contents
        """Where the notebook is stored when not in the local file ``path`` (a server)."""
        self.recovery = recovery or RecoverySettings()
        """Journal, autosave and recovery settings (read by the screen's mixins)."""
        self.output_display = output_display or EditorDisplay()
        """How outputs are drawn (graphics mode resolved before the app started)."""
        self._freeze_gc = freeze_gc
        self.nb = nb
        self.path = path
        self.is_new = is_new
        self._startup_warnings = list(warnings or [])
        self._check_disk_every = check_disk_every
        self.theme = "textual-dark"
        if user_keymap:
            self.set_keymap(user_keymap)

    def on_mount(self) -> None:
        """Open the notebook screen (after asking about a recovery journal, if there is one)."""
        offer = self.recovery.offer
        if offer is None:
            self._open_screen(recovered=self.recovery.recovered)
        else:
            from tui.notebook.recovery_dialog import ask_recovery

            ask_recovery(self, self.path.name, offer, self.nb, self._recovery_answered)
        for warning in self._startup_warnings:
            self.notify(warning, severity="warning", timeout=10)
        if self._freeze_gc:
            self.call_after_refresh(freeze_startup_objects)

    def _open_screen(self, *, recovered: bool) -> None:
        screen = NotebookScreen(self.nb, self.path, is_new=self.is_new,
                                check_disk_every=self._check_disk_every,
                                contents=self.contents)
        if recovered:  # the journal's changes are not in the file: unsaved
            screen.history.mark_dirty()
        self.push_screen(screen)

    def _recovery_answered(self, recover: bool) -> None:
        offer = self.recovery.offer
        if recover and offer is not None:
            from tui.recovery.recover import recovered_notebook

            self.nb = recovered_notebook(offer.journal, self.path, self.nb)
        self._open_screen(recovered=recover)

    @property
    def notebook_screen(self) -> NotebookScreen:
        """The notebook screen (under any dialogs)."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, NotebookScreen):
                return screen
        raise LookupError("no notebook screen")

    async def action_quit(self) -> None:
        """Quit through the notebook screen, which asks about unsaved changes."""
        try:
            self.notebook_screen.action_request_quit()
        except LookupError:
            self.exit()


def freeze_startup_objects() -> None:
    """Collect once, then move every object alive after start-up (modules, Textual, the
    notebook) out of the collector's sight: full collections then walk only what was made
    since (measured in ``jtui`` streaming a million lines: 4-8 ms instead of 26-27 ms). Called
    once the first frame is on screen, by the process's only app (``jtui PATH``), never by an
    app under test."""
    gc.collect()
    gc.freeze()


def load_keymap() -> tuple[dict[str, str], list[str]]:
    """The user's remapped keys from the config file (and problems found in it)."""
    return keymap.load_user_keymap()
