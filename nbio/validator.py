"""Validation against the nbformat schemas, with clear problems. (Stub: issue 2 fills it.)"""

from __future__ import annotations

from dataclasses import dataclass

from nbio.model import Notebook


@dataclass(frozen=True)
class Problem:
    """One validation problem: a JSON path such as ``/cells/3/outputs/0`` and a message."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '/'}: {self.message}"


def validate(nb: Notebook) -> list[Problem]:
    """Return the list of problems (empty when ``nb`` is valid)."""
    raise NotImplementedError


def is_valid(nb: Notebook) -> bool:
    """True when :func:`validate` finds no problem."""
    return not validate(nb)
