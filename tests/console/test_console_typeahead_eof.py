"""Ctrl-D typed while a cell runs acts at the next prompt, as other typed-ahead keys do: at an
empty prompt it leaves the console (cleanly: the kernel is shut down).

Outside prompts the terminal is in cooked mode, where the line discipline takes Ctrl-D as
end-of-file and does not keep it as a key (it becomes a NUL byte once the next prompt switches
to raw mode), so the console disables the terminal's EOF character while a cell runs.
"""

from __future__ import annotations

import re

import pytest

from tests.console.conftest import Spawn, owned_kernel_pids, wait_prompt

pytestmark = [pytest.mark.kernel, pytest.mark.pty]


def test_ctrl_d_right_after_enter_exits_after_the_cell(spawn: Spawn) -> None:
    term = spawn("--no-banner", "--graphics", "none")
    wait_prompt(term, 1, timeout=60)
    pid = term.pid
    term.send("import time; time.sleep(1); print('finished')\r")
    term.send("\x04")
    # The terminal echoes the typed-ahead key as "^D" (cooked mode echoes every key typed
    # while a cell runs), so the output may follow it on the same line.
    term.wait_for(re.compile(r"^(\^D)?finished$", re.M), timeout=30)
    assert term.wait_exit(30) == 0
    assert owned_kernel_pids(pid) == []


def test_ctrl_d_while_the_cell_runs_exits_after_it(spawn: Spawn) -> None:
    term = spawn("--no-banner", "--graphics", "none")
    wait_prompt(term, 1, timeout=60)
    pid = term.pid
    term.send("import time; print('started', flush=True); time.sleep(1); print('finished')\r")
    term.wait_for(re.compile(r"^started$", re.M), timeout=30)  # the prompt has closed
    term.send("\x04")
    # The terminal echoes the typed-ahead key as "^D" (cooked mode echoes every key typed
    # while a cell runs), so the output may follow it on the same line.
    term.wait_for(re.compile(r"^(\^D)?finished$", re.M), timeout=30)
    assert term.wait_exit(30) == 0
    assert owned_kernel_pids(pid) == []


def test_keys_typed_before_ctrl_d_still_edit_the_next_prompt(spawn: Spawn) -> None:
    """Typed ahead: ``2*21``, Enter, then Ctrl-D: the second cell runs, then the console
    leaves at the (empty) third prompt."""
    term = spawn("--no-banner", "--graphics", "none")
    wait_prompt(term, 1, timeout=60)
    term.send("import time; print('started', flush=True); time.sleep(1)\r")
    term.wait_for(re.compile(r"^started$", re.M), timeout=30)
    term.send("2*21\r")
    term.send("\x04")
    term.wait_for("Out[2]: 42", timeout=30)
    assert term.wait_exit(30) == 0


def test_the_terminals_eof_character_is_put_back() -> None:
    import os
    import termios

    from tui.console.typeahead import EofKeyKept

    master, slave = os.openpty()
    try:
        before = termios.tcgetattr(slave)
        kept = EofKeyKept(slave)
        assert kept.keep() and kept.keep()  # idempotent
        during = termios.tcgetattr(slave)
        assert during[6][termios.VEOF] == b"\x00"
        assert during[:6] == before[:6]  # nothing else changed
        kept.restore()
        assert termios.tcgetattr(slave) == before
        kept.restore()  # twice is harmless
    finally:
        os.close(master)
        os.close(slave)
    null = os.open(os.devnull, os.O_RDONLY)
    try:
        assert not EofKeyKept(null).keep()  # not a terminal: nothing to do
    finally:
        os.close(null)
