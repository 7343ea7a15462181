"""Raster images and SVG as renderers of the registry: half-block cells, kitty Unicode
placeholders, sixel or iTerm2 escapes (:mod:`tui.graphics` does the decoding and encoding).

Every picture is a :class:`Picture` whose ``rows`` (its height in terminal rows) is known from
the image header before anything is decoded, so a layout can place it at once. In an
interactive context (the editor) a picture not yet decoded is drawn as a "loading" stand-in of
the same height while a worker decodes it, and ``ctx.request_redraw`` is called when it is
ready; elsewhere decoding happens in the call. Decoded pictures are cached by content hash,
mode and size.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rich.color import Color
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import ControlType, Segment
from rich.style import Style

from tui.graphics.raster import (
    DecodePool,
    ImageCache,
    ImageError,
    content_key,
    decode_base64,
    display_size,
    fit_cells,
    image_size,
    png_bytes,
    scaled_rgb,
)
from tui.render.context import RenderContext
from tui.render.registry import RenderError

CACHE = ImageCache()
"""Decoded pictures, shared by every destination in the process."""

_POOL: DecodePool | None = None

_CONTROL = [(ControlType.BELL,)]
"""Marks a segment as control: written raw to a terminal, zero cells wide for the layout."""


def _pool() -> DecodePool:
    global _POOL
    if _POOL is None:
        _POOL = DecodePool(CACHE)
    return _POOL


@lru_cache(maxsize=65536)
def _pair_style(upper: tuple[int, int, int], lower: tuple[int, int, int] | None) -> Style:
    return Style(color=Color.from_rgb(*upper),
                 bgcolor=None if lower is None else Color.from_rgb(*lower))


@dataclass(frozen=True)
class Encoded:
    """A decoded picture ready to draw: half-block runs, or escape text and cell size."""

    mode: str
    cols: int
    rows: int
    runs: list[list[tuple[tuple[int, int, int], tuple[int, int, int] | None, int]]] | None = None
    escape: str = ""
    image_id: int = 0


class Picture:
    """A picture ``cols`` × ``rows`` cells; ``rows`` is its height in terminal rows."""

    ready = True
    """Drawn as it will stay (the editor keeps an older render on screen until ready)."""

    def __init__(self, encoded: Encoded, ctx: RenderContext) -> None:
        self.encoded = encoded
        self.rows = encoded.rows
        self.cols = encoded.cols
        self._ctx = ctx

    def _wrap(self, escape: str) -> str:
        if self._ctx.options.get("tmux_passthrough"):
            from tui.graphics.tmux import wrap_tmux

            return wrap_tmux(escape)
        return escape

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        enc = self.encoded
        newline = Segment.line()
        if enc.mode == "halfblock" and enc.runs is not None:
            from tui.graphics.halfblock import UPPER_HALF

            if console.color_system == "truecolor" and not self._ctx.interactive:
                yield from _raw_halfblocks(enc.runs)  # printing: no Style objects to build
                return
            for runs in enc.runs:
                for upper, lower, count in runs:
                    yield Segment(UPPER_HALF * count, _pair_style(upper, lower))
                yield newline
            return
        if enc.mode == "kitty":
            from tui.graphics.kitty import kitty_id_color, kitty_placeholder_rows

            escape = self._wrap(enc.escape)
            if self._ctx.emit is not None:
                self._ctx.emit(escape)
            else:
                yield Segment(escape, None, _CONTROL)  # type: ignore[arg-type]
            style = Style(color=Color.from_rgb(*kitty_id_color(enc.image_id)))
            for row in kitty_placeholder_rows(enc.cols, enc.rows):
                yield Segment(row, style)
                yield newline
            return
        # sixel / iTerm2: reserve the rows first (scrolling the terminal as needed), then go
        # back up and draw over them, so the picture never lands on scrolled-away lines.
        column = int(self._ctx.options.get("image_column", 0))
        for row in range(enc.rows):
            yield Segment(" " * enc.cols)
            if row == enc.rows - 1:
                up = f"\x1b[{enc.rows - 1}A" if enc.rows > 1 else ""
                draw = f"\x1b7{up}\x1b[{column + 1}G{self._wrap(enc.escape)}\x1b8"
                yield Segment(draw, None, _CONTROL)  # type: ignore[arg-type]
            yield newline


def _raw_halfblocks(runs: list[list[tuple[tuple[int, int, int], tuple[int, int, int] | None,
                                           int]]]) -> RenderResult:
    """Half-block rows with their colours as raw 24-bit SGR control segments (zero cells wide
    for the layout), which is what Rich would write for them, at a fraction of the cost."""
    from tui.graphics.halfblock import UPPER_HALF

    reset = Segment("\x1b[0m", None, _CONTROL)  # type: ignore[arg-type]
    newline = Segment.line()
    for row in runs:
        for upper, lower, count in row:
            back = "49" if lower is None else f"48;2;{lower[0]};{lower[1]};{lower[2]}"
            sgr = f"\x1b[38;2;{upper[0]};{upper[1]};{upper[2]};{back}m"
            yield Segment(sgr, None, _CONTROL)  # type: ignore[arg-type]
            yield Segment(UPPER_HALF * count)
        yield reset
        yield newline


class Loading:
    """The stand-in of a picture being decoded: ``rows`` rows, one dim line of text."""

    ready = False
    """Not the final picture: a live update keeps showing the previous render meanwhile."""

    def __init__(self, rows: int, label: str = "loading image…") -> None:
        self.rows = rows
        self.label = label

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Segment(self.label[: options.max_width], Style(dim=True, italic=True))
        yield Segment.line()
        for _ in range(self.rows - 1):
            yield Segment(" ")
            yield Segment.line()


def _encode(png_or_image: bytes, mode: str, cols: int, rows: int,
            cell_size: tuple[int, int], key: Hashable) -> Encoded:
    if mode == "halfblock":
        from tui.graphics.halfblock import halfblock_runs

        image = scaled_rgb(png_or_image, (cols, rows * 2))
        return Encoded(mode, cols, rows, runs=halfblock_runs(image))
    pixels = (cols * cell_size[0], rows * cell_size[1])
    image = scaled_rgb(png_or_image, pixels)
    if mode == "kitty":
        from tui.graphics.kitty import kitty_image_id, kitty_transmit

        image_id = kitty_image_id(key)
        return Encoded(mode, cols, rows, image_id=image_id,
                       escape=kitty_transmit(png_bytes(image), image_id, cols, rows))
    if mode == "sixel":
        from tui.graphics.sixel import sixel

        return Encoded(mode, cols, rows, escape=sixel(image))
    from tui.graphics.iterm import iterm_image

    return Encoded(mode, cols, rows, escape=iterm_image(png_bytes(image), cols, rows))


def _size_of(encoded: Encoded) -> int:
    if encoded.runs is not None:
        return 64 + sum(len(r) for r in encoded.runs) * 48
    return 64 + len(encoded.escape)


def _cell_size(ctx: RenderContext) -> tuple[int, int]:
    """Pixels a cell stands for when sizing: half-blocks show only 1×2 pixels a cell, so a
    picture gets twice the cells it would in a pixel protocol (within the width and rows)."""
    if ctx.graphics == "halfblock":
        return (max(1, ctx.cell_size[0] // 2), max(1, ctx.cell_size[1] // 2))
    return ctx.cell_size


def _picture(data: bytes, size: tuple[int, int], metadata: Mapping[str, Any],
             ctx: RenderContext, kind: str) -> Picture | Loading:
    cols, rows = fit_cells(display_size(size, metadata), width=ctx.width,
                           max_rows=ctx.max_image_rows, cell_size=_cell_size(ctx))
    key = (content_key(data), kind, ctx.graphics, cols, rows, ctx.cell_size)
    cached = CACHE.get(key)
    if isinstance(cached, ImageError):
        raise RenderError(str(cached))
    if isinstance(cached, Encoded):
        return Picture(cached, ctx)

    def work() -> tuple[Encoded, int]:
        encoded = _encode(data, ctx.graphics, cols, rows, ctx.cell_size, key)
        return encoded, _size_of(encoded)

    if ctx.interactive:
        redraw = ctx.request_redraw
        _pool().submit(key, work, redraw)
        return Loading(rows)
    try:
        encoded, nbytes = work()
    except ImageError as exc:
        CACHE.put(key, exc, 256)
        raise RenderError(str(exc)) from None
    CACHE.put(key, encoded, nbytes)
    return Picture(encoded, ctx)


def render_image(value: Any, metadata: Mapping[str, Any], ctx: RenderContext) -> Picture | Loading:
    """``image/png``, ``jpeg``, ``gif`` (first frame), ``webp``, ``bmp`` (base64): a picture
    within ``ctx.width`` columns and ``ctx.max_image_rows`` rows, ``metadata`` ``width`` and
    ``height`` honoured. Raises :class:`RenderError` for bad, truncated or huge images."""
    try:
        data = decode_base64(value)
        size = image_size(data)
    except ImageError as exc:
        raise RenderError(str(exc)) from None
    return _picture(data, size, metadata, ctx, "raster")


def render_svg(value: Any, metadata: Mapping[str, Any], ctx: RenderContext) -> Picture | Loading:
    """``image/svg+xml``: rasterised by resvg in a bounded worker (external references never
    fetched), then drawn as a picture. Raises :class:`RenderError` for unsafe or broken SVG."""
    from tui.graphics.svg import SvgError, svg_size, svg_to_png
    from tui.mime import as_text

    svg = as_text(value)
    try:
        size = svg_size(svg)
    except (SvgError, ValueError, AssertionError) as exc:
        raise RenderError(f"cannot draw SVG: {exc}") from None
    cols, rows = fit_cells(display_size((max(1, round(size[0])), max(1, round(size[1]))),
                                        metadata),
                           width=ctx.width, max_rows=ctx.max_image_rows,
                           cell_size=_cell_size(ctx))
    key = (content_key(svg.encode("utf-8", "replace")), "svg-png", cols, rows, ctx.cell_size)
    png = CACHE.get(key)
    if isinstance(png, ImageError):
        raise RenderError(str(png))
    if not isinstance(png, bytes):
        width_px, height_px = cols * ctx.cell_size[0], rows * ctx.cell_size[1]

        def rasterise() -> tuple[bytes | ImageError, int]:
            try:
                data = svg_to_png(svg, width_px, max_height_px=height_px)
            except SvgError as exc:
                return ImageError(f"cannot draw SVG: {exc}"), 256
            return data, len(data)

        if ctx.interactive:  # resvg runs in a worker process: wait for it off the UI thread
            _pool().submit(key, rasterise, ctx.request_redraw)
            return Loading(rows)
        png, nbytes = rasterise()
        CACHE.put(key, png, nbytes)
        if isinstance(png, ImageError):
            raise RenderError(str(png))
    try:
        return _picture(png, image_size(png), {}, ctx.with_width(cols), "svg")
    except ImageError as exc:
        raise RenderError(str(exc)) from None
