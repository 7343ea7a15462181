"""`jtui view` of the showcase notebook (a plot, a DataFrame, math, JSON) as an SVG snapshot.

The snapshot in ``screenshots/view_showcase.svg`` is what the README shows; the test renders the
notebook with ``--graphics halfblock --color`` (24-bit, the same on any terminal) and compares
the SVG Rich exports from that output with syrupy, as the editor's snapshots are compared
(``--snapshot-update`` rewrites it after a wanted change: look at it before committing). Every
SVG in ``screenshots/`` belongs to one syrupy extension, or syrupy reports it unused.
"""

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
SHOWCASE = ROOT / "tests" / "data" / "rich" / "notebooks" / "showcase.ipynb"
SNAPSHOT = ROOT / "screenshots" / "view_showcase.svg"
WIDTH = 100


def showcase_svg() -> str:
    """The SVG of ``jtui view showcase.ipynb --width 100 --graphics halfblock --color``."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS")}
    env["JUPYTER_CONFIG_DIR"] = str(ROOT / "tests" / "view" / "no-such-config")
    ansi = subprocess.run(
        [sys.executable, "-m", "tui", "view", str(SHOWCASE), "--width", str(WIDTH),
         "--graphics", "halfblock", "--color", "--no-pager"],
        capture_output=True, text=True, env=env, check=True, timeout=120).stdout
    console = Console(record=True, width=WIDTH, file=io.StringIO(), color_system="truecolor",
                      force_terminal=True, legacy_windows=False)
    console.print(Text.from_ansi(ansi.rstrip("\n")), soft_wrap=True)
    return console.export_svg(title="jtui view showcase.ipynb", unique_id="jtui-view")


class ViewExtension(SVGImageExtension):
    """Keeps the snapshot as ``screenshots/view_showcase.svg``."""

    def is_snapshot_location(self, *, location: str) -> bool:
        return Path(location).stem == SNAPSHOT.stem

    @classmethod
    def dirname(cls, *, test_location) -> str:  # type: ignore[no-untyped-def]
        return str(SNAPSHOT.parent)

    @classmethod
    def get_snapshot_name(cls, *, test_location, index=0) -> str:  # type: ignore[no-untyped-def]
        return SNAPSHOT.stem


@pytest.fixture
def view_snapshot(snapshot):  # type: ignore[no-untyped-def]
    return snapshot.use_extension(ViewExtension)


def test_view_showcase(view_snapshot) -> None:  # type: ignore[no-untyped-def]
    assert showcase_svg() == view_snapshot
