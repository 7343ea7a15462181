"""Toolkit-free helpers for MIME bundle values, shared by the console and the editor."""

from __future__ import annotations

import json
from typing import Any


def as_text(value: Any) -> str:
    """A MIME bundle value as text (nbformat allows lists of lines)."""
    if isinstance(value, list):
        return "".join(str(v) for v in value)
    if isinstance(value, str):
        return value
    return str(value)


def human_size(n: int) -> str:
    """``1536`` -> ``"1.5 KiB"``."""
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"  # pragma: no cover


def payload_size(mime: str, value: Any) -> int:
    """Approximate size in bytes of one MIME bundle entry (base64 images decoded)."""
    if isinstance(value, str):
        if mime.startswith("image/") and mime != "image/svg+xml":
            encoded = value.replace("\n", "").strip()
            return len(encoded) * 3 // 4 - (len(encoded) - len(encoded.rstrip("=")))
        return len(value.encode("utf-8", "replace"))
    if isinstance(value, list):
        return sum(len(str(v).encode("utf-8", "replace")) for v in value)
    return len(json.dumps(value, default=str).encode())
