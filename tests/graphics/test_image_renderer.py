"""tui.render.image through the registry, on real matplotlib images and hostile ones."""

from __future__ import annotations

import base64
import io
import threading
import time
from pathlib import Path

import pytest
from PIL import Image
from rich.console import Console

from tui.render.context import RenderContext
from tui.render.image import CACHE, Loading, Picture, render_image
from tui.render.registry import render_data

IMAGES = Path(__file__).resolve().parents[1] / "data" / "rich" / "images"


def b64(path: Path) -> str:
    return base64.b64encode(path.read_bytes()).decode()


def lines_of(renderable: object, width: int = 100) -> list[str]:
    console = Console(width=width, file=io.StringIO(), record=True, color_system="truecolor",
                      force_terminal=True)
    console.print(renderable)
    return console.export_text(styles=False).removesuffix("\n").split("\n")


@pytest.mark.parametrize("name,mime", [
    ("matplotlib_plot.png", "image/png"), ("matplotlib_plot.jpg", "image/jpeg"),
    ("matplotlib_plot.webp", "image/webp"), ("matplotlib_plot.bmp", "image/bmp"),
    ("two_frames.gif", "image/gif"), ("matplotlib_plot.svg", "image/svg+xml")])
def test_real_images_are_drawn_in_halfblocks_within_the_width(name: str, mime: str) -> None:
    value = (IMAGES / name).read_text() if mime == "image/svg+xml" else b64(IMAGES / name)
    ctx = RenderContext(width=60, graphics="halfblock")
    picture = render_data({mime: value, "text/plain": "<Figure size 432x288 with 1 Axes>"},
                          {}, ctx)
    assert isinstance(picture, Picture)
    lines = lines_of(picture)
    assert len(lines) == picture.rows and 1 <= picture.rows <= ctx.max_image_rows
    assert all(len(line) <= 60 for line in lines)
    assert "▀" in lines[0] and "Figure" not in "".join(lines)


def test_metadata_width_is_honoured() -> None:
    value = b64(IMAGES / "matplotlib_plot.png")
    ctx = RenderContext(width=100, graphics="halfblock")
    small = render_image(value, {"width": 100}, ctx)
    natural = render_image(value, {}, ctx)
    assert isinstance(small, Picture) and isinstance(natural, Picture)
    assert small.cols == 20 and small.cols < natural.cols  # 100 px at 5 px a half-block cell


def test_kitty_uses_placeholder_cells_and_one_upload() -> None:
    sent: list[str] = []
    ctx = RenderContext(width=80, graphics="kitty", emit=sent.append)
    picture = render_image(b64(IMAGES / "matplotlib_plot.png"), {}, ctx)
    lines = lines_of(picture)
    assert len(sent) == 1 and sent[0].startswith("\x1b_Ga=T,U=1,f=100,q=2")
    assert len(lines) == picture.rows and "\U0010eeee" in lines[0]


@pytest.mark.parametrize("value,reason", [
    ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB", "not an image"),
    ("not base64 at all!!", "base64"),
])
def test_bad_base64_is_a_placeholder_saying_why(value: str, reason: str) -> None:
    out = "\n".join(lines_of(render_data({"image/png": value}, {}, RenderContext())))
    assert out.startswith("[image/png") and reason in out


def test_a_huge_png_is_refused_before_decoding() -> None:
    buf = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buf, format="PNG")
    assert buf.tell() < 200_000
    start = time.perf_counter()
    out = "\n".join(lines_of(render_data({"image/png": base64.b64encode(buf.getvalue()).decode()},
                                         {}, RenderContext())))
    assert time.perf_counter() - start < 5
    assert "too large" in out and "20000" in out


def test_interactive_decoding_is_off_thread_and_asks_for_one_redraw() -> None:
    CACHE.clear()
    ready = threading.Event()
    calls: list[str] = []

    def redraw() -> None:
        calls.append(threading.current_thread().name)
        ready.set()

    ctx = RenderContext(width=80, graphics="halfblock", interactive=True, request_redraw=redraw)
    value = b64(IMAGES / "matplotlib_plot.png")
    first = render_image(value, {}, ctx)
    assert isinstance(first, Loading) and first.rows > 1
    assert len(lines_of(first)) == first.rows  # the same height as the picture to come
    assert ready.wait(30)
    second = render_image(value, {}, ctx)
    assert isinstance(second, Picture) and second.rows == first.rows
    assert len(calls) == 1 and calls[0] != threading.current_thread().name


def test_interactive_svg_is_rasterised_off_thread_then_drawn() -> None:
    """An SVG in the editor: resvg's worker process is waited for on a pool thread, never on
    the UI thread; the picture keeps the Loading rows."""
    from tui.render.image import render_svg

    CACHE.clear()
    events = [threading.Event(), threading.Event()]
    calls: list[str] = []

    def redraw() -> None:
        calls.append(threading.current_thread().name)
        events[len(calls) - 1].set()

    ctx = RenderContext(width=80, graphics="halfblock", interactive=True, request_redraw=redraw)
    svg = (IMAGES / "matplotlib_plot.svg").read_text()
    first = render_svg(svg, {}, ctx)
    assert isinstance(first, Loading) and first.rows > 1
    assert events[0].wait(60)  # rasterised
    second = render_svg(svg, {}, ctx)
    if isinstance(second, Loading):  # then encoded as half-blocks
        assert second.rows == first.rows and events[1].wait(60)
        second = render_svg(svg, {}, ctx)
    assert isinstance(second, Picture) and second.rows == first.rows
    assert all(name != threading.current_thread().name for name in calls)
    assert "▀" in lines_of(second)[0]


def test_interactive_bad_svg_becomes_a_placeholder_after_the_worker_says_why() -> None:
    from tui.render.image import render_svg

    CACHE.clear()
    done = threading.Event()
    ctx = RenderContext(width=80, graphics="halfblock", interactive=True,
                        request_redraw=done.set)
    bomb = ('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
            + "<g>" * 150 + "</g>" * 150 + "</svg>")
    first = render_svg(bomb, {}, ctx)  # its size reads fine; the worker refuses the depth
    assert isinstance(first, Loading)
    assert done.wait(60)
    out = "\n".join(lines_of(render_data({"image/svg+xml": bomb}, {}, ctx)))
    assert "cannot draw SVG" in out
