"""Keys and clicks on the choice, container and field views, on models restored from a saved
notebook (no kernel: their changes are local, which is what is checked)."""

from __future__ import annotations

from pathlib import Path

import ipywidgets

import nbio
from tests.editor.conftest import run_editor
from tests.editor.screen_text import screen_text, until_settled
from tests.notebook_run.conftest import make_notebook
from tui.notebook.widget_views.choices import (
    DropdownView,
    ListView,
    SelectMultipleView,
    ToggleButtonsView,
)
from tui.notebook.widget_views.containers import AccordionTitle, TitleRow
from tui.notebook.widget_views.fields import NumberView
from tui.widgets.state import STATE_MIME

from .test_saved_state import widget_output


def write_saved(path: Path) -> dict[str, str]:
    """A notebook showing one VBox of choices, saved with its widget state; the ids."""
    ipywidgets.Widget.close_all()
    parts = {
        "dropdown": ipywidgets.Dropdown(options=["a", "b", "c"], value="a", description="dd"),
        "radio": ipywidgets.RadioButtons(options=["r1", "r2", "r3"], description="radio"),
        "toggles": ipywidgets.ToggleButtons(options=["one", "two"], description="tb"),
        "multi": ipywidgets.SelectMultiple(options=["m1", "m2", "m3"], description="sm"),
        "number": ipywidgets.BoundedIntText(value=5, min=0, max=7, description="num"),
        "tab": ipywidgets.Tab([ipywidgets.Label("page zero"), ipywidgets.Label("page one")],
                              titles=["zero", "one"]),
        "accordion": ipywidgets.Accordion([ipywidgets.Label("fold zero")], titles=["fold"]),
    }
    box = ipywidgets.VBox(list(parts.values()))
    nb = make_notebook("# widgets")
    nb.metadata["widgets"] = {
        STATE_MIME: ipywidgets.Widget.get_manager_state(drop_defaults=False)}
    nb.cells[0].outputs = [widget_output(box.model_id, "VBox(...)")]
    nb.cells[0].execution_count = 1
    ids = {name: w.model_id for name, w in parts.items()}
    ipywidgets.Widget.close_all()
    nbio.write(nb, path)
    return ids


async def test_keys_and_clicks_change_the_views(tmp_path: Path) -> None:
    path = tmp_path / "saved.ipynb"
    write_saved(path)
    async with run_editor(path, size=(90, 50)) as ed:
        screen = ed.app.screen
        await ed.pilot.pause()
        dropdown = screen.query_one(DropdownView)
        await ed.press("tab")
        assert ed.app.focused is dropdown
        await ed.press("right", "down")
        assert dropdown.model.get("index") == 2 and "▾ c" in dropdown.render().plain
        await ed.press("home")
        assert dropdown.model.get("index") == 0
        radio = screen.query_one(ListView)
        await ed.press("tab", "down")
        assert ed.app.focused is radio and radio.model.get("index") == 1
        toggles = screen.query_one(ToggleButtonsView)
        await ed.press("tab", "right")
        assert ed.app.focused is toggles and toggles.model.get("index") == 1
        multi = screen.query_one(SelectMultipleView)
        await ed.press("tab", "space", "down", "down", "enter")
        assert ed.app.focused is multi and multi.model.get("index") == [0, 2]
        number = screen.query_one(NumberView)
        await ed.press("tab", "up", "up", "up")  # bounded: 7 at most
        assert number.model.get("value") == 7
        await ed.press("ctrl+a", "backspace", *"x", "enter")  # not a number: put back
        assert number.field.value == "7" and number.model.get("value") == 7
        await ed.press("escape")
        # a click on the tab's second title, and on the accordion's title
        row = screen.query_one(TitleRow)
        await ed.pilot.click(TitleRow, offset=(len(" zero │") + 1, 0))
        await ed.pilot.pause()
        assert row.owner.model.get("selected_index") == 1
        await ed.pilot.pause()
        assert "page one" in "\n".join(
            "".join(s.text for s in strip) for strip in screen._compositor.render_strips())
        await ed.pilot.click(AccordionTitle)
        await ed.pilot.pause()
        title = screen.query_one(AccordionTitle)
        assert title.owner.model.get("selected_index") == 0


def png_bytes() -> bytes:
    """A 16 x 8 red and blue PNG."""
    import io

    from PIL import Image

    image = Image.new("RGB", (16, 8), (200, 30, 30))
    image.paste((30, 30, 200), (0, 4, 16, 8))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


