"""Widgets of a notebook's saved state (``metadata.widgets``) drawn when it is opened, replaced
by live ones when the cell runs; and bad widget trees survived."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets
import pytest

from nbio.model import Notebook
from tests.notebook_run.conftest import make_notebook, run_editor
from tui.notebook.widget_views.display import PlaceholderView
from tui.notebook.widget_views.sliders import ProgressView, SliderView
from tui.widgets.state import STATE_MIME

from .conftest import until_kernel, views

pytestmark = pytest.mark.kernel


def widget_output(model_id: str, text: str) -> dict[str, Any]:
    """The display_data of a widget, as ipywidgets makes it."""
    return {"output_type": "display_data", "metadata": {},
            "data": {"text/plain": text,
                     "application/vnd.jupyter.widget-view+json": {
                         "model_id": model_id, "version_major": 2, "version_minor": 0}}}


def saved_notebook(source: str) -> Notebook:
    """A notebook whose one cell shows a slider at 7 and a progress bar, with the state
    ipywidgets' own ``get_manager_state`` writes (as JupyterLab and nbclient save it)."""
    ipywidgets.Widget.close_all()
    slider = ipywidgets.IntSlider(value=7, max=10, description="saved")
    bar = ipywidgets.IntProgress(value=3, max=4, bar_style="warning", description="done")
    box = ipywidgets.VBox([slider, bar])
    state = ipywidgets.Widget.get_manager_state(drop_defaults=False, widgets=None)
    nb = make_notebook(source)
    nb.metadata["widgets"] = {STATE_MIME: state}
    nb.cells[0].outputs = [widget_output(box.model_id, "VBox(children=(IntSlider...)")]
    nb.cells[0].execution_count = 1
    ipywidgets.Widget.close_all()
    return nb


async def test_saved_widgets_drawn_then_replaced_by_live_ones(tmp_path: Path) -> None:
    nb = saved_notebook("import ipywidgets as w\ns = w.IntSlider(value=2, max=10, "
                        "description='live')\ns")
    async with run_editor(nb, tmp_path / "nb.ipynb") as ed:
        await ed.until_shown("saved        ━")
        slider = views(ed, SliderView)[0]
        assert slider.model.comm is None and slider.model.get("value") == 7
        assert " 7" in ed.text()
        bar = views(ed, ProgressView)[0]
        assert bar.model.get("bar_style") == "warning"
        assert "done         █" in ed.text()
        # a static slider moves locally (nothing is sent)
        await ed.press("tab", "right")
        await ed.until(lambda: slider.model.get("value") == 8)
        await ed.press("escape", "ctrl+e")
        await ed.idle()
        await ed.until_shown("live         ━")
        assert "saved        ━" not in ed.text()
        live = views(ed, SliderView)[0]
        assert live.model.comm is not None
        await ed.press("tab", "right")
        await until_kernel(ed, "s.value", "3")


async def test_bad_trees_are_placeholders(tmp_path: Path) -> None:
    nb = make_notebook(
        "import ipywidgets as w, traitlets\nfrom IPython.display import display\n"
        # the reprs of these trees are RecursionErrors in the kernel: displayed raw
        "def show(x):\n    display({'text/plain': 'a bad tree', "
        "'application/vnd.jupyter.widget-view+json': "
        "{'model_id': x.model_id, 'version_major': 2, 'version_minor': 0}}, raw=True)\n"
        "deep = w.Label('bottom')\nfor _ in range(1000):\n    deep = w.VBox([deep])\n"
        "show(deep)\nloop = w.HBox(); loop.children = [w.VBox([loop])]\nshow(loop)\n"
        "class Odd(w.DOMWidget):\n    _model_name = traitlets.Unicode('OddModel').tag(sync=True)\n"
        "    _model_module = traitlets.Unicode('odd-module').tag(sync=True)\n"
        "    _view_name = traitlets.Unicode('OddView').tag(sync=True)\n"
        "display(Odd())\nprint('survived')")
    async with run_editor(nb, tmp_path / "nb.ipynb", size=(100, 60)) as ed:
        await ed.press("ctrl+e")
        await ed.idle(60)
        await ed.until_shown("survived")
        await ed.until(lambda: len(views(ed, PlaceholderView)) >= 3, timeout=30)
        for needle in ("nested deeper than", "contains itself",
                       "[widget OddModel (odd-module): not drawn in the terminal]",
                       "Odd("):  # its text/plain
            await ed.until_shown(needle)
