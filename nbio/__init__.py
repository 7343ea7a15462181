"""nbio: jupyter-tui's notebook file layer (standard library only).

The public API uses nbformat's words::

    nb = nbio.read("a.ipynb")          # any nbformat version, upgraded to v4 in memory
    problems = nbio.validate(nb)       # [] when valid
    text = nbio.writes(nb)             # the same string nbformat.writes returns
    nbio.write(nb, "a.ipynb")          # that string plus "\\n", atomically
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# eager: the submodule of the same name would otherwise shadow the function once imported
from nbio.upgrade import upgrade

if TYPE_CHECKING:
    from nbio.atomic import clean_stale_temps
    from nbio.diskstate import DiskState, disk_state, file_hash
    from nbio.errors import FileChangedError, NotebookError, ReadOnlyError
    from nbio.fsinfo import is_read_only, notebook_exists, os_error_reason
    from nbio.model import Cell, DiskStamp, Notebook, Output, default_id_factory
    from nbio.reader import (
        CellIdRepairWarning,
        NewerMinorWarning,
        NotebookWarning,
        read,
        reads,
    )
    from nbio.validator import Problem, is_valid, validate
    from nbio.writer import PreparedWrite, commit_write, prepare_write, write, writes

_HOME = {
    "FileChangedError": "errors", "NotebookError": "errors", "ReadOnlyError": "errors",
    "clean_stale_temps": "atomic",
    "DiskState": "diskstate", "disk_state": "diskstate", "file_hash": "diskstate",
    "is_read_only": "fsinfo", "notebook_exists": "fsinfo", "os_error_reason": "fsinfo",
    "Cell": "model", "DiskStamp": "model", "Notebook": "model", "Output": "model",
    "default_id_factory": "model",
    "CellIdRepairWarning": "reader", "NewerMinorWarning": "reader",
    "NotebookWarning": "reader", "read": "reader", "reads": "reader",
    "Problem": "validator", "is_valid": "validator", "validate": "validator",
    "PreparedWrite": "writer", "commit_write": "writer", "prepare_write": "writer",
    "write": "writer", "writes": "writer",
}
"""Where each public name lives: imported on first use (PEP 562), so a reader-only program
(``jtui view``) never loads the validator's schema or the writer."""


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:  # a submodule (``nbio.accel``) not imported yet
        try:
            return import_module(f"nbio.{name}")
        except ModuleNotFoundError as e:
            if e.name != f"nbio.{name}":
                raise
            raise AttributeError(f"module 'nbio' has no attribute {name!r}") from None
    value = getattr(import_module(f"nbio.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "Cell",
    "CellIdRepairWarning",
    "DiskStamp",
    "DiskState",
    "FileChangedError",
    "NewerMinorWarning",
    "Notebook",
    "NotebookError",
    "NotebookWarning",
    "Output",
    "PreparedWrite",
    "Problem",
    "ReadOnlyError",
    "clean_stale_temps",
    "commit_write",
    "default_id_factory",
    "disk_state",
    "file_hash",
    "is_read_only",
    "is_valid",
    "notebook_exists",
    "os_error_reason",
    "prepare_write",
    "read",
    "reads",
    "upgrade",
    "validate",
    "write",
    "writes",
]
