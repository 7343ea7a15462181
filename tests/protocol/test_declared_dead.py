"""A kernel we declare dead is dead: a stopped (SIGSTOP) kernel that stops answering the
heartbeat is killed with its process group, and nothing it sends afterwards reaches the client's
events (it would land under "kernel died" in the UIs)."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

from protocol.events import KernelDied, Stream
from protocol.manager import KernelManager
from tests.protocol.conftest import next_event, run
from tests.protocol.test_kernel_children import alive, start_child, wait_gone

pytestmark = pytest.mark.kernel


@pytest.mark.parametrize("name", ["python3", "xpython"])
async def test_stopped_kernel_is_killed_when_declared_dead(name: str) -> None:
    km = await KernelManager.start(name, ready_timeout=30)
    try:
        assert km.process is not None
        pid = km.process.pid
        child = await start_child(km, name)
        stream = km.client.events()
        os.kill(pid, signal.SIGSTOP)
        died = await next_event(stream, KernelDied, timeout=60)
        assert "heartbeat" in died.reason
        assert await wait_gone(pid, 10), "the stopped kernel was declared dead but left running"
        assert await wait_gone(child, 10), "what the stopped kernel started was left running"
        assert await km.process.wait(10) == -signal.SIGKILL  # reaped by the process watch
        assert not km.is_alive()
    finally:
        if km.process is not None and alive(km.process.pid):
            os.kill(km.process.pid, signal.SIGKILL)
        await km.shutdown()


async def test_running_kernel_declared_dead_is_killed_and_restart_revives() -> None:
    """A kernel declared dead by the heartbeat while its process runs a cell is killed at once
    (its 'late' print never comes), and a restart brings the same client back to life."""
    km = await KernelManager.start("python3", ready_timeout=30)
    try:
        client = km.client
        stream = client.events()
        msg_id = await client.execute("import time\ntime.sleep(30)\nprint('late', flush=True)")
        client._heartbeat_lost("heartbeat lost (test)")  # what Heartbeat.run calls
        died = await next_event(stream, KernelDied, timeout=5)
        assert died.reason == "heartbeat lost (test)"
        # The manager killed the (live) process as soon as it was declared dead.
        assert km.process is not None
        assert await wait_gone(km.process.pid, 10)
        assert stream.get_nowait() is None
        assert not any(
            isinstance(e, Stream) and e.parent_msg_id == msg_id for e in _drain(stream)
        )
        await km.restart(ready_timeout=30)
        events = await run(client, "print('back')")
        assert "back" in "".join(e.text for e in events if isinstance(e, Stream))
    finally:
        await km.shutdown()


def _drain(stream: object) -> list[object]:
    out = []
    while (event := stream.get_nowait()) is not None:  # type: ignore[attr-defined]
        out.append(event)
    return out


async def test_heartbeat_death_silences_an_attached_client() -> None:
    """An attached client (not the owner) does not kill, but drops what comes after."""
    from protocol.client import KernelClient

    km = await KernelManager.start("python3", ready_timeout=30)
    other = await KernelClient.connect(km.info, heartbeat=False)
    try:
        await other.wait_for_ready(20)
        stream = other.events()
        other._heartbeat_lost("heartbeat lost (test)")
        await next_event(stream, KernelDied, timeout=5)
        await run(km.client, "print('from the owner')")
        await asyncio.sleep(0)  # let the other client's receive task run once
        deadline = asyncio.get_running_loop().time() + 5
        while other.dropped_after_death == 0:
            assert asyncio.get_running_loop().time() < deadline, "nothing was dropped"
            await asyncio.sleep(0.02)
        assert not any(isinstance(e, Stream) for e in _drain(stream))
        assert km.is_alive()
    finally:
        await other.close()
        await km.shutdown()
