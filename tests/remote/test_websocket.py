"""Kernels on a real jupyter_server driven over its WebSocket, in both framings."""

from __future__ import annotations

import asyncio

import pytest

from protocol.clientcore import EventStream, collect_until_done
from protocol.events import (
    DisplayData,
    ErrorOutput,
    ExecuteResult,
    KernelDied,
    KernelEvent,
    Status,
)
from protocol.remote.errors import AuthError, NotFoundError, RemoteError
from protocol.remote.kernel import RemoteKernel
from protocol.remote.rest import AsyncServerClient
from protocol.remote.websocket import WebSocketKernelClient
from tests.support.jserver import RunningServer

pytestmark = pytest.mark.kernel


async def _run(stream: EventStream, client: WebSocketKernelClient, code: str,
               timeout: float = 60) -> list[KernelEvent]:
    msg_id = await client.execute(code)
    return await collect_until_done(stream, msg_id, timeout)


def _result(events: list[KernelEvent]) -> str:
    results = [e for e in events if isinstance(e, ExecuteResult)]
    assert len(results) == 1, events
    return str(results[0].data["text/plain"])


async def _wait_busy(stream: EventStream, msg_id: str) -> None:
    async for event in stream:
        if (isinstance(event, Status) and event.parent_msg_id == msg_id
                and event.execution_state == "busy"):
            return


async def test_execute_interrupt_restart_shutdown_over_v1(server: RunningServer) -> None:
    kernel = await RemoteKernel.start(server.url(), "python3")
    try:
        assert kernel.client.framing.name == "v1"
        stream = kernel.client.events()
        assert _result(await _run(stream, kernel.client, "1+1")) == "2"

        msg_id = await kernel.client.execute("import time; time.sleep(60)")
        await asyncio.wait_for(_wait_busy(stream, msg_id), 30)
        await kernel.interrupt()
        events = await collect_until_done(stream, msg_id, 30)
        errors = [e for e in events if isinstance(e, ErrorOutput)]
        assert errors and errors[0].ename == "KeyboardInterrupt"

        assert _result(await _run(stream, kernel.client, "x = 41; x + 1")) == "42"
        await kernel.restart()
        stream = kernel.client.events()
        events = await _run(stream, kernel.client, "'x' in dir()")
        assert _result(events) == "False"  # a new process: x is gone
    finally:
        await kernel.shutdown()
    rest = AsyncServerClient(server.url())
    with pytest.raises(NotFoundError):
        await rest.kernel(kernel.kernel_id)


async def test_a_large_display_data_arrives_whole(server: RunningServer) -> None:
    kernel = await RemoteKernel.start(server.url(), "python3")
    try:
        stream = kernel.client.events()
        code = ("from IPython.display import display\n"
                "display({'text/plain': 'y' * 1_500_000}, raw=True)")
        events = await _run(stream, kernel.client, code)
        shown = [e for e in events if isinstance(e, DisplayData)]
        assert len(shown) == 1 and len(shown[0].data["text/plain"]) == 1_500_000
        assert kernel.client.close_reason is None and not kernel.client.is_dead
    finally:
        await kernel.shutdown()


async def test_legacy_framing_when_the_server_forces_it(legacy_server: RunningServer) -> None:
    kernel = await RemoteKernel.start(legacy_server.url(), "python3")
    try:
        assert kernel.client.framing.name == "legacy"
        stream = kernel.client.events()
        assert _result(await _run(stream, kernel.client, "6*7")) == "42"
        events = await _run(stream, kernel.client,
                            "from IPython.display import display\n"
                            "display({'text/plain': 'z' * 1_500_000}, raw=True)")
        assert any(isinstance(e, DisplayData) and len(e.data["text/plain"]) == 1_500_000
                   for e in events)
    finally:
        await kernel.shutdown()


async def test_legacy_framing_on_request_to_a_v1_server(server: RunningServer) -> None:
    kernel = await RemoteKernel.start(server.url(), "python3", subprotocols=())
    try:
        assert kernel.client.framing.name == "legacy"
        stream = kernel.client.events()
        assert _result(await _run(stream, kernel.client, "2**10")) == "1024"
    finally:
        await kernel.shutdown()


async def test_two_clients_share_one_kernel(server: RunningServer) -> None:
    first = await RemoteKernel.start(server.url(), "python3")
    try:
        second = await RemoteKernel.attach(server.url(), first.kernel_id)
        try:
            stream = first.client.events()
            await _run(stream, first.client, "shared = 'hello'")
            other = second.client.events()
            assert _result(await _run(other, second.client, "shared")) == "'hello'"
        finally:
            await second.close()
    finally:
        await first.shutdown()


async def test_websocket_bad_token_and_unknown_kernel(server: RunningServer) -> None:
    rest = AsyncServerClient(server.url())
    model = await rest.start_kernel("python3")
    try:
        wrong = "wrong-token-value"
        with pytest.raises(AuthError) as info:
            await WebSocketKernelClient.connect(server.url(token=wrong), model.id)
        assert info.value.status == 403 and wrong not in str(info.value)
        assert server.token not in str(info.value)
        with pytest.raises(RemoteError) as missing:
            await WebSocketKernelClient.connect(server.url(),
                                                "00000000-0000-0000-0000-000000000000")
        assert missing.value.status == 404
    finally:
        await rest.shutdown_kernel(model.id)


async def test_server_going_away_marks_the_kernel_dead(tmp_path_factory: pytest.TempPathFactory,
                                                       ) -> None:
    from protocol.remote.reconnect import Reconnecting, ReconnectPolicy
    from tests.support.jserver import jupyter_server

    with jupyter_server(tmp_path_factory.mktemp("short-lived")) as short:
        kernel = await RemoteKernel.start(short.url(), "python3",
                                          reconnect=ReconnectPolicy(first_delay=0.05, tries=2))
        stream = kernel.client.events()
        assert _result(await _run(stream, kernel.client, "3")) == "3"
        short.process.terminate()
        short.process.wait(30)

    tries: list[Reconnecting] = []

    async def died() -> KernelDied:
        async for event in stream:
            if isinstance(event, Reconnecting):
                tries.append(event)
            if isinstance(event, KernelDied):
                return event
        raise AssertionError("the stream ended without a KernelDied")

    event = await asyncio.wait_for(died(), 30)
    assert [t.attempt for t in tries] == [1, 2]  # the server is gone: two tries, then dead
    assert "WebSocket" in event.reason and "gave up after 2 tries" in event.reason
    assert kernel.client.is_dead and kernel.client.connection_state == "closed"
    assert short.token not in event.reason
    await kernel.close()
