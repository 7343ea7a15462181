"""Our client against xeus-python 0.19 (a C++ kernel on xeus-zmq).

Observed behaviour worth knowing (asserted below): streams come in tiny chunks ("hi" then "\\n");
``ename`` is the class repr (``"<class 'ZeroDivisionError'>"``); input() and getpass work over
stdin; **SIGINT kills the kernel** (xeus #272), so an interrupt is reported as KernelDied and a
restart brings it back; it ignores ``JPY_PARENT_PID`` (the orphan test in test_lifecycle covers
it: our PDEATHSIG still takes it down).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from protocol.events import (
    DisplayData,
    ErrorOutput,
    ExecuteResult,
    InputRequest,
    KernelDied,
    Stream,
)
from protocol.manager import KernelManager
from tests.protocol.conftest import first_output, next_event, run

pytestmark = [pytest.mark.kernel, pytest.mark.asyncio(loop_scope="module")]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def xpython() -> AsyncIterator[KernelManager]:
    km = await KernelManager.start("xpython", ready_timeout=30)
    try:
        yield km
    finally:
        await km.shutdown()


async def test_streams_in_chunks_and_result(xpython: KernelManager) -> None:
    assert xpython.kernel_info["implementation"] == "xeus-python"
    events = await run(xpython.client, "print('hi')\n1+1")
    chunks = [e.text for e in events if isinstance(e, Stream)]
    assert "".join(chunks) == "hi\n"
    (result,) = [e for e in events if isinstance(e, ExecuteResult)]
    assert result.data["text/plain"] == "2"


async def test_error_and_display(xpython: KernelManager) -> None:
    events = await run(xpython.client, "1/0")
    (error,) = [e for e in events if isinstance(e, ErrorOutput)]
    assert error.ename == "<class 'ZeroDivisionError'>" and error.evalue == "division by zero"
    assert any("ZeroDivisionError" in line for line in error.traceback)
    events = await run(
        xpython.client,
        "from IPython.display import display, HTML\ndisplay(HTML('<i>x</i>'))",
    )
    (display,) = [e for e in events if isinstance(e, DisplayData)]
    assert display.data["text/html"] == "<i>x</i>"


async def test_input_and_getpass(xpython: KernelManager) -> None:
    client = xpython.client
    stream = client.events()
    try:
        code = "import getpass\na = input('a? ')\nb = getpass.getpass('b? ')"
        msg_id = await client.execute(code)
        req = await next_event(stream, InputRequest)
        assert isinstance(req, InputRequest) and (req.prompt, req.password) == ("a? ", False)
        await client.input_reply("one")
        req = await next_event(stream, InputRequest)
        assert isinstance(req, InputRequest) and (req.prompt, req.password) == ("b? ", True)
        await client.input_reply("two")
        assert (await client.wait_for_execution(msg_id, timeout=10))["status"] == "ok"
    finally:
        stream.close()
    events = await run(client, "a + b")
    (result,) = [e for e in events if isinstance(e, ExecuteResult)]
    assert result.data["text/plain"] == "'onetwo'"


async def test_introspection(xpython: KernelManager) -> None:
    client = xpython.client
    await run(client, "zebra_value = 1")
    reply = await client.complete("zebra_v", 7)
    assert reply["matches"] == ["zebra_value"]
    assert (await client.inspect("len", 3))["found"] is True
    assert (await client.is_complete("for i in range(3):"))["status"] == "incomplete"
    history = (await client.history(hist_access_type="tail", n=50))["history"]
    assert any("zebra_value = 1" in entry[2] for entry in history)
    assert (await client.comm_info())["comms"] == {}


async def test_interrupt_kills_xeus_and_restart_recovers(xpython: KernelManager) -> None:
    client = xpython.client
    stream = client.events()
    try:
        msg_id = await client.execute("import time\nprint('zz', flush=True)\ntime.sleep(30)")
        await first_output(stream, msg_id)
        interrupted = time.monotonic()
        await xpython.interrupt()
        died = await next_event(stream, KernelDied, timeout=3)
        assert time.monotonic() - interrupted < 3
        assert isinstance(died, KernelDied) and "exited" in died.reason
        from protocol.errors import KernelDeadError

        with pytest.raises(KernelDeadError):
            await client.wait_for_execution(msg_id, timeout=1)
    finally:
        stream.close()
    await xpython.restart()
    events = await run(client, "40 + 2")
    (result,) = [e for e in events if isinstance(e, ExecuteResult)]
    assert result.data["text/plain"] == "42" and result.execution_count == 1
