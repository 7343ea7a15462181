"""One registry, MIME type -> renderer, shared by the editor, the console and ``jtui view``.

A renderer is a function ``render(value, metadata, ctx) -> RenderableType``: ``value`` is the
bundle's entry for its MIME type (a string, a list of strings, or JSON for JSON types),
``metadata`` the output's metadata for that type (``{"width": 400}``...), ``ctx`` a
:class:`~tui.render.context.RenderContext`. It raises :class:`RenderError` with a reason when the
value is bad (shown as a placeholder saying why), or :class:`Unrenderable` when it has nothing
to show (HTML that is only a script): the next representation is used then.

Renderers are named by ``module:function`` in :data:`RENDERERS` and imported on first use, so
start-up pays only for what a notebook holds.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from tui.mime import as_text, human_size, payload_size
from tui.render.context import RenderContext

Renderer = Callable[[Any, Mapping[str, Any], RenderContext], RenderableType]


class RenderError(Exception):
    """A value that cannot be drawn; the message is the reason shown in its placeholder."""


class Unrenderable(Exception):
    """A value with nothing to show in a terminal; the next representation is tried.

    ``note`` (a widget of a kind we do not draw names itself) is shown above that one."""

    def __init__(self, reason: str = "", *, note: RenderableType | None = None) -> None:
        super().__init__(reason)
        self.note = note


IMAGE_TYPES = ("image/bmp", "image/png", "image/jpeg", "image/gif", "image/webp")
"""Raster image types, decoded with Pillow."""

VIZ_TYPES = (
    "application/vnd.vegalite.v5+json", "application/vnd.vegalite.v4+json",
    "application/vnd.vegalite.v3+json", "application/vnd.vega.v5+json",
    "application/vnd.vega.v4+json", "application/vnd.plotly.v1+json",
)
"""Chart specs a terminal cannot draw: the bundle's image is used, else a placeholder saying
how to get one."""

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
"""A widget's display: drawn when its model is known (else the next representation)."""

DEFAULT_ORDER: tuple[str, ...] = (
    WIDGET_VIEW, "text/html", "text/markdown", "text/latex", *IMAGE_TYPES, "image/svg+xml",
    "application/pdf", "application/json", *VIZ_TYPES, "text/plain",
)
"""Best first, as JupyterLab ranks them (JavaScript aside)."""

RENDERERS: dict[str, str] = {
    "text/plain": "tui.render.text:render_plain",
    "text/markdown": "tui.render.markdown:render_markdown_output",
    "text/html": "tui.render.html:render_html",
    "text/latex": "tui.render.latex:render_latex",
    **{mime: "tui.render.image:render_image" for mime in IMAGE_TYPES},
    "image/svg+xml": "tui.render.image:render_svg",
    "application/pdf": "tui.render.misc:render_pdf",
    "application/json": "tui.render.json_tree:render_json",
    **{mime: "tui.render.misc:render_viz" for mime in VIZ_TYPES},
    WIDGET_VIEW: "tui.render.widget_view:render_widget_view",
}
"""MIME type -> ``module:function`` of its renderer."""

_LOADED: dict[str, Renderer] = {}


def renderer_for(mime: str) -> Renderer | None:
    """The renderer of ``mime`` (imported on first use), or ``None`` when there is none."""
    fn = _LOADED.get(mime)
    if fn is None:
        target = RENDERERS.get(mime)
        if target is None:
            return None
        module, _, name = target.partition(":")
        fn = _LOADED[mime] = getattr(importlib.import_module(module), name)
    return fn


def _base(mime: str) -> str:
    return mime.split(";", 1)[0].strip().lower()


def representations(data: Mapping[str, Any], order: Sequence[str] | None = None) -> list[str]:
    """The MIME types of ``data`` we can render, best first (by ``order``, then the rest we
    have a renderer for, in the bundle's order)."""
    order = DEFAULT_ORDER if order is None else order
    rank = {mime: i for i, mime in enumerate(order)}
    known = [m for m in data if _base(m) in RENDERERS]
    return sorted(known, key=lambda m: rank.get(_base(m), len(rank)))


def placeholder(mime: str, value: Any, reason: str | None = None) -> Text:
    """The one-line stand-in for a value that is not drawn: type, size and why."""
    label = f"[{mime}, {human_size(payload_size(mime, value))}"
    label += f": {reason}]" if reason else "]"
    return Text(label, style="dim italic")


def _metadata_for(metadata: Mapping[str, Any] | None, mime: str) -> Mapping[str, Any]:
    if not isinstance(metadata, Mapping):
        return {}
    entry = metadata.get(mime)
    return entry if isinstance(entry, Mapping) else {}


def render_mime(mime: str, value: Any, metadata: Mapping[str, Any] | None,
                ctx: RenderContext) -> RenderableType:
    """One representation rendered; a bad value becomes a placeholder saying why.

    Raises :class:`Unrenderable` when the value has nothing to show.
    """
    try:
        fn = renderer_for(_base(mime))
    except ImportError as exc:  # a renderer's optional dependency is missing
        return placeholder(mime, value, f"renderer not available: {exc}")
    if fn is None:
        return placeholder(mime, value)
    try:
        return fn(value, _metadata_for(metadata, mime), ctx)
    except Unrenderable:
        raise
    except RenderError as exc:
        return placeholder(mime, value, str(exc))
    except (RecursionError, MemoryError):
        return placeholder(mime, value, "too deeply nested or too large")
    except Exception as exc:  # a renderer's bug must not take the output down
        return placeholder(mime, value, f"cannot render: {type(exc).__name__}: {exc}")


def render_data(data: Mapping[str, Any], metadata: Mapping[str, Any] | None,
                ctx: RenderContext, *, choice: int = 0,
                order: Sequence[str] | None = None) -> RenderableType:
    """A MIME bundle as one renderable: its ``choice``-th best representation (wrapping
    around), falling to the next when one has nothing to show. An image in graphics mode
    ``none`` is a placeholder with the bundle's text as its alt text."""
    options = representations(data, order)
    if not options:
        parts = [placeholder(m, v) for m, v in data.items()]
        return Group(*parts) if parts else Text("")
    start = choice % len(options)
    notes: list[RenderableType] = []
    for mime in options[start:] + options[:start]:
        if not ctx.draws_images and _is_image(mime):
            return with_notes(notes, _image_alt(mime, data, metadata, ctx))
        try:
            return with_notes(notes, render_mime(mime, data[mime], metadata, ctx))
        except Unrenderable as exc:
            if exc.note is not None:
                notes.append(exc.note)
    return with_notes(notes, Text(""))


def with_notes(notes: list[RenderableType], shown: RenderableType) -> RenderableType:
    """``shown`` below the notes of representations that were passed over."""
    return Group(*notes, shown) if notes else shown


def _is_image(mime: str) -> bool:
    base = _base(mime)
    return base in IMAGE_TYPES or base == "image/svg+xml"


def _image_alt(mime: str, data: Mapping[str, Any], metadata: Mapping[str, Any] | None,
               ctx: RenderContext) -> RenderableType:
    parts: list[RenderableType] = [placeholder(mime, data[mime])]
    if "text/plain" in data:
        parts.append(render_mime("text/plain", data["text/plain"], metadata, ctx))
    return Group(*parts)


def choice_count(data: Mapping[str, Any], order: Sequence[str] | None = None) -> int:
    """How many representations of ``data`` a user can cycle through."""
    return len(representations(data, order))


def value_text(value: Any) -> str:
    """A bundle value as text (lists of lines joined)."""
    return as_text(value)
