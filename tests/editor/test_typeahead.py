"""Type-ahead: keys that arrive in one burst after the key opening a field go to that field.

A terminal delivers a paste, a fast typist or a slow SSH link as several keys in one read;
here they are posted to the app in one go, without waiting between them (``Pilot.press``
waits for the app to be idle after each key, which hides the race).
"""

from __future__ import annotations

import sys
import time

import pytest
from textual import events
from textual.widgets import Input

import nbio
from tests.editor.conftest import numbered_notebook, run_editor
from tests.support.terminal import Terminal
from tui.notebook.dialogs import ChoiceScreen
from tui.notebook.typeahead import TypeAhead

CHARACTERS = {"enter": "\r", "escape": "\x1b", "tab": "\t"}


def burst(app, *keys: str) -> None:  # type: ignore[no-untyped-def]
    """Post ``keys`` to the app at once, as one read from the terminal would."""
    for key in keys:
        character = CHARACTERS.get(key, key if len(key) == 1 else None)
        app.post_message(events.Key(key, character))


async def until(ed, predicate, timeout: float = 20) -> None:  # type: ignore[no-untyped-def]
    """Wait (processing the app's messages) until ``predicate()`` holds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached"
        await ed.pilot.pause()


async def test_ctrl_f_then_text_in_one_burst_goes_to_the_find_field(write_nb):
    async with run_editor(write_nb(numbered_notebook(3))) as ed:
        before = ed.sources()
        burst(ed.app, "ctrl+f", "a", "b", "L", "b")

        def query() -> str:
            field = ed.app.focused
            return field.value if isinstance(field, Input) else ""

        await until(ed, lambda: query() == "abLb" and not ed.app.typeahead.waiting)
        assert ed.sources() == before  # no cell inserted above (a, b) or below (b)
        assert not ed.screen.line_numbers  # L did not toggle them
        assert ed.app.typeahead.held_total >= 1  # the keys waited for the field


async def test_enter_then_text_in_one_burst_goes_to_the_cell(write_nb):
    async with run_editor(write_nb(numbered_notebook(3))) as ed:
        burst(ed.app, "enter", *"bad", "escape")
        await until(ed, lambda: ed.screen.mode == "command" and "bad" in ed.sources()[0])
        assert len(ed.sources()) == 3 and ed.sources()[1:] == ["c1", "c2"]


async def test_keys_typed_while_a_dialog_opens_go_to_the_dialog(write_nb):
    async with run_editor(write_nb(numbered_notebook(2))) as ed:
        await ed.press("b")  # dirty: quitting asks
        burst(ed.app, "ctrl+q", "c")  # the quit dialog, then its Cancel key at once
        await until(ed, lambda: not ed.app.typeahead.waiting
                    and not any(isinstance(s, ChoiceScreen) for s in ed.app.screen_stack))
        assert ed.app.is_running and len(ed.sources()) == 3  # "c" cancelled, nothing else


def test_held_keys_are_released_when_the_field_never_comes() -> None:
    ahead = TypeAhead()
    ahead.expect(lambda: False, hold=0)
    key = events.Key("a", "a")
    ahead.hold(key)
    assert ahead.due()  # the wait is over: the key goes where the focus is, never dropped
    assert ahead.release() == [key] and not ahead.waiting


def test_a_field_torn_down_releases_its_keys() -> None:
    ahead = TypeAhead()

    def gone() -> bool:
        raise LookupError("no such widget")

    ahead.expect(gone)
    assert ahead.due()


@pytest.mark.pty
def test_ctrl_f_and_text_in_one_write_to_the_terminal(write_nb, tmp_path):
    """The issue's case, on the real CLI: Ctrl+F and ``abLb`` in a single write."""
    path = write_nb(numbered_notebook(3))
    with Terminal([sys.executable, "-m", "tui", str(path), "--graphics", "none"], rows=24,
                  cols=80, cwd=str(tmp_path)) as term:
        term.wait_for("cell 1 of 3", timeout=60)
        term.send("\x06abLb")  # Ctrl+F, then the text, in one write
        term.wait_for("abLb", timeout=30)
        term.send("\x1b")  # close the find bar
        term.wait_for("COMMAND", timeout=30)
        term.send("\x11")  # Ctrl+Q: nothing changed, so it quits without asking
        term.wait_until(lambda t: not t.child.isalive(), timeout=30, what="exit")
    assert [c.source for c in nbio.read(path).cells] == ["c0", "c1", "c2"]
