"""``[editor] save_widget_state``: the editor saves the kernel's widgets as ipywidgets'
``Widget.get_manager_state()`` gives them (real ipykernel and ipywidgets 8, under Pilot), in
the bytes nbformat would write; nothing without widgets; a state saved earlier is kept when the
kernel has no widgets."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from tests.notebook_run.conftest import make_notebook, run_editor

pytestmark = pytest.mark.kernel

STATE = "application/vnd.jupyter.widget-state+json"

CELLS = (
    "import ipywidgets as w, base64\n"
    "s = w.IntSlider(value=4, description='Four')\n"
    "img = w.Image(value=base64.b64decode('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklE"
    "QVR4nGP4z8DA8J+BkYHh////DAAe9gT9Ce00PgAAAABJRU5ErkJggg=='), format='png')\n"
    "w.VBox([s, img])",
    "s.value = 6",
    "import json; print(json.dumps(w.Widget.get_manager_state()))",
)


async def _run_all_and_save(nb: nbformat.NotebookNode, path: Path, *, setting: bool) -> None:
    async with run_editor(nb, path) as ed:
        ed.screen.save_widget_state = setting
        await ed.press("ctrl+a", "ctrl+e")
        await ed.idle()
        await ed.press("ctrl+s")
        await ed.until_shown(f"saved {path.name}")


async def test_the_saved_state_is_the_kernels_manager_state(tmp_path: Path) -> None:
    path = tmp_path / "w.ipynb"
    await _run_all_and_save(make_notebook(*CELLS), path, setting=True)
    text = path.read_text(encoding="utf-8")
    saved = nbformat.reads(text, as_version=4)
    assert text == nbformat.writes(saved) + "\n"  # nbformat's own layout, byte for byte
    nbformat.validate(saved)
    state = saved.metadata["widgets"][STATE]
    assert (state["version_major"], state["version_minor"]) == (2, 0)
    kernels = json.loads(saved.cells[2].outputs[0]["text"])
    assert state == kernels  # ipywidgets: version_major, version_minor, state
    slider = next(m for m in state["state"].values() if m["model_name"] == "IntSliderModel")
    assert slider["state"]["value"] == 6
    image = next(m for m in state["state"].values() if m["model_name"] == "ImageModel")
    assert image["buffers"] == [{"encoding": "base64", "path": ["value"], "data": (
        "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DA8J+BkYHh////DAAe9gT9"
        "Ce00PgAAAABJRU5ErkJggg==")}]
    assert "value" not in image["state"]


async def test_the_setting_off_writes_no_widget_state(tmp_path: Path) -> None:
    path = tmp_path / "off.ipynb"
    await _run_all_and_save(make_notebook(*CELLS), path, setting=False)
    assert "widgets" not in json.loads(path.read_text(encoding="utf-8"))["metadata"]


async def test_no_widgets_no_key_and_an_earlier_state_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "none.ipynb"
    await _run_all_and_save(make_notebook("1 + 1"), path, setting=True)
    assert "widgets" not in json.loads(path.read_text(encoding="utf-8"))["metadata"]
    earlier = {STATE: {"version_major": 2, "version_minor": 0, "state": {"abc": {
        "model_name": "IntSliderModel", "model_module": "@jupyter-widgets/controls",
        "model_module_version": "2.0.0", "state": {"value": 3}}}}}
    nb = make_notebook("1 + 1")
    nb.metadata["widgets"] = earlier
    await _run_all_and_save(nb, path, setting=True)
    assert json.loads(path.read_text(encoding="utf-8"))["metadata"]["widgets"] == earlier
