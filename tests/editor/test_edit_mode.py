"""Edit mode: typing, text undo, comments, split, run requests, and the model after Esc."""

from __future__ import annotations

from tests.editor.conftest import numbered_notebook, run_editor
from tui.notebook.cell_view import CellEditor
from tui.notebook.messages import RunRequested


async def edit(ed, *keys: str) -> CellEditor:
    await ed.press(*keys)
    await ed.settle()
    assert isinstance(ed.app.focused, CellEditor)
    return ed.app.focused


async def test_typing_then_escape_is_one_undo_step(write_nb):
    async with run_editor(write_nb(numbered_notebook(2))) as ed:
        editor = await edit(ed, "enter")
        await ed.press("end", "x", "y")
        assert editor.text == "c0xy"
        assert ed.sources()[0] == "c0"  # the model changes when editing ends
        assert ed.screen.dirty
        title = str(ed.screen.query_one("#title").render())
        assert "●" in title
        await ed.press("escape")
        assert ed.sources() == ["c0xy", "c1"]
        await ed.press("z")
        assert ed.sources() == ["c0", "c1"]
        assert not ed.screen.dirty
        assert "●" not in str(ed.screen.query_one("#title").render())


async def test_ctrl_z_and_ctrl_y_undo_text_inside_the_cell(write_nb):
    async with run_editor(write_nb(numbered_notebook(1))) as ed:
        editor = await edit(ed, "enter")
        await ed.press("end", "a", "b")
        assert editor.text == "c0ab"
        await ed.press("ctrl+z")
        assert editor.text == "c0"
        await ed.press("ctrl+y")
        assert editor.text == "c0ab"
        await ed.press("escape")
        assert ed.sources() == ["c0ab"]


async def test_ctrl_slash_toggles_comments(write_nb):
    nb = numbered_notebook(1)
    nb.cells[0].source = "a = 1\n  b = 2"
    async with run_editor(write_nb(nb)) as ed:
        editor = await edit(ed, "enter")
        editor.select_all()
        await ed.press("ctrl+slash")
        assert editor.text == "# a = 1\n#   b = 2"
        editor.select_all()
        await ed.press("ctrl+underscore")  # what most terminals send for Ctrl+/
        assert editor.text == "a = 1\n  b = 2"
        await ed.press("escape")
        assert ed.sources() == ["a = 1\n  b = 2"]


async def test_ctrl_shift_minus_splits_at_the_cursor(write_nb):
    nb = numbered_notebook(2)
    nb.cells[0].source = "first\nsecond"
    async with run_editor(write_nb(nb)) as ed:
        editor = await edit(ed, "enter")
        editor.move_cursor((1, 0))
        await ed.press("ctrl+shift+minus")
        await ed.settle()
        assert ed.sources() == ["first", "second", "c1"]
        assert ed.screen.mode == "command" and ed.cursor == 1
        assert ed.nb.cells[1].id and ed.nb.cells[1].id != ed.nb.cells[0].id
        await ed.press("z")
        assert ed.sources() == ["first\nsecond", "c1"]


async def test_ctrl_backslash_is_the_split_fallback(write_nb):
    nb = numbered_notebook(1)
    nb.cells[0].source = "ab"
    async with run_editor(write_nb(nb)) as ed:
        editor = await edit(ed, "enter")
        editor.move_cursor((0, 1))
        await ed.press("ctrl+backslash")
        await ed.settle()
        assert ed.sources() == ["a", "b"]


async def test_run_keys_post_run_requested_and_move_on(write_nb):
    async with run_editor(write_nb(numbered_notebook(3))) as ed:
        def runs() -> list[tuple[list[int], str]]:
            return [(m.indices, m.then) for m in ed.messages if isinstance(m, RunRequested)]

        await ed.press("ctrl+enter")
        assert runs() == [([0], "stay")] and ed.cursor == 0
        await ed.press("shift+enter")
        assert runs()[-1] == ([0], "advance") and ed.cursor == 1
        await ed.press("ctrl+r")
        assert runs()[-1] == ([1], "advance") and ed.cursor == 2
        await ed.press("ctrl+e")
        assert runs()[-1] == ([2], "stay")
        await ed.press("shift+enter")  # on the last cell: a new cell is added
        assert ed.sources() == ["c0", "c1", "c2", ""] and ed.cursor == 3
        await ed.press("home", "alt+enter")
        await ed.settle()
        assert runs()[-1] == ([0], "insert")
        assert ed.sources() == ["c0", "", "c1", "c2", ""] and ed.screen.mode == "edit"
        await ed.press("escape", "up", "enter")
        await ed.settle()
        await ed.press("end", "!", "shift+enter")  # from edit mode: commits the text first
        assert runs()[-1] == ([0], "advance")
        assert ed.sources()[0] == "c0!" and ed.screen.mode == "command" and ed.cursor == 1
