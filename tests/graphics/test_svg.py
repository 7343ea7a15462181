"""SVG rasterisation: a real matplotlib SVG, and bombs that must be placeholders in bounded
time without fetching anything."""

from __future__ import annotations

import io
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from tests.graphics.conftest import IMAGES
from tui.graphics import svg as svgmod
from tui.graphics.svg import SvgError, sanitize_svg, stop_worker, svg_size, svg_to_png

NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'


@pytest.fixture(autouse=True, scope="module")
def _worker_stopped() -> Iterator[None]:
    yield
    stop_worker()


def png_size(data: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(data)).size


def test_matplotlib_svg() -> None:
    source = (IMAGES / "matplotlib_plot.svg").read_text()
    assert svg_size(source) == (576.0, 384.0)  # 432pt × 288pt
    png = svg_to_png(source, 430)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (430, 287)
    assert len(set(image.getdata())) > 10  # lines, text and axes were drawn


def test_huge_viewbox_and_size_are_clamped_to_the_target() -> None:
    start = time.monotonic()
    bomb = f'<svg {NS} width="1e9" height="1e9" viewBox="0 0 1e9 1e9"><rect width="1e9" ' \
           'height="1e9" fill="red"/></svg>'
    assert png_size(svg_to_png(bomb, 100)) == (100, 100)
    tall = f'<svg {NS} viewBox="0 0 1 100000"><rect width="1" height="10"/></svg>'
    assert png_size(svg_to_png(tall, 400, max_height_px=800)) == (1, 800)
    assert time.monotonic() - start < 5


def test_deep_nesting_is_refused_quickly() -> None:
    depth = 100_000
    bomb = f'<svg {NS}>' + "<g>" * depth + "<rect/>" + "</g>" * depth + "</svg>"
    start = time.monotonic()
    with pytest.raises(SvgError, match="nested deeper than 100 levels"):
        svg_to_png(bomb, 100)
    assert time.monotonic() - start < 2


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
    '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
])
def test_entities_are_refused(doctype: str) -> None:
    bomb = f'<?xml version="1.0"?>{doctype}<svg {NS}><text>&d;&x;</text></svg>'
    start = time.monotonic()
    with pytest.raises(SvgError, match="entities"):
        svg_to_png(bomb, 100)
    assert time.monotonic() - start < 1


def test_external_references_are_never_fetched(tmp_path: Path) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.setblocking(False)
    port = listener.getsockname()[1]
    red = tmp_path / "red.png"
    Image.new("RGB", (10, 10), (255, 0, 0)).save(red)
    source = (
        f'<svg {NS} width="20" height="10">'
        f'<style>@import url(http://127.0.0.1:{port}/a.css); rect {{fill: '
        f'url(http://127.0.0.1:{port}/p.svg#x)}}</style>'
        f'<image href="http://127.0.0.1:{port}/x.png" width="10" height="10"/>'
        f'<image xlink:href="http://127.0.0.1:1/x.png" width="10" height="10"/>'
        f'<image href="file://{red}" width="10" height="10"/>'
        f'<image x="10" href="{red}" width="10" height="10"/>'
        '<image href="file:///etc/passwd" width="10" height="10"/>'
        '</svg>')
    clean, _ = sanitize_svg(source, 20)
    assert "127.0.0.1" not in clean and str(red) not in clean and "passwd" not in clean
    image = Image.open(io.BytesIO(svg_to_png(source, 20))).convert("RGBA")
    assert (255, 0, 0, 255) not in set(image.getdata())  # the local PNG was not read
    with pytest.raises(BlockingIOError):
        listener.accept()  # nobody connected
    listener.close()


def test_data_uri_images_and_internal_references_are_kept() -> None:
    import base64
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 0, 255)).save(out, format="PNG")
    uri = "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()
    source = (f'<svg {NS} width="10" height="10"><defs><linearGradient id="g">'
              '<stop offset="0" stop-color="#0f0"/></linearGradient></defs>'
              f'<image href="{uri}" width="10" height="5"/>'
              '<rect y="5" width="10" height="5" fill="url(#g)"/></svg>')
    image = Image.open(io.BytesIO(svg_to_png(source, 10))).convert("RGB")
    assert image.getpixel((5, 2)) == (0, 0, 255)
    assert image.getpixel((5, 8)) == (0, 255, 0)


@pytest.mark.parametrize(("source", "reason"), [
    ("<svg", "not valid SVG"),
    ("<html><body/></html>", "not an SVG document"),
    ("", "not valid SVG"),
])
def test_malformed(source: str, reason: str) -> None:
    with pytest.raises(SvgError, match=reason):
        svg_to_png(source, 100)


def test_source_size_limit() -> None:
    source = f'<svg {NS}>' + "<!-- x -->" * 600_000 + "</svg>"
    with pytest.raises(SvgError, match="SVG too large"):
        svg_to_png(source, 100)


def test_timeout_kills_the_worker_and_the_next_svg_draws() -> None:
    source = (IMAGES / "matplotlib_plot.svg").read_text()
    start = time.monotonic()
    with pytest.raises(SvgError, match="too long"):
        svg_to_png(source, 430, timeout=0.0)
    assert time.monotonic() - start < 1
    assert png_size(svg_to_png(source, 100)) == (100, 67)


def test_a_crashing_renderer_is_a_reason_not_a_crash() -> None:
    # unsanitised, 2000 levels overflow resvg's stack and kill its process
    deep = f'<svg {NS} width="10" height="10">' + "<g>" * 2000 + "</g>" * 2000 + "</svg>"
    with pytest.raises(SvgError, match=r"crashed|cannot draw"):
        svgmod._WORKER.render(deep, (10, 10), timeout=20)
    assert png_size(svg_to_png(f'<svg {NS} width="10" height="10"/>', 10)) == (10, 10)
