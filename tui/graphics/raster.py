"""Image bytes to pixels sized for terminal cells: base64 decoding, a header-only size, the
cell geometry (honouring the output's ``metadata`` ``width``/``height``), decoding and scaling
with Pillow, a byte-bounded LRU cache and a small decoding pool.

Images over :data:`MAX_PIXELS` are refused from their header, before any pixel is decoded.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import math
import re
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PIL import Image

MAX_PIXELS = 50_000_000
"""Images with more pixels than this are refused before decoding (a 20,000×20,000 PNG is a
few KB on disk and 1.6 GB decoded)."""

MAX_SOURCE_BYTES = 64 * 1024 * 1024
"""Encoded images larger than this are refused."""

Image.MAX_IMAGE_PIXELS = 10 * MAX_PIXELS
"""Pillow's own bomb check (it refuses twice this at open), a second guard behind ours: ours
names the size (``image too large: 20000×20000``), Pillow's only a pixel count."""

RGB = tuple[int, int, int]

WHITE: RGB = (255, 255, 255)
"""Transparent pixels are composited on this (as a notebook shows them)."""


class ImageError(Exception):
    """An image that cannot be drawn; the message is the reason."""


_SPACE = re.compile(r"\s+")


def decode_base64(value: str | list[str] | bytes) -> bytes:
    """The bytes of a notebook's base64 image value (a string or a list of lines; whitespace
    and a ``data:...;base64,`` prefix tolerated). Raises :class:`ImageError` with the reason."""
    if isinstance(value, bytes):
        return value
    text = "".join(value) if isinstance(value, list) else value
    if not isinstance(text, str):
        raise ImageError(f"not base64 text: {type(value).__name__}")
    if text.startswith("data:"):
        text = text.partition(",")[2]
    text = _SPACE.sub("", text)
    if len(text) * 3 // 4 > MAX_SOURCE_BYTES:
        raise ImageError(f"image too large: {len(text) * 3 // 4} bytes")
    if not text:
        raise ImageError("empty image")
    if len(text) % 4:
        raise ImageError(f"truncated base64 ({len(text)} characters, not a multiple of 4)")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImageError(f"invalid base64: {exc}") from None


def content_key(data: bytes) -> str:
    """The SHA-1 of ``data``, for cache keys."""
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()


def open_image(data: bytes) -> Image.Image:
    """``data`` opened lazily (header only), its size checked against :data:`MAX_PIXELS`."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        found = re.search(r"\((\d+) pixels\)", str(exc))
        count = f"{int(found.group(1)):,} pixels" if found else "decompression bomb"
        raise ImageError(f"image too large: {count}") from None
    except Exception as exc:  # Pillow raises many types for bad headers
        raise ImageError(f"not an image Pillow can read: {type(exc).__name__}") from None
    width, height = image.size
    if width <= 0 or height <= 0:
        raise ImageError(f"empty image: {width}×{height}")
    if width * height > MAX_PIXELS:
        raise ImageError(f"image too large: {width}×{height}")
    return image


def image_size(data: bytes) -> tuple[int, int]:
    """(width, height) in pixels from the header only; raises :class:`ImageError`."""
    return open_image(data).size


def _positive(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip().removesuffix("px")
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, (int, float)) and math.isfinite(value) and value > 0:
        return float(value)
    return None


def display_size(size: tuple[int, int], metadata: Mapping[str, Any] | None) -> tuple[float, float]:
    """The size in pixels to show an image of ``size`` at: ``metadata`` ``width``/``height``
    when given (one alone keeps the aspect ratio), else the image's own."""
    width, height = size
    meta = metadata or {}
    want_w, want_h = _positive(meta.get("width")), _positive(meta.get("height"))
    if want_w and want_h:
        return (want_w, want_h)
    if want_w:
        return (want_w, height * want_w / width)
    if want_h:
        return (width * want_h / height, want_h)
    return (float(width), float(height))


def fit_cells(size: tuple[float, float], *, width: int, max_rows: int,
              cell_size: tuple[int, int]) -> tuple[int, int]:
    """(columns, rows) for an image shown at ``size`` pixels: its natural size in cells, made
    smaller to fit ``width`` columns and ``max_rows`` rows, aspect ratio kept, at least 1×1."""
    cell_w, cell_h = max(1, cell_size[0]), max(1, cell_size[1])
    px_w, px_h = size
    cols = px_w / cell_w
    rows = px_h / cell_h
    scale = min(1.0, max(1, width) / cols if cols else 1.0,
                max(1, max_rows) / rows if rows else 1.0)
    cols = max(1, min(width, round(cols * scale)))
    rows = max(1, min(max_rows, round(rows * scale)))
    return (cols, rows)


