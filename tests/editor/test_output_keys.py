"""Keys on a cell's rich outputs: `t` cycles the representation shown (a DataFrame's table,
then its text/plain), `>` / `<` scroll wide tables sideways, with the index pinned."""

from __future__ import annotations

from pathlib import Path

import nbio
from nbio.model import Cell
from tests.editor.conftest import run_editor
from tests.editor.screen_text import screen_text

SHOWCASE = Path(__file__).resolve().parents[1] / "data" / "rich" / "notebooks" / "showcase.ipynb"


def dataframe_notebook(tmp_path: Path) -> Path:
    nb = nbio.read(SHOWCASE)
    frame = next(c for c in nb.cells if "pd.DataFrame" in c.source)
    nb.cells = [frame]
    path = tmp_path / "frame.ipynb"
    nbio.write(nb, path)
    return path


async def test_t_cycles_table_and_text_plain(tmp_path: Path) -> None:
    path = dataframe_notebook(tmp_path)
    async with run_editor(path, size=(100, 30)) as ed:
        assert "Lisbon │ 17.5" in screen_text(ed.app)  # the HTML table, index set off
        await ed.press("t")
        text = screen_text(ed.app)
        assert "Lisbon │" not in text and "Lisbon  17.5" in text  # pandas' text repr
        await ed.press("t")
        assert "Lisbon │ 17.5" in screen_text(ed.app)


async def test_wide_tables_scroll_sideways_with_the_index_pinned(tmp_path: Path) -> None:
    columns = "".join(f"<th>column_{k:02d}</th>" for k in range(30))
    cells = "".join(f"<td>{k}</td>" for k in range(30))
    html = (f"<table><thead><tr><th></th>{columns}</tr></thead>"
            f"<tbody><tr><th>row_a</th>{cells}</tr></tbody></table>")
    nb = nbio.read(SHOWCASE)
    cell = Cell.new("code", "wide", cell_id="wide0001")
    cell.execution_count = 1
    cell.outputs = [{"output_type": "execute_result", "execution_count": 1, "metadata": {},
                     "data": {"text/html": html, "text/plain": "wide"}}]
    nb.cells = [cell]
    path = tmp_path / "wide.ipynb"
    nbio.write(nb, path)
    async with run_editor(path, size=(100, 30)) as ed:
        text = screen_text(ed.app)
        assert "column_00" in text and "row_a" in text
        for _ in range(3):
            await ed.press("greater_than_sign")
        text = screen_text(ed.app)
        assert "column_00" not in text and "column_03" in text and "row_a" in text
        await ed.press("less_than_sign")
        assert "column_02" in screen_text(ed.app)
