"""Writing notebooks byte for byte as nbformat does, atomically. (Stub: issue 2 fills it.)"""

from __future__ import annotations

from pathlib import Path

from nbio.model import Notebook


def writes(nb: Notebook) -> str:
    """The exact string ``nbformat.writes`` returns for this notebook (no trailing newline)."""
    raise NotImplementedError


def write(nb: Notebook, path: str | Path | None = None, *, force: bool = False) -> None:
    """Write ``writes(nb) + "\\n"`` atomically; refuse if the file changed since read."""
    raise NotImplementedError
