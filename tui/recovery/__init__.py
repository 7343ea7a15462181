"""Nothing typed is lost: recovery journals and the autosave check, without any UI.

- :mod:`tui.recovery.journal`: the journal file format (read, write, damaged, other version).
- :mod:`tui.recovery.store`: the journal folder, collision-free names, atomic writes.
- :mod:`tui.recovery.snapshot`: a cheap detached copy of the live notebook.
- :mod:`tui.recovery.writer`: the background thread that keeps a journal up to date.
- :mod:`tui.recovery.offer`: what to offer when a notebook with journals is opened.
- :mod:`tui.recovery.process`: whether a journal's writer still runs.
- :mod:`tui.recovery.autosave`: the checks autosave makes before writing the file.

The editor (``tui.notebook``) calls these; nothing here imports a UI toolkit.
"""

from __future__ import annotations

from tui.recovery.journal import (
    DamagedJournal,
    Journal,
    JournalError,
    JournalHeader,
    OtherVersion,
    read_header,
    read_journal,
)
from tui.recovery.offer import RecoveryOffer, Survey, differences, list_journals, survey
from tui.recovery.process import Liveness
from tui.recovery.snapshot import Editing, Snapshot, take
from tui.recovery.store import recovery_dir
from tui.recovery.writer import JournalWriter

__all__ = [
    "DamagedJournal",
    "Editing",
    "Journal",
    "JournalError",
    "JournalHeader",
    "JournalWriter",
    "Liveness",
    "OtherVersion",
    "RecoveryOffer",
    "Snapshot",
    "Survey",
    "differences",
    "list_journals",
    "read_header",
    "read_journal",
    "recovery_dir",
    "survey",
    "take",
]
