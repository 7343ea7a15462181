"""Sixel: our own encoder. The image is quantised by Pillow to at most 256 colours; each band
of six pixel rows is written colour by colour (``#n`` then one character per column,
``?`` + the six bits), runs of four or more as ``!count``, ``$`` between colours and ``-``
between bands, inside ``ESC P q`` ... ``ESC \\``."""

from __future__ import annotations

import re
from functools import lru_cache

from PIL import Image

RGB = tuple[int, int, int]

_PLUS_63 = bytes((b + 63) & 0xFF for b in range(256))
_RUN = re.compile(rb"(.)\1{3,}", re.DOTALL)


@lru_cache(maxsize=6 * 256)
def _bit_table(row: int, color: int) -> bytes:
    table = bytearray(256)
    table[color] = 1 << row
    return bytes(table)


def _rle(line: bytes) -> bytes:
    return _RUN.sub(lambda m: b"!%d%c" % (len(m.group()), m.group(1)[0]), line)


def _percent(value: int) -> int:
    return (value * 100 + 127) // 255


def sixel_from_indices(indices: bytes, width: int, height: int, palette: list[RGB]) -> str:
    """The sixel image of ``width``×``height`` pixels, ``indices`` (one byte per pixel, row
    by row) into ``palette`` (at most 256 colours). Colours are defined only when used."""
    if len(indices) != width * height:
        raise ValueError(f"{len(indices)} indices for {width}×{height} pixels")
    used = sorted(set(indices))
    out = [f'\x1bPq"1;1;{width};{height}'.encode()]
    for color in used:
        r, g, b = palette[color]
        out.append(b"#%d;2;%d;%d;%d" % (color, _percent(r), _percent(g), _percent(b)))
    bands = []
    for top in range(0, height, 6):
        rows = [indices[y * width:(y + 1) * width] for y in range(top, min(top + 6, height))]
        present = sorted(set().union(*(set(row) for row in rows)))
        parts = []
        for color in present:
            bits = 0
            for n, row in enumerate(rows):
                bits |= int.from_bytes(row.translate(_bit_table(n, color)), "big")
            line = bits.to_bytes(width, "big").translate(_PLUS_63).rstrip(b"?")
            parts.append(b"#%d" % color + _rle(line))
        bands.append(b"$".join(parts))
    out.append(b"-".join(bands))
    out.append(b"\x1b\\")
    return b"".join(out).decode("ascii")


def sixel(image: Image.Image, colors: int = 256) -> str:
    """``image`` (RGB) as sixel, quantised to at most ``colors`` colours (a small image with
    that few keeps its exact colours)."""
    if image.mode != "RGB":
        image = image.convert("RGB")
    few = image.getcolors(colors) if image.width * image.height <= 65536 else None
    if few is not None:  # exact: a palette of the colours it has
        palette = [color for _, color in sorted(few, key=lambda item: item[1])]
        lookup = {color: i for i, color in enumerate(palette)}
        data = image.tobytes()
        indices = bytes(lookup[px] for px in zip(data[0::3], data[1::3], data[2::3]))
        return sixel_from_indices(indices, image.width, image.height, palette)
    quantised = image.quantize(colors=min(256, colors), method=Image.Quantize.MEDIANCUT)
    flat = quantised.getpalette() or []
    palette = [(flat[i], flat[i + 1], flat[i + 2]) for i in range(0, len(flat) - 2, 3)]
    return sixel_from_indices(quantised.tobytes(), image.width, image.height, palette)
