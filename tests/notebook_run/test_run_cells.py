"""Running cells in the editor against real kernels (Pilot; waits on events, never sleeps)."""

from __future__ import annotations

import os
import signal
import time
import warnings
from pathlib import Path

import nbformat
import pytest
from textual import events

from protocol.launcher import OWNER_ENV
from tui.notebook.completion_popup import CompletionPopup
from tui.notebook.kernel_picker import KernelPicker
from tui.notebook.stdin_bar import StdinBar
from tui.session import CellState, KernelState

from .conftest import RunDriver, editor_app, make_notebook, run_editor

pytestmark = pytest.mark.kernel


async def test_shift_enter_runs_and_streams_arrive_in_order(tmp_path: Path) -> None:
    code = "import sys\nfor i in range(5):\n    print('line', i)\n    sys.stdout.flush()\n6*7"
    nb = make_notebook(code, "print('second')")
    async with run_editor(nb, tmp_path / "a.ipynb") as ed:
        await ed.press("shift+enter")
        assert ed.screen.cursor == 1
        await ed.idle()
        text = ed.text()
        positions = [text.index(f"line {i}") for i in range(5)]
        assert positions == sorted(positions)
        assert "[1]:" in text and "42" in text and "✓" in text
        assert ed.cells[0].execution_count == 1
        assert "kernel: python3 · idle" in text
        await ed.press("ctrl+enter")
        await ed.idle()
        assert "second" in ed.text() and ed.cells[1].execution_count == 2


async def test_queued_cells_show_queued_and_error_aborts_the_rest(tmp_path: Path) -> None:
    go = tmp_path / "go"  # the first cell ends once the test has seen the queue
    nb = make_notebook(f"import os, time\nwhile not os.path.exists({str(go)!r}): time.sleep(0.02)",
                       "1/0", "print('never')")
    async with run_editor(nb, tmp_path / "b.ipynb") as ed:
        await ed.press("ctrl+a", "ctrl+e")
        await ed.until(lambda: "◌ queued" in ed.text() and "● running" in ed.text())
        assert ed.text().count("[*]:") == 3
        go.touch()
        await ed.idle()
        text = ed.text()
        assert "ZeroDivisionError" in text
        assert "⊘ not run: an earlier cell failed" in text
        assert ed.session.run_info(ed.cells[2]).state is CellState.ABORTED  # type: ignore[union-attr]


async def test_progress_bar_redraws_in_place(tmp_path: Path) -> None:
    code = ("import sys, time\nfor i in range(101):\n"
            "    sys.stdout.write(f'\\r{i:3d}%|' + '#' * (i // 10) + ' ' * (10 - i // 10) + '|')\n"
            "    sys.stdout.flush()\n    time.sleep(0.002)\nprint()")
    async with run_editor(make_notebook(code), tmp_path / "c.ipynb") as ed:
        await ed.press("ctrl+e")
        await ed.idle()
        assert ed.text().count("100%|##########|") == 1
        assert " 99%" not in ed.text()
        assert ed.cells[0].outputs[0]["text"] == "100%|##########|\n"


async def focus_stdin_bar(ed: RunDriver) -> None:
    """Wait until the stdin bar holds the keyboard, as a user waits for it before typing.

    In full CI runs (never when run alone) the bar was once mounted but not focused after 20 s.
    Until that race is found, a bar that is there but unfocused after 5 s is clicked, as a user
    would, and a warning with what had the focus is left in the test report.
    """
    # The prompt text also sits in the cell's source (``input('Who: ')``), so seeing it proves
    # nothing: wait for the field itself, as long as a cold kernel on a loaded machine needs.
    try:
        await ed.until(lambda: bool(ed.screen.query(StdinBar)), timeout=60)
    except TimeoutError:  # say what the screen shows: was the request late, or lost?
        raise AssertionError(f"no stdin bar after 60 s; the screen shows:\n{ed.text()}\n"
                             f"outputs: {[c.outputs for c in ed.cells]}") from None
    try:
        await ed.until(lambda: isinstance(ed.app.focused, StdinBar), timeout=5)
    except TimeoutError:
        bars = ed.screen.query(StdinBar)
        assert bars, f"no stdin bar; focused: {ed.app.focused!r}; screens: {ed.app.screen_stack!r}"
        warnings.warn(
            f"stdin bar mounted but not focused after 5 s (focused: {ed.app.focused!r}); "
            "clicking it", stacklevel=2,
        )
        await ed.pilot.click(StdinBar)
        await ed.until(lambda: isinstance(ed.app.focused, StdinBar), timeout=5)


