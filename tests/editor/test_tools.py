"""Find and replace, the command palette, help, clipboard, $EDITOR, remapped keys, the hint."""

from __future__ import annotations

import sys
from pathlib import Path

from textual.command import CommandPalette
from textual.widgets import Input

from tests.editor.conftest import numbered_notebook, run_editor
from tests.editor.screen_text import screen_text
from tui.notebook import keymap
from tui.notebook.help import HelpScreen
from tui.notebook.hints import data_dir


async def test_ctrl_f_finds_across_cells(write_nb):
    nb = numbered_notebook(30)
    nb.cells[25].source = "needle here"
    nb.cells[3].source = "a needle"
    async with run_editor(write_nb(nb)) as ed:
        await ed.press("ctrl+f")
        assert isinstance(ed.app.focused, Input)
        await ed.press(*"needle")
        assert ed.cursor == 3
        assert "1 of 2" in screen_text(ed.app)
        await ed.press("enter")
        await ed.settle()
        assert ed.cursor == 25 and 25 in ed.screen.cell_list.window
        assert "2 of 2" in screen_text(ed.app)
        await ed.press("up")
        assert ed.cursor == 3
        await ed.press("escape")
        assert ed.screen.cell_list.find_match is None
        assert ed.sources()[3] == "a needle"


async def test_ctrl_h_replaces_one_then_all(write_nb):
    nb = numbered_notebook(4)
    nb.cells[1].source = "x = x + x"
    async with run_editor(write_nb(nb)) as ed:
        await ed.press("ctrl+h")
        await ed.press("x")
        assert ed.cursor == 1
        await ed.press("tab", "y")
        assert ed.app.focused.id == "replace"
        await ed.press("enter")
        assert ed.sources()[1] == "y = x + x"
        await ed.press("alt+a")
        assert ed.sources()[1] == "y = y + y"
        await ed.press("escape")
        await ed.press("z")
        assert ed.sources()[1] == "y = x + x"
        await ed.press("z")
        assert ed.sources()[1] == "x = x + x"


async def test_palette_runs_a_command(write_nb):
    async with run_editor(write_nb(numbered_notebook(2))) as ed:
        for key in ("ctrl+p", "ctrl+shift+c"):
            await ed.press(key)
            await ed.settle()
            assert isinstance(ed.app.screen, CommandPalette)
            await ed.press("escape")
            await ed.settle()
        await ed.press("ctrl+p")
        await ed.settle()
        await ed.press(*"Insert a cell below")
        await ed.settle()
        await ed.press("enter")
        await ed.settle()
        assert ed.sources() == ["c0", "", "c1"]


async def test_help_lists_every_binding(write_nb):
    async with run_editor(write_nb(numbered_notebook(1)), size=(120, 200)) as ed:
        await ed.press("h")
        await ed.settle()
        assert isinstance(ed.app.screen, HelpScreen)
        text = screen_text(ed.app)
        for spec in keymap.DEFAULTS:
            assert spec.id in text, spec.id
        await ed.press("escape")
        await ed.press("f1")
        await ed.settle()
        assert isinstance(ed.app.screen, HelpScreen)
        await ed.press("escape")
        await ed.settle()
        assert not isinstance(ed.app.screen, HelpScreen)


async def test_copy_sends_cell_text_and_output_to_the_clipboard(write_nb):
    nb = numbered_notebook(2)
    nb.cells[1].outputs = [{"output_type": "stream", "name": "stdout",
                            "text": "\x1b[31mred\x1b[0m\n"}]
    async with run_editor(write_nb(nb)) as ed:
        await ed.press("c")
        assert ed.app.clipboard == "c0"
        await ed.press("j", "alt+c")
        assert ed.app.clipboard == "red\n"
        assert ed.screen.clipboard.text == "red\n"


async def test_e_edits_the_cell_in_editor(write_nb, tmp_path, monkeypatch):
    script = tmp_path / "fake_editor.py"
    script.write_text("import sys\nopen(sys.argv[1], 'w').write('edited\\nsource\\n')\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    async with run_editor(write_nb(numbered_notebook(2))) as ed:
        await ed.press("j", "e")
        await ed.settle()
        assert ed.sources() == ["c0", "edited\nsource"]
        await ed.press("z")
        assert ed.sources() == ["c0", "c1"]


async def test_a_failing_editor_changes_nothing(write_nb, monkeypatch):
    monkeypatch.setenv("EDITOR", "false")
    async with run_editor(write_nb(numbered_notebook(1))) as ed:
        await ed.press("e")
        assert ed.sources() == ["c0"]
        assert "editor failed" in str(ed.screen.query_one("#status").render())


async def test_keys_remapped_in_the_config_file(write_nb, tmp_path):
    config = Path(keymap.config_path())
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[keys]\n"notebook.insert-below" = "n"\n"no.such-binding" = "q"\n')
    user_keymap, warnings = keymap.load_user_keymap()
    assert user_keymap == {"notebook.insert-below": "n"}
    assert warnings and "no.such-binding" in warnings[0]
    async with run_editor(write_nb(numbered_notebook(1)), user_keymap=user_keymap,
                          warnings=warnings) as ed:
        await ed.press("b")
        assert ed.sources() == ["c0"]
        await ed.press("n")
        assert ed.sources() == ["c0", ""]
        assert any("no.such-binding" in n.message for n in ed.app._notifications)


def test_a_broken_config_file_is_a_warning(tmp_path):
    path = tmp_path / "jupyter_tui.toml"
    path.write_text("[keys\n")
    assert keymap.load_user_keymap(path)[0] == {}
    assert "using the default keys" in keymap.load_user_keymap(path)[1][0]


async def test_fallback_key_hint_is_shown_once(write_nb, monkeypatch):
    monkeypatch.delenv("TERM_PROGRAM")
    monkeypatch.setenv("TERM", "xterm-256color")
    path = write_nb(numbered_notebook(1))
    async with run_editor(path) as ed:
        await ed.press("enter")
        await ed.settle()
        assert any("Ctrl+R" in n.message for n in ed.app._notifications)
    assert (data_dir() / "jupyter_tui" / "key-hint-shown").exists()
    async with run_editor(path) as ed:
        await ed.press("enter")
        await ed.settle()
        assert not any("Ctrl+R" in n.message for n in ed.app._notifications)
