"""The cell list is virtual: widgets for the viewport only, whatever the notebook's size."""

from __future__ import annotations

from tests.editor.conftest import numbered_notebook, run_editor
from tui.notebook.cell_view import CellView


def mounted_views(ed) -> int:
    return len(ed.screen.query(CellView))


async def test_widget_count_does_not_grow_with_the_notebook(write_nb):
    counts = {}
    for n in (50, 5000):
        nb = numbered_notebook(n)
        for k, cell in enumerate(nb.cells):
            cell.source = "\n".join(f"line {j} of cell {k}" for j in range(k % 4 + 1))
        async with run_editor(write_nb(nb, f"n{n}.ipynb"), size=(120, 40)) as ed:
            counts[n] = mounted_views(ed)
            await ed.press("end")
            await ed.settle()
            assert ed.cursor == n - 1 and n - 1 in ed.screen.cell_list.window
            counts[n] = max(counts[n], mounted_views(ed))
            for _ in range(5):
                await ed.press("pageup")
            await ed.settle()
            counts[n] = max(counts[n], mounted_views(ed))
            assert mounted_views(ed) < 40
    assert counts[5000] == counts[50]


async def test_paging_reaches_the_end_and_shows_each_cell_once(write_nb):
    from tests.editor.screen_text import screen_text

    async with run_editor(write_nb(numbered_notebook(200)), size=(80, 24)) as ed:
        seen: set[int] = set()
        previous = None
        for _ in range(200):
            seen.update(ed.screen.cell_list.window)
            await ed.press("pagedown")
            await ed.settle()
            state = (ed.screen.cell_list.top, ed.screen.cell_list.shift)
            if state == previous:
                break
            previous = state
        assert seen == set(range(200))
        assert "c199" in screen_text(ed.app)


async def test_tall_cells_scroll_by_rows(write_nb):
    nb = numbered_notebook(3)
    nb.cells[1].source = "\n".join(f"row {k}" for k in range(100))
    async with run_editor(write_nb(nb), size=(80, 24)) as ed:
        await ed.press("j", "pagedown")
        await ed.settle()
        cl = ed.screen.cell_list
        assert cl.top == 1 and cl.shift > 0
        await ed.press("end")
        await ed.settle()
        from tests.editor.screen_text import screen_text

        assert "c2" in screen_text(ed.app)


async def test_editing_a_long_cell_follows_the_cursor(write_nb):
    nb = numbered_notebook(2)
    nb.cells[0].source = "\n".join(f"row {k}" for k in range(60))
    async with run_editor(write_nb(nb), size=(80, 24)) as ed:
        await ed.press("enter")
        await ed.settle()
        await ed.press("pagedown", "pagedown", "pagedown")
        await ed.settle()
        from tests.editor.screen_text import screen_text

        row = ed.app.focused.cursor_location[0]
        assert row > 30
        assert f"row {row}" in screen_text(ed.app)


async def test_scrolling_the_edited_cell_away_keeps_its_text(write_nb):
    from textual import events

    async with run_editor(write_nb(numbered_notebook(80)), size=(80, 24)) as ed:
        await ed.press("enter")
        await ed.settle()
        await ed.press("end", "!")
        cl = ed.screen.cell_list
        for _ in range(5):
            await ed.pilot._post_mouse_events([events.MouseScrollDown], cl)
        await ed.settle()
        assert 0 not in cl.window
        assert ed.screen.mode == "command"
        assert ed.sources()[0] == "c0!"
        await ed.press("z")
        assert ed.sources()[0] == "c0"


async def test_a_touched_but_unchanged_file_is_not_a_change(write_nb):
    import os

    path = write_nb(numbered_notebook(2))
    async with run_editor(path) as ed:
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
        await ed.screen.check_disk()
        await ed.settle()
        assert ed.app.screen is ed.screen


async def test_shrinking_the_edited_cell_pulls_the_next_cells_into_view(write_nb):
    from tests.editor.screen_text import screen_text

    nb = numbered_notebook(30)
    nb.cells[0].source = "\n".join(f"row {k}" for k in range(18))
    async with run_editor(write_nb(nb), size=(80, 24)) as ed:
        assert "c3" not in screen_text(ed.app)
        await ed.press("enter")
        await ed.settle()
        ed.app.focused.text = "short"
        await ed.settle()
        text = screen_text(ed.app)
        assert "short" in text and "c3" in text


async def test_a_view_knows_its_height_before_the_frame(write_nb):
    """The height a view computes from its parts' renders (used to settle the window before a
    frame) is the height Textual lays it out with, for every kind of cell."""
    from tests.editor.conftest import sample_notebook

    async with run_editor(write_nb(sample_notebook()), size=(90, 60)) as ed:
        await ed.settle()
        cl = ed.screen.cell_list
        views = [v for v in ed.screen.query(CellView) if v.display and v.index >= 0]
        assert len(views) == len(ed.nb.cells)
        for view in views:
            assert view.natural_height(cl.size.width) == view.outer_size.height, view.index
        await ed.press("j")  # the cursor moves: no view changes height
        await ed.settle()
        assert all(v.natural_height(cl.size.width) == v.outer_size.height for v in views)
