"""SVG snapshots of widget outputs on a real ipykernel, kept as ``screenshots/widget_*.svg``.

Update them with ``pytest tests/widget_views/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_textual_snapshot import SVGImageExtension
from textual._doc import take_svg_screenshot
from textual.pilot import Pilot

from tests.editor.screen_text import until_settled
from tests.notebook_run.conftest import RunDriver, editor_app, make_notebook
from tui.notebook import run_view

pytestmark = pytest.mark.kernel

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


class ScreenshotsExtension(SVGImageExtension):
    """Keeps each snapshot as ``screenshots/<test name without test_>.svg``."""

    def is_snapshot_location(self, *, location: str) -> bool:
        return Path(location).suffix == ".svg" and Path(location).stem.startswith("widget_")

    @classmethod
    def dirname(cls, *, test_location) -> str:  # type: ignore[no-untyped-def]
        return str(SCREENSHOTS)

    @classmethod
    def get_snapshot_name(cls, *, test_location, index=0) -> str:  # type: ignore[no-untyped-def]
        return test_location.testname.removeprefix("test_")


@pytest.fixture
def screenshot(snapshot, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """screenshot(source, shown, keys) == the baseline in screenshots/."""
    snap = snapshot.use_extension(ScreenshotsExtension)
    monkeypatch.setattr(run_view, "_seconds", lambda value: "1.0 s")

    def take(source: str, shown: str, keys: tuple[str, ...] = (), after: str = "",
             size: tuple[int, int] = (90, 24)) -> bool:
        app = editor_app(make_notebook(source), tmp_path / "notebook.ipynb")

        async def run_before(pilot: Pilot[None]) -> None:
            ed = RunDriver(app, pilot)
            await ed.ready()
            await ed.press("ctrl+e")
            await ed.idle()
            await ed.until_shown(shown)
            for key in keys:
                await ed.press(key)
            if after:
                await ed.until_shown(after)
            await pilot.pause()
            await until_settled(app, pilot)

        svg = take_svg_screenshot(app=app, terminal_size=size, run_before=run_before)
        return snap == svg

    return take


def test_widget_slider(screenshot) -> None:  # type: ignore[no-untyped-def]
    assert screenshot("import ipywidgets as w\nfrom IPython.display import display\n"
                      "display(w.IntSlider(value=3, max=10, description='speed'))\n"
                      "w.FloatRangeSlider(value=[0.25, 0.75], max=1, step=0.05, "
                      "description='band')", "band", keys=("tab", "right", "right"),
                      after="─ 5")


def test_widget_progress_bar(screenshot) -> None:  # type: ignore[no-untyped-def]
    assert screenshot("from tqdm.auto import tqdm\nimport ipywidgets as w\n"
                      "for i in tqdm(range(200), desc='train', "
                      "bar_format='{l_bar}{bar}| {n_fmt}/{total_fmt}'):\n    pass\n"
                      "w.VBox([w.FloatProgress(value=v, max=4, description=s or 'default', "
                      "bar_style=s) for v, s in ((1, ''), (2.5, 'info'), (3, 'warning'), "
                      "(4, 'danger'))])", "danger")


def test_widget_interact_form(screenshot) -> None:  # type: ignore[no-untyped-def]
    assert screenshot("from ipywidgets import interact\n"
                      "@interact(n=(1, 9), unit=['cm', 'in'], loud=False, label='size')\n"
                      "def show(n=4, unit='cm', loud=False, label='size'):\n"
                      "    text = f'{label}: {n} {unit}'\n"
                      "    print(text.upper() if loud else text)", "size: 4 cm",
                      keys=("tab", "right", "tab", "right", "tab", "enter"),
                      after="SIZE: 5 IN", size=(90, 26))
