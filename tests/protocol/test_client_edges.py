"""Edge cases real kernels cannot show: a fake kernel (bare zmq sockets) feeding our client."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
import zmq
import zmq.asyncio

from protocol.attach import attach
from protocol.client import KernelClient
from protocol.connection import ConnectionInfo, new_connection_info
from protocol.errors import KernelDeadError
from protocol.events import ExecuteResult, Stream
from protocol.manager import KernelManager
from protocol.messages import Outgoing, kernel_info_request
from protocol.wire import Session
from tests.protocol.conftest import next_event, run


@pytest_asyncio.fixture
async def fake_kernel() -> AsyncIterator[tuple[ConnectionInfo, dict[str, zmq.asyncio.Socket]]]:
    info = new_connection_info()
    ctx = zmq.asyncio.Context()
    socks = {
        "shell": ctx.socket(zmq.ROUTER),
        "iopub": ctx.socket(zmq.XPUB),
        "stdin": ctx.socket(zmq.ROUTER),
        "control": ctx.socket(zmq.ROUTER),
    }
    for name, sock in socks.items():
        sock.linger = 0
        sock.bind(info.endpoint(name))
    try:
        yield info, socks
    finally:
        ctx.destroy(linger=0)


async def test_bad_messages_are_dropped_and_counted(
    fake_kernel: tuple[ConnectionInfo, dict[str, zmq.asyncio.Socket]],
) -> None:
    info, socks = fake_kernel
    client = await KernelClient.connect(info, heartbeat=False)
    stream = client.events()
    try:
        # The client's shell identity is its session id; the fake kernel answers through it.
        kernel = Session(info.key)
        forged = Session("not-the-key")
        pub = socks["iopub"]
        # XPUB: the subscription arriving proves the client's SUB is live (no slow joiner).
        assert await asyncio.wait_for(pub.recv(), 5) == b"\x01"
        await pub.send_multipart(forged.serialize(forged.msg("stream", {"text": "forged"})))
        await pub.send_multipart([b"<IDS|MSG>", b"sig", b"{}"])
        frames = kernel.serialize(kernel.msg("stream", {"name": "stdout", "text": "good"}))
        await pub.send_multipart(frames)
        await pub.send_multipart(frames)  # replayed signature
        await pub.send_multipart(
            kernel.serialize(kernel.msg("stream", {"name": "stdout", "text": "last"}))
        )
        texts = [getattr(await next_event(stream, Stream), "text", None) for _ in range(2)]
        assert texts == ["good", "last"]  # in order, so every drop before "last" is counted
        assert client.stats.dropped_bad_signature == 1
        assert client.stats.dropped_malformed == 1
        assert client.stats.dropped_replayed == 1
    finally:
        stream.close()
        await client.close()


async def test_stdin_control_and_shell_share_the_identity(
    fake_kernel: tuple[ConnectionInfo, dict[str, zmq.asyncio.Socket]],
) -> None:
    info, socks = fake_kernel
    client = await KernelClient.connect(info, heartbeat=False, session_id="sess-1")
    try:
        await client.execute("x", allow_stdin=True)
        await client.send(_control_probe(), track=False)
        await client.input_reply("v")
        identities = []
        for name in ("shell", "control", "stdin"):
            frames = await asyncio.wait_for(socks[name].recv_multipart(), 5)
            identities.append(frames[0])
        assert identities == [b"sess-1"] * 3
    finally:
        await client.close()


def _control_probe() -> Outgoing:
    return kernel_info_request("control")


@pytest.mark.kernel
async def test_client_on_another_threads_loop() -> None:
    """The client binds to whichever loop runs it: attach from a thread with its own loop."""
    km = await KernelManager.start("python3")
    result: list[str] = []

    async def in_thread() -> None:
        client, _ = await attach(str(km.connection_file))
        try:
            events = await run(client, "21 * 2")
            result.extend(e.data["text/plain"] for e in events if isinstance(e, ExecuteResult))
        finally:
            await client.close()

    try:
        thread = threading.Thread(target=asyncio.run, args=(in_thread(),))
        thread.start()
        await asyncio.get_running_loop().run_in_executor(None, thread.join, 30)
        assert result == ["42"]
    finally:
        await km.shutdown()


async def test_event_streams_backlog_and_end_on_close(
    fake_kernel: tuple[ConnectionInfo, dict[str, zmq.asyncio.Socket]],
) -> None:
    info, socks = fake_kernel
    client = await KernelClient.connect(info, heartbeat=False)
    kernel = Session(info.key)
    pub = socks["iopub"]
    assert await asyncio.wait_for(pub.recv(), 5) == b"\x01"
    await pub.send_multipart(kernel.serialize(kernel.msg("stream", {"text": "early"})))
    first = client.events()  # subscribes after the message: gets it from the backlog
    event = await next_event(first, Stream)
    assert getattr(event, "text", None) == "early"
    second = client.events()  # later subscribers start from now
    assert second.get_nowait() is None
    await client.close()
    assert [e async for e in first] == [] and [e async for e in second] == []
    with pytest.raises(KernelDeadError, match="closed"):
        await client.execute("x")
