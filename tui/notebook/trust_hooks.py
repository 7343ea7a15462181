"""Notebook trust in the editor (mixed into :class:`NotebookScreen`), as the Jupyter server does.

On open (and reload) the notebook's signature is checked against the store ``jupyter trust``
uses (:class:`nbio.trust.NotebookNotary`, the Jupyter data directory), off the UI thread on a
copy of the notebook; every code cell is then marked ``metadata.trusted`` accordingly (the flag
never reaches the file). Cells the user runs are marked trusted, as JupyterLab marks the cells
it executes. A save signs the file when every code cell is trusted or has no rich output
(``nbio.prepare_write(..., notary=)``), so a trusted notebook stays trusted after jtui saves it
and an untrusted one is not made trusted.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from nbio.model import Cell, Notebook
from nbio.trust import NotebookNotary
from tui.recovery.snapshot import take

if TYPE_CHECKING:
    from tui.notebook.screen import NotebookScreen

log = logging.getLogger(__name__)


def _check(notebook: Notebook) -> tuple[NotebookNotary | None, bool]:
    """Open the trust store and check ``notebook`` (a copy: runs on a worker thread)."""
    try:
        notary = NotebookNotary()
    except (OSError, ValueError) as exc:
        log.warning("notebook trust unavailable: %s", exc)
        return None, False
    try:
        trusted = notary.check_signature(notebook)
    except (OSError, UnicodeEncodeError):
        trusted = False
    return notary, trusted


class TrustMixin:
    """Trust for the notebook screen (``self`` is a :class:`NotebookScreen`)."""

    notary: NotebookNotary | None = None
    """The trust store (None until the first check finished, or when it cannot be opened)."""
    trusted: bool | None = None
    """Whether the notebook as opened (or reloaded) is trusted; None while being checked."""
    _trust_done: asyncio.Event | None = None
    _ran: set[int] | None = None

    @property
    def _tscreen(self) -> NotebookScreen:
        return self  # type: ignore[return-value]

    def on_mount(self) -> None:
        """Check the notebook's signature once the screen is up (every mixin's on_mount runs)."""
        self.trust_check()

    def trust_check(self) -> None:
        """Check the current notebook's trust in the background (on open and reload)."""
        screen = self._tscreen
        self.trusted = None
        self._ran = set()
        done = self._trust_done = asyncio.Event()
        copy = take(screen.nb).notebook
        nb = screen.nb

        async def check() -> None:
            try:
                notary, trusted = await asyncio.to_thread(_check, copy)
                if notary is not None and not screen.is_attached:
                    notary.close()
                    return
                if self.notary is None:
                    self.notary = notary
                elif notary is not None:
                    notary.close()
                if screen.nb is nb:
                    self.trusted = trusted
                    for cell in nb.cells:  # as NotebookNotary.mark_cells, keeping cells run
                        if cell.cell_type == "code" and id(cell.data) not in (self._ran or ()):
                            cell.metadata["trusted"] = trusted
            finally:
                done.set()

        screen.run_worker(check(), group="trust", description="check notebook trust")

    async def trust_ready(self) -> None:
        """Wait until the trust check started last has finished (a save waits for it)."""
        if self._trust_done is not None:
            await self._trust_done.wait()

    def trust_ran(self, cells: list[Cell]) -> None:
        """The user ran these cells: they are trusted now (what JupyterLab does)."""
        ran = self._ran if self._ran is not None else set()
        self._ran = ran
        for cell in cells:
            if cell.cell_type == "code":
                cell.metadata["trusted"] = True
                ran.add(id(cell.data))

    def on_unmount(self) -> None:
        """Close the trust store."""
        if self.notary is not None:
            self.notary.close()
            self.notary = None
