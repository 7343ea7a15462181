"""text/html other than tables: formatted text, images through the registry, scripts never
shown, nothing-visible HTML unrenderable, malformed input never crashing."""

from __future__ import annotations

import base64
import io
import json
import random
import re
import time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from rich.console import Console, RenderableType

from tui.render import registry
from tui.render.context import RenderContext
from tui.render.html import render_html
from tui.render.registry import Unrenderable, render_data, render_mime

DATA = Path(__file__).resolve().parent.parent / "data" / "rich"
HTML = DATA / "html"


def export(renderable: RenderableType, width: int = 80, styles: bool = False) -> str:
    console = Console(width=width, record=True, color_system="standard" if styles else None,
                      file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(renderable)
    return console.export_text(styles=styles)


def render(html: str, width: int = 80, console_width: int | None = None,
           **kwargs: Any) -> str:
    ctx = RenderContext(width=width, **kwargs)
    return export(render_html(html, {}, ctx), console_width or width)


def test_markdown_it_document_formatted() -> None:
    out = render((HTML / "markdown_it.html").read_text(encoding="utf-8"), width=60,
                 graphics="none")
    lines = [line.rstrip() for line in out.splitlines()]
    assert lines[0] == "Report & summary"
    assert lines[1] == ""  # paragraphs and headings separated by a blank line
    assert "Some bold, italic, code() and a link (https://example.com/docs)" in " ".join(lines)
    assert all(len(line) <= 60 for line in lines)
    text = "\n".join(lines)
    assert "1. first step\n2. second step\n   ◦ nested bullet\n   ◦ another one\n3. third step" \
        in text
    assert "• apple\n• banana" in text
    assert "\n  A quoted remark, indented." in text  # blockquote indented
    assert "def f(x):\n    return  x  + 1\n" in text  # <pre> verbatim
    assert "─" * 60 in text  # <hr>
    assert "[image: a red square]" in text  # graphics none: alt text
    assert "[image: remote picture]" in text
    assert "Entities: <tag> © café" in text
    assert "<" not in text.replace("<tag>", "")


def test_inline_styles() -> None:
    html = ("<p><b>bold</b> <i>it</i> <u>under</u> <code>x()</code> <kbd>Ctrl</kbd> "
            '<a href="https://example.com">site</a></p><h1>Head</h1><h2>Sub</h2>')
    styled = export(render_html(html, {}, RenderContext()), styles=True)
    assert "\x1b[1mbold" in styled
    assert "\x1b[3mit" in styled
    assert "\x1b[4munder" in styled
    assert re.search(r"\x1b\[1;36mx\(\)", styled)
    assert "\x1b[7mCtrl" in styled
    assert "\x1b[1;4mHead" in styled  # h1 bold underlined
    assert "\x1b[1mSub" in styled
    assert "\x1b]8;" in styled and "https://example.com" in styled  # a terminal hyperlink
    assert "\x1b[4msite" in styled  # underlined, then the URL dim
    assert re.search(r"\x1b\[2m \(https://example\.com\)", styled)
    ctx = RenderContext()
    text = render_html('<a href="https://e.org">https://e.org</a>', {}, ctx)
    assert export(text).strip() == "https://e.org"  # URL not repeated


def test_br_entities_whitespace_and_width() -> None:
    out = render("<p>line   one<br>line\ttwo &amp; &lt;three&gt; &#9731; &nbsp;x</p>")
    assert out.splitlines()[:2] == ["line one", "line two & <three> ☃ \xa0x"]
    words = " ".join(["word"] * 40)
    out = render(f"<div>{words}</div><blockquote>{words}</blockquote>", width=30,
                 console_width=100)
    assert all(len(line.rstrip()) <= 30 for line in out.splitlines())
    assert out.count("word") == 80


def test_blocks_separation() -> None:
    out = render("<div>a</div><div>b</div><p>c</p><p>d</p><h3>e</h3>f")
    assert out.splitlines() == ["a", "b", "", "c", "", "d", "", "e", "", "f"]
    out = render("<ol start=9><li>nine<li>ten</ol><dl><dt>term<dd>meaning</dl>")
    assert [line.rstrip() for line in out.splitlines()[:2]] == [" 9. nine", "10. ten"]
    assert [line.rstrip() for line in out.splitlines()[3:5]] == ["term", "    meaning"]


def png_b64(size: tuple[int, int] = (4, 4)) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", size, (0, 128, 255)).save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def test_data_uri_image_goes_through_the_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str, Any, int]] = []
    original = registry.render_mime

    def spy(mime: str, value: Any, metadata: Any, ctx: RenderContext) -> RenderableType:
        calls.append((mime, value, metadata, ctx.width))
        return original(mime, value, metadata, ctx)

    monkeypatch.setattr(registry, "render_mime", spy)
    payload = png_b64()
    html = (f'<p>before</p><img src="data:image/png;base64,{payload}" alt="dot" width="40">'
            '<blockquote><img src="data:image/svg+xml;base64,'
            + base64.b64encode(b"<svg xmlns='http://www.w3.org/2000/svg'/>").decode()
            + '" alt="vector"></blockquote>')
    out = render(html, width=70, graphics="halfblock")
    assert calls[0] == ("image/png", payload, {"image/png": {"width": 40}}, 70)
    assert calls[1][:2] == ("image/svg+xml", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    assert calls[1][3] == 68  # inside the quote's indent
    assert "[image: dot]" not in out and "before" in out
    calls.clear()
    out = render(html, graphics="none")
    assert calls == [] and "[image: dot]" in out and "[image: vector]" in out
    out = render('<img src="data:image/png;base64,@@@" alt="bad">', graphics="halfblock")
    assert out.strip()  # a placeholder (or the renderer's reason), never a crash


def test_scripts_styles_head_never_shown() -> None:
    html = ("<html><head><title>Title</title><style>p { color: red }</style>"
            "<script>document.write('<p>js</p>')</script></head><body>"
            "<p>visible</p><script type='text/javascript'>var x = 1;</script>"
            "<div style='display:none'>hidden</div><template><p>tpl</p></template>"
            "<noscript>no js here</noscript></body></html>")
    out = render(html)
    assert "visible" in out and "no js here" in out
    for leak in ("Title", "color", "document", "var x", "hidden", "tpl", "{"):
        assert leak not in out


@pytest.mark.parametrize("html", [
    "<script>alert('x')</script>",
    "<style>.a { color: red }</style>\n\n",
    # the shape of bokeh's and plotly's notebook loaders: an empty target div and scripts
    '<div class="bk-root" id="1001"></div>\n<script type="text/javascript">'
    "(function(root) { root._bokeh_onload_callbacks = []; })(window);</script>",
    '<div>                        <script type="text/javascript">window.PlotlyConfig = '
    '{MathJaxConfig: "local"};</script>\n<div id="abc" class="plotly-graph-div" '
    'style="height:525px; width:100%;"></div>            </div>',
    "",
    "   \n ",
    "<!-- only a comment -->",
])
def test_nothing_visible_is_unrenderable(html: str) -> None:
    with pytest.raises(Unrenderable):
        render_html(html, {}, RenderContext())


def test_script_only_real_output_falls_back_to_text_plain() -> None:
    notebook = json.loads((DATA / "notebooks" / "nbconvert" / "notebook_inject.ipynb")
                          .read_text(encoding="utf-8"))
    bundles = [o["data"] for c in notebook["cells"] for o in c.get("outputs", [])
               if "text/html" in o.get("data", {})]
    assert bundles
    for data in bundles:
        with pytest.raises(Unrenderable):
            render_mime("text/html", data["text/html"], {}, RenderContext())
        shown = export(render_data({**data, "text/plain": "<IPython.core.display.HTML>"},
                                   {}, RenderContext()))
        assert "alert" not in shown and "IPython.core.display.HTML" in shown


def test_difflib_page_shows_the_diff_not_its_css() -> None:
    out = render((HTML / "difflib_htmldiff.html").read_text(encoding="utf-8"), width=100)
    assert "before.txt" in out and "after.txt" in out
    row = next(line for line in out.splitlines() if "BETA" in line)
    assert row.index("beta") < row.index("BETA")
    assert "Legends" in out
    for leak in ("font-family", "{", "diff_header", "DOCTYPE", "charset"):
        assert leak not in out


MALFORMED = [
    "<table><tr><td>a<td>b</tr></td></td><tr><td>c</table></table>",
    "</td></tr></table><b><i>x</b></i>",
    "<<<>>><<!--",
    "<table><td>1<td>2<tr><th>3",
    "<ul><li>a<ol><li>b</ul>z",
    "<p>" * 5000 + "deep",
    "<div>" * 20000 + "x",
    "<table>" * 500 + "<td>x",
    '<a href=">x</a>',
    "&#99999999999; &bogus; &#x110000; &",
    "<td rowspan=99999999 colspan=99999>x</td>",
    "<table><tr><td rowspan=3 colspan=2>a</td><td>b</td></tr><tr><td colspan=5>d</td></tr>"
    "<tr><td rowspan=0>e<td>f<td>g</tr><tr><td>h</table>",
    "<tr><td>orphan row</td></tr>",
    "<caption>lonely caption</caption><th>x</th>",
    "<pre>" + "x" * 100000,
    "<img src='data:image/png;base64,'>",
    "<![CDATA[ odd ]]> <?php echo 1 ?> <!DOCTYPE html> text",
    "\x00\x01\x1b[31m<b>ctl</b>",
]


@pytest.mark.parametrize("html", MALFORMED, ids=range(len(MALFORMED)))
def test_malformed_never_crashes(html: str) -> None:
    start = time.perf_counter()
    try:
        renderable = render_html(html, {}, RenderContext(width=60))
    except Unrenderable:
        return
    out = export(renderable, 60)
    assert time.perf_counter() - start < 2.0
    assert isinstance(out, str)


def test_malformed_keeps_text() -> None:
    assert render("<table><tr><td>a<td>b</tr></td></td><tr><td>c</table>").split() == [
        "a", "b", "c"]
    assert "deep" in render("<p>" * 5000 + "deep")
    assert "x" in render("<div>" * 20000 + "x")
    assert "orphan row" in render("<tr><td>orphan row</td></tr>")


def test_random_markup_fuzz() -> None:
    rng = random.Random(11)
    alphabet = ["<", ">", "/", "=", '"', "'", " ", "a", "b", "td", "tr", "th", "table", "li",
                "ul", "p", "pre", "&", ";", "#", "!", "-", "rowspan=", "colspan=", "9",
                "script", "style", "img src=", "data:image/png;base64,"]
    ctx = RenderContext(width=50, graphics="none")
    for _ in range(300):
        html = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 120)))
        try:
            export(render_html(html, {}, ctx), 50)
        except Unrenderable:
            pass


def test_huge_text_bounded() -> None:
    html = "<p>" + "word &amp; " * 600_000 + "</p>"
    start = time.perf_counter()
    out = render(html)
    assert time.perf_counter() - start < 3.0
    assert "cut" in out.splitlines()[-1]


def test_inline_svg_drawn_verbatim_through_the_registry(
        monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str]] = []
    original = registry.render_mime

    def spy(mime: str, value: Any, metadata: Any, ctx: RenderContext) -> RenderableType:
        calls.append((mime, value))
        return original(mime, value, metadata, ctx)

    monkeypatch.setattr(registry, "render_mime", spy)
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n'
           '<linearGradient id="g"/><text>label</text></svg>')
    out = render(f"<p>plot:</p><div>{svg}</div>", graphics="halfblock")
    assert calls == [("image/svg+xml", svg)]  # attribute case kept (viewBox)
    assert "label" not in out.replace("[image/svg+xml", "")
    calls.clear()
    out = render(f"<div>{svg}</div>", graphics="none")
    assert calls == [] and out.strip() == "[image: svg]"
