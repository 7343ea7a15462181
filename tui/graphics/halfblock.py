"""Half-block pictures: one ``▀`` per cell, the foreground the upper pixel, the background the
lower one, so a cell shows two pixels in 24-bit colour. Works on any colour terminal and in
SVG snapshots."""

from __future__ import annotations

from itertools import groupby

from PIL import Image

UPPER_HALF = "▀"

RGB = tuple[int, int, int]
Run = tuple[RGB, "RGB | None", int]
"""``(upper, lower, count)``: ``count`` cells in a row with the same two colours; ``lower`` is
``None`` on the last row of an image of odd height (the terminal's background shows)."""


def halfblock_runs(image: Image.Image) -> list[list[Run]]:
    """The cells of ``image`` (RGB), row by row, as runs of equal colour pairs. An image
    ``h`` pixels tall gives ``ceil(h / 2)`` rows."""
    if image.mode != "RGB":
        image = image.convert("RGB")
    width, height = image.size
    data = image.tobytes()
    pixels = list(zip(data[0::3], data[1::3], data[2::3]))
    none_row: list[RGB | None] = [None] * width
    rows: list[list[Run]] = []
    for y in range(0, height, 2):
        upper = pixels[y * width:(y + 1) * width]
        lower: list[RGB] | list[RGB | None] = (
            pixels[(y + 1) * width:(y + 2) * width] if y + 1 < height else none_row)
        rows.append([(pair[0], pair[1], sum(1 for _ in group))
                     for pair, group in groupby(zip(upper, lower))])
    return rows


def _sgr(upper: RGB, lower: RGB | None) -> str:
    back = "49" if lower is None else f"48;2;{lower[0]};{lower[1]};{lower[2]}"
    return f"\x1b[38;2;{upper[0]};{upper[1]};{upper[2]};{back}m"


def halfblock_ansi(image: Image.Image) -> str:
    """``image`` as ANSI text: per run of equal colours one SGR (``38;2`` upper pixel,
    ``48;2`` lower pixel, ``49`` when there is none) and its ``▀`` cells; every row ends with
    ``ESC[0m`` and a newline."""
    lines = []
    for runs in halfblock_runs(image):
        lines.append("".join(_sgr(up, low) + UPPER_HALF * count for up, low, count in runs)
                     + "\x1b[0m\n")
    return "".join(lines)
