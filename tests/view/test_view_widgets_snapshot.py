"""``jtui view`` of a notebook saved by nbclient with its widget state (sliders, a tqdm bar,
fields, buttons, a dropdown, tabs, an Output widget, an unknown model) as an SVG snapshot,
``screenshots/view_widgets.svg`` (``--snapshot-update`` rewrites it: look at it first)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_textual_snapshot import SVGImageExtension
from rich.console import Console
from rich.text import Text

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "tests" / "data" / "widgets" / "widgets_nbclient.ipynb"
SNAPSHOT = ROOT / "screenshots" / "view_widgets.svg"
WIDTH = 90


def widgets_svg() -> str:
    """The SVG of ``jtui view widgets_nbclient.ipynb --width 90 --graphics halfblock --color``."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS")}
    env["JUPYTER_CONFIG_DIR"] = str(ROOT / "tests" / "view" / "no-such-config")
    ansi = subprocess.run(
        [sys.executable, "-m", "tui", "view", str(NOTEBOOK), "--width", str(WIDTH),
         "--graphics", "halfblock", "--color", "--no-pager"],
        capture_output=True, text=True, env=env, check=True, timeout=120).stdout
    console = Console(record=True, width=WIDTH, file=io.StringIO(), color_system="truecolor",
                      force_terminal=True, legacy_windows=False)
    console.print(Text.from_ansi(ansi.rstrip("\n")), soft_wrap=True)
    return console.export_svg(title="jtui view widgets_nbclient.ipynb", unique_id="jtui-widgets")


class WidgetsViewExtension(SVGImageExtension):
    """Keeps the snapshot as ``screenshots/view_widgets.svg``."""

    def is_snapshot_location(self, *, location: str) -> bool:
        return Path(location).stem == SNAPSHOT.stem

    @classmethod
    def dirname(cls, *, test_location) -> str:  # type: ignore[no-untyped-def]
        return str(SNAPSHOT.parent)

    @classmethod
    def get_snapshot_name(cls, *, test_location, index=0) -> str:  # type: ignore[no-untyped-def]
        return SNAPSHOT.stem


@pytest.fixture
def widgets_snapshot(snapshot):  # type: ignore[no-untyped-def]
    return snapshot.use_extension(WidgetsViewExtension)


def test_view_widgets(widgets_snapshot) -> None:  # type: ignore[no-untyped-def]
    assert widgets_svg() == widgets_snapshot
