"""iTerm2 inline images (OSC 1337 ``File=``), also drawn by WezTerm, mlterm and Konsole."""

from __future__ import annotations

import base64


def iterm_image(data: bytes, cols: int, rows: int) -> str:
    """The escape that draws ``data`` (PNG, JPEG, GIF) over ``cols``×``rows`` cells from the
    cursor."""
    payload = base64.b64encode(data).decode("ascii")
    return (f"\x1b]1337;File=inline=1;width={cols}c;height={rows}r;"
            f"preserveAspectRatio=0:{payload}\x07")
