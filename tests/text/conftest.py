"""The notebooks of the text-notebook tests: the nbformat corpus, the rich-output notebooks,
jupytext's own test notebooks and the hand-made ones of tests/data/percent."""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
PERCENT = DATA / "percent"


def _valid_v4(path: Path) -> bool:
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        return False
    return d.get("nbformat") == 4 and all(
        isinstance(c, dict) and "source" in c for c in d.get("cells", []))


NOTEBOOKS = sorted(
    p for p in [*PERCENT.glob("*.ipynb"), *(PERCENT / "jupytext").glob("*.ipynb"),
                *(DATA / "nbcorpus").glob("test4*.ipynb"),
                *(DATA / "rich" / "notebooks").rglob("*.ipynb")]
    if _valid_v4(p))
"""Real notebooks, each converted to percent text by jupytext and by nbio."""

SCRIPTS = sorted((PERCENT / "jupytext").glob("*.py"))
"""Percent scripts as people write them by hand."""

MARKDOWN = sorted((PERCENT / "jupytext").glob("*.md"))
"""Markdown notebooks as people write them by hand."""
