"""Our client against bash_kernel 0.10 (a wrapper kernel on ipykernel's base class).

Observed behaviour worth knowing (asserted below): stdout and stderr arrive merged as stdout
(bash runs on a pty); a failing command gives an ``error`` with ``ename ""``, ``evalue`` = the
exit code and no traceback; SIGINT ends a running command with reply status ``"abort"``;
is_complete always answers ``unknown``; history is empty; stdin (``read``) is not supported.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from protocol.events import DisplayData, ErrorOutput, ExecutionDone, Stream
from protocol.manager import KernelManager
from tests.protocol.conftest import first_output, run

pytestmark = [pytest.mark.kernel, pytest.mark.asyncio(loop_scope="module")]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def bash() -> AsyncIterator[KernelManager]:
    km = await KernelManager.start("bash", ready_timeout=30)
    try:
        yield km
    finally:
        await km.shutdown()


def _text(events: list[object]) -> str:
    return "".join(e.text for e in events if isinstance(e, Stream))


async def test_streams_merged_on_stdout(bash: KernelManager) -> None:
    assert bash.kernel_info["language_info"]["name"] == "bash"
    assert not bash.info.uses_curve  # its kernelspec declares no encryption
    events = await run(bash.client, "echo out; echo err >&2")
    assert {e.name for e in events if isinstance(e, Stream)} == {"stdout"}
    assert _text(events) == "out\nerr\n"


async def test_error_is_the_exit_code(bash: KernelManager) -> None:
    events = await run(bash.client, "ls /nonexistent-dir")
    (error,) = [e for e in events if isinstance(e, ErrorOutput)]
    assert (error.ename, error.evalue, error.traceback) == ("", "2", [])
    assert "No such file or directory" in _text(events)
    done = events[-1]
    assert isinstance(done, ExecutionDone) and done.status == "error"


async def test_display_html(bash: KernelManager) -> None:
    events = await run(bash.client, "echo '<b>dog</b>' | displayHTML")
    (display,) = [e for e in events if isinstance(e, DisplayData)]
    assert display.data["text/html"].strip() == "<b>dog</b>"


async def test_interrupt_aborts_the_command(bash: KernelManager) -> None:
    stream = bash.client.events()
    try:
        msg_id = await bash.client.execute("echo start; sleep 30")
        await first_output(stream, msg_id)
        await bash.interrupt()
        reply = await bash.client.wait_for_execution(msg_id, timeout=10)
    finally:
        stream.close()
    assert reply["status"] == "abort"
    assert _text(await run(bash.client, "echo after")) == "after\n"


async def test_introspection(bash: KernelManager) -> None:
    client = bash.client
    reply = await client.complete("ech", 3)
    assert "echo" in reply["matches"] and (reply["cursor_start"], reply["cursor_end"]) == (0, 3)
    assert (await client.inspect("echo", 4))["status"] == "ok"
    assert (await client.is_complete("for i in 1"))["status"] == "unknown"
    assert (await client.history(n=3)) == {"status": "ok", "history": []}
    assert (await client.comm_info())["comms"] == {}
