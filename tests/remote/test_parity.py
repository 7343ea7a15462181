"""The WebSocket client yields the same events as the zmq client, and the server's own
messages (the IOPub rate-limit notice) reach the caller as the server wrote them."""

from __future__ import annotations

import pytest

from protocol.clientcore import ClientCore, collect_until_done
from protocol.events import ErrorOutput, ExecuteResult, KernelEvent, Stream
from protocol.manager import KernelManager
from protocol.remote.kernel import RemoteKernel
from tests.support.jserver import RunningServer

pytestmark = pytest.mark.kernel

CELLS = (
    "print('out'); import sys; print('err', file=sys.stderr); 6*7",
    "from IPython.display import display, HTML\ndisplay(HTML('<b>x</b>'), display_id='d')",
    "1/0",
    "input_ok = True",
)


def _shape(events: list[KernelEvent]) -> list[tuple[str, str]]:
    """What a session consumes: event classes and their key fields (stream text joined per
    stream name, since chunking is the kernel's business)."""
    shape = []
    streams: dict[str, str] = {}
    for e in events:
        if isinstance(e, Stream):
            streams[e.name] = streams.get(e.name, "") + e.text
        elif isinstance(e, ExecuteResult):
            shape.append(("ExecuteResult", str(e.data.get("text/plain"))))
        elif isinstance(e, ErrorOutput):
            shape.append(("ErrorOutput", e.ename))
        else:
            shape.append((type(e).__name__, e.msg_type))
    shape += [("Stream", f"{name}:{text}") for name, text in streams.items()]
    return sorted(shape)


async def _run_all(client: ClientCore) -> list[list[tuple[str, str]]]:
    stream = client.events()
    shapes = []
    for code in CELLS:
        msg_id = await client.execute(code)
        shapes.append(_shape(await collect_until_done(stream, msg_id, 60)))
    stream.close()
    return shapes


async def test_same_events_over_zmq_and_websocket(server: RunningServer) -> None:
    local = await KernelManager.start("python3", ready_timeout=60)
    try:
        zmq_shapes = await _run_all(local.client)
    finally:
        await local.shutdown()
    remote = await RemoteKernel.start(server.url(), "python3")
    try:
        ws_shapes = await _run_all(remote.client)
    finally:
        await remote.shutdown()
    assert ws_shapes == zmq_shapes
    assert ("ExecuteResult", "42") in ws_shapes[0]
    assert ("ErrorOutput", "ZeroDivisionError") in ws_shapes[2]


async def test_iopub_rate_limit_notice_reaches_the_client(server: RunningServer) -> None:
    remote = await RemoteKernel.start(server.url(), "python3")
    try:
        stream = remote.client.events()
        msg_id = await remote.client.execute("print('x' * 3_000_000)")
        events = await collect_until_done(stream, msg_id, 60)
    finally:
        await remote.shutdown()
    texts = [e.text for e in events if isinstance(e, Stream)]
    assert any("IOPub data rate exceeded" in t for t in texts), [t[:100] for t in texts]
    assert sum(len(t) for t in texts) < 3_000_000
