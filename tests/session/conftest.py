"""Helpers for the session tests: notebooks from sources, waiting on the change feed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest_asyncio

from nbio.model import Cell, Notebook
from tui.session import ChangeBatch, KernelSession, Subscription


def notebook(*sources: str, kernel: str = "python3") -> Notebook:
    """A notebook of code cells with these sources."""
    nb = Notebook.new(kernel)
    nb.cells = [Cell.new("code", s) for s in sources]
    return nb


def add_cells(session: KernelSession, *sources: str) -> list[Cell]:
    """Append code cells to the session's notebook and return them."""
    cells = [Cell.new("code", s) for s in sources]
    session.nb.cells.extend(cells)
    return cells


async def run(session: KernelSession, *sources: str, timeout: float = 30) -> list[Cell]:
    """Add cells, run them, wait until the queue is empty."""
    cells = add_cells(session, *sources)
    session.enqueue(cells)
    await session.wait_idle(timeout)
    return cells


def text(cell: Cell, name: str = "stdout") -> str:
    """All stream text of ``name`` in the cell's outputs."""
    return "".join(
        str(o.get("text", "")) for o in cell.outputs
        if o.get("output_type") == "stream" and o.get("name") == name
    )


async def wait_for(
    sub: Subscription, predicate: Callable[[], bool], timeout: float = 10
) -> list[ChangeBatch]:
    """Consume batches from ``sub`` until ``predicate()`` holds; return the batches seen."""
    seen: list[ChangeBatch] = []

    async def loop() -> None:
        while not predicate():
            batch = await sub.next_batch()
            if batch is None:
                raise AssertionError("feed closed")
            seen.append(batch)

    await asyncio.wait_for(loop(), timeout)
    return seen


async def started(kernel: str = "python3", **kwargs: object) -> KernelSession:
    """A ready session on ``kernel`` with an empty notebook."""
    session = KernelSession(notebook(kernel=kernel), kernel_name=kernel, **kwargs)  # type: ignore[arg-type]
    session.nb.cells.clear()
    session.start()
    if not await session.wait_ready(60):
        await session.shutdown()
        raise AssertionError(f"kernel {kernel} did not start: {session.problem}")
    return session


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def shared() -> AsyncIterator[KernelSession]:
    """One ipykernel session shared by a module's tests (each adds its own cells)."""
    session = await started("python3")
    yield session
    await session.shutdown()
