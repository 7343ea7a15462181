"""The real ``jtui PATH`` in a pseudo-terminal: open, insert, save, quit (no mouse, 80x24)."""

from __future__ import annotations

import sys

import pytest

import nbio
from tests.editor.conftest import numbered_notebook
from tests.support.terminal import Terminal


@pytest.mark.pty
def test_open_edit_save_quit_in_a_real_terminal(write_nb, tmp_path):
    path = write_nb(numbered_notebook(3))
    with Terminal([sys.executable, "-m", "tui", str(path)], rows=24, cols=80,
                  cwd=str(tmp_path)) as term:
        term.wait_for("c0", timeout=60)
        term.wait_for("cell 1 of 3", timeout=30)
        term.send("j")
        term.wait_for("cell 2 of 3", timeout=30)
        term.send("b")
        term.wait_for("cell 3 of 4", timeout=30)
        term.send("\r")  # Enter: edit mode
        term.wait_for("EDIT", timeout=30)
        term.send("new = 1")
        term.wait_for("new = 1", timeout=30)
        term.send("\x1b")  # Esc
        term.wait_for("COMMAND", timeout=30)
        term.send("\x13")  # Ctrl+S
        term.wait_for("saved", timeout=30)
        term.send("\x11")  # Ctrl+Q
        term.wait_until(lambda t: not t.child.isalive(), timeout=30, what="exit")
    assert [c.source for c in nbio.read(path).cells] == ["c0", "c1", "new = 1", "c2"]
