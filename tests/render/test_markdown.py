"""Markdown with math and images (tui.render.markdown), on a real notebook's cell."""

from __future__ import annotations

import base64
import io
import json
import os
import timeit
from pathlib import Path

from rich.console import Console, Group

from tui.render.context import RenderContext
from tui.render.markdown import render_markdown, render_markdown_output
from tui.render.registry import render_mime

DATA = Path(__file__).resolve().parents[1] / "data" / "rich" / "markdown"
NB = json.loads((DATA / "attachments.ipynb").read_text())
CELL = NB["cells"][0]
SOURCE = "".join(CELL["source"])
PNG = base64.b64encode((DATA / "dot.png").read_bytes()).decode()


def shown(renderable: object, width: int = 60) -> list[str]:
    console = Console(width=width, color_system=None, record=True, file=io.StringIO())
    console.print(Group(renderable))  # type: ignore[arg-type]
    return [line.rstrip() for line in console.export_text().splitlines()]


def cell_ctx(graphics: str = "halfblock") -> RenderContext:
    return RenderContext(width=60, graphics=graphics, base_dir=DATA,  # type: ignore[arg-type]
                         attachments=CELL["attachments"])


def test_inline_math_becomes_unicode_and_code_stays() -> None:
    src = "The model is $y = \\alpha x^2 + \\beta$; costs \\$5, `$x$` and $5 and $6 stay."
    assert shown(render_markdown(src)) == [
        "The model is y = αx² + β; costs $5, $x$ and $5 and $6 stay."]


def test_markdown_specials_in_math_are_not_markup() -> None:
    assert shown(render_markdown("$a*b*c$ and $x_1 + y_2$")) == ["a * b * c and x₁ + y₂"]


def test_display_math_blocks() -> None:
    src = ("Before\n\n$$\\frac{a+b}{c}$$\n\n\\begin{equation}\nE = mc^2\n\\end{equation}\n\n"
           "$$\n\\sqrt{x}\n$$\n\nAfter")
    assert shown(render_markdown(src)) == [
        "Before", "", "a+b", "───", " c", "", "E = mc²", "", " _", "√x", "", "After"]


def test_fenced_code_keeps_dollars_and_math_syntax() -> None:
    src = "```python\nprice = '$x$'\n$$y$$\n```"
    lines = shown(render_markdown(src))
    assert any("price = '$x$'" in line for line in lines)
    assert any("$$y$$" in line for line in lines)


def test_bad_display_math_shows_its_source_and_why() -> None:
    lines = shown(render_markdown("$$\\frac{a}{b$$"))
    assert lines[0] == "\\frac{a}{b"
    assert lines[1].startswith("[math: LaTeX does not parse: unbalanced braces")


def test_images_drawn_through_the_registry() -> None:
    ctx = cell_ctx()
    drawn = shown(render_mime("image/png", PNG, {}, ctx))
    lines = shown(render_markdown(SOURCE, ctx=ctx))
    text = "\n".join(lines)
    # the attachment, the local file and the data URI: each drawn as the registry draws it
    assert text.count("\n".join(drawn)) == 3
    assert "[image: logo](https://jupyter.org/assets/logo.png)" in text  # never fetched
    assert "Euler: e^(iπ) + 1 = 0" in text
    assert "[image: image.png]" not in text


def test_images_without_graphics_or_context_are_labels() -> None:
    lines = shown(render_markdown(SOURCE, ctx=cell_ctx("none")))
    assert "[image: image.png]" in lines and "[image: dot]" in lines
    assert "[image: data]" in lines
    no_ctx = shown(render_markdown("![dot](dot.png)"))
    assert no_ctx == ["[image: dot]"]


def test_bad_image_sources_say_why() -> None:
    ctx = cell_ctx()
    assert shown(render_markdown("![a](attachment:nope.png)", ctx=ctx)) == [
        "[image: a: no such attachment]"]
    assert shown(render_markdown("![d](.)", ctx=ctx)) == ["[image: d: not an image file]"]
    assert shown(render_markdown("![m](missing.png)", ctx=ctx))[0].startswith(
        "[image: m: cannot read")
    # markdown-it refuses data: links other than images: the source stays text, as in Jupyter
    assert shown(render_markdown("![t](data:text/html;base64,PGI+)", ctx=ctx)) == [
        "![t](data:text/html;base64,PGI+)"]
    assert " ".join(shown(render_markdown("![t](data:image/png;base64,AAAA)", ctx=ctx))) == (
        "[image: t: not an image Pillow can read: UnidentifiedImageError]")


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.png")  # reading a FIFO would block forever
    (tmp_path / "dir.png").mkdir()
    ctx = RenderContext(base_dir=tmp_path)
    assert shown(render_markdown("![p](pipe.png)", ctx=ctx)) == ["[image: p: not a regular file]"]
    assert shown(render_markdown("![d](dir.png)", ctx=ctx)) == ["[image: d: not a regular file]"]
    big = tmp_path / "big.png"
    with big.open("wb") as fh:
        fh.truncate(21 * 1024 * 1024)
    assert shown(render_markdown("![b](big.png)", ctx=ctx))[0].startswith(
        "[image: b: file too large")


