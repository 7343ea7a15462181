"""nbio: jupyter-tui's notebook file layer (standard library only).

The public API uses nbformat's words::

    nb = nbio.read("a.ipynb")          # any nbformat version, upgraded to v4 in memory
    problems = nbio.validate(nb)       # [] when valid
    text = nbio.writes(nb)             # the same string nbformat.writes returns
    nbio.write(nb, "a.ipynb")          # that string plus "\\n", atomically
"""

from __future__ import annotations

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
from nbio.upgrade import upgrade
from nbio.validator import Problem, is_valid, validate
from nbio.writer import PreparedWrite, commit_write, prepare_write, write, writes

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
