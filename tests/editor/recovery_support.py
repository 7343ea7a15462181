"""Helpers for the editor's journal, recovery and autosave tests."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

import nbio
from tui.notebook.command import recovery_settings
from tui.recovery import read_journal, store
from tui.recovery.settings import RecoverySettings


async def until(pilot: Pilot[None], predicate: Callable[[], bool], *, timeout: float = 20.0,
                what: str = "condition") -> None:
    """Let the app run until ``predicate()`` holds (a deadline, never a fixed sleep)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"{what}: not after {timeout} s"
        await pilot.pause(0.02)


def journals(path: Path) -> list[Path]:
    """The journal files of the notebook at ``path``."""
    return store.journals_for(path, store.recovery_dir())


def journal_sources(path: Path) -> list[str] | None:
    """The cells' sources in the notebook's (only) journal, None when there is none or it is
    being replaced."""
    found = journals(path)
    if len(found) != 1:
        return None
    try:
        return [c.source for c in read_journal(found[0]).notebook.cells]
    except Exception:
        return None


def file_sources(path: Path) -> list[str]:
    """The cells' sources in the notebook file."""
    return [c.source for c in nbio.read(path).cells]


def settings_for(path: Path, *, recover: bool = False, no_autosave: bool = True,
                 ) -> tuple[RecoverySettings, nbio.Notebook, list[str]]:
    """What ``jtui PATH`` (``--recover``) decides before the editor starts."""
    args = argparse.Namespace(recover=recover, no_autosave=no_autosave)
    is_new = not path.exists()
    nb = nbio.Notebook.new("python3") if is_new else nbio.read(path)
    if is_new:
        nb.path = path
    return recovery_settings(args, path, nb, is_new)


def notes(app) -> list[str]:
    """The messages of the notifications shown so far."""
    return [n.message for n in app._notifications]
