"""Saved widget state: ours against ipywidgets' own ``Widget.get_manager_state()`` on a real
ipykernel, and read back into static models."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from nbio.model import Notebook
from tui.session import KernelSession
from tui.widgets.state import restore_models, store_widget_state, widget_state

from ..session.conftest import run, started, text

pytestmark = [pytest.mark.kernel, pytest.mark.asyncio(loop_scope="module")]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def session() -> AsyncIterator[KernelSession]:
    s = await started("python3")
    yield s
    await s.shutdown()


def sorted_buffers(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry with its buffers in path order (their order in the list carries no meaning)."""
    if "buffers" in entry:
        entry = {**entry, "buffers": sorted(entry["buffers"], key=lambda b: json.dumps(b))}
    return entry


async def test_saved_state_is_what_ipywidgets_writes(session: KernelSession) -> None:
    code = (
        "import ipywidgets as w, json\n"
        "s = w.IntSlider(value=7, description='n')\n"
        "f = w.FloatProgress(value=0.5, max=2.0, bar_style='success')\n"
        "img = w.Image(value=b'\\x89PNG\\r\\n', format='png')\n"
        "box = w.HBox([s, f, img])\n"
        "s.value = 9\n"
    )
    await run(session, code)
    [cell] = await run(session, "print(json.dumps(w.Widget.get_manager_state()))")
    theirs = json.loads(text(cell))
    ours = widget_state(session.comms.widgets.models.values())
    assert ours["version_major"] == theirs["version_major"] == 2
    assert ours["version_minor"] == theirs["version_minor"] == 0
    assert set(ours["state"]) == set(theirs["state"])  # every model, layouts and styles too
    for model_id, entry in theirs["state"].items():
        assert sorted_buffers(ours["state"][model_id]) == sorted_buffers(entry), model_id
    img_id = next(k for k, v in ours["state"].items() if v["model_name"] == "ImageModel")
    assert ours["state"][img_id]["buffers"] == [
        {"encoding": "base64", "path": ["value"], "data": "iVBORw0K"}]
    json.dumps(ours)  # plain JSON

    # into a notebook's metadata, and back as static models with the same values
    nb = Notebook.new("python3")
    nb.metadata["widgets"] = {"other": 1}
    store_widget_state(nb.metadata, session.comms.widgets.models.values())
    assert nb.metadata["widgets"]["other"] == 1
    models, problems = restore_models(json.loads(json.dumps(nb.metadata)))
    assert problems == []
    assert models[img_id].get("value") == b"\x89PNG\r\n" and models[img_id].comm is None
    slider = next(m for m in models.values() if m.model_name == "IntSliderModel")
    assert slider.get("value") == 9
