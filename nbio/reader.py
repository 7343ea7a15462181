"""Reading notebooks of every nbformat version into the v4 model. (Stub: issue 2 fills it.)"""

from __future__ import annotations

from pathlib import Path

from nbio.model import IdFactory, Notebook


def reads(text: str | bytes, *, id_factory: IdFactory | None = None,
          path: str | Path | None = None) -> Notebook:
    """Parse a notebook from a string, upgrade it to v4 as nbformat.reads(as_version=4) does."""
    raise NotImplementedError


def read(path: str | Path, *, id_factory: IdFactory | None = None) -> Notebook:
    """Read a notebook file; records ``path`` and a disk stamp on the result."""
    raise NotImplementedError
