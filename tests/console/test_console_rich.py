"""Rich outputs in the real console (pexpect + pyte, a real ipykernel): plots drawn as
half-block cells, DataFrames as the registry's table, both printed above the prompt."""

from __future__ import annotations

import importlib.util

import pytest

from tests.console.conftest import Spawn, wait_prompt
from tui.console.rich_output import ConsoleRenderer

pytestmark = [pytest.mark.kernel, pytest.mark.pty]


def _renderer_exists(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def test_a_matplotlib_plot_is_drawn_in_half_blocks(spawn: Spawn) -> None:
    term = spawn("--no-banner", "--graphics", "halfblock", rows=40, cols=100)
    wait_prompt(term, 1)
    term.send("import matplotlib.pyplot as plt; plt.figure(figsize=(4, 3)); "
              "plt.plot([1, 3, 2]); plt.show()\r")
    wait_prompt(term, 2, timeout=60)
    screen = term.display()
    assert "<Figure size" not in screen  # the image is shown, not its text repr
    if _renderer_exists("tui.render.image"):
        assert screen.count("▀") > 100, screen
    else:  # the image renderer is another branch's: the registry says so
        assert "[image/png" in screen and "renderer not available" in screen, screen
    term.send("1 + 1\r")
    term.wait_for("Out[2]: 2")


def test_a_dataframe_prints_the_registry_table(spawn: Spawn) -> None:
    import pandas as pd

    code = "pd.DataFrame({'alpha': [1, 22, 333], 'beta': ['x', 'yy', 'zzz']})"
    df = eval(code, {"pd": pd})
    bundle = {"text/html": df._repr_html_(), "text/plain": repr(df)}
    expected = ConsoleRenderer(graphics="none", color=False).render(bundle, None, 100)
    term = spawn("--no-banner", "--graphics", "none")
    wait_prompt(term, 1)
    term.send(f"import pandas as pd; {code}\r")
    wait_prompt(term, 2, timeout=30)
    lines = [line.rstrip() for line in term.display().splitlines()]
    shown = [line.rstrip() for line in expected.splitlines() if line.strip()]
    assert shown and all(any(line.endswith(want) for line in lines) for want in shown), \
        (expected, term.display())
    if _renderer_exists("tui.render.html"):
        assert "333" in expected and "zzz" in expected
        assert "<table" not in expected
