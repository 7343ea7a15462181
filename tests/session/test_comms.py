"""KernelSession's comms on a real ipykernel: IOPub comm messages reach the session's registry,
and what the frontend sends goes out on the shell channel, in order."""

from __future__ import annotations

import asyncio

import pytest

from protocol.comms import Comm, CommPayload
from tui.session import KernelSession

from .conftest import run, text

pytestmark = [pytest.mark.kernel, pytest.mark.asyncio(loop_scope="module")]


async def test_kernel_comms_reach_the_session_and_answers_go_back(
        shared: KernelSession) -> None:
    registry = shared.comms.registry
    got: list[CommPayload] = []
    opened: asyncio.Event = asyncio.Event()

    def target(comm: Comm, payload: CommPayload) -> None:
        comm.on_msg.append(lambda c, p: got.append(p))
        opened.set()

    registry.register_target("jtui.session", target)
    code = (
        "from comm import create_comm\n"
        "received = []\n"
        "c = create_comm(target_name='jtui.session', data={'hi': 1})\n"
        "c.on_msg(lambda m: received.append((m['content']['data'], m['buffers'])))\n"
        "c.send({'from': 'kernel'}, buffers=[b'\\x01\\x02'])\n"
    )
    await run(shared, code)
    await asyncio.wait_for(opened.wait(), 10)
    assert got and got[0].data == {"from": "kernel"} and got[0].buffers == (b"\x01\x02",)

    [comm] = [c for c in registry if c.target_name == "jtui.session"]
    for i in range(20):
        comm.send({"i": i}, buffers=(bytes([i]),))
    await shared.comms.flush()
    [cell] = await run(shared, "print([(d['i'], bytes(b[0])[0]) for d, b in received])")
    assert text(cell).strip() == str([(i, i) for i in range(20)])  # all of them, in order
    assert shared.comms.sent >= 20

    # an unknown target is refused through the session too
    refused = registry.stats.refused
    [cell] = await run(shared, "o = create_comm(target_name='nobody'); closed = []\n"
                               "o.on_close(lambda m: closed.append(1))")
    assert registry.stats.refused == refused + 1
    await shared.comms.flush()
    [cell] = await run(shared, "print(closed)")
    assert text(cell).strip() == "[1]"
