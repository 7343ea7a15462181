"""Coalescing change feed: many small changes in, at most ``rate`` batches a second out.

The session pushes a change for every kernel message it applies; a kernel printing a million
lines would otherwise mean a million redraws. Each subscriber gets a :class:`ChangeBatch` that
folds together everything since its previous one (a cell appears once with the set of things
that changed), and never more than ``rate`` batches per second, so the UI's event loop keeps
time for the keyboard whatever the kernel does.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

from nbio.model import Cell
from tui.session.records import Change, ChangeBatch, KernelState, Notice


class Subscription:
    """One consumer's view of the change feed; iterate it with ``async for``."""

    def __init__(self, feed: ChangeFeed, rate: float) -> None:
        self._feed = feed
        self._interval = 1.0 / rate if rate > 0 else 0.0
        self._pending = ChangeBatch()
        self._ready = asyncio.Event()
        self._last = 0.0
        self._closed = False

    def _push(self) -> None:
        self._ready.set()

    def take(self) -> ChangeBatch:
        """Return (and reset) everything pending now, without waiting."""
        batch, self._pending = self._pending, ChangeBatch()
        self._ready.clear()
        return batch

    async def next_batch(self) -> ChangeBatch | None:
        """Wait for the next non-empty batch, rate-limited; ``None`` once closed."""
        while not self._closed:
            await self._ready.wait()
            if self._closed:
                break
            delay = self._last + self._interval - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            batch = self.take()
            if batch:
                self._last = time.monotonic()
                return batch
        return None

    def close(self) -> None:
        """Stop the iteration (the pending batch is dropped)."""
        self._closed = True
        self._ready.set()
        self._feed._remove(self)

    def __aiter__(self) -> AsyncIterator[ChangeBatch]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[ChangeBatch]:
        while True:
            batch = await self.next_batch()
            if batch is None:
                return
            yield batch


class ChangeFeed:
    """Fan-out of change records to any number of :class:`Subscription`."""

    def __init__(self) -> None:
        self._subs: list[Subscription] = []

    def subscribe(self, rate: float = 30.0) -> Subscription:
        """A new subscription receiving changes from now on, at most ``rate`` batches/s."""
        sub = Subscription(self, rate)
        self._subs.append(sub)
        return sub

    def _remove(self, sub: Subscription) -> None:
        if sub in self._subs:
            self._subs.remove(sub)

    def cell(self, cell: Cell, kind: Change) -> None:
        """Record that ``kind`` changed for ``cell``."""
        for sub in self._subs:
            sub._pending.add_cell(cell, kind)
            sub._push()

    def kernel_state(self, state: KernelState) -> None:
        """Record the kernel's new state (only the latest one per batch is kept)."""
        for sub in self._subs:
            sub._pending.kernel_state = state
            sub._pending.events += 1
            sub._push()

    def notice(self, notice: Notice) -> None:
        """Record something the user must be told."""
        for sub in self._subs:
            sub._pending.notices.append(notice)
            sub._pending.events += 1
            sub._push()

    def close(self) -> None:
        """End every subscription."""
        for sub in list(self._subs):
            sub.close()
