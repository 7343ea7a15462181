"""The UI-free execution layer: a notebook's kernel, its run queue, outputs into the model.

Imports ``protocol`` and ``nbio``, never a UI toolkit; the editor (Textual) and the headless
runner (``jtui run``) are both built on :class:`KernelSession`.
"""

from __future__ import annotations

from tui.session.changes import ChangeFeed, Subscription
from tui.session.kernels import KernelChoice, kernel_choices
from tui.session.records import (
    CellRun,
    CellState,
    Change,
    ChangeBatch,
    Completion,
    InputPrompt,
    KernelState,
    Notice,
)
from tui.session.session import KernelSession, SessionStats

__all__ = [
    "CellRun",
    "CellState",
    "Change",
    "ChangeBatch",
    "ChangeFeed",
    "Completion",
    "InputPrompt",
    "KernelChoice",
    "KernelSession",
    "KernelState",
    "Notice",
    "SessionStats",
    "Subscription",
    "kernel_choices",
]