async def test_input_prompt_is_answered_in_the_cell(tmp_path: Path) -> None:
    nb = make_notebook("name = input('Your name: ')\nprint('hello', name)",
                       "import getpass\npw = getpass.getpass('Password: ')\nprint(len(pw))")
    async with run_editor(nb, tmp_path / "d.ipynb") as ed:
        await ed.press("ctrl+e")
        await ed.until_shown("Your name: ")
        await focus_stdin_bar(ed)
        await ed.until_shown(" INPUT ")  # the status bar's mode while the field has the keys
        await ed.press(*"Ada")
        await ed.until_shown("Your name: Ada")
        await ed.press("enter")
        await ed.idle()
        assert "hello Ada" in ed.text()
        await ed.until_shown(" COMMAND ")
        assert ed.cells[0].outputs[0]["text"] == "Your name: Ada\nhello Ada\n"
        await ed.press("j", "ctrl+e")
        await ed.until_shown("Password: ")
        await focus_stdin_bar(ed)
        await ed.press(*"s3cret")
        await ed.until_shown("Password: ••••••")
        assert "s3cret" not in ed.text()
        await ed.press("enter")
        await ed.idle()
        assert "s3cret" not in ed.text() and "s3cret" not in str(ed.cells[1].outputs)
        assert ed.cells[1].outputs[0]["text"].endswith("6\n")


async def test_the_stdin_field_sits_in_the_asking_cell_which_stays_on_screen(
        tmp_path: Path) -> None:

    from tui.notebook.cell_view import CellView

    fillers = [f"x{k} = {k}\n" + "\n".join(f"# line {j}" for j in range(6)) for k in range(12)]
    nb = make_notebook("print('before')\nname = input('Who: ')", *fillers)
    async with run_editor(nb, tmp_path / "s.ipynb", size=(100, 24)) as ed:
        await ed.press("ctrl+e")
        await ed.until_shown("Who: ")
        await focus_stdin_bar(ed)
        field = ed.app.focused
        views = [a for a in field.ancestors if isinstance(a, CellView)]
        assert views and views[0].index == 0  # in the cell's output area, not docked
        text = ed.text()  # the prompt comes after the cell's output, not at the bottom
        assert text.rindex("before") < text.rindex("Who: ") < text.index("x0 = 0")
        cl = ed.screen.cell_list
        await ed.pilot._post_mouse_events([events.MouseScrollDown], cl, times=12)
        await ed.pilot.pause()
        assert 0 in cl.window and "Who: " in ed.text()  # the asking cell stays on screen
        await ed.press(*"zed")
        assert field.value == "zed" and ed.app.focused is field
        await ed.press("ctrl+c")  # interrupts the kernel; the field goes, focus comes back
        await ed.idle(timeout=5)
        assert "KeyboardInterrupt" in ed.text() and not ed.screen.query(StdinBar)
        await ed.until(lambda: ed.app.focused is cl)


async def test_the_edited_cell_shows_its_outputs_as_they_arrive(tmp_path: Path) -> None:
    go = tmp_path / "go"  # the cell prints 'two' once the test has entered edit mode
    nb = make_notebook(f"import os, time\nprint('one', flush=True)\n"
                       f"while not os.path.exists({str(go)!r}): time.sleep(0.02)\nprint('two')")
    async with run_editor(nb, tmp_path / "live.ipynb") as ed:
        await ed.press("ctrl+e")
        await ed.until_shown("one")
        await ed.press("enter")
        await ed.until(lambda: ed.screen.mode == "edit")
        assert ed.text().count("two") == 1  # in the source only
        go.touch()
        await ed.until(lambda: ed.text().count("two") == 2)
        await ed.until_shown("[1]:")
        assert ed.screen.mode == "edit"