def _flatten(image: Image.Image, background: RGB) -> Image.Image:
    if image.mode == "RGB":
        return image
    has_alpha = "A" in image.getbands() or "transparency" in image.info
    if not has_alpha:
        return image.convert("RGB")
    rgba = image.convert("RGBA")
    base = Image.new("RGB", rgba.size, background)
    base.paste(rgba, mask=rgba.getchannel("A"))
    return base


def scaled_rgb(data: bytes, size: tuple[int, int], background: RGB = WHITE) -> Image.Image:
    """``data`` decoded (GIF: first frame), composited on ``background``, scaled to ``size``
    pixels (width, height). Raises :class:`ImageError`."""
    image = open_image(data)
    target = (max(1, size[0]), max(1, size[1]))
    try:
        if image.format == "JPEG":
            image.draft("RGB", target)  # decode at 1/2, 1/4, 1/8 scale when smaller
        image.seek(0)
        image.load()
        if image.width >= 2 * target[0] and image.height >= 2 * target[1] \
                and image.mode in ("RGB", "RGBA", "L", "LA"):
            factor = min(image.width // target[0], image.height // target[1])
            image = image.reduce(factor)
        image = _flatten(image, background)
        if image.size != target:
            image = image.resize(target, Image.Resampling.BILINEAR)
    except ImageError:
        raise
    except Exception as exc:  # truncated data, bad chunks
        raise ImageError(f"cannot decode image: {type(exc).__name__}: {exc}") from None
    return image


def png_bytes(image: Image.Image) -> bytes:
    """``image`` as PNG (fast compression: it goes straight to the terminal)."""
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


class ImageCache:
    """A thread-safe LRU mapping bounded by the total ``nbytes`` of its values."""

    def __init__(self, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any | None:
        """The value for ``key`` (made the most recent), or ``None``."""
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
            return item[0]

    def put(self, key: Hashable, value: Any, nbytes: int) -> None:
        """Store ``value`` costing ``nbytes``; the least recently used go when over budget."""
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            if nbytes > self.max_bytes:
                return
            self._items[key] = (value, nbytes)
            self._bytes += nbytes
            while self._bytes > self.max_bytes and self._items:
                _, (_, size) = self._items.popitem(last=False)
                self._bytes -= size

    @property
    def nbytes(self) -> int:
        """What the cached values cost now."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        """Drop everything."""
        with self._lock:
            self._items.clear()
            self._bytes = 0


class DecodePool:
    """Decoding off the caller's thread: :meth:`submit` runs ``fn`` on a worker, stores its
    result (or the :class:`ImageError` it raised) in ``cache`` and calls the callbacks given
    for that key, each once. A key already pending is not run twice."""

    def __init__(self, cache: ImageCache, workers: int = 2) -> None:
        self.cache = cache
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="jtui-img")
        self._pending: dict[Hashable, list[Callable[[], None]]] = {}
        self._lock = threading.Lock()

    def submit(self, key: Hashable, fn: Callable[[], tuple[Any, int]],
               callback: Callable[[], None] | None = None) -> None:
        """Run ``fn`` (returning ``(value, nbytes)``) for ``key`` unless already pending."""
        with self._lock:
            callbacks = self._pending.get(key)
            if callbacks is not None:
                if callback is not None and callback not in callbacks:
                    callbacks.append(callback)
                return
            self._pending[key] = [callback] if callback is not None else []
        self._executor.submit(self._run, key, fn)

    def pending(self, key: Hashable) -> bool:
        """True while ``key`` is being decoded."""
        with self._lock:
            return key in self._pending

    def _run(self, key: Hashable, fn: Callable[[], tuple[Any, int]]) -> None:
        try:
            value, nbytes = fn()
        except ImageError as exc:
            value, nbytes = exc, 256
        except Exception as exc:  # a bug must not leave the key pending forever
            value, nbytes = ImageError(f"cannot decode image: {type(exc).__name__}: {exc}"), 256
        self.cache.put(key, value, nbytes)
        with self._lock:
            callbacks = self._pending.pop(key, [])
        for callback in callbacks:
            try:
                callback()
            except Exception:  # a redraw request failing is not the decoder's concern
                pass

    def shutdown(self) -> None:
        """Stop the workers (waits for running decodes)."""
        self._executor.shutdown(wait=True)
