"""Widget outputs in the editor, live on a real ipykernel with ipywidgets 8 and tqdm."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from tests.notebook_run.conftest import make_notebook, run_editor
from tui.notebook.widget_views.choices import ButtonView
from tui.notebook.widget_views.display import LabelView, PlaceholderView
from tui.notebook.widget_views.outputs import MAX_WIDGET_OUTPUTS, StaticOutputs
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
        await ed.until_shown("speed")
        assert " 3" in ed.text()


async def test_interact_reruns_and_its_output_redraws(tmp_path: Path) -> None:
    nb = make_notebook("from ipywidgets import interact\ncalls = []\n"
                       "@interact(x=(0, 10))\ndef f(x=4):\n    calls.append(x)\n"
                       "    print(f'square is {x * x}')")
    async with run_editor(nb, tmp_path / "nb.ipynb") as ed:
        await ed.press("ctrl+e")
        await ed.idle()
        await ed.until_shown("square is 16")
        await ed.press("tab", "right")
        await ed.until_shown("square is 25")
        await until_kernel(ed, "calls[-1]", "5")
        assert "square is 16" not in ed.text()  # the Output was cleared, then redrawn


async def test_button_on_click_runs_in_the_kernel(tmp_path: Path) -> None:
    nb = make_notebook("import ipywidgets as w\nclicks = []\nb = w.Button(description='Push me')\n"
                       "b.on_click(lambda button: clicks.append(1))\nb")
    async with run_editor(nb, tmp_path / "nb.ipynb") as ed:
        await ed.press("ctrl+e")
        await ed.idle()
        await ed.until_shown("Push me")
        await ed.press("tab", "enter")
        await until_kernel(ed, "len(clicks)", "1")
        button = views(ed, ButtonView)[0]
        await ed.pilot.click(ButtonView)
        await until_kernel(ed, "len(clicks)", "2")
        assert button.model.model_name == "ButtonModel"


async def test_tqdm_auto_ends_at_100_percent(tmp_path: Path) -> None:
    nb = make_notebook("from tqdm.auto import tqdm\nfor i in tqdm(range(200), desc='steps'):\n"
                       "    pass")
    async with run_editor(nb, tmp_path / "nb.ipynb") as ed:
        await ed.press("ctrl+e")
        await ed.idle()
        await ed.until_shown("200/200")
        text = ed.text().replace("\u2007", " ")  # tqdm pads with figure spaces
        assert "steps: 100%" in text, text
        bar = views(ed, ProgressView)[0]
        assert bar.model.get("value") == 200 and bar.model.get("max") == 200
        assert bar.model.get("bar_style") == "success"


async def test_output_widget_captures_a_print_and_a_plot(tmp_path: Path) -> None:
    nb = make_notebook("import ipywidgets as w\nout = w.Output()\ndisplay(out)\nwith out:\n"
                       "    print('captured text')\n"
                       "    import matplotlib\n    matplotlib.use('module://matplotlib_inline"
                       ".backend_inline')\n    import matplotlib.pyplot as plt\n"
                       "    plt.plot([1, 2, 3])\n    plt.show()\nprint('after')")
    async with run_editor(nb, tmp_path / "nb.ipynb", size=(100, 50)) as ed:
        await ed.press("ctrl+e")
        await ed.idle()
        await ed.until_shown("captured text")
        outputs = ed.cells[0].outputs
        assert [o["output_type"] for o in outputs] == ["display_data", "stream"]
        assert "captured text" not in str(outputs)
        await until_kernel(ed, "[o['output_type'] for o in out.outputs]",
                           "['stream', 'display_data']")
        assert "image/png" in await kernel_value(ed, "list(out.outputs[1]['data'])")
        # the plot is drawn in the widget (half blocks: the editor's default graphics)
        await ed.until(lambda: "▀" in ed.text() or "▄" in ed.text())
        assert "loading image" not in ed.text()


async def test_mouse_drags_a_slider_and_tab_walks_the_widgets(tmp_path: Path) -> None:
    nb = make_notebook("import ipywidgets as w\na = w.IntSlider(value=0, max=100, "
                       "description='drag')\nc = w.Checkbox(description='tick')\n"
                       "t = w.Text(description='name')\nw.VBox([a, c, t])")
    async with run_editor(nb, tmp_path / "nb.ipynb") as ed:
        await ed.press("ctrl+e")
        await ed.idle()
        await ed.until_shown("tick")
        slider = views(ed, SliderView)[0]
        start, track = slider._track
        # press on the track's start, drag to its end
        await ed.pilot.mouse_down(slider, offset=(start, 0))
        await ed.pilot.hover(slider, offset=(start + track // 2, 0))
        await ed.pilot.hover(slider, offset=(start + track - 1, 0))
        await ed.pilot.mouse_up(slider, offset=(start + track - 1, 0))
        await until_kernel(ed, "a.value", "100")
        # Tab: slider -> checkbox -> text field -> back to the slider
        slider.focus()
        await ed.press("tab", "space")
        await until_kernel(ed, "c.value", "True")
        await ed.press("tab", *"Ada")
        await until_kernel(ed, "t.value", "'Ada'")
        await ed.press("tab")
        assert ed.app.focused is slider
        await ed.press("escape")
        assert ed.app.focused is ed.screen.cell_list


async def test_a_stream_beside_a_widget_keeps_the_widget_and_its_focus(tmp_path: Path) -> None:
    nb = make_notebook("import ipywidgets as w, time\ns = w.IntSlider(description='keep')\n"
                       "display(s)\nfor i in range(6):\n    print(f'tick {i}', flush=True)\n"
                       "    time.sleep(0.2)")
    async with run_editor(nb, tmp_path / "nb.ipynb") as ed:
        await ed.press("ctrl+e")
        await ed.until_shown("tick 0")
        await ed.press("tab")
        slider = views(ed, SliderView)[0]
        assert ed.app.focused is slider
        await ed.idle()
        await ed.until_shown("tick 5")
        assert views(ed, SliderView) == [slider] and ed.app.focused is slider
        await ed.press("right")
        await until_kernel(ed, "s.value", "1")


async def test_edit_mode_shows_the_widgets_and_a_restart_drops_them(tmp_path: Path) -> None:
    nb = make_notebook("import ipywidgets as w\nw.IntSlider(value=4, description='edited')")
    async with run_editor(nb, tmp_path / "nb.ipynb") as ed:
        await ed.press("ctrl+e")
        await ed.idle()
        await ed.until(lambda: bool(views(ed, SliderView)))
        await ed.press("enter")
        await ed.until(lambda: ed.screen.mode == "edit")
        editor_view = ed.screen.cell_list.editor_view
        assert editor_view is not None
        await ed.until(lambda: any(editor_view in v.ancestors for v in views(ed, SliderView)))
        await ed.press("escape")
        await ed.until(lambda: ed.screen.mode == "command")
        await ed.press("0", "0")  # restart: the models are gone, the text/plain is shown
        await ed.until(lambda: not views(ed, SliderView), timeout=60)
        await ed.until_shown("IntSlider(value=4")


async def test_kernel_side_disabled_display_and_big_trees(tmp_path: Path) -> None:
    nb = make_notebook("import ipywidgets as w\ns = w.IntSlider(value=1, description='knob')\n"
                       "many = w.HBox([w.Label(f'L{i}') for i in range(500)])\n"
                       "display(s, many)\nfor i in range(150):\n    display(w.Label(f'out{i}'))")
    async with run_editor(nb, tmp_path / "nb.ipynb", size=(100, 40)) as ed:
        await ed.press("ctrl+e")
        await ed.idle()
        await ed.until(lambda: bool(views(ed, SliderView)))
        text = ed.text()
        assert "300 more children not shown" in text or "more children" in str(
            [v.reason for v in views(ed, PlaceholderView)])
        assert sum(1 for v in views(ed, LabelView) if v.model.get("value", "").startswith(
            "out")) == MAX_WIDGET_OUTPUTS - 2  # after the slider and the HBox
        # the ones past the limit are drawn as text by the shared widget renderer
        [rest] = list(ed.app.screen.query(StaticOutputs))
        console = Console(width=80, record=True)
        console.print(rest.render())
        drawn = console.export_text()
        assert "out149" in drawn and "Label(value=" not in drawn
        slider = views(ed, SliderView)[0]
        await kernel_value(ed, "setattr(s, 'disabled', True)")
        await ed.until(lambda: slider.disabled_state)
        slider.focus()
        await ed.press("right")
        await kernel_value(ed, "setattr(s, 'description', 'moved?')")
        await ed.until_shown("moved?")
        assert await kernel_value(ed, "s.value") == "1"  # disabled: keys change nothing
        await kernel_value(ed, "setattr(s.layout, 'display', 'none')")
        await ed.until(lambda: not slider.display)
        assert "moved?" not in ed.text()
        await kernel_value(ed, "setattr(s.layout, 'display', None)")
        await ed.until(lambda: slider.display)


async def test_a_slider_without_continuous_update_sends_on_release(tmp_path: Path) -> None:
    nb = make_notebook("import ipywidgets as w\ns = w.IntSlider(value=0, max=10, "
                       "continuous_update=False, description='late')\ns")
    async with run_editor(nb, tmp_path / "nb.ipynb") as ed:
        await ed.press("ctrl+e")
        await ed.idle()
        await ed.until(lambda: bool(views(ed, SliderView)))
        slider = views(ed, SliderView)[0]
        start, track = slider._track
        await ed.pilot.mouse_down(slider, offset=(start + track // 2, 0))
        await ed.pilot.hover(slider, offset=(start + track - 1, 0))
        assert slider.model.get("value") == 10  # drawn at once
        assert await kernel_value(ed, "s.value") == "0"  # not sent yet
        await ed.pilot.mouse_up(slider, offset=(start + track - 1, 0))
        await until_kernel(ed, "s.value", "10")