async def test_i_i_interrupts_a_long_sleep_within_two_seconds(tmp_path: Path) -> None:
    nb = make_notebook("import time\ntime.sleep(60)", "print('after')")
    async with run_editor(nb, tmp_path / "e.ipynb") as ed:
        await ed.press("ctrl+a", "ctrl+e", "escape")
        await ed.until(lambda: ed.cells[0].execution_count is not None)
        t0 = time.monotonic()
        await ed.press("i", "i")
        await ed.idle(timeout=2)
        assert time.monotonic() - t0 < 2
        assert "KeyboardInterrupt" in ed.text()
        assert "⊘ not run: interrupted" in ed.text()


async def test_0_0_restart_clears_state(tmp_path: Path) -> None:
    nb = make_notebook("secret = 42", "print(secret)")
    async with run_editor(nb, tmp_path / "f.ipynb") as ed:
        await ed.press("ctrl+e")
        await ed.idle()
        await ed.press("0", "0")
        await ed.until_shown("Restart the kernel?")
        await ed.press("r")
        await ed.until(lambda: ed.session.state is KernelState.IDLE
                       and "kernel restarted" in ed.text())
        await ed.press("j", "ctrl+e")
        await ed.idle()
        assert "NameError" in ed.text()
        assert ed.cells[1].execution_count == 1


async def test_sigkill_is_reported_within_three_seconds(tmp_path: Path) -> None:
    nb = make_notebook("import time\nprint('started', flush=True)\ntime.sleep(60)", "1 + 1")
    async with run_editor(nb, tmp_path / "g.ipynb") as ed:
        await ed.press("ctrl+a", "ctrl+e", "escape")
        await ed.until_shown("started")
        process = ed.session.manager.process  # type: ignore[union-attr]
        t0 = time.monotonic()
        os.kill(process.pid, signal.SIGKILL)
        await ed.until_shown("Restart the kernel", timeout=3)
        assert time.monotonic() - t0 < 3
        text = ed.text()
        assert "Kernel died" in text and "SIGKILL" in text
        await ed.press("l")  # later
        text = ed.text()
        assert "kernel died" in text and "kernel: python3 · dead" in text
        # the notebook stays editable and nothing is lost
        await ed.press("escape", "b")
        assert len(ed.cells) == 3 and ed.cells[0].outputs[0]["text"] == "started\n"
        assert ed.session.run_info(ed.cells[0]).state is CellState.DIED  # type: ignore[union-attr]
        await ed.press("0", "0")
        await ed.until_shown("Restart the kernel?")
        await ed.press("r")
        await ed.until(lambda: ed.session.state is KernelState.IDLE)
        await ed.press("k", "ctrl+e")
        await ed.idle()
        assert ed.cells[1].outputs[0]["data"]["text/plain"] == "2"


async def test_saved_file_validates_and_holds_outputs(tmp_path: Path) -> None:
    path = tmp_path / "h.ipynb"
    nb = make_notebook("print('out')", "from IPython.display import Markdown\nMarkdown('*md*')",
                       "1/0")
    async with run_editor(nb, path) as ed:
        await ed.press("ctrl+a", "ctrl+e")
        await ed.idle()
        await ed.press("ctrl+s")
        await ed.until_shown("saved h.ipynb")
        process = ed.session.manager.process  # type: ignore[union-attr]
    # quitting shut the kernel down (and reaped it)
    assert not process.is_alive()
    assert process.popen.returncode is not None
    saved = nbformat.read(str(path), as_version=4)
    nbformat.validate(saved)
    assert [c.execution_count for c in saved.cells] == [1, 2, 3]
    assert saved.cells[0].outputs[0].text == "out\n"
    assert saved.cells[1].outputs[0].data["text/markdown"] == "*md*"
    assert saved.cells[2].outputs[0].ename == "ZeroDivisionError"


