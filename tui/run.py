"""Headless execution of a notebook, like ``jupyter nbconvert --to notebook --execute``.

Runs every non-empty code cell in order on a fresh kernel through :class:`KernelSession`, stops at
the first error (unless errors are allowed), enforces a per-cell timeout, and leaves the outputs,
execution counts and (by default, as nbclient does) ``metadata.execution`` timings in the
notebook model for the caller to save.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field

from nbio.model import Cell, Notebook
from tui.session import CellState, KernelSession
from tui.session.session import ManagerStarter
from tui.widgets.model import WidgetModel
from tui.widgets.state import store_widget_state as save_widget_state

DEFAULT_KERNEL = "python3"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class RunError(Exception):
    """The notebook could not be run to the end (a cell failed, timed out, or no kernel)."""


@dataclass
class RunReport:
    """How a headless run went."""

    kernel_name: str
    cells_run: int = 0
    elapsed: float = 0.0
    failed_index: int | None = None
    """Index (in ``nb.cells``) of the cell that stopped the run, if any."""
    error: str = ""
    errors: list[int] = field(default_factory=list)
    """Indices of every cell that ended in error (several with ``allow_errors``)."""

    @property
    def ok(self) -> bool:
        """True when the run reached the end without a stopping error."""
        return self.failed_index is None and not self.error


def _error_text(cell: Cell) -> str:
    for out in cell.outputs:
        if out.get("output_type") == "error":
            tb = out.get("traceback") or []
            text = "\n".join(str(line) for line in tb) if tb else (
                f"{out.get('ename', '')}: {out.get('evalue', '')}"
            )
            return _ANSI.sub("", text)
    return ""


async def execute_notebook(
    nb: Notebook,
    *,
    kernel_name: str | None = None,
    timeout: float | None = None,
    allow_errors: bool = False,
    record_timing: bool = True,
    startup_timeout: float = 60.0,
    cwd: str | None = None,
    store_widget_state: bool = False,
    starter: ManagerStarter | None = None,
) -> RunReport:
    """Run ``nb`` top to bottom on a new kernel; the model receives the outputs.

    ``timeout`` is per cell (``None``: no limit). Raises :class:`RunError` when the kernel cannot
    start; a failing cell is reported in the returned :class:`RunReport` (``ok`` False) unless
    ``allow_errors``, in which case the run goes on. ``store_widget_state``: the widgets the
    run made are saved in ``nb.metadata.widgets`` as nbclient saves them (every model the
    kernel opened, closed ones too, with its last state). ``starter`` replaces the local kernel
    launcher (a Jupyter Server's kernels, see :mod:`tui.commands.remote_run`).
    """
    name = kernel_name or nb.kernel_name or DEFAULT_KERNEL
    session = KernelSession(
        nb,
        kernel_name=name,
        cwd=cwd,
        record_timing=record_timing,
        allow_stdin=False,
        stop_on_error=not allow_errors,
        ready_timeout=startup_timeout,
        starter=starter,
    )
    report = RunReport(kernel_name=name)
    made: list[WidgetModel] = []
    if store_widget_state:
        session.comms.widgets.on_model_created(made.append)
    started = time.monotonic()
    session.start()
    try:
        if not await session.wait_ready():
            problem = session.problem
            raise RunError(f"{problem.title}: {problem.message}" if problem else "no kernel")
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or not cell.source.strip():
                continue
            runs = session.enqueue([cell])
            if not runs:
                continue
            run = runs[0]
            try:
                await session.wait_idle(timeout)
            except (TimeoutError, asyncio.TimeoutError):
                await session.interrupt()
                try:
                    await session.wait_idle(5.0)
                except (TimeoutError, asyncio.TimeoutError):
                    pass
                report.failed_index = index
                report.error = f"Cell {index} timed out after {timeout:g} s (interrupted)."
                return report
            report.cells_run += 1
            if run.state is CellState.ERROR:
                report.errors.append(index)
                if not allow_errors:
                    report.failed_index = index
                    reply = run.reply or {}
                    lost = f"{reply.get('ename')}: {reply.get('evalue')}" if reply.get(
                        "ename") == "ConnectionLost" else ""
                    report.error = _error_text(cell) or lost or "the cell raised an error"
                    return report
            elif run.state is CellState.DIED:
                report.failed_index = index
                report.error = run.reason
                return report
            elif run.state is CellState.ABORTED and not allow_errors:
                report.failed_index = index
                report.error = run.reason or "the kernel aborted the cell"
                return report
        return report
    finally:
        report.elapsed = time.monotonic() - started
        if made:  # before the shutdown closes them
            save_widget_state(nb.metadata, made, include_closed=True)
        await session.shutdown()
