"""Cell execution timing in ``metadata.execution``, as JupyterLab records it (``recordTiming``).

JupyterLab (and nbclient) store the kernel's own message timestamps under these keys:
``iopub.status.busy``, ``iopub.execute_input``, ``shell.execute_reply.started`` (from the
reply's metadata), ``shell.execute_reply`` and ``iopub.status.idle``; the dict is dropped when the
cell runs again.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from nbio.model import Cell

KEY = "execution"


def _iso(value: Any) -> str | None:
    if isinstance(value, str) and value:
        return value
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        return str(value.isoformat()).replace("+00:00", "Z")
    return None


def now_iso() -> str:
    """The current UTC time as JupyterLab writes it (``...Z``)."""
    return _iso(_dt.datetime.now(_dt.timezone.utc)) or ""


def reset(cell: Cell) -> None:
    """Forget the timing of a previous run (JupyterLab does this when a cell is executed)."""
    cell.metadata.pop(KEY, None)


def record(cell: Cell, label: str, header: dict[str, Any] | None) -> bool:
    """Store ``header['date']`` under ``label``; False when the message carried no date."""
    value = _iso((header or {}).get("date"))
    if value is None:
        return False
    timing = cell.metadata.get(KEY)
    if not isinstance(timing, dict):
        timing = {}
        cell.metadata[KEY] = timing
    timing[label] = value
    return True


def record_reply(
    cell: Cell, header: dict[str, Any] | None, metadata: dict[str, Any] | None
) -> None:
    """Store ``shell.execute_reply.started`` and ``shell.execute_reply`` for an execute_reply."""
    started = _iso((metadata or {}).get("started"))
    timing = cell.metadata.get(KEY)
    if not isinstance(timing, dict):
        timing = {}
        cell.metadata[KEY] = timing
    if started is not None:
        timing["shell.execute_reply.started"] = started
    timing["shell.execute_reply"] = _iso((header or {}).get("date")) or now_iso()
