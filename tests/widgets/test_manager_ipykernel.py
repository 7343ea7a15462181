"""The widget model manager on a real ipykernel with real ipywidgets 8 and tqdm."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest
import pytest_asyncio

from tui.session import KernelSession
from tui.widgets import WidgetManager, WidgetModel

from ..session.conftest import run, started, text

pytestmark = [pytest.mark.kernel, pytest.mark.asyncio(loop_scope="module")]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def session() -> AsyncIterator[KernelSession]:
    """One ipykernel session for this module (each test makes its own widgets)."""
    s = await started("python3")
    yield s
    await s.shutdown()


async def until(predicate: Callable[[], bool], what: str, timeout: float = 20) -> None:
    """Wait until ``predicate()`` holds, checked every few milliseconds while the session's
    pump applies kernel messages."""

    async def watch() -> None:
        while not predicate():
            await asyncio.sleep(0.005)

    try:
        await asyncio.wait_for(watch(), timeout)
    except TimeoutError:
        raise AssertionError(f"timed out waiting for {what}") from None


async def kernel_print(session: KernelSession, expr: str) -> str:
    [cell] = await run(session, f"print({expr})")
    return text(cell).strip()


def displayed_model(session: KernelSession, widgets: WidgetManager) -> WidgetModel:
    """The model shown by the last widget display in the session's notebook."""
    for cell in reversed(session.nb.cells):
        for out in cell.outputs:
            if out.get("output_type") in ("display_data", "execute_result"):
                model = widgets.model_for_display(out["data"])
                if model is not None:
                    return model
    raise AssertionError("no widget display")


async def test_slider_moves_both_ways_and_two_views_stay_in_sync(session: KernelSession) -> None:
    widgets = session.comms.widgets
    await run(session, "import ipywidgets as w\nslider = w.IntSlider(value=5, max=50)\nslider")
    model = displayed_model(session, widgets)
    assert model.model_name == "IntSliderModel" and model.get("value") == 5
    assert model.model_module == "@jupyter-widgets/controls" and model.version.startswith("2.")
    seen_a: list[frozenset[str]] = []
    seen_b: list[object] = []
    model.subscribe(lambda m, keys: seen_a.append(keys))
    unsubscribe_b = model.subscribe(lambda m, keys: seen_b.append(m.get("value")))

    model.update(value=17)  # a view moves the slider
    assert seen_a == [frozenset({"value"})] and seen_b == [17]  # both views, at once
    await session.comms.flush()
    assert await kernel_print(session, "slider.value") == "17"

    # the kernel moves it
    await run(session, "slider.value = 3")
    await until(lambda: model.get("value") == 3, "the kernel's change")
    assert seen_b[-1] == 3
    unsubscribe_b()
    await run(session, "slider.value = 4")
    await until(lambda: model.get("value") == 4, "the second kernel change")
    assert seen_b[-1] == 3 and model.subscribers == 1


async def test_rapid_updates_are_not_undone_by_their_echoes(session: KernelSession) -> None:
    widgets = session.comms.widgets
    await run(session, "fast = w.IntSlider(max=1000)\nfast")
    model = displayed_model(session, widgets)
    values: list[object] = []
    model.subscribe(lambda m, keys: values.append(m.get("value")))
    for v in range(1, 101):
        model.update(value=v)
    await session.comms.flush()
    assert await kernel_print(session, "fast.value") == "100"
    # every echo has arrived by now (IOPub before the print's idle); none moved the slider back
    assert model.get("value") == 100 and values == list(range(1, 101))
    assert model.echoes_ignored > 0


async def test_request_state_and_custom_messages(session: KernelSession) -> None:
    widgets = session.comms.widgets
    await run(session, "clicks = []\nbutton = w.Button(description='Go')\n"
                       "button.on_click(lambda b: clicks.append(1))\nbutton")
    model = displayed_model(session, widgets)
    assert model.model_name == "ButtonModel" and model.get("description") == "Go"
    model.send_custom({"event": "click"})  # what a press does
    await session.comms.flush()
    assert await kernel_print(session, "len(clicks)") == "1"

    model.state["description"] = "stale"
    model.request_state()
    await session.comms.flush()
    await until(lambda: model.get("description") == "Go", "the full state")

    got: list[tuple[dict[str, object], tuple[bytes, ...]]] = []
    model.on_custom(lambda m, content, buffers: got.append((content, buffers)))
    await run(session, "button.send({'hello': 1}, buffers=[b'\\x00\\xff'])")
    await until(lambda: bool(got), "the custom message")
    assert got == [({"hello": 1}, (b"\x00\xff",))]


async def test_binary_state_arrives_where_the_buffer_paths_say(session: KernelSession) -> None:
    widgets = session.comms.widgets
    await run(session, "img = w.Image(value=b'\\x89PNG-not-really', format='png')\nimg")
    model = displayed_model(session, widgets)
    assert model.get("value") == b"\x89PNG-not-really"
    model.update(value=b"\x00\x01\x02")  # and back, as a buffer
    await session.comms.flush()
    assert await kernel_print(session, "bytes(img.value)") == repr(b"\x00\x01\x02")


async def test_tqdm_auto_ends_exact(session: KernelSession) -> None:
    widgets = session.comms.widgets
    code = ("from tqdm.auto import tqdm\n"
            "for i in tqdm(range(20), desc='steps'):\n"
            "    pass\n")
    await run(session, code)
    box = displayed_model(session, widgets)
    assert box.model_name == "HBoxModel"
    children = [widgets.resolve(ref) for ref in box.get("children")]
    assert all(children)
    [bar] = [m for m in children if m is not None and m.model_name.endswith("ProgressModel")]
    assert bar.get("value") == 20 and bar.get("max") == 20
    assert bar.get("bar_style") == "success"
    texts = " ".join(str(m.get("value")) for m in children if m and m.model_name == "HTMLModel")
    assert "20/20" in texts and "steps" in texts and "100%" in texts


async def test_closed_widgets_leave_the_manager(session: KernelSession) -> None:
    widgets = session.comms.widgets
    await run(session, "gone = w.Checkbox(value=True)\ngone")
    model = displayed_model(session, widgets)
    closed: list[WidgetModel] = []
    model.on_close(closed.append)
    await run(session, "gone.close()")
    await until(lambda: bool(closed), "the close")
    assert widgets.get(model.model_id) is None and model.closed


async def test_a_restart_closes_every_model_and_new_widgets_work() -> None:
    s = await started("python3")
    try:
        widgets = s.comms.widgets
        await run(s, "import ipywidgets as w\nbefore = w.IntSlider(value=1)\nbefore")
        old = displayed_model(s, widgets)
        assert await s.restart()
        assert old.closed and widgets.models == {} and len(s.comms.registry) == 0
        await run(s, "import ipywidgets as w\nafter = w.IntSlider(value=2)\nafter")
        new = displayed_model(s, widgets)
        assert new is not old and new.get("value") == 2
        new.update(value=5)
        await s.comms.flush()
        assert await kernel_print(s, "after.value") == "5"
    finally:
        await s.shutdown()
