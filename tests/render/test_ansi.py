"""``ansi_text``: kernel text to Rich Text, sanitized and cut before Rich parses it."""

from __future__ import annotations

import time

from hypothesis import given, settings
from rich.console import Console

from tests.render.test_sanitize import HOSTILE, assert_only_sgr
from tui.render.ansi import ansi_text, bounded_line, clip_line, cut_mark
from tui.render.context import RenderContext
from tui.render.text import render_plain


def _ansi_out(text: object, width: int = 80) -> str:
    console = Console(width=width, force_terminal=True, color_system="truecolor",
                      legacy_windows=False)
    with console.capture() as capture:
        console.print(text)
    return capture.get()


def test_colours_are_kept_and_controls_removed() -> None:
    text = ansi_text("\x1b[31mred\x1b[0m\x1b]2;PWNED\x07 \x1b[6nplain\x07\n")
    assert text.plain == "red plain"
    assert [(s.start, s.end, s.style.color.number) for s in text.spans] == [(0, 3, 1)]  # type: ignore[union-attr]


@given(HOSTILE)
@settings(max_examples=300, deadline=None)
def test_rendered_output_holds_only_sgr(text: str) -> None:
    out = _ansi_out(ansi_text(text, max_line_cells=20))
    assert_only_sgr(out)


def test_a_long_line_is_cut_with_a_mark() -> None:
    text = ansi_text("short\n" + "x" * 10_000 + "\nafter", max_line_cells=100)
    lines = text.plain.split("\n")
    assert lines[0] == "short"
    assert lines[1] == "x" * 100 + " … (9,900 more characters)"
    assert lines[2] == "after"
    mark = next(s for s in text.spans if "dim" in str(s.style))
    assert text.plain[mark.start:mark.end].startswith(" … (9,900")


def test_no_limit_means_no_cut() -> None:
    assert ansi_text("y" * 5000).plain == "y" * 5000


def test_the_cut_counts_visible_characters_not_colour_codes() -> None:
    line = "".join(f"\x1b[3{k % 8}m{k % 10}" for k in range(40))
    shown, hidden = clip_line(line, 10)
    assert shown.endswith("9") and hidden == 30
    assert ansi_text(line, max_line_cells=10).plain == "0123456789" + cut_mark(30)


def test_a_cut_never_splits_an_escape_sequence() -> None:
    line = "ab\x1b[38;2;1;2;3m" + "c" * 50
    for limit in range(1, 20):
        shown, _ = clip_line(line, limit)
        assert_only_sgr(shown)
        assert not shown.endswith(("\x1b", "\x1b[", "\x1b[38"))


def test_a_line_of_escapes_costs_its_budget_only() -> None:
    raw = "\x1b[6n" * 5_000_000  # 20 MB of sequences to remove, nothing visible
    start = time.perf_counter()
    shown, hidden = bounded_line(raw, 100)
    assert time.perf_counter() - start < 0.5
    assert shown == ""
    assert hidden == len(raw) - (4 * 100 + 256)


def test_a_50_mb_line_renders_in_bounded_time() -> None:
    # Before: Rich parsed and wrapped all 50 MB (minutes). Now the line is cut first.
    text = "x" * 50_000_000 + "\n"
    start = time.perf_counter()
    rendered = ansi_text(text, max_line_cells=4000)
    out = _ansi_out(rendered)
    assert time.perf_counter() - start < 2.0
    assert "(49,996,000 more characters)" in rendered.plain
    assert out.count("x") == 4000


def test_progress_bar_keeps_the_last_state() -> None:
    assert ansi_text("10%\r50%\r100%\n").plain == "100%"


def test_text_plain_renderer_cuts_at_the_context_limit() -> None:
    ctx = RenderContext(max_line_cells=50)
    rendered = render_plain("z" * 80 + "\x1b]2;t\x07", {}, ctx)
    assert rendered.plain == "z" * 50 + cut_mark(30)  # type: ignore[union-attr]