async def test_bash_kernel_basic_run(tmp_path: Path) -> None:
    nb = make_notebook("echo one; echo two", "exit_code_test() { return 3; }; echo done",
                       kernel="bash")
    async with run_editor(nb, tmp_path / "i.ipynb") as ed:
        await ed.press("ctrl+a", "ctrl+e")
        await ed.idle()
        text = ed.text()
        assert "one\n" in ed.cells[0].outputs[0]["text"] and "two" in text
        assert "kernel: bash · idle" in text
        assert ed.cells[1].outputs[0]["text"] == "done\n"


async def test_tab_completes_and_shift_tab_inspects(tmp_path: Path) -> None:
    nb = make_notebook("alpha_one = 1\nalpha_two = 2", "")
    async with run_editor(nb, tmp_path / "j.ipynb") as ed:
        await ed.press("ctrl+e")
        await ed.idle()
        await ed.press("j", "enter", *"alpha_", "tab")
        await ed.until(lambda: bool(ed.screen.query(CompletionPopup)), timeout=40)
        popup = ed.screen.query_one(CompletionPopup)
        assert ed.app.focused is popup
        labels = [popup.get_option_at_index(i).prompt for i in range(popup.option_count)]
        assert [str(label).split()[0] for label in labels] == ["alpha_one", "alpha_two"]
        await ed.press("down", "enter")
        assert ed.screen.editor is not None and ed.screen.editor.text == "alpha_two"
        await ed.press("enter", *"len", "shift+tab")
        await ed.until(lambda: "Return the number of items" in ed.text())
        await ed.press("escape")
        # Tab on a blank line indents
        await ed.press("enter", "tab")
        assert ed.screen.editor.text.endswith("\n    ")


async def test_huge_stream_view_is_bounded_and_the_model_complete(tmp_path: Path) -> None:
    code = "for i in range(200000):\n    print(i)"
    async with run_editor(make_notebook(code), tmp_path / "k.ipynb", size=(100, 70)) as ed:
        await ed.press("ctrl+e")
        await ed.idle(timeout=60)
        text = ed.text()
        assert "199999" in text and "… 199,960 more lines" in text
        ed.session.sync_outputs()
        model = ed.cells[0].outputs[0]["text"]
        assert model.count("\n") == 200000 and model.endswith("199999\n")
        await ed.press("O")
        assert "first 100 and last 400 lines" in ed.text()


async def test_unknown_kernel_opens_the_picker_and_switches(tmp_path: Path) -> None:
    nb = make_notebook("print('on', 40 + 2)")
    nb.metadata["kernelspec"] = {"name": "no-such-kernel", "display_name": "Gone"}
    app = editor_app(nb, tmp_path / "l.ipynb")
    async with app.run_test(size=(110, 32)) as pilot:
        ed = RunDriver(app, pilot)
        await ed.session.wait_ready(10)
        await ed.until(lambda: isinstance(app.screen, KernelPicker))
        text = ed.text()
        assert "No kernel named 'no-such-kernel'" in text or "Select a kernel" in text
        assert "python3" in text and "ipykernel_launcher" in text and "{connection_file}" in text
        picker = app.screen
        assert isinstance(picker, KernelPicker)
        names = [c.name for c in picker.choices]
        await ed.press(*(["down"] * names.index("python3")), "enter")
        await ed.until(lambda: ed.session.state is KernelState.IDLE)
        assert nb.metadata["kernelspec"]["name"] == "python3"
        await ed.press("ctrl+e")
        await ed.idle()
        assert ed.cells[0].outputs[0]["text"] == "on 42\n"
        assert "kernel: python3 · idle" in ed.text()


