"""End to end: ``jtui console`` on ipykernel, in a pseudo-terminal (pexpect + pyte)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from tests.console.conftest import Spawn, owned_kernel_pids, wait_prompt

pytestmark = [pytest.mark.kernel, pytest.mark.pty]


def test_print_result_and_error(spawn: Spawn) -> None:
    term = spawn()
    term.wait_for("IPython", timeout=30)  # the kernel's banner
    wait_prompt(term, 1)
    term.send("print('hel' + 'lo')\r")
    term.wait_for(re.compile(r"^hello$", re.M))
    wait_prompt(term, 2)
    term.send("6 * 7\r")
    term.wait_for("Out[2]: 42")
    wait_prompt(term, 3)
    term.send("1/0\r")
    term.wait_for("ZeroDivisionError: division by zero")
    wait_prompt(term, 4)
    # The traceback keeps the kernel's ANSI colours; the Out prompt is red.
    row = next(i for i, line in enumerate(term.display().splitlines())
               if line.startswith("ZeroDivisionError: division"))
    assert {char.fg for char in term.screen.buffer[row].values()} - {"default"}
    out_row = next(i for i, line in enumerate(term.display().splitlines())
                   if line.startswith("Out[2]"))
    assert term.screen.buffer[out_row][0].fg == "red"


def test_background_thread_output_appears_while_prompt_waits(spawn: Spawn) -> None:
    term = spawn("--no-banner")
    wait_prompt(term, 1)
    term.send("import threading; threading.Timer(0.3, lambda: print('tick', 'tock')).start()\r")
    wait_prompt(term, 2)
    # Nothing is typed: the thread's output must show up above the waiting prompt.
    term.wait_for(re.compile(r"^tick tock\nIn \[2\]:", re.M), timeout=10)
    term.send("'still' + ' usable'\r")
    term.wait_for("Out[2]: 'still usable'")


def test_multi_line_loop_uses_is_complete_and_indent(spawn: Spawn) -> None:
    term = spawn("--no-banner")
    wait_prompt(term, 1)
    term.send("for i in range(3):\r")
    term.wait_for("   ...:     ")  # continuation prompt with the kernel's indent
    term.send("print(i * 11)\r")
    # A third line, indented by the kernel's hint: the cursor sits after "   ...:     ".
    term.wait_until(lambda t: t.cursor() == (2, 12), what="indented third line")
    term.send("\r")
    term.wait_for(re.compile(r"^0\n11\n22$", re.M))
    wait_prompt(term, 2)


def test_input_and_getpass_answered_inline(spawn: Spawn) -> None:
    term = spawn("--no-banner")
    wait_prompt(term, 1)
    term.send("name = input('Name? ')\r")
    term.wait_for(re.compile(r"^Name\? ", re.M))  # the input prompt, not the code line
    term.send("Ada\r")
    wait_prompt(term, 2)
    term.send("import getpass; secret = getpass.getpass('Secret: ')\r")
    term.wait_for(re.compile(r"^Secret: ", re.M))
    term.send("hunter2\r")
    wait_prompt(term, 3)
    assert "hunter2" not in term.display()
    term.send("name + ':' + secret[::-1]\r")
    term.wait_for("Out[3]: 'Ada:2retnuh'")


def test_ctrl_c_interrupts_a_running_cell_within_2_seconds(spawn: Spawn) -> None:
    term = spawn("--no-banner")
    wait_prompt(term, 1)
    term.send("import time; print('sle' + 'eping', flush=True); time.sleep(60)\r")
    term.wait_for(re.compile(r"^sleeping$", re.M))  # the kernel runs the cell
    term.send("\x03")
    start = time.monotonic()
    term.wait_for("KeyboardInterrupt", timeout=5)
    wait_prompt(term, 2, timeout=5)
    assert time.monotonic() - start < 2.0
    term.send("'alive'\r")
    term.wait_for("Out[2]: 'alive'")


def test_ctrl_c_at_the_prompt_clears_the_line(spawn: Spawn) -> None:
    term = spawn("--no-banner")
    wait_prompt(term, 1)
    term.send("this is not code")
    term.wait_for("In [1]: this is not code")
    term.send("\x03")
    term.wait_until(lambda t: "this is not code" not in t.display(), what="line cleared")
    term.send("1 + 1\r")
    term.wait_for("Out[1]: 2")


def test_tab_shows_kernel_completions(spawn: Spawn) -> None:
    term = spawn("--no-banner")
    wait_prompt(term, 1)
    term.send("import collections\r")
    wait_prompt(term, 2)
    term.send("collections.de")
    term.wait_for("collections.de")
    term.send("\t")  # two matches: a menu with both
    term.wait_until(lambda t: "defaultdict" in t.display() and "deque" in t.display(),
                    what="completion menu")
    term.send("\t")  # select the first
    term.wait_for("In [2]: collections.defaultdict")
    term.send("\r")
    term.wait_for("Out[2]: collections.defaultdict")


def test_exit_shuts_the_kernel_down(spawn: Spawn) -> None:
    term = spawn("--no-banner")
    wait_prompt(term, 1)
    assert len(owned_kernel_pids(term.pid)) == 1
    console_pid = term.pid
    term.send("exit\r")
    assert term.wait_exit(timeout=15) == 0
    assert owned_kernel_pids(console_pid) == []


def test_ctrl_d_leaves_and_shuts_the_kernel_down(spawn: Spawn) -> None:
    term = spawn("--no-banner")
    wait_prompt(term, 1)
    console_pid = term.pid
    term.send("\x04")
    assert term.wait_exit(timeout=15) == 0
    assert owned_kernel_pids(console_pid) == []


def test_clear_output_redraws_in_place(spawn: Spawn) -> None:
    term = spawn("--no-banner")
    wait_prompt(term, 1)
    term.send(
        "from IPython.display import clear_output, display\r"
    )
    wait_prompt(term, 2)
    term.send("for i in range(5): clear_output(wait=True); print('frame', i)\r")
    wait_prompt(term, 3)
    screen = term.display()
    assert "frame 4" in screen
    assert "frame 3" not in screen and "frame 0" not in screen, screen


def test_carriage_return_progress_is_redrawn_in_place(spawn: Spawn) -> None:
    term = spawn("--no-banner")
    wait_prompt(term, 1)
    term.send("import sys\r")
    wait_prompt(term, 2)
    term.send(
        "for i in range(0, 101, 25): sys.stdout.write(f'\\rprogress {i:3d}%'); sys.stdout.flush()\r"
    )
    wait_prompt(term, 3)
    shown = [line for line in term.display().splitlines() if line.startswith("progress")]
    assert shown == ["progress 100%"], term.display()


def test_update_display_replaces_the_output(spawn: Spawn) -> None:
    term = spawn("--no-banner")
    wait_prompt(term, 1)
    term.send("h = display('first version', display_id=True); h.update('second version')\r")
    wait_prompt(term, 2)
    lines = term.display().splitlines()
    assert "'second version'" in lines
    assert "'first version'" not in lines, term.display()


def test_rich_outputs_go_through_the_renderer_registry(spawn: Spawn) -> None:
    term = spawn("--no-banner", "--graphics", "none")
    wait_prompt(term, 1)
    term.send(
        "from IPython.display import display, HTML, Image, Markdown; "
        "display(HTML('<b>x</b>')); display(Markdown('# Title')); "
        "display({'image/png': 'iVBORw0KGgo='}, raw=True)\r"
    )
    wait_prompt(term, 2)
    lines = [line.strip() for line in term.display().splitlines()]
    assert "<IPython.core.display.HTML object>" not in lines  # the HTML itself is drawn
    assert "Title" in lines and "# Title" not in lines  # markdown rendered
    assert "[image/png, 8 B]" in lines  # graphics none: a placeholder


def test_set_next_input_prefills_the_prompt(spawn: Spawn) -> None:
    term = spawn("--no-banner")
    wait_prompt(term, 1)
    term.send("get_ipython().set_next_input('40 + 2')\r")
    term.wait_for("In [2]: 40 + 2")
    term.send("\r")
    term.wait_for("Out[2]: 42")


def test_kernel_death_is_reported_and_restart_offered(spawn: Spawn) -> None:
    term = spawn("--no-banner")
    wait_prompt(term, 1)
    term.send("import os; os._exit(1)\r")
    term.wait_for("The kernel died", timeout=10)
    term.wait_for(":restart")
    term.send(":restart\r")
    term.wait_for("Kernel restarted", timeout=30)
    wait_prompt(term, 1)
    term.send("'back'\r")
    term.wait_for("Out[1]: 'back'")


def test_restart_command(spawn: Spawn) -> None:
    term = spawn("--no-banner")
    wait_prompt(term, 1)
    term.send("x = 5\r")
    wait_prompt(term, 2)
    term.send(":help\r")
    term.wait_for(":restart")
    term.wait_for(":shutdown")
    term.send(":restart\r")
    term.wait_for("Kernel restarted", timeout=30)
    wait_prompt(term, 1)
    term.send("'x' in dir()\r")
    term.wait_for("Out[1]: False")


def test_shift_tab_and_question_mark_show_help(spawn: Spawn) -> None:
    term = spawn("--no-banner")
    wait_prompt(term, 1)
    term.send("def documented(x): return x + 1\r")
    wait_prompt(term, 2)
    # Built from two parts, so the docstring text itself is not on screen until help shows it.
    term.send("documented.__doc__ = 'Adds one' + ' to x.'\r")
    wait_prompt(term, 3)
    assert "Adds one to x." not in term.display()
    term.send("documented")
    term.send("\x1b[Z")  # Shift-Tab: the kernel's inspect reply, above the prompt
    term.wait_for("Adds one to x.")
    term.wait_for("In [3]: documented")  # what was typed is still there
    term.send("?\r")  # IPython answers `name?` with a page payload
    term.wait_until(lambda t: t.count("Adds one to x.") == 2, what="page payload shown")
    wait_prompt(term, 4)


def test_output_while_typing_keeps_the_typed_text(spawn: Spawn) -> None:
    term = spawn("--no-banner")
    wait_prompt(term, 1)
    term.send("import threading; threading.Timer(0.5, lambda: print('ping' * 2)).start()\r")
    wait_prompt(term, 2)
    term.send("typed_")
    term.wait_for("pingping")
    term.wait_for("In [2]: typed_")
    term.send("var = 5\r")
    wait_prompt(term, 3)
    term.send("typed_var\r")
    term.wait_for("Out[3]: 5")


def test_bracketed_paste_of_python_runs_as_one_cell(spawn: Spawn) -> None:
    term = spawn("--no-banner")
    wait_prompt(term, 1)
    term.paste("total = 0\nfor i in range(4):\n    total += i\nprint('total', total)")
    term.wait_for("...: print('total', total)")
    term.send("\r")
    term.wait_for(re.compile(r"^total 6$", re.M))
    wait_prompt(term, 2)


def test_ctrl_r_searches_history(spawn: Spawn) -> None:
    term = spawn("--no-banner")
    wait_prompt(term, 1)
    term.send("needle_value = 'found it'\r")
    wait_prompt(term, 2)
    term.send("1 + 1\r")
    wait_prompt(term, 3)
    term.send("\x12")  # Ctrl-R
    term.send("needle")
    term.wait_for("In [3]: needle_value = 'found it'")
    term.send("\r")  # accept the search result into the prompt
    term.send("\r")
    wait_prompt(term, 4)
    term.send("needle_value\r")
    term.wait_for("Out[4]: 'found it'")


def test_ctrl_c_at_an_input_prompt_interrupts_the_cell(spawn: Spawn) -> None:
    term = spawn("--no-banner")
    wait_prompt(term, 1)
    term.send("answer = input('Question? ')\r")
    term.wait_for(re.compile(r"^Question\? ", re.M))
    term.send("\x03")
    term.wait_for("KeyboardInterrupt", timeout=5)
    wait_prompt(term, 2, timeout=5)
    term.send("'ok'\r")
    term.wait_for("Out[2]: 'ok'")


def test_history_comes_from_the_kernel_too(spawn: Spawn, console_env: dict[str, str],
                                           tmp_path: Path) -> None:
    term = spawn("--no-banner")
    wait_prompt(term, 1)
    term.send("kernel_history_marker = 7\r")
    wait_prompt(term, 2)
    term.send("\x04")
    assert term.wait_exit(timeout=15) == 0
    # A fresh local history directory: what Up finds now comes from history_request.
    env = {**console_env, "JTUI_HISTORY_DIR": str(tmp_path / "other-history")}
    again = spawn("--no-banner", env=env)
    wait_prompt(again, 1)
    again.send("\x1b[A")
    again.wait_for("In [1]: kernel_history_marker = 7")


def test_running_code_on_a_dead_kernel_offers_a_restart(spawn: Spawn) -> None:
    term = spawn("--no-banner")
    wait_prompt(term, 1)
    term.send("import os; os._exit(3)\r")
    term.wait_for(re.compile(r"The kernel died.*\n+In \[\d+\]:"), timeout=10)
    term.send("'after restart'\r")
    term.wait_for("Restart it? [Y/n]")
    term.send("\r")
    term.wait_for("Kernel restarted", timeout=30)
    term.wait_for("Out[1]: 'after restart'")


def test_second_ctrl_c_stops_waiting_for_a_kernel_that_ignores_interrupts(spawn: Spawn) -> None:
    term = spawn("--no-banner")
    wait_prompt(term, 1)
    term.send(
        "import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); "
        "print('stub' + 'born', flush=True); time.sleep(3); print('late' + ' output')\r"
    )
    term.wait_for(re.compile(r"^stubborn$", re.M))
    term.send("\x03")
    term.wait_for("The kernel has not stopped yet", timeout=5)
    term.send("\x03")
    term.wait_for("Stopped waiting for the kernel")
    wait_prompt(term, 2, timeout=5)
    # The cell's late output still shows up, above the waiting prompt.
    term.wait_for(re.compile(r"^late output\n+In \[\d+\]:", re.M), timeout=10)


def test_long_help_goes_through_the_pager(spawn: Spawn, console_env: dict[str, str]) -> None:
    # A "pager" that keeps two lines, so the screen shows that it ran (and not a plain print).
    env = {**console_env, "PAGER": "grep -E 'doc line (36|37)$'"}
    term = spawn("--no-banner", rows=20, env=env)
    wait_prompt(term, 1)
    term.send("def longdoc(): pass\r")
    wait_prompt(term, 2)
    term.send("longdoc.__doc__ = '\\n'.join(f'doc line {i}' for i in range(40))\r")
    wait_prompt(term, 3)
    term.send("longdoc?\r")  # page payload, printed after the cell
    term.wait_for(re.compile(r"^doc line 36\ndoc line 37$", re.M))
    wait_prompt(term, 4)
    assert "doc line 5" not in term.display()
    term.send("\x0c")  # Ctrl-L: clear the screen
    term.wait_until(lambda t: "doc line 36" not in t.display(), what="screen cleared")
    term.send("longdoc")
    term.send("\x1b[Z")  # Shift-Tab while the prompt is up: the pager gets the terminal
    term.wait_for(re.compile(r"^doc line 36\ndoc line 37$", re.M))
    term.wait_for("In [4]: longdoc")


def test_background_progress_and_display_updates_redraw_above_the_prompt(spawn: Spawn) -> None:
    term = spawn("--no-banner")
    wait_prompt(term, 1)
    term.paste(
        "import sys, threading, time\n"
        "h = display('version 0', display_id=True)\n"
        "def work():\n"
        "    for i in range(1, 4):\n"
        "        time.sleep(0.2)\n"
        "        h.update(f'version {i}')\n"
        "        sys.stdout.write(f'\\rbackground {i * 100 // 3:3d}%'); sys.stdout.flush()\n"
        "    print(' done')\n"
        "threading.Thread(target=work).start()\n"
    )
    term.send("\r")
    wait_prompt(term, 2)
    # Nothing typed: the thread's updates land above the waiting prompt, in place.
    term.wait_for(re.compile(r"^background 100% done$", re.M), timeout=10)
    # The prompt is erased while a line is printed above it, then drawn again: wait for that.
    term.wait_for(re.compile(r"^In \[2\]:", re.M), timeout=10)
    lines = term.display().splitlines()
    assert [line for line in lines if line.startswith("'version")] == ["'version 3'"], lines
    assert [line for line in lines if line.startswith("background")] == [
        "background 100% done"
    ], lines
    assert lines[-1] != "" or any(line.startswith("In [2]:") for line in lines)
    term.send("'still ok'\r")
    term.wait_for("Out[2]: 'still ok'")


def test_keys_typed_ahead_reach_the_input_prompt(spawn: Spawn) -> None:
    term = spawn("--no-banner")
    wait_prompt(term, 1)
    # The answer is typed together with the cell, before the kernel even asks for it.
    term.send("typed = input('Ahead? ')\rearly bird\r")
    wait_prompt(term, 2)
    term.send("typed\r")
    term.wait_for("Out[2]: 'early bird'")
