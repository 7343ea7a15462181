"""Drive widget outputs in the editor with a real ipykernel and real ipywidgets."""

from __future__ import annotations

from typing import Any

from tests.notebook_run.conftest import RunDriver, _ipython_dir, _isolated_env  # noqa: F401
from tui.notebook.widget_views.base import WidgetView


async def kernel_value(ed: RunDriver, expression: str, timeout: float = 20) -> str:
    """``repr`` of ``expression`` in the kernel (a silent request beside the session's)."""
    assert ed.session.manager is not None
    client = ed.session.manager.client
    msg_id = await client.execute("", silent=True, store_history=False,
                                  user_expressions={"v": expression})
    reply = await client.wait_for_execution(msg_id, timeout)
    value = reply["user_expressions"]["v"]
    assert value.get("status") == "ok", value
    return str(value["data"]["text/plain"])


async def until_kernel(ed: RunDriver, expression: str, expected: str,
                       timeout: float = 20) -> None:
    """Wait until ``expression`` in the kernel shows ``expected``."""
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        got = await kernel_value(ed, expression)
        if got == expected:
            return
        assert loop.time() < deadline, f"{expression} = {got}, not {expected}"
        await ed.pilot.pause(0.05)


def views(ed: RunDriver, kind: type[WidgetView] = WidgetView) -> list[Any]:
    """The widget views of ``kind`` on the screen."""
    return list(ed.app.screen.query(kind))
