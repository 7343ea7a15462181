"""A dropped kernel WebSocket reconnects; a kernel gone with its server is a clear error.

Real parts: a jupyter_server and its ipykernel. The network fault is a small proxy that aborts
every connection through it (tests/support/dropproxy.py); the server restart is the real
server stopped and started again on the same port with the same token.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from protocol.clientcore import EventStream, collect_until_done
from protocol.events import ExecuteResult, ExecutionDone, KernelDied, KernelEvent, Status, Stream
from protocol.remote.kernel import RemoteKernel
from protocol.remote.reconnect import Reconnected, Reconnecting, ReconnectPolicy
from protocol.remote.rest import ServerClient
from protocol.remote.urls import ServerURL
from tests.support.dropproxy import DropProxy, drop_proxy
from tests.support.jserver import RunningServer, free_port, jupyter_server

pytestmark = pytest.mark.kernel

FAST = ReconnectPolicy(first_delay=0.2, max_delay=1.0, tries=10)


@pytest.fixture
def proxy(server: RunningServer) -> Iterator[DropProxy]:
    with drop_proxy(server.port) as running:
        yield running


def _through(proxy: DropProxy, server: RunningServer) -> ServerURL:
    return ServerURL(f"http://127.0.0.1:{proxy.port}{server.base_path}", None, server.token)


async def _next(stream: EventStream, kind: type[KernelEvent], timeout: float = 30,
                seen: list[KernelEvent] | None = None) -> KernelEvent:
    async def find() -> KernelEvent:
        async for event in stream:
            if seen is not None:
                seen.append(event)
            if isinstance(event, kind):
                return event
        raise AssertionError(f"the stream ended before a {kind.__name__}")
    return await asyncio.wait_for(find(), timeout)


async def _done(stream: EventStream, msg_id: str, seen: list[KernelEvent] | None = None,
                ) -> ExecutionDone:
    """The ExecutionDone of ``msg_id`` (the client's own settling probe has one too)."""
    while True:
        done = await _next(stream, ExecutionDone, seen=seen)
        if isinstance(done, ExecutionDone) and done.msg_id == msg_id:
            return done


def _result(events: list[KernelEvent]) -> str:
    return next(str(e.data["text/plain"]) for e in events if isinstance(e, ExecuteResult))


async def test_a_dropped_socket_reconnects_and_the_next_cell_runs(
        server: RunningServer, proxy: DropProxy) -> None:
    kernel = await RemoteKernel.start(_through(proxy, server), "python3", reconnect=FAST)
    try:
        stream = kernel.client.events()
        msg_id = await kernel.client.execute("kept = 20")
        await collect_until_done(stream, msg_id, 30)
        assert proxy.drop() >= 1
        reconnecting = await _next(stream, Reconnecting)
        assert isinstance(reconnecting, Reconnecting) and reconnecting.attempt == 1
        assert kernel.client.connection_state == "reconnecting"
        back = await _next(stream, Reconnected)
        assert isinstance(back, Reconnected) and back.incomplete == ()
        assert kernel.client.connection_state == "connected" and kernel.client.reconnects == 1
        msg_id = await kernel.client.execute("kept + 22")
        assert _result(await collect_until_done(stream, msg_id, 30)) == "42"  # same kernel
    finally:
        await kernel.shutdown()


async def test_a_cell_running_in_the_gap_is_marked_and_still_finishes(
        server: RunningServer, proxy: DropProxy, tmp_path: Path) -> None:
    flag = tmp_path / "go"
    kernel = await RemoteKernel.start(_through(proxy, server), "python3", reconnect=FAST)
    try:
        stream = kernel.client.events()
        code = ("import os, time\nprint('started', flush=True)\n"
                f"while not os.path.exists({str(flag)!r}): time.sleep(0.02)\n"
                "print('finished')\n'done'")
        msg_id = await kernel.client.execute(code)
        seen: list[KernelEvent] = []
        await _next(stream, Stream, seen=seen)  # 'started': the cell runs
        proxy.refuse()
        proxy.drop()
        reconnecting = await _next(stream, Reconnecting, seen=seen)
        assert isinstance(reconnecting, Reconnecting) and msg_id in reconnecting.running
        proxy.accept()
        back = await _next(stream, Reconnected, seen=seen)
        assert isinstance(back, Reconnected) and back.incomplete == (msg_id,)
        flag.write_text("")  # the cell ends only now, on the new socket
        done = await _done(stream, msg_id, seen)
        assert done.reply["status"] == "ok"
        texts = "".join(e.text for e in seen if isinstance(e, Stream))
        assert "finished" in texts
        assert any(isinstance(e, ExecuteResult) and e.parent_msg_id == msg_id for e in seen)
    finally:
        await kernel.shutdown()


async def test_a_cell_that_ends_in_the_gap_is_not_left_waiting(
        server: RunningServer, proxy: DropProxy, tmp_path: Path) -> None:
    flag = tmp_path / "go"
    kernel = await RemoteKernel.start(_through(proxy, server), "python3", reconnect=FAST)
    direct = ServerClient(server.url())
    try:
        stream = kernel.client.events()
        code = (f"import os, time\nwhile not os.path.exists({str(flag)!r}): time.sleep(0.02)\n"
                "print('ended in the gap')")
        msg_id = await kernel.client.execute(code)
        await _next(stream, Status)  # busy
        proxy.refuse()
        proxy.drop()
        await _next(stream, Reconnecting)
        flag.write_text("")
        for _ in range(600):  # the kernel (seen directly, not through the proxy) goes idle
            if direct.kernel(kernel.kernel_id).execution_state == "idle":
                break
            await asyncio.sleep(0.05)
        proxy.accept()
        done = await _done(stream, msg_id)
        # The server replays what it buffered for our session; if it could not, the reply is
        # the incomplete one: either way the cell is over and the next one runs.
        assert done.reply["status"] in ("ok", "error")
        msg_id = await kernel.client.execute("1 + 1")
        assert _result(await collect_until_done(stream, msg_id, 30)) == "2"
    finally:
        await kernel.shutdown()


async def test_requests_sent_during_the_gap_wait_for_the_new_socket(
        server: RunningServer, proxy: DropProxy) -> None:
    kernel = await RemoteKernel.start(_through(proxy, server), "python3", reconnect=FAST)
    try:
        stream = kernel.client.events()
        proxy.refuse()
        proxy.drop()
        await _next(stream, Reconnecting)
        sending = asyncio.ensure_future(kernel.client.execute("3 * 3"))
        proxy.accept()
        msg_id = await asyncio.wait_for(sending, 30)
        assert _result(await collect_until_done(stream, msg_id, 30)) == "9"
    finally:
        await kernel.shutdown()


async def test_a_server_restarted_on_the_same_port_means_the_kernel_is_gone(
        tmp_path: Path) -> None:
    port = free_port()
    (tmp_path / "a").mkdir()
    with jupyter_server(tmp_path / "a", port=port) as first:
        token = first.token
        kernel = await RemoteKernel.start(first.url(), "python3", reconnect=FAST)
        stream = kernel.client.events()
        msg_id = await kernel.client.execute("1")
        await collect_until_done(stream, msg_id, 30)
    # the first server is stopped (its kernels with it); a new one comes up on the same port
    (tmp_path / "b").mkdir()
    with jupyter_server(tmp_path / "b", port=port, token=token):
        seen: list[KernelEvent] = []
        died = await _next(stream, KernelDied, timeout=60, seen=seen)
        assert any(isinstance(e, Reconnecting) for e in seen)
        assert isinstance(died, KernelDied)
        assert "the kernel is gone from the server" in died.reason
        assert token not in died.reason
        assert kernel.client.is_dead and kernel.client.connection_state == "closed"
        await kernel.close()


async def test_the_servers_pings_are_answered(tmp_path: Path) -> None:
    """jupyter_server pings every 30 s and closes a socket whose pongs stop; here it pings every
    0.1 s and gives up after 0.3 s without a pong, while a cell keeps the kernel busy for 2 s."""
    config = tmp_path / "pings.py"
    config.write_text("c.ServerApp.tornado_settings = "
                      "{'ws_ping_interval': 100, 'ws_ping_timeout': 300}\n")
    (tmp_path / "root").mkdir()
    with jupyter_server(tmp_path / "root", extra=(f"--config={config}",)) as pinging:
        kernel = await RemoteKernel.start(pinging.url(), "python3",
                                          reconnect=ReconnectPolicy(tries=0))
        try:
            stream = kernel.client.events()
            msg_id = await kernel.client.execute("import time; time.sleep(2); 'awake'")
            events = await collect_until_done(stream, msg_id, 30)
            assert _result(events) == "'awake'"
            assert not kernel.client.is_dead and kernel.client.reconnects == 0
        finally:
            await kernel.shutdown()
        assert "ping timeout" not in pinging.log.read_text()


async def test_a_cell_sent_as_the_socket_drops_ends_one_way_or_the_other(
        server: RunningServer, proxy: DropProxy) -> None:
    kernel = await RemoteKernel.start(_through(proxy, server), "python3", reconnect=FAST)
    try:
        stream = kernel.client.events()
        proxy.drop()
        msg_id = await kernel.client.execute("'sent into the drop'")  # before anyone noticed
        done = await _done(stream, msg_id)
        assert done.reply["status"] == "ok" or done.reply["ename"] == "ConnectionLost"
        msg_id = await kernel.client.execute("5 * 5")
        assert _result(await collect_until_done(stream, msg_id, 30)) == "25"
    finally:
        await kernel.shutdown()