async def test_run_above_below_and_restart_run_all_from_the_palette_actions(
    tmp_path: Path,
) -> None:
    nb = make_notebook("print('a')", "print('b')", "print('c')")
    async with run_editor(nb, tmp_path / "m.ipynb") as ed:
        await ed.press("j")  # cursor on the middle cell
        await ed.screen.run_action("kernel_run_above")
        await ed.idle()
        assert [c.execution_count for c in ed.cells] == [1, None, None]
        await ed.screen.run_action("kernel_run_below")
        await ed.idle()
        assert [c.execution_count for c in ed.cells] == [1, 2, 3]
        before = [ed.session.run_info(c) for c in ed.cells]
        await ed.screen.run_action("kernel_restart_run_all")
        await ed.until_shown("Restart the kernel and run all cells?")
        await ed.press("r")

        def rerun_finished() -> bool:
            runs = [ed.session.run_info(c) for c in ed.cells]
            return all(r is not None and r is not old and r.state is CellState.OK
                       for r, old in zip(runs, before))

        await ed.until(rerun_finished)
        assert [c.execution_count for c in ed.cells] == [1, 2, 3]  # a fresh kernel counts anew
        assert [c.outputs[0]["text"] for c in ed.cells] == ["a\n", "b\n", "c\n"]


def _own_kernels() -> list[int]:
    """Live (non-zombie) processes launched by this test process as kernels."""
    marker = f"{OWNER_ENV}={os.getpid()}".encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if marker in environ and ") Z " not in stat:
            pids.append(int(entry.name))
    return pids


async def test_quitting_while_the_kernel_starts_leaves_no_kernel(tmp_path: Path) -> None:
    assert _own_kernels() == []
    app = editor_app(make_notebook("1"), tmp_path / "n.ipynb")
    async with app.run_test(size=(80, 24)) as pilot:
        session = app.notebook_screen.kernel.session
        for _ in range(500):  # until the kernel process exists (not ready yet)
            if _own_kernels():
                break
            await pilot.pause()
        assert _own_kernels() and session.state is KernelState.STARTING
    assert session.state is KernelState.SHUT_DOWN
    assert _own_kernels() == []


async def test_notebook_without_kernelspec_asks_for_a_kernel(tmp_path: Path) -> None:
    nb = make_notebook("1")
    nb.metadata.clear()
    app = editor_app(nb, tmp_path / "o.ipynb")
    async with app.run_test(size=(110, 32)) as pilot:
        ed = RunDriver(app, pilot)
        await ed.until(lambda: isinstance(app.screen, KernelPicker))
        assert "This notebook names no kernel" in ed.text()
        await ed.press("escape")
        assert ed.session.state is KernelState.NONE and ed.session.manager is None
        await ed.press("ctrl+e")  # running without a kernel: told so, nothing hangs
        assert ed.session.run_info(ed.cells[0]).state is CellState.ABORTED  # type: ignore[union-attr]


async def test_running_the_last_cell_keeps_the_new_cell_and_the_output_in_view(
        tmp_path: Path) -> None:
    """Shift+Enter on the last cell adds a cell below; the run's output, arriving after, grows
    the cell above it and would push the new cursor cell off the screen: the view follows,
    until the user scrolls away."""
    go = tmp_path / "go"
    code = ("import os, time\nfor i in range(15): print('line', i, flush=True)\n"
            f"while not os.path.exists({str(go)!r}): time.sleep(0.02)\n"
            "for i in range(15, 30): print('line', i)")
    sources = [f"x{k} = {k}" for k in range(20)] + [code]
    async with run_editor(make_notebook(*sources), tmp_path / "last.ipynb", size=(80, 24)) as ed:
        await ed.press("G", "shift+enter")
        assert ed.screen.cursor == 21 and len(ed.cells) == 22
        cl = ed.screen.cell_list
        await ed.until(lambda: "line 14" in ed.text() and 21 in cl.window and cl.settled)
        # scrolled away by hand, the view stays where the user put it
        await ed.pilot._post_mouse_events([events.MouseScrollUp], cl, times=10)
        await ed.pilot.pause()
        top = cl.top
        go.touch()
        await ed.idle()
        assert "line 29" in "".join(o.get("text", "") for o in ed.cells[20].outputs)
        assert cl.top == top and 21 not in cl.window
