"""Fixtures for the protocol tests: real kernels, shared per module where state does not matter."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest_asyncio

from protocol.client import EventStream, KernelClient, collect_until_done
from protocol.events import KernelEvent, Stream
from protocol.manager import KernelManager


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def ipykernel() -> AsyncIterator[KernelManager]:
    """One ipykernel for the whole module (tests must not depend on its state)."""
    km = await KernelManager.start("python3", ready_timeout=30)
    try:
        yield km
    finally:
        await km.shutdown()


async def run(
    client: KernelClient, code: str, *, timeout: float = 10, stream: EventStream | None = None,
    **kwargs: bool,
) -> list[KernelEvent]:
    """Execute ``code`` and return its events (parented to it) up to ExecutionDone."""
    own = stream is None
    events = client.events() if stream is None else stream
    try:
        msg_id = await client.execute(code, **kwargs)
        return await collect_until_done(events, msg_id, timeout)
    finally:
        if own:
            events.close()


async def next_event(
    stream: EventStream, kind: type[KernelEvent], timeout: float = 10
) -> KernelEvent:
    """The next event of type ``kind`` from ``stream``."""

    async def find() -> KernelEvent:
        async for event in stream:
            if isinstance(event, kind):
                return event
        raise AssertionError("stream ended")

    return await asyncio.wait_for(find(), timeout)


async def first_output(stream: EventStream, msg_id: str, timeout: float = 10) -> Stream:
    """The first stream output of execution ``msg_id``; other streams are skipped (a kernel's
    start-up noise, e.g. debugpy's "frozen modules" warning, comes as a stream without parent)."""

    async def find() -> Stream:
        async for event in stream:
            if isinstance(event, Stream) and event.parent_msg_id == msg_id:
                return event
        raise AssertionError("stream ended")

    return await asyncio.wait_for(find(), timeout)
