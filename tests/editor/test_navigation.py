"""Command-mode movement and selection, edit/command mode switching, mouse selection."""

from __future__ import annotations

from textual import events

from tests.editor.conftest import numbered_notebook, run_editor
from tui.notebook.cell_view import CellEditor, CellView


async def test_arrows_and_jk_move_the_cursor(write_nb):
    async with run_editor(write_nb(numbered_notebook(5))) as ed:
        assert ed.cursor == 0
        await ed.press("down")
        assert ed.cursor == 1
        await ed.press("j", "j")
        assert ed.cursor == 3
        await ed.press("up")
        assert ed.cursor == 2
        await ed.press("k", "k", "k")
        assert ed.cursor == 0 and ed.selected == [0]
        await ed.press("end")
        assert ed.cursor == 4
        await ed.press("home")
        assert ed.cursor == 0
        assert ed.sources() == [f"c{k}" for k in range(5)]


async def test_shift_arrows_and_shift_jk_extend_the_selection(write_nb):
    async with run_editor(write_nb(numbered_notebook(6))) as ed:
        await ed.press("j", "shift+down")
        assert ed.selected == [1, 2] and ed.cursor == 2
        await ed.press("J")
        assert ed.selected == [1, 2, 3]
        await ed.press("K", "K", "K")
        assert ed.selected == [0, 1] and ed.cursor == 0
        await ed.press("shift+up")
        assert ed.selected == [0, 1]
        await ed.press("escape")
        assert ed.selected == [0]
        await ed.press("shift+end")
        assert ed.selected == [0, 1, 2, 3, 4, 5]
        await ed.press("escape", "end", "shift+home")
        assert ed.selected == [0, 1, 2, 3, 4, 5] and ed.cursor == 0
        await ed.press("escape", "ctrl+a")
        assert ed.selected == list(range(6))
        status = str(ed.screen.query_one("#status").render())
        assert "6 selected" in status


async def test_enter_and_escape_switch_modes(write_nb):
    async with run_editor(write_nb(numbered_notebook(3))) as ed:
        await ed.press("j", "enter")
        await ed.settle()
        assert ed.screen.mode == "edit"
        assert isinstance(ed.app.focused, CellEditor)
        assert ed.app.focused.text == "c1"
        assert "EDIT" in str(ed.screen.query_one("#status").render())
        await ed.press("escape")
        assert ed.screen.mode == "command"
        assert not isinstance(ed.app.focused, CellEditor)
        assert not ed.screen.history.can_undo  # nothing typed, nothing recorded


async def test_page_keys_scroll_and_move_the_cursor(write_nb):
    async with run_editor(write_nb(numbered_notebook(60))) as ed:
        await ed.press("pagedown")
        first = ed.cursor
        assert first > 0
        await ed.press("pagedown")
        assert ed.cursor > first
        await ed.press("pageup", "pageup")
        assert ed.cursor == 0


async def test_click_selects_and_click_again_edits(write_nb):
    async with run_editor(write_nb(numbered_notebook(4))) as ed:
        views = [v for v in ed.screen.query(CellView) if v.display and v.index == 2]
        await ed.pilot.click(views[0])
        await ed.settle()
        assert ed.cursor == 2 and ed.screen.mode == "command"
        await ed.pilot.click(views[0])
        await ed.settle()
        assert ed.screen.mode == "edit" and ed.app.focused.text == "c2"


async def test_mouse_wheel_scrolls_the_list(write_nb):
    async with run_editor(write_nb(numbered_notebook(40))) as ed:
        cl = ed.screen.cell_list
        await ed.pilot._post_mouse_events([events.MouseScrollDown], cl, times=2)
        await ed.settle()
        assert (cl.top, cl.shift) != (0, 0)
        await ed.pilot._post_mouse_events([events.MouseScrollUp], cl, times=3)
        await ed.settle()
        assert (cl.top, cl.shift) == (0, 0)
