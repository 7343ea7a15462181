"""Decoding, sizing, scaling and caching of real images."""

from __future__ import annotations

import base64
import threading
import time

import pytest
from PIL import Image

from tests.graphics.conftest import IMAGES, b64
from tui.graphics.raster import (
    DecodePool,
    ImageCache,
    ImageError,
    content_key,
    decode_base64,
    display_size,
    fit_cells,
    image_size,
    scaled_rgb,
)


def test_decode_base64_tolerates_lines_and_whitespace() -> None:
    text = b64("matplotlib_plot.png")
    lines = [text[i:i + 76] + "\n" for i in range(0, len(text), 76)]
    data = (IMAGES / "matplotlib_plot.png").read_bytes()
    assert decode_base64(lines) == data
    assert decode_base64(" " + text) == data
    assert decode_base64("data:image/png;base64," + text) == data


@pytest.mark.parametrize(("value", "reason"), [
    ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfF", "truncated base64"),
    ("iVBO$$$$", "invalid base64"),
    ("", "empty image"),
])
def test_bad_base64_has_a_reason(value: str, reason: str) -> None:
    with pytest.raises(ImageError, match=reason):
        decode_base64(value)


@pytest.mark.parametrize(("name", "size"), [
    ("matplotlib_plot.png", (432, 288)), ("matplotlib_plot.jpg", (432, 288)),
    ("matplotlib_plot.webp", (432, 288)), ("matplotlib_plot.bmp", (216, 144)),
    ("two_frames.gif", (40, 30)),
])
def test_image_size_from_the_header(name: str, size: tuple[int, int]) -> None:
    assert image_size((IMAGES / name).read_bytes()) == size


def test_huge_image_refused_before_decoding(huge_png_b64: str) -> None:
    data = base64.b64decode(huge_png_b64)
    assert len(data) < 100_000
    start = time.monotonic()
    with pytest.raises(ImageError, match="image too large: 20000×20000"):
        image_size(data)
    with pytest.raises(ImageError, match="image too large"):
        scaled_rgb(data, (80, 80))
    assert time.monotonic() - start < 1.0


def test_not_an_image() -> None:
    with pytest.raises(ImageError, match="not an image"):
        image_size(b"hello world")


def test_truncated_png_data_fails_with_a_reason() -> None:
    data = (IMAGES / "matplotlib_plot.png").read_bytes()
    with pytest.raises(ImageError, match="cannot decode image"):
        scaled_rgb(data[: len(data) // 2], (40, 30))


def test_display_size_honours_metadata() -> None:
    assert display_size((400, 200), {}) == (400, 200)
    assert display_size((400, 200), {"width": 200}) == (200, 100)
    assert display_size((400, 200), {"height": "50px"}) == (100, 50)
    assert display_size((400, 200), {"width": 10, "height": 10}) == (10, 10)
    assert display_size((400, 200), {"width": -3, "height": True}) == (400, 200)


def test_fit_cells() -> None:
    # natural size: 432x288 px at 10x20 px cells is 43x14 cells
    assert fit_cells((432, 288), width=80, max_rows=40, cell_size=(10, 20)) == (43, 14)
    # too wide: scaled to 40 columns, aspect kept
    assert fit_cells((800, 400), width=40, max_rows=40, cell_size=(10, 20)) == (40, 10)
    # too tall: scaled to 10 rows
    assert fit_cells((100, 1000), width=80, max_rows=10, cell_size=(10, 20)) == (2, 10)
    assert fit_cells((1, 1), width=80, max_rows=40, cell_size=(10, 20)) == (1, 1)


def test_scaled_rgb_of_every_format() -> None:
    for name in ("matplotlib_plot.png", "matplotlib_plot.jpg", "matplotlib_plot.webp",
                 "matplotlib_plot.bmp", "two_frames.gif"):
        image = scaled_rgb((IMAGES / name).read_bytes(), (43, 28))
        assert image.mode == "RGB" and image.size == (43, 28)


def test_gif_first_frame_and_transparency_on_background() -> None:
    gif = scaled_rgb((IMAGES / "two_frames.gif").read_bytes(), (4, 3))
    assert gif.getpixel((1, 1)) == (255, 0, 0)
    import io
    out = io.BytesIO()
    Image.new("RGBA", (2, 2), (0, 0, 0, 0)).save(out, format="PNG")
    clear = scaled_rgb(out.getvalue(), (2, 2), background=(1, 2, 3))
    assert clear.getpixel((0, 0)) == (1, 2, 3)


def test_cache_is_bounded_in_bytes_and_lru() -> None:
    cache = ImageCache(max_bytes=100)
    cache.put("a", 1, 40)
    cache.put("b", 2, 40)
    assert cache.get("a") == 1  # a is now the most recent
    cache.put("c", 3, 40)
    assert cache.get("b") is None and cache.get("a") == 1 and cache.get("c") == 3
    assert cache.nbytes == 80
    cache.put("huge", 4, 1000)
    assert cache.get("huge") is None and len(cache) == 2


def test_pool_runs_once_per_key_and_calls_back() -> None:
    cache = ImageCache()
    pool = DecodePool(cache, workers=1)
    release = threading.Event()
    done = threading.Event()
    runs: list[int] = []
    calls: list[str] = []

    def work() -> tuple[str, int]:
        release.wait(5)
        runs.append(1)
        return ("pixels", 10)

    def callback() -> None:
        calls.append("redraw")
        done.set()

    pool.submit("k", work, callback)
    pool.submit("k", work, callback)  # pending: not run again, callback not doubled
    assert pool.pending("k")
    release.set()
    assert done.wait(5)
    pool.shutdown()
    assert runs == [1] and calls == ["redraw"] and cache.get("k") == "pixels"
    assert not pool.pending("k")


def test_pool_stores_errors() -> None:
    cache = ImageCache()
    pool = DecodePool(cache, workers=1)

    def bad() -> tuple[str, int]:
        raise ImageError("nope")

    pool.submit("k", bad)
    pool.shutdown()
    error = cache.get("k")
    assert isinstance(error, ImageError) and str(error) == "nope"


def test_content_key() -> None:
    assert content_key(b"abc") == "a9993e364706816aba3e25717850c26c9cd0d89d"