def test_html_img_lines_are_images() -> None:
    ctx = cell_ctx()
    drawn = shown(render_mime("image/png", PNG, {}, ctx))
    lines = shown(render_markdown('<img src="dot.png" width="200" alt="a dot">', ctx=ctx))
    assert lines == drawn
    assert shown(render_markdown("<img src='dot.png' alt='a dot'/>", ctx=cell_ctx("none"))) \
        == ["[image: a dot]"]


def test_output_renderer_passes_the_context() -> None:
    out = render_markdown_output(["![dot](dot.png)"], {}, cell_ctx("none"))
    assert shown(out) == ["[image: dot]"]


def test_plain_paragraph_is_not_slower() -> None:
    from rich.markdown import Markdown

    from tui.render.highlight import CODE_THEME

    src = "A plain paragraph with *emphasis*, a [link](https://x.org) and `code`.\n" * 5

    def before() -> object:
        return Markdown(src, code_theme=CODE_THEME, inline_code_lexer="python",
                        hyperlinks=True, justify="left")

    ours = min(timeit.repeat(lambda: render_markdown(src), number=200, repeat=5))
    base = min(timeit.repeat(before, number=200, repeat=5))
    assert ours < base * 1.5 + 0.005  # the same code path: only noise between them
    assert shown(render_markdown(src))[0].startswith("A plain paragraph with emphasis")


def test_empty_source() -> None:
    assert shown(render_markdown("  \n")) == ["(empty markdown cell: Enter to edit)"]


def test_hostile_sources_cost_bounded_time() -> None:
    import time

    for src in ("$" * 100_000, "\\( a " * 20_000, "\\[\nx\n" * 10_000, "$$x\n" * 20_000,
                "\\begin{align} x " * 10_000, "$x$ " * 10_000):
        start = time.perf_counter()
        shown(render_markdown(src), width=80)
        assert time.perf_counter() - start < 5.0, src[:20]


def test_images_in_list_items_quotes_and_text_are_drawn() -> None:
    ctx = cell_ctx()
    drawn = shown(render_mime("image/png", PNG, {}, ctx))
    assert len(drawn) == 1  # the 8x4 dot is one row of half-blocks
    lines = shown(render_markdown(
        "- first\n- ![image.png](attachment:image.png)\n\n> ![dot](dot.png)\n\n"
        "See ![dot](dot.png) here.", ctx=ctx))
    assert lines[1] == " • first"  # Rich starts a list with a blank line
    assert lines[2] == " • " + drawn[0]
    assert "▌ " + drawn[0] in lines
    # among text: a label where the image stands, the picture below the paragraph
    at = lines.index("See [image: dot] here.")
    assert lines[at + 1:at + 3] == ["", drawn[0]]


def test_svg_data_uri_is_drawn() -> None:
    svg = (DATA.parent / "images" / "matplotlib_plot.svg").read_bytes()
    ctx = cell_ctx()
    drawn = shown(render_mime("image/svg+xml", svg.decode(), {}, ctx))
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
    assert shown(render_markdown(f"![plot]({uri})", ctx=ctx)) == drawn


def test_display_math_in_list_items_and_quotes() -> None:
    src = ("1. Multi-line:\n   $$\n   \\frac{a+b}{c}\n   $$\n2. Second:\n\n"
           "   $$\\sqrt{x}$$\n\n   continues.\n3. third\n\n"
           "> Quote:\n>\n> $$\n> \\frac{1}{2}\n> $$\n>\n> after\n")
    lines = shown(render_markdown(src))
    assert lines[1:5] == [" 1 Multi-line:", "   a+b", "   ───", "    c"]
    assert lines[5:9] == [" 2 Second:", "    _", "   √x", "   continues."]
    assert lines[9] == " 3 third"
    quote = lines[lines.index("▌ Quote:"):]
    assert quote[:4] == ["▌ Quote:", "▌ 1", "▌ ─", "▌ 2"]
    assert quote[4] == "▌ after"
    assert not any("$" in line or "jtui-math" in line for line in lines)


def test_math_fence_lookalikes_and_code_stay_code() -> None:
    lines = shown(render_markdown("- item\n\n  ```python\n  x = '$$y$$'\n  ```\n"))
    assert any("x = '$$y$$'" in line for line in lines)
    lines = shown(render_markdown("```jtui-math-7\nkept\n```\n\n$x$"))
    assert any("kept" in line for line in lines)
