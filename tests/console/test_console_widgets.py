"""Widgets in the real console (pexpect + pyte, a real ipykernel with ipywidgets 8 and tqdm):
drawn inline as text, a tqdm.auto bar redrawn live until it ends at 100% with its count."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.console.conftest import Spawn, wait_prompt

pytestmark = [pytest.mark.kernel, pytest.mark.pty]

BAR = re.compile(r"100%\|█+\| 200/200 \[")


def test_tqdm_auto_over_200_steps_ends_at_100_percent_in_place(spawn: Spawn) -> None:
    term = spawn("--no-banner", rows=30, cols=100)
    wait_prompt(term, 1)
    term.send("from tqdm.auto import tqdm; import time\r")
    wait_prompt(term, 2, timeout=60)
    term.send("for i in tqdm(range(200)): time.sleep(0.005)\r")
    wait_prompt(term, 3, timeout=60)
    term.wait_for(BAR, timeout=10)
    screen = term.display()
    assert len(BAR.findall(screen)) == 1, screen  # redrawn in place, not printed again
    assert "0/200" not in screen.replace("200/200", ""), screen
    assert "HBox(" not in screen, screen  # not the text/plain stand-in
    bar = next(line for line in screen.splitlines() if "200/200" in line)
    assert bar.startswith("100%|"), bar


def test_widgets_are_drawn_and_a_change_in_the_cell_redraws_in_place(spawn: Spawn) -> None:
    term = spawn("--no-banner", rows=30, cols=100)
    wait_prompt(term, 1)
    term.send("import ipywidgets as w; s = w.IntSlider(value=3, max=10, description='Level'); s\r")
    wait_prompt(term, 2, timeout=60)
    term.wait_for(re.compile(r"Level ━+●─+ 3"))
    assert "IntSlider(value=3, description" not in term.display()
    term.send("t = w.IntSlider(value=1, description='Late'); display(t); t.value = 9\r")
    wait_prompt(term, 3, timeout=30)
    term.wait_for(re.compile(r"Late ━+●─* 9"))
    assert not re.search(r"Late ━*●─+ 1$", term.display(), re.M), term.display()
    term.send("w.HBox([w.Checkbox(value=True, description='on'), w.Button(description='Go')])\r")
    wait_prompt(term, 4, timeout=30)
    term.wait_for("☑ on")
    term.send("w.Dropdown(options=['x', 'y'], value='y', description='Pick')\r")
    wait_prompt(term, 5, timeout=30)
    term.wait_for(re.compile(r"Pick y +▾"))


def test_an_unknown_widget_names_its_model_above_its_text(spawn: Spawn) -> None:
    term = spawn("--no-banner", rows=30, cols=100)
    wait_prompt(term, 1)
    term.send("import ipywidgets as w, traitlets as t\r")
    wait_prompt(term, 2, timeout=60)
    term.send("class Odd(w.DOMWidget): _model_name = t.Unicode('OddModel').tag(sync=True); "
              "_model_module = t.Unicode('odd-mod').tag(sync=True); "
              "_view_name = t.Unicode('OddView').tag(sync=True)\r")
    wait_prompt(term, 3, timeout=30)
    term.send("Odd()\r")
    wait_prompt(term, 4, timeout=30)
    term.wait_for("[widget OddModel (odd-mod): not drawn in the terminal]")
    term.wait_for("Odd()")


def test_an_output_widget_shows_what_it_captured(spawn: Spawn) -> None:
    term = spawn("--no-banner", rows=30, cols=100)
    wait_prompt(term, 1)
    term.send("import ipywidgets as w; out = w.Output(); display(out); "
              "exec('with out:\\n    print(6 * 7)')\r")
    wait_prompt(term, 2, timeout=60)
    term.wait_for(re.compile(r"^42 *$", re.M))  # drawn in the widget, redrawn in place
    term.send("out.outputs[0]['text']\r")
    wait_prompt(term, 3, timeout=30)
    term.wait_for("Out[2]: '42\\n'")
    assert len(re.findall(r"^42 *$", term.display(), re.M)) == 1, term.display()


def test_attached_to_a_kernel_with_widgets_it_draws_them(spawn: Spawn,
                                                          console_env: dict[str, str]) -> None:
    from jupyter_client.manager import KernelManager

    from tests.console.test_console_existing import _execute_as_other_client

    runtime = Path(console_env["JUPYTER_RUNTIME_DIR"])
    runtime.mkdir(parents=True, exist_ok=True)
    km = KernelManager(kernel_name="python3", connection_file=str(runtime / "k-widgets.json"))
    km.start_kernel(env=console_env)
    try:
        reply = _execute_as_other_client(
            km, "import ipywidgets as w; old = w.IntSlider(value=8, description='Old')")
        assert reply["content"]["status"] == "ok"
        term = spawn("--existing", km.connection_file, "--no-banner")
        wait_prompt(term, 2)  # the kernel ran one cell already
        term.send("old\r")
        term.wait_for(re.compile(r"Old ━+●─+ 8"), timeout=30)
        term.send("exit\r")
        assert term.wait_exit(timeout=15) == 0
    finally:
        km.shutdown_kernel(now=True)