async def test_saved_image_html_and_output_are_drawn(tmp_path: Path) -> None:
    ipywidgets.Widget.close_all()
    out = ipywidgets.Output()
    out.outputs = ({"output_type": "stream", "name": "stdout", "text": "saved print\n"},)
    box = ipywidgets.VBox([ipywidgets.HTML("<b>bold</b> words"),
                           ipywidgets.Image(value=png_bytes(), format="png", width=16), out])
    state = ipywidgets.Widget.get_manager_state(drop_defaults=False)
    image_entry = next(e for e in state["state"].values() if e["model_name"] == "ImageModel")
    assert image_entry["buffers"][0]["path"] == ["value"]  # the buffer, where the schema says
    nb = make_notebook("# saved")
    nb.metadata["widgets"] = {STATE_MIME: state}
    nb.cells[0].outputs = [widget_output(box.model_id, "VBox(...)")]
    ipywidgets.Widget.close_all()
    path = tmp_path / "saved.ipynb"
    nbio.write(nb, path)
    from tui.notebook.output_view import EditorDisplay

    async with run_editor(path, size=(90, 40),
                          output_display=EditorDisplay(graphics="halfblock")) as ed:
        await until_settled(ed.app, ed.pilot)  # the picture is decoded off the UI thread
        shown = screen_text(ed.app)
        assert "bold words" in shown and "saved print" in shown
        assert "▀" in shown  # the image, in half blocks


def hostile_state() -> dict[str, object]:
    """Saved models whose states no ipywidgets would send: wrong types everywhere."""
    def entry(name: str, **state: object) -> dict[str, object]:
        return {"model_name": name, "model_module": "@jupyter-widgets/controls",
                "model_module_version": "2.0.0",
                "state": {"_model_name": name, "_model_module": "@jupyter-widgets/controls",
                          "_view_name": "x", **state}}

    models = {
        "s": entry("IntSliderModel", value="abc", min=None, max=[1], description=3),
        "r": entry("FloatRangeSliderModel", value=[1], step=-1),
        "d": entry("DropdownModel", index="x", _options_labels="nope"),
        "m": entry("SelectMultipleModel", index=[9, "a"], _options_labels=["a"]),
        "t": entry("TabModel", children="IPY_MODEL_s", titles=5, selected_index=7),
        "i": entry("ImageModel", value="not bytes", format="tiff"),
        "n": entry("BoundedIntTextModel", value={"a": 1}, min="0"),
        "p": entry("FloatProgressModel", value=None, max=0, bar_style=4,
                   style="IPY_MODEL_nowhere"),
        "h": entry("HTMLModel", value=None, description=["x"]),
        "dp": entry("DatePickerModel", value={"year": "y"}),
        "g": entry("GridBoxModel", children=["IPY_MODEL_gone", 3, "IPY_MODEL_s"],
                   layout="IPY_MODEL_s"),
    }
    models["box"] = entry("VBoxModel", children=[f"IPY_MODEL_{k}" for k in models])
    return {"version_major": 2, "version_minor": 0, "state": models}


async def test_hostile_states_are_drawn_without_a_crash(tmp_path: Path) -> None:
    nb = make_notebook("# hostile")
    nb.metadata["widgets"] = {STATE_MIME: hostile_state()}
    nb.cells[0].outputs = [widget_output("box", "VBox(...)")]
    path = tmp_path / "hostile.ipynb"
    nbio.write(nb, path)
    async with run_editor(path, size=(90, 50)) as ed:
        await until_settled(ed.app, ed.pilot)
        for key in ("tab", "right", "tab", "down", "tab", "enter", "tab", "up", "tab"):
            await ed.press(key)
        shown = screen_text(ed.app)
        assert "hostile" in shown
        assert ed.app.is_running


async def test_tab_goes_to_the_widgets_of_the_active_cell(tmp_path: Path) -> None:
    path = tmp_path / "saved.ipynb"
    ids = write_saved(path)
    nb = nbio.read(path)
    from nbio.model import Cell

    second = Cell.new("code", "# second", cell_id="second01")
    second.outputs = [widget_output(ids["number"], "BoundedIntText(...)")]
    nb.cells.append(second)
    nbio.write(nb, path)
    async with run_editor(path, size=(90, 60)) as ed:
        await until_settled(ed.app, ed.pilot)
        await ed.press("j", "tab")
        focused = ed.app.focused
        views_of_second = [v for v in ed.screen.cell_list._pool if v.index == 1]
        assert focused is not None and any(v in focused.ancestors for v in views_of_second)
        await ed.press("escape")
        assert ed.app.focused is ed.screen.cell_list
        await ed.press("k", "tab")
        assert isinstance(ed.app.focused, DropdownView)
