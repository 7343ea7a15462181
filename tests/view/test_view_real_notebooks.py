"""`jtui view` on real notebooks (nbconvert's test notebooks, BSD 3-Clause, and the showcase):
no placeholder for any type the issue lists; only what a terminal cannot run is one."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "rich" / "notebooks"
HOSTILE = "notebook_inject.ipynb"
"""nbconvert's injection notebook: empty, truncated and not-image payloads on purpose."""
NOTEBOOKS = sorted([*(DATA / "nbconvert").glob("*.ipynb"), DATA / "showcase.ipynb"])
PLACEHOLDER = re.compile(r"\[((?:image|text|application)/[\w.+-]+), [\d.]+ (?:B|KiB|MiB)")
NOT_DRAWABLE = {"application/javascript", "application/vnd.jupyter.widget-view+json"}
"""JavaScript cannot run in a terminal; widget views are drawn by the widgets work."""


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_every_listed_type_is_drawn(notebook: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS")}
    env["JUPYTER_CONFIG_DIR"] = str(Path(__file__).parent / "no-such-config")
    out = subprocess.run([sys.executable, "-m", "tui", "view", str(notebook), "--width",
                          "300", "--graphics", "halfblock", "--color", "--no-pager"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out.stdout)
    shown = {m.group(1) for m in PLACEHOLDER.finditer(plain)}
    if notebook.name == HOSTILE:  # each bad payload is a placeholder saying why
        stand_ins = re.findall(r"\[(?:image|text)/[\w.+-]+, [\d.]+ (?:B|KiB)[^\]]*\]", plain)
        assert stand_ins and all(": " in s for s in stand_ins), stand_ins
        return
    if "application/pdf" in shown:  # a PDF is a placeholder by design: with its page count
        assert re.search(r"\d+ pages?", plain), "the PDF placeholder gives no page count"
        shown.discard("application/pdf")
    assert shown <= NOT_DRAWABLE, f"placeholders for {sorted(shown - NOT_DRAWABLE)}"
    assert "<Figure size" not in plain
