"""Widget outputs in the editor, live on a real ipykernel with ipywidgets 8 and tqdm."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.notebook_run.conftest import make_notebook, run_editor
from tui.notebook.widget_views.choices import ButtonView
from tui.notebook.widget_views.sliders import ProgressView, SliderView

from .conftest import kernel_value, until_kernel, views

pytestmark = pytest.mark.kernel


async def test_slider_moves_both_ways(tmp_path: Path) -> None:
    nb = make_notebook("import ipywidgets as w\ns = w.IntSlider(value=5, max=10, "
                       "description='speed')\ns")
    async with run_editor(nb, tmp_path / "nb.ipynb") as ed:
        await ed.press("ctrl+e")
        await ed.idle()
        await ed.until(lambda: bool(views(ed, SliderView)))
        await ed.until_shown("speed")
        await ed.press("tab")
        slider = views(ed, SliderView)[0]
        assert ed.app.focused is slider
        await ed.press("right", "right")
        await ed.until_shown(" 7")
        await until_kernel(ed, "s.value", "7")
        await ed.press("end")
        await until_kernel(ed, "s.value", "10")
        # the kernel moves it
        await kernel_value(ed, "setattr(s, 'value', 3)")
        await ed.until(lambda: slider.model.get("value") == 3)
        await ed.until_shown("speed ━")
        assert " 3" in ed.text()
