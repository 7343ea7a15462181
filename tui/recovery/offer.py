"""What to offer when a notebook is opened: its journals, checked against the file.

:func:`survey` reads every journal of a notebook. A journal whose notebook is the same as the
file holds nothing unsaved: it is removed when its writer is gone (and only reported when the
writer still runs: another jtui has the notebook open). A damaged one is reported. The newest
journal that differs from the file becomes the :class:`RecoveryOffer`, which the editor asks
about as vim asks about a swap file.
"""

from __future__ import annotations

import difflib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nbio.model import Notebook
from tui.recovery import store
from tui.recovery.journal import Journal, JournalError, JournalHeader, read_header, read_journal
from tui.recovery.process import Liveness


@dataclass
class RecoveryOffer:
    """A journal holding changes the file does not have."""

    journal: Journal
    liveness: Liveness
    """Whether the process that wrote it still runs."""
    file_changed: bool
    """The file on disk is not the one the journal's edits started from."""
    others: int = 0
    """How many more journals with unsaved changes this notebook has (kept)."""

    @property
    def running(self) -> bool:
        """The writer is still running: another jtui is editing this notebook."""
        return self.liveness is Liveness.RUNNING

    def describe(self, name: str) -> str:
        """The question's text, as vim's E325 says it."""
        h = self.journal.header
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(h.written))
        lines = [f"{name} has unsaved changes in a recovery journal written {when} "
                 f"by jtui pid {h.writer.pid} on {h.writer.host}."]
        if self.liveness is Liveness.RUNNING:
            lines.append(f"That process is STILL RUNNING: another jtui is editing this "
                         f"notebook. Recovering takes its changes as of {when}.")
        elif self.liveness is Liveness.GONE:
            lines.append("That process is no longer running (it crashed or was killed).")
        else:
            lines.append("It was written on another host: it may still be running there.")
        if self.file_changed:
            lines.append("The file changed on disk since those edits began.")
        if self.others:
            lines.append(f"({self.others} older journal(s) of this notebook are kept.)")
        lines.append(f"Journal: {h.file}")
        return "\n".join(lines)


@dataclass
class Survey:
    """Everything found about one notebook's journals."""

    offer: RecoveryOffer | None = None
    damaged: list[JournalError] = field(default_factory=list)
    running_elsewhere: list[int] = field(default_factory=list)
    """Pids of other jtui processes with this notebook open (journals without changes)."""
    kept: list[Path] = field(default_factory=list)
    """Journal files of this notebook left in place (removed after the next save once their
    writers are gone)."""


def _cells_key(nb: Notebook) -> list[dict[str, Any]]:
    return [{k: v for k, v in c.data.items() if k != "id"} for c in nb.cells]


def same_content(a: Notebook, b: Notebook) -> bool:
    """Whether two notebooks hold the same document (cell ids aside: a file without ids gets
    random ones each time it is read)."""
    return (a.metadata == b.metadata and a.nbformat == b.nbformat
            and _cells_key(a) == _cells_key(b))


def survey(source: str | Path, on_disk: Notebook | None, directory: Path | None = None) -> Survey:
    """Read the journals of the notebook at ``source``; ``on_disk`` is the file as read now
    (None when it does not exist)."""
    directory = directory or store.recovery_dir()
    found = Survey()
    sha = on_disk.disk_stamp.sha256 if on_disk is not None and on_disk.disk_stamp else None
    usable: list[tuple[Journal, Liveness]] = []
    for path in store.journals_for(source, directory):
        try:
            journal = read_journal(path)
        except JournalError as e:
            found.damaged.append(e)
            found.kept.append(path)
            continue
        alive = journal.header.liveness()
        if on_disk is not None and same_content(journal.notebook, on_disk):
            if alive is Liveness.GONE:
                store.remove(path)
            else:
                found.running_elsewhere.append(journal.header.writer.pid)
            continue
        usable.append((journal, alive))
        found.kept.append(path)
    if usable:
        usable.sort(key=lambda ja: ja[0].header.written)
        journal, alive = usable[-1]
        found.offer = RecoveryOffer(journal=journal, liveness=alive,
                                    file_changed=journal.header.source_sha256 != sha,
                                    others=len(usable) - 1)
    return found


def _source_lines(nb: Notebook) -> list[str]:
    lines: list[str] = []
    for k, cell in enumerate(nb.cells):
        lines.append(f"# ---- cell {k + 1} ({cell.cell_type}) ----\n")
        lines += [line + "\n" for line in cell.source.split("\n")]
    return lines


def differences(saved: Notebook | None, recovered: Notebook, name: str = "notebook") -> str:
    """A unified diff of the cells' sources, the file as saved against the journal."""
    before = _source_lines(saved) if saved is not None else []
    diff = difflib.unified_diff(before, _source_lines(recovered),
                                fromfile=f"{name} (saved)", tofile=f"{name} (journal)")
    text = "".join(diff)
    return text or "The cells' sources are the same; outputs or metadata differ."


def forget_kept(paths: list[Path]) -> list[Path]:
    """After a save: remove the kept journals whose writers are gone (damaged ones too);
    returns the ones still kept (their writers run)."""
    still: list[Path] = []
    for path in paths:
        try:
            alive = read_header(path).liveness()
        except JournalError:
            alive = Liveness.GONE
        if alive is Liveness.GONE:
            store.remove(path)
        elif os.path.exists(path):
            still.append(path)
    return still


@dataclass(frozen=True)
class Listed:
    """One journal file in a listing: its header, or why it cannot be read."""

    file: Path
    header: JournalHeader | None
    error: JournalError | None


def list_journals(directory: Path | None = None) -> list[Listed]:
    """Every journal in the folder, newest first (damaged ones last)."""
    directory = directory or store.recovery_dir()
    listed: list[Listed] = []
    for path in store.all_journals(directory):
        try:
            listed.append(Listed(path, read_header(path), None))
        except JournalError as e:
            listed.append(Listed(path, None, e))
    listed.sort(key=lambda item: -item.header.written if item.header else float("inf"))
    return listed
