"""Tab completion and Shift+Tab inspection against real kernels, as JupyterLab behaves
(Pilot; waits on events, never sleeps)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.style import Style
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.notebook import kernel_actions
from tui.notebook.completion_popup import MATCH_STYLE, CompletionPopup
from tui.notebook.inspect_view import NO_ANSWER, NOT_FOUND, InspectScreen
from tui.session import KernelState

from .conftest import RunDriver, make_notebook, run_editor

pytestmark = pytest.mark.kernel

DOC_LINES = 80
SETUP = (
    "%config Completer.use_jedi = False\n"  # jedi's type lookups time out on a loaded machine
    "zeta_alpha = 1\nzeta_beta = 2\nzeta_gamma_beta = 3\n"
    "def zeta_fn(a, b=2):\n"
    "    '''Add things.\n\n" + "".join(f"    doc line {k}\n" for k in range(DOC_LINES)) + "    '''"
)


def popup_of(ed: RunDriver) -> CompletionPopup | None:
    found = ed.screen.query(CompletionPopup)
    return found.first() if found else None


async def open_popup(ed: RunDriver, *keys: str) -> CompletionPopup:
    """Type ``keys``, press Tab and wait for the focused popup."""
    await ed.press(*keys, "tab")

    def shown() -> bool:
        popup = popup_of(ed)
        return popup is not None and ed.app.focused is popup

    await ed.until(shown)
    popup = popup_of(ed)
    assert popup is not None
    return popup


def editor_text(ed: RunDriver) -> str:
    assert ed.screen.editor is not None
    return ed.screen.editor.text


def last_line(ed: RunDriver) -> str:
    return editor_text(ed).split("\n")[-1]


def labels(popup: CompletionPopup) -> list[str]:
    return [str(popup.get_option_at_index(i).prompt) for i in range(popup.option_count)]


async def closed(ed: RunDriver) -> None:
    await ed.until(lambda: popup_of(ed) is None and ed.app.focused is ed.screen.editor)


async def setup_editing(ed: RunDriver) -> None:
    await ed.press("ctrl+e")
    await ed.idle()
    assert ed.cells[0].outputs == [], ed.cells[0].outputs
    await ed.press("j", "enter")


async def test_the_list_filters_fuzzily_as_you_type_ranked_as_jupyterlab(tmp_path: Path) -> None:
    async with run_editor(make_notebook(SETUP, ""), tmp_path / "a.ipynb") as ed:
        await setup_editing(ed)
        popup = await open_popup(ed, *"zeta_")
        everything = ["zeta_alpha", "zeta_beta", "zeta_fn", "zeta_gamma_beta"]
        assert popup.matches == everything
        # the kernel's _jupyter_types_experimental: each item's type beside it
        assert [item.type for item in popup.items] == ["variable"] * 4
        assert all(label.endswith("variable") for label in labels(popup))

        await ed.press("b")  # "zeta_b": a prefix match scores better than a spread-out one
        assert popup.matches == ["zeta_beta", "zeta_gamma_beta"]
        assert [r.indices for r in popup.shown] == [(0, 1, 2, 3, 4, 5), (0, 1, 2, 3, 4, 11)]
        prompt = popup.get_option_at_index(1).prompt
        assert isinstance(prompt, Text)
        marked = {i for span in prompt.spans if span.style == MATCH_STYLE
                  for i in range(span.start, span.end)}
        assert marked == {0, 1, 2, 3, 4, 11}  # the matched characters are highlighted
        assert popup.highlighted == 0

        await ed.press("backspace")  # widens again
        assert popup.matches == everything
        await ed.press("g", "b")  # a subsequence: zeta_Gamma_Beta
        assert popup.matches == ["zeta_gamma_beta"]
        assert popup.shown[0].indices == (0, 1, 2, 3, 4, 5, 11)
        await ed.press("x")  # nothing matches any more: closes, the key stays typed
        await closed(ed)
        assert editor_text(ed) == "zeta_gbx"


async def test_insert_replaces_the_completed_span_and_keys_close_it(tmp_path: Path) -> None:
    async with run_editor(make_notebook(SETUP, ""), tmp_path / "b.ipynb") as ed:
        await setup_editing(ed)
        # Tab inserts the highlighted item in place of the text typed since cursor_start
        await open_popup(ed, *"zeta_")
        await ed.press("f", "tab")
        await closed(ed)
        assert editor_text(ed) == "zeta_fn"
        # Enter inserts the chosen one
        await open_popup(ed, "enter", *"x = zeta_")
        await ed.press("down", "enter")
        await closed(ed)
        assert last_line(ed) == "x = zeta_beta"
        # a single match goes in at once, without a popup
        await ed.press("enter", *"zeta_ga", "tab")
        await ed.until(lambda: last_line(ed) == "zeta_gamma_beta")
        assert popup_of(ed) is None
        # Escape closes and leaves the text alone (still in edit mode)
        await open_popup(ed, "enter", *"zeta_")
        await ed.press("escape")
        await closed(ed)
        assert last_line(ed) == "zeta_" and ed.screen.editor is not None
        # the cursor leaving the completed span closes it
        popup = await open_popup(ed, "backspace")  # the request covers "zeta" now
        await ed.press("_", "left")
        assert popup_of(ed) is popup  # still inside: back where Tab was pressed
        await ed.press("left")
        await closed(ed)
        # deleting back past what was there at the request closes it
        await ed.press("end")
        await open_popup(ed)
        await ed.press("backspace")
        await closed(ed)
        assert last_line(ed) == "zeta"
        # any other key closes the popup and acts as usual: Shift+Enter runs the cell
        await open_popup(ed, "_")
        await ed.press("shift+enter")
        await ed.idle()
        assert popup_of(ed) is None
        assert ed.cells[1].execution_count is not None
        assert ed.cells[1].source.endswith("zeta_")


async def test_shift_tab_shows_the_help_coloured_scrollable_and_escape_closes(
        tmp_path: Path) -> None:
    async with run_editor(make_notebook(SETUP, ""), tmp_path / "c.ipynb") as ed:
        await setup_editing(ed)
        await ed.press(*"zeta_fn", "shift+tab")
        await ed.until(lambda: isinstance(ed.app.screen, InspectScreen))
        panel = ed.app.screen
        assert isinstance(panel, InspectScreen) and panel.mime == "text/plain"
        await ed.until_shown("Add things.")
        body = panel.query_one("#inspect-text", Static).content
        assert isinstance(body, Text)
        assert body.plain.startswith("Signature: zeta_fn(a, b=2)")
        assert "\x1b" not in body.plain  # ANSI turned into styles: IPython's red headings
        heading = [span.style for span in body.spans
                   if body.plain[span.start:span.end] == "Signature:"]
        assert heading and isinstance(heading[0], Style) and heading[0].color is not None
        assert heading[0].color.number == 1, heading  # ANSI red, \x1b[31m
        # long help scrolls with the keys
        scroll = panel.query_one(VerticalScroll)
        assert scroll.max_scroll_y > 0 and ed.app.focused is scroll
        assert "doc line 70" not in ed.text()
        await ed.press("end")
        await ed.until(lambda: scroll.scroll_y == scroll.max_scroll_y)
        await ed.until_shown("doc line 70")
        await ed.press("escape")
        await ed.until(lambda: ed.app.screen is ed.screen and ed.app.focused is ed.screen.editor)
        assert editor_text(ed) == "zeta_fn"
        # found: false
        await ed.press("enter", *"nosuch_thing_x", "shift+tab")
        await ed.until_shown(NOT_FOUND)
        assert ed.app.screen is ed.screen


async def test_shift_tab_renders_markdown_when_the_kernel_sends_it(tmp_path: Path) -> None:
    hook = ("get_ipython().inspector.mime_hooks = {\n"
            "    'text/markdown': lambda data: '# Heading\\n\\nSome **bold** words'}")
    async with run_editor(make_notebook(SETUP + "\n" + hook, ""), tmp_path / "d.ipynb") as ed:
        await setup_editing(ed)
        await ed.press(*"zeta_fn", "shift+tab")
        await ed.until(lambda: isinstance(ed.app.screen, InspectScreen))
        panel = ed.app.screen
        assert isinstance(panel, InspectScreen) and panel.mime == "text/markdown"
        await ed.until_shown("Some bold words")
        panel_text = ed.text().split("help · Esc closes", 1)[1]  # (the cell shows the hook)
        assert "Heading" in panel_text and "#" not in panel_text and "**" not in panel_text
        await ed.press("escape")
        await ed.until(lambda: ed.app.screen is ed.screen)


async def test_xeus_python_runs_completes_and_inspects(tmp_path: Path) -> None:
    nb = make_notebook("import sys\nprint('from', 'xeus')\nxeus_value = 6 * 7\nxeus_value",
                       "", kernel="xpython")
    async with run_editor(nb, tmp_path / "x.ipynb", kernel="xpython") as ed:
        await ed.press("ctrl+e")
        await ed.idle()
        text = ed.text()
        assert "kernel: xpython · idle" in text
        assert "from xeus" in text and "42" in text
        outputs = ed.cells[0].outputs
        assert [o["output_type"] for o in outputs] == ["stream", "execute_result"]
        assert outputs[0]["text"] == "from xeus\n"
        assert outputs[1]["data"]["text/plain"] == "42"
        assert ed.cells[0].execution_count == 1
        # completion without type metadata: the items show no type
        await ed.press("j", "enter")
        popup = await open_popup(ed, *"xeus_value.bit_")
        assert "bit_length" in popup.matches and all(not i.type for i in popup.items)
        await ed.press("escape")
        await closed(ed)
        # inspect: xeus sends text/html and text/plain; the panel shows the plain text
        await ed.press("enter", *"len", "shift+tab")
        await ed.until(lambda: isinstance(ed.app.screen, InspectScreen))
        await ed.until_shown("Return the number of items")


async def test_shift_tab_while_the_kernel_is_busy_says_it_did_not_answer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kernel_actions, "INSPECT_TIMEOUT", 0.5)
    busy = "import time; time.sleep(4)"
    async with run_editor(make_notebook(busy, ""), tmp_path / "e.ipynb") as ed:
        await ed.press("ctrl+e")  # runs the sleeping cell; Shift+Tab asks behind it
        await ed.until(lambda: ed.session.state is KernelState.BUSY)
        await ed.press("j", "enter", *"len", "shift+tab")
        await ed.until_shown(NO_ANSWER)
        assert ed.app.screen is ed.screen and NOT_FOUND not in ed.text()
        await ed.idle()
