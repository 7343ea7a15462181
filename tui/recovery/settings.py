"""How one editor session journals, autosaves and recovers (chosen by ``jtui PATH``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from nbio.model import Notebook
from tui.recovery.autosave import AUTOSAVE_SECONDS
from tui.recovery.offer import RecoveryOffer


@dataclass
class RecoverySettings:
    """The editor's journal, autosave and recovery choices.

    ``offer``: a journal to ask about before the notebook opens. ``recovered``: the notebook
    given to the editor comes from a journal (``jtui --recover``): it opens with unsaved
    changes. ``kept``: journals of this notebook left in place until the next save.
    """

    journal: bool = True
    directory: Path | None = None
    """The journal folder (default: :func:`tui.recovery.store.recovery_dir`)."""
    autosave_every: float = AUTOSAVE_SECONDS
    """Seconds between autosaves; 0 turns autosave off."""
    offer: RecoveryOffer | None = None
    recovered: bool = False
    kept: list[Path] = field(default_factory=list)
    saved: Notebook | None = None
    """The file as read at open, when a journal is recovered (for "show differences")."""
