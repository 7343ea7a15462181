"""Shared fixtures: the real images of tests/data/rich/images and a huge-but-tiny PNG."""

from __future__ import annotations

import base64
import io
import zlib
from pathlib import Path

import pytest

IMAGES = Path(__file__).resolve().parents[1] / "data" / "rich" / "images"


def b64(name: str) -> str:
    """A test image as a notebook stores it: base64 with a newline at the end."""
    return base64.b64encode((IMAGES / name).read_bytes()).decode() + "\n"


def huge_png(width: int = 20000, height: int = 20000) -> bytes:
    """A valid 1-bit grey PNG of ``width``×``height``, some 50 KB on disk (zeros compress)."""
    import struct

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    compressor = zlib.compressobj(9)
    row = b"\0" * ((width + 7) // 8 + 1)
    body = io.BytesIO()
    for _ in range(height):
        body.write(compressor.compress(row))
    body.write(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body.getvalue())
            + chunk(b"IEND", b""))


@pytest.fixture(scope="session")
def huge_png_b64() -> str:
    """A 20000×20000 PNG, base64."""
    return base64.b64encode(huge_png()).decode()
