"""Plain data the session hands to its users: per-cell run state and change records.

Nothing here talks to a kernel or draws anything; the editor and the headless runner read these.
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass, field

from nbio.model import Cell


class CellState(str, enum.Enum):
    """Where one cell is in its latest run request."""

    QUEUED = "queued"
    """Waiting for the cells before it (or for the kernel to be ready)."""
    RUNNING = "running"
    """Sent to the kernel; its outputs are arriving."""
    OK = "ok"
    """Finished with ``status: ok``."""
    ERROR = "error"
    """Finished with ``status: error`` (an exception, an interrupt in ipykernel)."""
    ABORTED = "aborted"
    """Never ran or was cut short: an earlier cell failed, the user interrupted or restarted."""
    DIED = "died"
    """The kernel died while this cell was running."""

    @property
    def finished(self) -> bool:
        """True for the states a run ends in."""
        return self not in (CellState.QUEUED, CellState.RUNNING)


class KernelState(str, enum.Enum):
    """What the status bar shows about the kernel."""

    NONE = "no kernel"
    STARTING = "starting"
    IDLE = "idle"
    BUSY = "busy"
    RESTARTING = "restarting"
    INTERRUPTING = "interrupting"
    RECONNECTING = "reconnecting"
    DEAD = "dead"
    FAILED = "failed"
    SHUT_DOWN = "shut down"


@dataclass
class CellRun:
    """The latest run of one cell: its state, execution count, timing and request id."""

    cell: Cell
    code: str
    state: CellState = CellState.QUEUED
    msg_id: str | None = None
    execution_count: int | None = None
    queued_at: float = field(default_factory=time.monotonic)
    started_at: float | None = None
    finished_at: float | None = None
    reply: dict[str, object] | None = None
    reason: str = ""
    """Why a cell ended aborted or died (shown next to the cell)."""

    @property
    def elapsed(self) -> float | None:
        """Seconds the cell has been running (or ran), ``None`` before it started."""
        if self.started_at is None:
            return None
        end = self.finished_at if self.finished_at is not None else time.monotonic()
        return end - self.started_at


class Change(str, enum.Enum):
    """What changed about a cell, as the editor needs to know to redraw it."""

    STATE = "state"
    OUTPUTS = "outputs"
    COUNT = "count"
    METADATA = "metadata"
    INPUT = "input"
    """A stdin prompt appeared or went away (see :attr:`KernelSession.pending_input`)."""


@dataclass(frozen=True)
class Notice:
    """Something the user must be told (a kernel death, a failed start, a bad message).

    ``level`` is ``"information"``, ``"warning"`` or ``"error"``; ``action`` names what the UI may
    offer (``"restart"``, ``"change-kernel"``) or is empty.
    """

    level: str
    title: str
    message: str
    action: str = ""


@dataclass
class ChangeBatch:
    """Everything that changed since the previous batch, coalesced.

    ``cells`` maps ``id(cell.data)`` to the cell and the set of :class:`Change` kinds; a cell that
    received ten thousand stream messages appears once. ``kernel_state`` is set when the kernel
    state changed (to its latest value); ``notices`` keep their order.
    """

    cells: dict[int, tuple[Cell, set[Change]]] = field(default_factory=dict)
    kernel_state: KernelState | None = None
    notices: list[Notice] = field(default_factory=list)
    events: int = 0
    """How many individual changes this batch folds together."""

    def add_cell(self, cell: Cell, kind: Change) -> None:
        """Record that ``kind`` changed for ``cell``."""
        key = id(cell.data)
        entry = self.cells.get(key)
        if entry is None:
            self.cells[key] = (cell, {kind})
        else:
            entry[1].add(kind)
        self.events += 1

    def __bool__(self) -> bool:
        return bool(self.cells) or self.kernel_state is not None or bool(self.notices)

    def absorb(self, older: ChangeBatch) -> None:
        """Fold an older batch into this one (its notices first; the newer state wins)."""
        for key, (cell, kinds) in older.cells.items():
            entry = self.cells.get(key)
            if entry is None:
                self.cells[key] = (cell, set(kinds))
            else:
                entry[1].update(kinds)
        if self.kernel_state is None:
            self.kernel_state = older.kernel_state
        self.notices[:0] = older.notices
        self.events += older.events

    def kinds_for(self, cell: Cell) -> set[Change]:
        """The change kinds recorded for ``cell`` (empty when none)."""
        entry = self.cells.get(id(cell.data))
        return set(entry[1]) if entry else set()


@dataclass(frozen=True)
class InputPrompt:
    """A pending stdin request (``input()``, ``getpass``) of the cell ``cell``."""

    cell: Cell | None
    prompt: str
    password: bool


@dataclass(frozen=True)
class Completion:
    """A complete_reply in the shape a popup needs."""

    matches: list[str]
    cursor_start: int
    cursor_end: int
    types: list[str] = field(default_factory=list)
    """Per-match type names from ``_jupyter_types_experimental`` when the kernel sends them."""
    signatures: list[str] = field(default_factory=list)
    """Per-match signatures from the same metadata (``""`` where the kernel gave none)."""
