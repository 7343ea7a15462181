"""What a renderer needs to know about where its output goes: :class:`RenderContext`.

One context is made per destination (the editor, the console, ``jtui view``) and passed to
every renderer of :mod:`tui.render.registry`. Renderers are pure: value + metadata + context in,
a Rich renderable out. Nothing here imports Textual or prompt_toolkit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from tui.widgets.model import WidgetModel

GraphicsMode = Literal["kitty", "sixel", "iterm", "halfblock", "none"]
"""How images reach the terminal (``auto`` is resolved by detection before the UI starts)."""

GRAPHICS_MODES: tuple[str, ...] = ("kitty", "sixel", "iterm", "halfblock", "none")
"""Every :data:`GraphicsMode`, in the order ``--graphics`` lists them (``auto`` aside)."""


@dataclass(frozen=True)
class RenderContext:
    """Where rendered output goes and what it may use there.

    ``interactive`` is True in the editor: images are decoded off the UI thread (through
    ``request_redraw``, called from any thread once a pending image is ready); elsewhere
    renderers decode synchronously. ``max_line_cells`` bounds how many terminal cells of one
    output line are shown (the rest is cut with a mark), so rendering costs what is on screen.
    """

    width: int = 80
    """Columns available to the output."""
    graphics: GraphicsMode = "halfblock"
    color: bool = True
    """False: no colour at all (``NO_COLOR``, ``--no-color``, a pipe)."""
    cell_size: tuple[int, int] = (10, 20)
    """Pixels of one terminal cell (width, height), for the pixel protocols."""
    max_image_rows: int = 40
    """At most this many rows for one image (kept within the cell's width too)."""
    max_line_cells: int = 4000
    """Cells of one output line shown before it is cut with a mark."""
    interactive: bool = False
    base_dir: Path | None = None
    """The notebook's folder, for relative image paths in markdown."""
    attachments: Mapping[str, Any] | None = None
    """The markdown cell's ``attachments`` (``attachment:NAME`` images)."""
    request_redraw: Callable[[], None] | None = None
    """Called (from any thread) when something pending for this render became ready."""
    emit: Callable[[str], None] | None = None
    """Where out-of-band escape sequences go (a kitty image upload) when the destination owns
    the terminal (the editor writes them through its driver); ``None``: renderers put them
    inline, as Rich control segments, before the lines that show the image."""
    options: Mapping[str, Any] = field(default_factory=dict)
    """Free-form settings from ``jupyter_tui.toml`` ``[display]`` for renderers."""
    widgets: Callable[[str], WidgetModel | None] | None = None
    """Widget models by id (a live manager's ``get``, or models restored from a notebook's
    saved state): ``application/vnd.jupyter.widget-view+json`` is drawn when its model is
    known, else the bundle's next representation (text/plain) is used."""

    def with_width(self, width: int) -> RenderContext:
        """The same context, ``width`` columns wide."""
        return replace(self, width=max(1, width))

    @property
    def draws_images(self) -> bool:
        """True when images are drawn (any mode but ``none``)."""
        return self.graphics != "none"
