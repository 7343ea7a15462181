"""Errors raised by nbio."""

from __future__ import annotations

import errno
from pathlib import Path


class NotebookError(Exception):
    """A notebook that cannot be read (or written) at all.

    ``path`` names the file (or ``None`` for a string), ``where`` the place in it (a JSON path
    such as ``/worksheets/0`` or ``line 3 column 5``), ``reason`` what is wrong.
    """

    def __init__(self, reason: str, *, path: str | Path | None = None, where: str = "") -> None:
        self.reason = reason
        self.path = Path(path) if path is not None else None
        self.where = where
        super().__init__(self._format())

    def _format(self) -> str:
        parts = []
        if self.path is not None:
            parts.append(str(self.path))
        if self.where:
            parts.append(self.where)
        prefix = ": ".join(parts)
        return f"{prefix}: {self.reason}" if prefix else self.reason


class FileChangedError(NotebookError):
    """The file on disk changed since it was read; ``write(..., force=True)`` overrides."""


class ReadOnlyError(NotebookError, PermissionError):
    """The file says it must not be written (no write permission bit, or no write access):
    nbio refuses to replace it. Save under another name, or make it writable first.

    It is a :class:`NotebookError` (``path``, ``reason``) and a :class:`PermissionError`
    (``errno`` is ``EACCES``), so ``except OSError`` handlers catch it too.
    """

    def __init__(self, path: str | Path) -> None:
        super().__init__(
            "the file is read-only (its permissions forbid writing); it was not changed. "
            "Save it under another name, or make it writable first (chmod u+w)",
            path=path,
        )
        self.errno = errno.EACCES
        self.strerror = "read-only file"
        self.filename = str(path)

    def __str__(self) -> str:
        return self._format()
