"""Display widgets: Label, HTML and HTMLMath (through the shared HTML and LaTeX renderers),
Image (through the image renderer and the terminal's graphics), and the placeholder of
anything we do not draw (the model's name and its text/plain; never an error)."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.text import Text
from textual.message import Message

from tui.notebook.widget_views.base import ViewEnv, WidgetView
from tui.render.context import RenderContext
from tui.render.registry import render_mime
from tui.widgets.model import WidgetModel

MATH = ("$", "\\(", "\\[")


class WidthAware:
    """A renderable made for the width it is drawn at (``make(ctx)`` with the context's
    width set), cached per width."""

    def __init__(self, make: Callable[[RenderContext], RenderableType], ctx: RenderContext,
                 natural: int | None = None) -> None:
        self.make = make
        self.ctx = ctx
        self.natural = natural
        self._cache: dict[int, RenderableType] = {}

    def at(self, width: int) -> RenderableType:
        """The renderable for ``width`` columns."""
        made = self._cache.get(width)
        if made is None:
            made = self._cache[width] = self.make(self.ctx.with_width(width))
        return made

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        width = options.max_width
        if self.natural is not None:
            return Measurement(1, min(self.natural, width))
        return Measurement.get(console, options, self.at(width))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.at(options.max_width)


class Redraw(Message):
    """Something a view drew off the UI thread (an image) is ready (posted from any thread)."""


class RichView(WidgetView):
    """A view drawn with the shared renderers at its width (redrawn when a pending picture is
    ready)."""

    DEFAULT_CSS = "RichView { width: auto; max-width: 100%; }"
    LAYOUT_KEYS = frozenset({"value", "description", "width", "height", "format"})

    def __init__(self, model: WidgetModel, env: ViewEnv) -> None:
        super().__init__(model, env)
        self._made: WidthAware | None = None

    def context(self) -> RenderContext:
        """The env's context, redrawing this view when a picture is ready."""
        from dataclasses import replace

        return replace(self.env.ctx, request_redraw=self._redraw_soon)

    def content(self, ctx: RenderContext) -> RenderableType:
        """What is drawn at ``ctx.width`` (a subclass says)."""
        return Text("")

    def natural_width(self) -> int | None:
        """The width the content wants (None: as the renderer measures it)."""
        return None

    def render(self) -> RenderableType:
        """The content, at the view's width."""
        if self._made is None:
            self._made = WidthAware(self.content, self.context(), self.natural_width())
        return self._made

    def model_changed(self, keys: frozenset[str]) -> None:
        """Render again."""
        self._made = None
        super().model_changed(keys)

    def _redraw_soon(self) -> None:
        self.post_message(Redraw())

    def on_redraw(self, message: Redraw) -> None:
        """A picture is ready: draw again."""
        message.stop()
        self._made = None
        self.refresh(layout=True)


def _value(model: WidgetModel) -> str:
    value = model.get("value")
    return value if isinstance(value, str) else ""


class LabelView(RichView):
    """Label: its text (math in it as the LaTeX renderer draws it)."""

    def content(self, ctx: RenderContext) -> RenderableType:
        """The description and the text."""
        text = _value(self.model)
        if any(mark in text for mark in MATH):
            body = render_mime("text/latex", text, {}, ctx)
            return body if not self.description else Text.assemble(
                (f"{self.description} ", "bold"), Text(text))
        return self.describe(Text(text))

    def natural_width(self) -> int | None:
        """The text's length."""
        text = _value(self.model)
        return len(self.description) + 1 + len(text) if "\n" not in text else None


class HTMLView(RichView):
    """HTML and HTMLMath: through the HTML renderer (HTMLMath's ``$...$`` through LaTeX)."""

    def content(self, ctx: RenderContext) -> RenderableType:
        """The rendered HTML (an empty value is an empty line)."""
        from tui.render.registry import Unrenderable

        html = _value(self.model)
        description = self.description
        if not html.strip():
            return Text(description, style="bold")
        if self.model.model_name == "HTMLMathModel" and any(m in html for m in MATH) \
                and "<" not in html:
            body = render_mime("text/latex", html, {}, ctx)
        else:
            try:
                body = render_mime("text/html", html, {}, ctx)
            except Unrenderable:
                body = Text("")
        if description:
            from rich.table import Table

            grid = Table.grid(padding=(0, 1))
            grid.add_row(Text(description, style="bold"), body)
            return grid
        return body

    def natural_width(self) -> int | None:
        """Short HTML without markup of blocks is as wide as its text (tqdm's counts)."""
        html = _value(self.model)
        if len(html) < 200 and not any(tag in html for tag in ("<table", "<div", "<p", "<br",
                                                                "<ul", "<ol", "<pre", "\n")):
            from tui.render.html import html_renderable

            rendered = html_renderable(html, self.env.ctx.with_width(200))
            if isinstance(rendered, Text):
                return max(1, rendered.cell_len + (len(self.description) + 1
                                                   if self.description else 0))
        return None


MIME_OF = {"png": "image/png", "jpeg": "image/jpeg", "jpg": "image/jpeg", "gif": "image/gif",
           "webp": "image/webp", "bmp": "image/bmp", "svg+xml": "image/svg+xml",
           "svg": "image/svg+xml"}


class ImageView(RichView):
    """Image: its bytes (``value``, a binary buffer) drawn as the graphics mode allows;
    ``width``/``height`` honoured as an output's metadata is."""

    DEFAULT_CSS = "ImageView { width: 1fr; }"

    def content(self, ctx: RenderContext) -> RenderableType:
        """The picture (or a placeholder saying why not)."""
        value = self.model.get("value")
        fmt = self.model.get("format")
        mime = MIME_OF.get(fmt if isinstance(fmt, str) else "png", "")
        if not isinstance(value, (bytes, bytearray, memoryview)) or not mime:
            return Text(f"[Image: {fmt!r}, nothing to draw]", style="dim italic")
        if not bytes(value):
            return Text("")
        metadata: dict[str, Any] = {}
        for key in ("width", "height"):
            size = self.model.get(key)
            if isinstance(size, str) and size.isdigit():
                metadata[key] = int(size)
            elif isinstance(size, int):
                metadata[key] = size
        if not ctx.draws_images:
            return Text(f"[Image {fmt}, {len(bytes(value)):,} bytes]", style="dim italic")
        if mime == "image/svg+xml":
            payload: Any = bytes(value).decode("utf-8", "replace")
        else:
            payload = base64.standard_b64encode(bytes(value)).decode()
        return render_mime(mime, payload, {mime: metadata}, ctx)


class PlaceholderView(WidgetView):
    """Anything we do not draw (ipympl, ipyleaflet, plotly FigureWidget...), a tree too deep
    or referring to itself: one dim line naming the model, and a text."""

    def __init__(self, model: WidgetModel | None, env: ViewEnv, reason: str = "",
                 text: str = "") -> None:
        super().__init__(model or WidgetModel("?", {}), env)
        self.reason = reason
        self.text = text

    def render(self) -> Text:
        """``[widget NameModel: reason]`` and the text."""
        name = self.model.model_name or "unknown model"
        module = self.model.model_module
        label = f"[widget {name}" + (f" ({module})" if module and not module.startswith(
            "@jupyter-widgets/") else "")
        label += f": {self.reason}]" if self.reason else "]"
        out = Text(label, style="dim italic")
        if self.text:
            out.append("\n" + self.text)
        return out
