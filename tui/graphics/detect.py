"""Which graphics protocol the terminal speaks (to be replaced by real detection).

The public entry point is :func:`resolve_graphics`; its signature is the contract.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from tui.render.context import GRAPHICS_MODES, GraphicsMode


@dataclass(frozen=True)
class GraphicsSetup:
    """The outcome of detection: the mode to draw with and what it needs."""

    mode: GraphicsMode
    cell_size: tuple[int, int] = (10, 20)
    """Pixels of one terminal cell (width, height)."""
    tmux_passthrough: bool = False
    """Escape sequences must be wrapped in tmux's passthrough (``ESC Ptmux; ... ESC \\``)."""
    hint: str | None = None
    """One line for the user (how to enable tmux passthrough...), or ``None``."""


def resolve_graphics(choice: str, *, interactive: bool, env: Mapping[str, str] | None = None,
                     timeout: float = 0.2) -> GraphicsSetup:
    """The mode for ``choice`` (``auto`` or a mode name). ``interactive``: stdin and stdout are
    a terminal that may be queried (before the UI starts). Never waits longer than about
    ``timeout`` for a terminal that does not answer."""
    env = os.environ if env is None else env
    if choice in GRAPHICS_MODES:
        return GraphicsSetup(mode=choice)  # type: ignore[arg-type]
    if not interactive:
        return GraphicsSetup(mode="none")
    return GraphicsSetup(mode="halfblock")
