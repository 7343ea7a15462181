"""Find and replace with the keys every terminal sends: Ctrl+F, Tab, Enter, Ctrl+R.

Legacy terminals (and tmux) send Ctrl+H as Backspace (0x08) and Alt+A as Esc then ``a`` when the
two bytes arrive apart; the find bar has fallbacks for both, and "replace all" is reachable by
keyboard everywhere."""

from __future__ import annotations

import sys

import pytest
from textual._xterm_parser import XTermParser
from textual.events import Key

import nbio
from tests.editor.conftest import numbered_notebook, run_editor
from tests.editor.screen_text import screen_text
from tests.editor.test_typeahead import burst, until
from tests.support.terminal import Terminal
from tui.notebook import keymap
from tui.notebook.help import HelpScreen

LEGACY_BYTES = {"ctrl+f": "\x06", "tab": "\t", "enter": "\r", "ctrl+r": "\x12",
                "up": "\x1b[A", "escape": "\x1b"}
"""What an xterm without the kitty keyboard protocol sends for the keys the find bar relies on."""


def decode(data: str) -> list[str]:
    """The key names Textual's own terminal parser makes of ``data``."""
    parser = XTermParser()
    return [m.key for m in [*parser.feed(data), *parser.feed("")] if isinstance(m, Key)]


def test_ctrl_h_is_backspace_in_a_legacy_terminal_and_the_fallbacks_are_distinct():
    assert decode("\x08") == ["backspace"]  # why Ctrl+H alone cannot open replace there
    assert decode("\x1b[1;2R") == []  # xterm's Shift+F3 reads as a cursor position report
    find_specs = {spec.id: spec for spec in keymap.DEFAULTS if spec.scope == "find"}
    used = {"app.find": "ctrl+f", "find.other-field": "tab", "find.submit": "enter",
            "find.replace-all": "ctrl+r", "find.previous": "up", "find.close": "escape"}
    for spec_id, key in used.items():
        spec = find_specs.get(spec_id) or next(s for s in keymap.DEFAULTS if s.id == spec_id)
        assert key in spec.keys.split(","), spec_id
        assert decode(LEGACY_BYTES[key]) == [key], key
    assert find_specs["find.replace-all"].fallback == "ctrl+r"


async def test_ctrl_f_tab_enter_ctrl_r_find_and_replace(write_nb):
    nb = numbered_notebook(4)
    nb.cells[1].source = "x = x + x"
    nb.cells[3].source = "print(x)"
    async with run_editor(write_nb(nb)) as ed:
        await ed.press("ctrl+f", "x")
        assert ed.cursor == 1
        await ed.press("ctrl+r")  # replace all before a replacement field: shows it, no change
        assert ed.app.focused.id == "replace"
        assert ed.sources()[1] == "x = x + x"
        await ed.press("tab")
        assert ed.app.focused.id == "query"
        await ed.press("tab", "y")
        assert ed.app.focused.id == "replace"
        await ed.press("enter")
        assert ed.sources()[1] == "y = x + x"
        await ed.press("ctrl+r")
        assert ed.sources() == ["c0", "y = y + y", "c2", "print(y)"]
        assert "replaced in 2 cell(s)" in screen_text(ed.app)
        await ed.press("escape", "z")
        assert ed.sources() == ["c0", "y = x + x", "c2", "print(x)"]


async def test_shift_tab_and_enter_in_the_find_field(write_nb):
    nb = numbered_notebook(6)
    nb.cells[2].source = nb.cells[4].source = "needle"
    async with run_editor(write_nb(nb)) as ed:
        await ed.press("ctrl+f", *"needle")
        assert ed.cursor == 2
        await ed.press("enter")
        assert ed.cursor == 4
        await ed.press("shift+f3")
        assert ed.cursor == 2
        await ed.press("shift+tab")
        assert ed.app.focused.id == "replace"
        await ed.press("shift+tab")
        assert ed.app.focused.id == "query"
        assert ed.sources()[2] == "needle"


async def test_help_lists_the_find_bar_keys(write_nb):
    async with run_editor(write_nb(numbered_notebook(1)), size=(140, 200)) as ed:
        await ed.press("f1")
        await ed.settle()
        assert isinstance(ed.app.screen, HelpScreen)
        text = screen_text(ed.app)
        assert "Find bar" in text
        for spec_id in ("find.submit", "find.other-field", "find.replace-all"):
            assert spec_id in text
        assert "Alt+a / Ctrl+r" in text and "Tab / Shift+Tab" in text


@pytest.mark.pty
def test_replace_all_from_legacy_bytes_in_a_real_terminal(write_nb, tmp_path):
    """The real ``jtui`` in a pty that speaks no kitty protocol: every key of a replace all
    in one write, as a paste or a slow link delivers them."""
    nb = numbered_notebook(3)
    nb.cells[1].source = "x + x"
    path = write_nb(nb)
    with Terminal([sys.executable, "-m", "tui", str(path)], rows=24, cols=80,
                  cwd=str(tmp_path)) as term:
        term.wait_for("cell 1 of 3", timeout=60)
        term.send("\x06x\ty\x12")  # Ctrl+F x Tab y Ctrl+R, in one write
        term.wait_for("replaced in 1 cell(s)", timeout=30)
        term.send("\x1b")
        term.wait_for("COMMAND", timeout=30)
        term.send("\x13")  # Ctrl+S
        term.wait_for("saved", timeout=30)
        term.send("\x11")  # Ctrl+Q
        term.wait_until(lambda t: not t.child.isalive(), timeout=30, what="exit")
    assert [c.source for c in nbio.read(path).cells] == ["c0", "y + y", "c2"]


async def test_find_tab_replace_all_in_one_burst(write_nb):
    """Tab moves the focus before the keys after it are delivered; Ctrl+R and Enter read the
    fields after the keys typed before them."""
    nb = numbered_notebook(3)
    nb.cells[0].source = nb.cells[2].source = "x"
    async with run_editor(write_nb(nb)) as ed:
        burst(ed.app, "ctrl+f", "x", "tab", "y", "enter", "z", "ctrl+r")
        await until(ed, lambda: ed.sources() == ["y", "c1", "yz"])
