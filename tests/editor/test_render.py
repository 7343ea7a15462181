"""Rendering of sources and outputs to Rich renderables (tui/render)."""

from __future__ import annotations

import io

from rich.console import Console

from tui.render.ansi import ansi_text, tail_lines
from tui.render.highlight import get_lexer, language_of
from tui.render.markdown import render_markdown
from tui.render.outputs import human_size, outputs_text, render_outputs


def plain(renderable, width: int = 60) -> str:
    console = Console(width=width, color_system=None, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def test_language_comes_from_pygments_lexer_then_codemirror_then_kernelspec():
    assert language_of({"language_info": {"name": "python", "pygments_lexer": "ipython3"}}) \
        == "ipython3"
    assert language_of({"language_info": {"codemirror_mode": {"name": "julia"}}}) == "julia"
    assert language_of({"kernelspec": {"language": "R"}}) == "R"
    assert language_of({"language_info": {"pygments_lexer": "no-such-lexer"},
                        "kernelspec": {"language": "bash"}}) == "bash"
    assert language_of({}) == "python"
    assert get_lexer("no-such-lexer") is None


def test_ansi_colours_are_kept_and_long_text_shows_its_tail():
    text = ansi_text("\x1b[31mred\x1b[0m plain\n")
    assert text.plain == "red plain"
    assert [(span.start, span.end, span.style.color.number) for span in text.spans] == [
        (0, 3, 1)]
    shown, hidden = tail_lines("".join(f"{k}\n" for k in range(1000)), 10)
    assert hidden == 990 and shown.split("\n")[0] == "990"
    long = ansi_text("".join(f"{k}\n" for k in range(1000)), max_lines=5)
    assert "995 earlier lines not shown" in long.plain and long.plain.endswith("999")


def test_carriage_returns_show_the_last_state():
    assert ansi_text("10%\r50%\r100%\n").plain == "100%"


def test_markdown_renders_headings_lists_tables_code_and_links():
    out = plain(render_markdown("# Head\n\n- one\n- **two**\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
                                "```python\nx = 1\n```\n\n[site](https://jupyter.org)"))
    assert "Head" in out and "# Head" not in out
    assert "• one" in out and "two" in out and "**" not in out
    assert "─" in out and "|" not in out  # a table was drawn
    assert "x = 1" in out and "site" in out
    assert "empty markdown cell" in plain(render_markdown("  "))


def test_outputs_text_plain_stream_error_markdown_and_placeholders():
    outputs = [
        {"output_type": "stream", "name": "stdout", "text": "out\n"},
        {"output_type": "execute_result", "execution_count": 1, "metadata": {},
         "data": {"text/plain": "42", "image/png": "A" * 2048}},
        {"output_type": "display_data", "metadata": {},
         "data": {"text/markdown": "*md*", "text/html": "<b>x</b>", "text/plain": "p"}},
        {"output_type": "error", "ename": "E", "evalue": "v",
         "traceback": ["\x1b[31mTraceback\x1b[0m", "E: v"]},
    ]
    out = plain(render_outputs(outputs, order=("text/markdown", "text/plain")))
    assert "out" in out and "42" in out and "md" in out and "Traceback" in out
    assert "*md*" not in out and "image/png" not in out
    # the default order: the richest representation only (a bad PNG: a placeholder saying so)
    out = plain(render_outputs(outputs))
    assert "[image/png, 1.5 KiB" in out and "42" not in out
    assert outputs_text(outputs) == "out\n42\np\nTraceback\nE: v\n"
    assert render_outputs([]) is None
    assert human_size(512) == "512 B" and human_size(3 * 1024 * 1024) == "3.0 MiB"
