"""Hostile text output: one 50 MB line must cost what is on screen, in rendering, measuring
and key latency, live or reopened from the saved file."""

from __future__ import annotations

import time

from rich.console import Console

import nbio
from nbio.model import Cell
from tests.editor.conftest import numbered_notebook, run_editor
from tests.editor.screen_text import screen_text
from tui.render.context import RenderContext
from tui.render.outputs import bounded_ansi, cut_long_lines, render_output

FIFTY_MB = 50_000_000
KEY_BUDGET = 6.0
"""Seconds a key may take to show its effect. A guard against the freeze (minutes at 100% CPU
before the fix), not a speed test: keys take 0.1-0.4 s here on an idle machine, and one took
over 2 s with two test runs and five builds sharing the two cores. Speed is in bench/."""


def test_a_long_line_is_cut_with_a_dim_mark_in_time_of_the_part_kept():
    line = "x" * FIFTY_MB
    start = time.perf_counter()
    cut = cut_long_lines(line + "\nshort\n", 4000)
    text = bounded_ansi(line, max_cells=4000)
    elapsed = time.perf_counter() - start
    assert cut.startswith("x" * 4000 + "\x1b[0;2;3m … (49,996,000 more characters)")
    assert cut.endswith("\nshort\n")
    assert text.plain == "x" * 4000 + " … (49,996,000 more characters)"
    assert str(text.spans[-1].style) == "dim italic"
    assert elapsed < 1.0


def test_progress_bars_keep_their_last_state_before_the_cut():
    bar = "\r".join(f"{k}%" for k in range(100_000)) + "\n"
    assert cut_long_lines(bar, 4000) == "99999%\n"
    assert cut_long_lines("ab\r\ncd", 10) == "ab\ncd"
    assert cut_long_lines("plain", 3, ansi=False) == "pla … (2 more characters)"


def test_every_text_output_type_is_cut():
    ctx = RenderContext(width=80, max_line_cells=100, interactive=True)
    long = "y" * 10_000
    outputs = [
        {"output_type": "stream", "name": "stdout", "text": long},
        {"output_type": "error", "ename": "E", "evalue": "v", "traceback": [long]},
        {"output_type": "execute_result", "metadata": {}, "execution_count": 1,
         "data": {"text/plain": long}},
        {"output_type": "display_data", "metadata": {}, "data": {"text/markdown": long}},
    ]
    console = Console(width=80, record=True, color_system=None)
    for output in outputs:
        with console.capture() as capture:
            console.print(render_output(output, ctx))
        shown = capture.get()
        assert "(9,900 more characters)" in shown, output["output_type"]
        assert shown.count("y") <= 100 + 2


def long_line_notebook(size: int = FIFTY_MB):
    nb = numbered_notebook(6)
    cell = nb.cells[3]
    cell.execution_count = 1
    cell.outputs = [{"output_type": "stream", "name": "stdout", "text": "x" * size + "\n"}]
    nb.cells.insert(4, Cell.new("code", "after", cell_id="after000"))
    return nb


async def _timed_press(ed, key: str) -> float:
    start = time.perf_counter()
    await ed.press(key)
    return time.perf_counter() - start


async def test_a_50_mb_line_opens_renders_and_keys_respond(write_nb):
    path = write_nb(numbered_notebook(1))
    nb = long_line_notebook()
    start = time.perf_counter()
    async with run_editor(path, nb=nb, size=(100, 32)) as ed:
        opened = time.perf_counter() - start
        assert opened < 10  # (Textual's own start-up included)
        for key, cursor in (("j", 1), ("j", 2), ("j", 3), ("j", 4)):
            assert await _timed_press(ed, key) < KEY_BUDGET
            assert ed.cursor == cursor
        text = screen_text(ed.app)  # the cell below the line's: the end of the line above it
        assert "xxxxxxxx … (49,996,000 more characters)" in text and "after" in text
        assert await _timed_press(ed, "k") < KEY_BUDGET
        assert ed.cursor == 3
        assert await _timed_press(ed, "G") < KEY_BUDGET
        assert await _timed_press(ed, "g") < KEY_BUDGET
        assert ed.cursor == 0


async def test_the_saved_notebook_reopened_and_scrolled_to_the_line_does_not_freeze(write_nb):
    path = write_nb(long_line_notebook())
    reopened = nbio.read(path)
    assert len(reopened.cells[3].outputs[0]["text"]) > FIFTY_MB
    async with run_editor(path, size=(100, 32)) as ed:
        for key in ("G", "k", "k"):
            assert await _timed_press(ed, key) < KEY_BUDGET
        assert ed.cursor == 4
        assert "more characters)" in screen_text(ed.app)
        for key in ("k", "space", "shift+space", "g"):
            assert await _timed_press(ed, key) < KEY_BUDGET
        assert ed.cursor == 0
