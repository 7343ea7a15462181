"""Every command-mode cell operation, with the model checked after it and after its undo."""

from __future__ import annotations

import nbio
from tests.editor.conftest import numbered_notebook, run_editor

START = ["c0", "c1", "c2", "c3"]


async def test_a_and_b_insert_above_and_below(write_nb):
    async with run_editor(write_nb(numbered_notebook(4))) as ed:
        await ed.press("j", "a")
        assert ed.sources() == ["c0", "", "c1", "c2", "c3"] and ed.cursor == 1
        assert ed.types()[1] == "code" and ed.nb.cells[1].id
        await ed.press("b")
        assert ed.sources() == ["c0", "", "", "c1", "c2", "c3"] and ed.cursor == 2
        await ed.press("z", "z")
        assert ed.sources() == START
        await ed.press("Z")
        assert ed.sources() == ["c0", "", "c1", "c2", "c3"]


async def test_insert_in_a_pre_4_5_notebook_adds_no_id(write_nb):
    async with run_editor(write_nb(numbered_notebook(2, minor=4))) as ed:
        await ed.press("b")
        assert "id" not in ed.nb.cells[1].data
        assert nbio.validate(ed.nb) == []


async def test_d_d_deletes_and_z_restores(write_nb):
    async with run_editor(write_nb(numbered_notebook(4))) as ed:
        await ed.press("j", "d")
        assert ed.sources() == START  # one d does nothing yet
        await ed.press("d")
        assert ed.sources() == ["c0", "c2", "c3"] and ed.cursor == 1
        await ed.press("shift+down", "d", "d")
        assert ed.sources() == ["c0"]
        await ed.press("z")
        assert ed.sources() == ["c0", "c2", "c3"]
        await ed.press("z")
        assert ed.sources() == START
        await ed.press("Z", "Z")
        assert ed.sources() == ["c0"]


async def test_deleting_every_cell_leaves_one_empty_cell(write_nb):
    async with run_editor(write_nb(numbered_notebook(2))) as ed:
        await ed.press("ctrl+a", "d", "d")
        assert ed.sources() == [""] and ed.types() == ["code"]
        await ed.press("z")
        assert ed.sources() == ["c0", "c1"]


async def test_x_c_v_and_shift_v_cut_copy_paste(write_nb):
    async with run_editor(write_nb(numbered_notebook(4))) as ed:
        await ed.press("j", "x")
        assert ed.sources() == ["c0", "c2", "c3"]
        await ed.press("v")
        assert ed.sources() == ["c0", "c2", "c1", "c3"] and ed.cursor == 2
        await ed.press("V")
        assert ed.sources() == ["c0", "c2", "c1", "c1", "c3"]
        ids = [c.id for c in ed.nb.cells]
        assert len(set(ids)) == len(ids)  # pasted copies get fresh ids
        await ed.press("home", "shift+down", "c", "end", "v")
        assert ed.sources() == ["c0", "c2", "c1", "c1", "c3", "c0", "c2"]
        assert ed.selected == [5, 6]
        assert ed.screen.clipboard.text == "c0\n\nc2"
        for _ in range(4):
            await ed.press("z")
        assert ed.sources() == START


async def test_y_m_r_change_type_and_undo(write_nb):
    async with run_editor(write_nb(numbered_notebook(3))) as ed:
        await ed.press("m")
        assert ed.types() == ["markdown", "code", "code"]
        assert "outputs" not in ed.nb.cells[0].data
        await ed.press("j", "r")
        assert ed.types() == ["markdown", "raw", "code"]
        await ed.press("y")
        assert ed.types() == ["markdown", "code", "code"]
        await ed.press("z", "z", "z")
        assert ed.types() == ["code", "code", "code"]
        assert nbio.validate(ed.nb) == []


async def test_number_keys_make_headings(write_nb):
    async with run_editor(write_nb(numbered_notebook(5))) as ed:
        await ed.press("1")
        assert ed.types()[0] == "markdown" and ed.sources()[0] == "# c0"
        await ed.press("3")
        assert ed.sources()[0] == "### c0"
        for n in ("2", "4", "5", "6"):
            await ed.press("j", n)
            assert ed.sources()[ed.cursor].startswith("#" * int(n) + " ")
        await ed.press("z")
        assert ed.sources()[4] == "c4" and ed.types()[4] == "code"
        await ed.press("z")
        assert ed.sources()[3] == "c3" and ed.types()[3] == "code"


async def test_shift_m_merges_and_ctrl_variants(write_nb):
    async with run_editor(write_nb(numbered_notebook(5))) as ed:
        await ed.press("shift+down", "M")
        assert ed.sources() == ["c0\n\nc1", "c2", "c3", "c4"] and ed.cursor == 0
        await ed.press("M")  # one cell selected: merge with the one below
        assert ed.sources() == ["c0\n\nc1\n\nc2", "c3", "c4"]
        await ed.press("end", "ctrl+backspace")
        assert ed.sources() == ["c0\n\nc1\n\nc2", "c3\n\nc4"]
        await ed.press("z", "home", "ctrl+shift+m")
        assert ed.sources() == ["c0\n\nc1\n\nc2\n\nc3", "c4"]
        for _ in range(3):
            await ed.press("z")
        assert ed.sources() == ["c0", "c1", "c2", "c3", "c4"]


async def test_ctrl_shift_arrows_and_alt_fallback_move_cells(write_nb):
    async with run_editor(write_nb(numbered_notebook(4))) as ed:
        await ed.press("ctrl+shift+down")
        assert ed.sources() == ["c1", "c0", "c2", "c3"] and ed.cursor == 1
        await ed.press("alt+down")
        assert ed.sources() == ["c1", "c2", "c0", "c3"] and ed.cursor == 2
        await ed.press("shift+up", "ctrl+shift+up")
        assert ed.sources() == ["c2", "c0", "c1", "c3"] and ed.selected == [0, 1]
        await ed.press("alt+up")  # already at the top: nothing
        assert ed.sources() == ["c2", "c0", "c1", "c3"]
        await ed.press("z", "z", "z")
        assert ed.sources() == START


async def test_shift_l_toggles_line_numbers(write_nb):
    async with run_editor(write_nb(numbered_notebook(2))) as ed:
        assert not ed.screen.options.line_numbers
        await ed.press("L")
        assert ed.screen.options.line_numbers
        assert ed.screen.cell_list.options.line_numbers
        await ed.press("enter")
        await ed.settle()
        assert ed.app.focused.show_line_numbers
        await ed.press("escape", "L")
        assert not ed.screen.options.line_numbers
        assert ed.sources() == ["c0", "c1"] and not ed.screen.history.can_undo


async def test_o_toggles_outputs(write_nb):
    nb = numbered_notebook(2)
    nb.cells[0].outputs = [{"output_type": "stream", "name": "stdout", "text": "visible\n"}]
    async with run_editor(write_nb(nb)) as ed:
        from tests.editor.screen_text import screen_text

        assert "visible" in screen_text(ed.app)
        await ed.press("o")
        await ed.settle()
        assert "visible" not in screen_text(ed.app)
        assert "1 output(s) hidden" in screen_text(ed.app)
        await ed.press("o")
        await ed.settle()
        assert "visible" in screen_text(ed.app)
        assert not ed.screen.dirty  # a view setting, not an edit
