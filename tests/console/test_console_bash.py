"""End to end: ``jtui console --kernel bash`` (bash_kernel: no history_request, is_complete
answers "unknown", interrupt by signal)."""

from __future__ import annotations

import re
import time

import pytest

from tests.console.conftest import Spawn, owned_kernel_pids, prompt_count, wait_prompt

pytestmark = [pytest.mark.kernel, pytest.mark.pty]


def test_bash_session(spawn: Spawn) -> None:
    """One session (bash_kernel starts slowly): print, pasted loop, Tab, Ctrl-C, exit."""
    term = spawn("--kernel", "bash", "--no-banner")
    wait_prompt(term, 1)
    console_pid = term.pid
    assert owned_kernel_pids(console_pid)

    # a print
    term.send("echo $((6 * 7))\r")
    term.wait_for(re.compile(r"^42$", re.M))
    wait_prompt(term, 2)

    # a pasted multi-line loop runs as one cell (bash_kernel's is_complete says "unknown")
    term.paste("for i in 1 2 3; do\n  echo item$i\ndone")
    term.wait_for("...:   echo item$i")
    term.send("\r")
    term.wait_for(re.compile(r"^item1\nitem2\nitem3$", re.M))
    wait_prompt(term, 3)

    # Tab shows the kernel's completions in a menu
    # Brace expansion, so the variables' full names are not on screen before the menu.
    term.send("export JTUI_COMPLETE_ME_{1,2}=1\r")
    wait_prompt(term, 4)
    term.send("echo $JTUI_COMPLETE_M")
    term.wait_for("echo $JTUI_COMPLETE_M")
    term.send("\t")
    term.wait_until(lambda t: "JTUI_COMPLETE_ME_1" in t.display()
                    and "JTUI_COMPLETE_ME_2" in t.display(), what="completion menu")
    term.send("\x03")  # Ctrl-C at the prompt clears the line
    term.wait_until(lambda t: "echo $JTUI_COMPLETE_M" not in t.display(), what="line cleared")

    # Ctrl-C interrupts a running command (SIGINT to the kernel's process group)
    term.send("echo sleep''ing; sleep 60\r")
    term.wait_for(re.compile(r"^sleeping$", re.M))  # the kernel runs the cell
    term.send("\x03")
    start = time.monotonic()
    term.wait_until(lambda t: prompt_count(t) > 4, timeout=5, what="prompt after interrupt")
    assert time.monotonic() - start < 2.0
    term.send("echo after\r")
    term.wait_for(re.compile(r"^after$", re.M))

    # exit leaves no kernel process (not IPython: the console handles `exit` itself)
    term.wait_until(lambda t: prompt_count(t) > 5, what="prompt")
    term.send("exit\r")
    assert term.wait_exit(timeout=15) == 0
    assert owned_kernel_pids(console_pid) == []


def test_local_history_survives_sessions(spawn: Spawn) -> None:
    term = spawn("--kernel", "bash", "--no-banner")
    wait_prompt(term, 1)
    term.send("echo remembered-$((40 + 2))\r")
    term.wait_for("remembered-42")
    wait_prompt(term, 2)
    term.send("\x04")
    assert term.wait_exit(timeout=15) == 0

    again = spawn("--kernel", "bash", "--no-banner")
    wait_prompt(again, 1)
    again.send("\x1b[A")  # Up
    again.wait_for("In [1]: echo remembered-$((40 + 2))")
    again.send("\r")
    again.wait_for(re.compile(r"^remembered-42$", re.M))
