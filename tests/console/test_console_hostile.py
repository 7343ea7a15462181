"""Hostile kernel output in a real terminal (pexpect + pyte, a real ipykernel): only colours
reach the terminal, and huge lines or prompts never freeze the console (issue 11)."""

from __future__ import annotations

import re
import time

import pytest

from tests.console.conftest import Spawn, wait_prompt

pytestmark = [pytest.mark.kernel, pytest.mark.pty]


def _since(term: object, start: int) -> bytes:
    return bytes(term.transcript[start:])  # type: ignore[attr-defined]


def test_a_title_change_never_reaches_the_terminal(spawn: Spawn) -> None:
    term = spawn("--no-banner")
    wait_prompt(term, 1)
    title = term.screen.title
    start = len(term.transcript)
    term.send("print('before\\x1b]2;PWNED\\x07after\\x1b]0;PWNED2\\x1b\\\\end')\r")
    term.wait_for(re.compile(r"^beforeafterend$", re.M))
    wait_prompt(term, 2)
    assert term.screen.title == title
    assert "PWNED" not in term.screen.title
    assert b"\x1b]2;" not in _since(term, start) and b"\x1b]0;" not in _since(term, start)


def test_a_cursor_report_request_never_reaches_the_terminal(spawn: Spawn,
                                                            console_env: dict[str, str]
                                                            ) -> None:
    # prompt_toolkit asks for the cursor position itself unless told not to; it is told not
    # to here, so any ESC[6n in the transcript could only come from the kernel's output.
    env = dict(console_env, PROMPT_TOOLKIT_NO_CPR="1")
    term = spawn("--no-banner", env=env)
    wait_prompt(term, 1)
    start = len(term.transcript)
    term.send("print('mark1\\x1b[6nmark2\\x9b6nmark3')\r")
    term.wait_for(re.compile(r"^mark1mark2mark3$", re.M))
    wait_prompt(term, 2)
    assert b"\x1b[6n" not in _since(term, start)
    assert b"\xc2\x9b" not in _since(term, start)  # nor the 8-bit CSI
    term.send("'typed' + ' nothing'\r")  # no cursor report was typed into the prompt
    term.wait_for("Out[2]: 'typed nothing'")


def test_clear_screen_is_ignored_and_colours_still_work(spawn: Spawn) -> None:
    term = spawn("--no-banner")
    wait_prompt(term, 1)
    term.send("print('first line')\r")
    term.wait_for(re.compile(r"^first line$", re.M))
    wait_prompt(term, 2)
    term.send("print('keep\\x1b[2J\\x1b[H\\x1b[?1049hme \\x1b[31mred\\x1b[0m')\r")
    term.wait_for(re.compile(r"^keepme red$", re.M))
    wait_prompt(term, 3)
    lines = term.display().splitlines()
    assert "first line" in lines  # the screen was not cleared
    row = lines.index("keepme red")
    cells = term.screen.buffer[row]
    assert [cells[x].fg for x in range(7, 10)] == ["red"] * 3
    assert cells[0].fg == "default"


def test_a_5_mb_input_prompt_is_cut_and_ctrl_c_interrupts_it(spawn: Spawn) -> None:
    term = spawn("--no-banner")
    wait_prompt(term, 1)
    term.send("input('x' * 5_000_000)\r")
    term.wait_for(re.compile(r"… \(4,999,600 more characters\)"), timeout=30)
    term.send("\x03")
    term.wait_for("KeyboardInterrupt", timeout=10)
    wait_prompt(term, 2, timeout=10)
    term.send("print(1+1)\r")
    term.wait_for(re.compile(r"^2$", re.M))
    wait_prompt(term, 3)


def test_a_50_mb_line_is_cut_and_the_console_stays_responsive(spawn: Spawn) -> None:
    term = spawn("--no-banner")
    wait_prompt(term, 1)
    term.send("print('x' * 50_000_000); print('after')\r")
    # 100 columns x (30 - 6) rows shown: 2,400 characters, then the mark.
    match = term.wait_for(re.compile(r"… \(([\d,]+) more characters\)"), timeout=60)
    assert isinstance(match, re.Match) and match.group(1) == "49,997,600"
    term.wait_for(re.compile(r"^after$", re.M), timeout=30)
    wait_prompt(term, 2, timeout=30)
    start = time.monotonic()
    term.send("6 * 7\r")
    term.wait_for("Out[2]: 42")  # the normal timeout
    assert time.monotonic() - start < 10
