"""CommRegistry against a real ipykernel: both sides open, send (with buffers) and close."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import pytest

from protocol.client import EventStream, KernelClient
from protocol.comms import Comm, CommPayload, CommRegistry, comm_info_request, comms_from_info_reply
from protocol.events import CommMessage, Stream
from protocol.manager import KernelManager

from .conftest import run

pytestmark = [pytest.mark.kernel, pytest.mark.asyncio(loop_scope="module")]

ECHO_TARGET = """
from comm import get_comm_manager
def _echo_target(comm, open_msg):
    @comm.on_msg
    def _echo(msg):
        back = [bytes(b)[::-1] for b in msg["buffers"]]
        comm.send({"echo": msg["content"]["data"]}, buffers=back)
get_comm_manager().register_target("jtui.echo", _echo_target)
"""


async def flush(reg: CommRegistry, client: KernelClient) -> None:
    """Send what the registry produced (the sans-IO outbox) to the kernel."""
    for out in reg.drain():
        await client.send(out, track=False)


async def pump_until(stream: EventStream, reg: CommRegistry, done: Callable[[], bool],
                     timeout: float = 20) -> None:
    """Feed comm events from ``stream`` to ``reg`` until ``done()``."""

    async def loop() -> None:
        while not done():
            event = await stream.__anext__()
            if isinstance(event, CommMessage):
                reg.receive(event)

    await asyncio.wait_for(loop(), timeout)


async def kernel_value(client: KernelClient, expr: str) -> object:
    events = await run(client, f"import json; print(json.dumps({expr}))", timeout=20)
    out = "".join(e.text for e in events if isinstance(e, Stream) and e.name == "stdout")
    return json.loads(out)


async def test_kernel_comm_to_an_unknown_target_is_closed(ipykernel: KernelManager) -> None:
    client = ipykernel.client
    reg = CommRegistry()
    stream = client.events()
    try:
        code = ("from comm import create_comm, get_comm_manager\n"
                "orphan = create_comm(target_name='nobody.listens', data={'x': 1})\n"
                "orphan_closed = []\n"
                "orphan.on_close(lambda m: orphan_closed.append(m['content']['comm_id']))\n")
        for event in await run(client, code, stream=stream, timeout=20):
            if isinstance(event, CommMessage):
                reg.receive(event)
        assert reg.stats.refused == 1
        await flush(reg, client)
        # the kernel's comm heard our comm_close (shell messages are handled in order)
        assert await kernel_value(client, "orphan_closed == [orphan.comm_id]") is True
        assert await kernel_value(client, "orphan.comm_id in get_comm_manager().comms") is False
    finally:
        stream.close()


async def test_frontend_comm_round_trip_with_buffers(ipykernel: KernelManager) -> None:
    client = ipykernel.client
    await run(client, ECHO_TARGET, timeout=20)
    reg = CommRegistry()
    stream = client.events()
    got: list[CommPayload] = []
    try:
        comm = reg.open("jtui.echo", {"start": True})
        comm.on_msg.append(lambda c, p: got.append(p))
        comm.send({"n": 1, "text": "héllo"}, buffers=(b"\x00\x01\x02", b"abc"))
        await flush(reg, client)
        await pump_until(stream, reg, lambda: bool(got))
        assert got[0].data == {"echo": {"n": 1, "text": "héllo"}}
        assert got[0].buffers == (b"\x02\x01\x00", b"cba")

        info = comms_from_info_reply(await client.request(comm_info_request("jtui.echo"), 10))
        assert info == {comm.comm_id: "jtui.echo"}

        comm.close()
        await flush(reg, client)
        reply = await client.request(comm_info_request("jtui.echo"), 10)
        assert comms_from_info_reply(reply) == {}
    finally:
        stream.close()


async def test_kernel_closing_a_comm_calls_on_close(ipykernel: KernelManager) -> None:
    client = ipykernel.client
    reg = CommRegistry()
    closed: list[CommPayload] = []
    opened: list[Comm] = []

    def target(comm: Comm, payload: CommPayload) -> None:
        opened.append(comm)
        comm.on_close.append(lambda c, p: closed.append(p))

    reg.register_target("jtui.kept", target)
    stream = client.events()
    try:
        code = ("from comm import create_comm\n"
                "kept = create_comm(target_name='jtui.kept', data={'a': 1}, buffers=[b'xyz'])\n"
                "kept.close({'bye': 1})\n")
        for event in await run(client, code, stream=stream, timeout=20):
            if isinstance(event, CommMessage):
                reg.receive(event)
        assert opened[0].target_name == "jtui.kept" and opened[0].closed
        assert closed[0].data == {"bye": 1} and len(reg) == 0
        assert reg.drain() == []
    finally:
        stream.close()
