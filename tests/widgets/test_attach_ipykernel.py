"""A second frontend attaching to a kernel that already has widgets (real ipykernel, ipywidgets):
the bulk ``request_states``, the per-widget fallback, and echoes between the two frontends."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable

import pytest
import pytest_asyncio

from protocol.client import KernelClient
from protocol.events import CommMessage
from tui.session import CellState, KernelSession
from tui.session.comms import SessionComms

from ..session.conftest import run, started, text

pytestmark = [pytest.mark.kernel, pytest.mark.asyncio(loop_scope="module")]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def session() -> AsyncIterator[KernelSession]:
    s = await started("python3")
    yield s
    await s.shutdown()


@contextlib.asynccontextmanager
async def second_frontend(session: KernelSession) -> AsyncIterator[SessionComms]:
    """Another client on the same kernel, with its own comms fed by its own event pump."""
    assert session.manager is not None
    client = await KernelClient.connect(session.manager.info, heartbeat=False)
    await client.wait_for_ready(30)
    comms = SessionComms()
    comms.bind(client)
    stream = client.events()

    async def pump() -> None:
        async for event in stream:
            if isinstance(event, CommMessage):
                comms.receive(event)

    task = asyncio.ensure_future(pump())
    try:
        yield comms
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await comms.aclose()
        await client.close()


async def until(predicate: Callable[[], bool], what: str, timeout: float = 20) -> None:
    async def watch() -> None:
        while not predicate():
            await asyncio.sleep(0.005)

    try:
        await asyncio.wait_for(watch(), timeout)
    except TimeoutError:
        raise AssertionError(f"timed out waiting for {what}") from None


async def test_attaching_loads_every_widget_and_echoes_keep_both_in_sync(
        session: KernelSession) -> None:
    await run(session, "import ipywidgets as w\n"
                       "shared_slider = w.IntSlider(value=11, description='s')\n"
                       "pic = w.Image(value=b'\\x01\\x02', format='png')\n")
    [cell] = await run(session, "print(shared_slider.model_id, pic.model_id)")
    slider_id, pic_id = text(cell).split()
    mine = session.comms.widgets.get(slider_id)
    assert mine is not None
    async with second_frontend(session) as other:
        count = await other.attach_widgets(timeout=20)
        assert other.widgets.states_received == 1  # the bulk answer, not the fallback
        assert count >= 2
        theirs = other.widgets.get(slider_id)
        pic = other.widgets.get(pic_id)
        assert theirs is not None and theirs.get("value") == 11
        assert theirs.model_name == "IntSliderModel" and theirs.get("description") == "s"
        assert pic is not None and pic.get("value") == b"\x01\x02"

        theirs.update(value=42)  # the other frontend moves it...
        await other.flush()
        await until(lambda: mine.get("value") == 42, "the echo in the first frontend")
        mine.update(value=43)  # ...and the first moves it back
        await session.comms.flush()
        await until(lambda: theirs.get("value") == 43, "the echo in the second frontend")
        [cell] = await run(session, "print(shared_slider.value)")
        assert text(cell).strip() == "43"


async def test_fallback_to_one_request_per_widget(session: KernelSession) -> None:
    [setup] = await run(session, "import ipywidgets as w\nlegacy = w.IntSlider(value=5)\n"
                       "from comm import get_comm_manager\n"
                       "get_comm_manager().unregister_target('jupyter.widget.control', None)")
    info = session.run_info(setup)
    assert info is not None and info.state is CellState.OK
    [cell] = await run(session, "print(legacy.model_id)")
    legacy_id = text(cell).strip()
    async with second_frontend(session) as other:
        await other.attach_widgets(timeout=20)
        assert other.widgets.states_received == 0  # refused: no control target
        model = other.widgets.get(legacy_id)
        assert model is not None
        await other.flush()
        await until(lambda: model.get("value") == 5, "the per-widget state")
        assert model.model_name == "IntSliderModel"
