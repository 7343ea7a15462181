"""The real ``jtui`` in a pseudo-terminal: text typed into a cell survives a SIGKILL and comes
back with ``jtui --recover``; a second editor on a notebook is told the first still runs.

The kernel a SIGKILLed editor started is killed by the test (cleaning up after kill -9 is
another part of issue 12), found among the editor's children before the kill.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import nbformat
import pytest

from tests.editor.conftest import numbered_notebook, run_editor
from tests.editor.recovery_support import file_sources, journal_sources, journals, settings_for
from tests.support.terminal import Terminal
from tui.notebook.dialogs import ChoiceScreen

ROOT = Path(__file__).resolve().parents[2]
TEXT = "typed before the crash"


def _jtui(*args: str, cwd: Path) -> Terminal:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)  # this checkout's jtui, wherever the test runs
    env["TERM"] = "xterm-256color"
    return Terminal([sys.executable, "-m", "tui", *args, "--graphics", "none",
                     "--no-autosave"],
                    rows=24, cols=80, env=env, cwd=str(cwd))


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (the kernel, its children)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat[stat.rindex(")") + 2:].split()[1])
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        children = [p for p, pp in parents.items() if pp == parent]
        found += children
        todo += children
    return found


def _kill_with_kernel(term: Terminal) -> None:
    """SIGKILL the editor, then what it started (its kernel would outlive it)."""
    below = _descendants(term.pid)
    os.kill(term.pid, signal.SIGKILL)
    assert term.wait_exit(30) == -signal.SIGKILL
    for pid in below:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _wait_journal(term: Terminal, path: Path, predicate, what: str) -> None:
    term.wait_until(lambda t: (s := journal_sources(path)) is not None and predicate(s),
                    timeout=60, what=what)


def _type_into_first_cell(term: Terminal) -> None:
    term.wait_for("c0", timeout=60)
    term.wait_for("cell 1 of 2", timeout=30)
    term.send("\r")  # Enter: edit mode
    term.wait_for("EDIT", timeout=30)
    term.send(TEXT)
    term.wait_for(TEXT, timeout=30)


@pytest.mark.pty
def test_text_typed_survives_sigkill_and_recover_saves_it(write_nb, tmp_path):
    path = write_nb(numbered_notebook(2))
    with _jtui(str(path), cwd=tmp_path) as term:
        _type_into_first_cell(term)
        # the moment the journal holds the text (about a second after the last key), kill -9
        _wait_journal(term, path, lambda s: s[0] == TEXT + "c0", "the text in the journal")
        _kill_with_kernel(term)
    assert file_sources(path) == ["c0", "c1"]  # nothing was saved
    assert len(journals(path)) == 1
    with _jtui("--recover", str(path), cwd=tmp_path) as term:
        term.wait_for(TEXT, timeout=60)
        term.send("\x13")  # Ctrl+S
        term.wait_for("saved", timeout=30)
        term.send("\x11")  # Ctrl+Q: saved, so it quits without asking
        assert term.wait_exit(30) == 0
    assert file_sources(path) == [TEXT + "c0", "c1"]
    nbformat.validate(nbformat.read(path, as_version=4))
    assert journals(path) == []  # the dead editor's journal went with the save, ours on quit


@pytest.mark.pty
async def test_a_second_editor_is_told_the_first_is_running(write_nb, tmp_path):
    path = write_nb(numbered_notebook(2))
    with _jtui(str(path), cwd=tmp_path) as term:
        _type_into_first_cell(term)
        _wait_journal(term, path, lambda s: s[0] == TEXT + "c0", "the first editor's journal")
        settings, nb, _ = settings_for(path)
        assert settings.offer is not None and settings.offer.running
        async with run_editor(path, nb=nb, recovery=settings) as ed:
            screen = ed.app.screen
            assert isinstance(screen, ChoiceScreen)
            assert f"pid {term.pid}" in screen.question
            assert "STILL RUNNING: another jtui is editing this notebook" in screen.question
            await ed.press("o")  # open as saved: the first editor's journal is left alone
        assert len(journals(path)) == 1
        term.send("\x1b")
        term.wait_for("COMMAND", timeout=30)
        term.send("\x11")  # Ctrl+Q, then "quit without saving"
        term.wait_for("unsaved changes", timeout=30)
        term.send("d")
        assert term.wait_exit(30) == 0
    assert journals(path) == [] and file_sources(path) == ["c0", "c1"]
