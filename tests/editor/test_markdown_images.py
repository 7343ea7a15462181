"""Markdown cells in the editor draw their images (an attachment, a file beside the notebook,
a data URI; inside a list item too) and display math in list items, as ``jtui view`` does."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

from nbio.model import Cell, Notebook
from tui.notebook.cell_list import CellList

from .conftest import run_editor
from .screen_text import screen_text, until_settled

DATA = Path(__file__).resolve().parents[1] / "data" / "rich" / "markdown"


async def test_markdown_images_and_list_math_drawn(tmp_path: Path) -> None:
    shutil.copy(DATA / "dot.png", tmp_path / "dot.png")
    path = tmp_path / "md.ipynb"
    shutil.copy(DATA / "attachments.ipynb", path)
    png = base64.b64encode((DATA / "dot.png").read_bytes()).decode()
    async with run_editor(path, size=(80, 50)) as ed:
        cells = ed.screen.query_one(CellList)
        assert cells.base_dir == tmp_path.resolve()
        nb: Notebook = ed.nb
        nb.cells.append(Cell({"cell_type": "markdown", "id": "m2", "metadata": {},
                              "source": "- listed: ![dot](dot.png)\n- math:\n\n"
                                        "  $$\\frac{1}{2}$$\n\n- ![gone](nope.png)\n"
                                        f"- ![inline](data:image/png;base64,{png})"}))
        cells.sync()
        await until_settled(ed.app, ed.pilot)
        text = screen_text(ed.app)
    assert "loading image" not in text
    # the attachment, the local file and the data URI of the first cell: pictures, no labels
    assert "[image: image.png]" not in text and "[image: data]" not in text
    assert "[image: logo](https://jupyter.org/assets/logo.png)" in text  # never fetched
    rows = [line for line in text.splitlines() if "▀▀" in line]  # the 8x4 dot: 2 cells
    assert len(rows) >= 5, text  # 3 pictures in the first cell, 2 in the list
    assert "listed: [image: dot]" in text
    assert "[image: gone: cannot read: No such file or directory]" in text
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if "math:" in line)
    assert [line.strip()[-1:] for line in lines[at + 1:at + 4]] == ["1", "─", "2"]
    assert "$$" not in text
