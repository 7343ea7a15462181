"""Images of markdown (``![alt](src)`` and ``<img>``): where their bytes come from and how
they are drawn.

``attachment:NAME`` comes from the cell's attachments, ``data:`` URIs from the source itself,
anything else is a regular file under the notebook's folder (at most :data:`MAX_IMAGE_FILE`
bytes); remote images are never fetched. A picture is drawn through the registry's image
renderers, as an ``image/png`` output is; one that cannot be drawn is a label with its alt text
and the reason.
"""

from __future__ import annotations

import base64
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from rich.console import RenderableType
from rich.text import Text

from tui.mime import as_text
from tui.render.context import RenderContext

MAX_IMAGE_FILE = 20 * 1024 * 1024
"""Bytes of a local image file read for a markdown image."""

IMG_TAG = re.compile(r"<img\s[^>]*>", re.IGNORECASE)
"""An HTML ``<img ...>`` tag."""

_ATTR = re.compile(r"""\b(src|alt)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_EXTENSIONS = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".webp": "image/webp", ".bmp": "image/bmp",
               ".svg": "image/svg+xml"}
_DRAWN = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "image/svg+xml")


@dataclass(frozen=True)
class MarkdownImage:
    """One image of a markdown source, resolved for a context: ``picture`` is what draws it
    (``None`` when it is not drawn) and ``label`` the text standing for it."""

    label: Text
    picture: RenderableType | None = None


def tag_images(html: str) -> list[tuple[str, str]]:
    """``(alt, src)`` of every ``<img>`` tag in ``html``."""
    out: list[tuple[str, str]] = []
    for tag in IMG_TAG.finditer(html):
        attrs = {a.group(1).lower(): a.group(2) or a.group(3) or a.group(4) or ""
                 for a in _ATTR.finditer(tag.group())}
        out.append((attrs.get("alt", ""), attrs.get("src", "")))
    return out


def image_label(alt: str, src: str, reason: str | None = None) -> Text:
    """``[image: alt]`` (with a remote image's address, or why it is not drawn)."""
    label = f"[image: {alt}" if alt else "[image"
    if reason:
        label += f": {reason}"
    label += "]"
    if src.startswith(("http://", "https://")):
        label += f"({src})"
    return Text(label, style="dim italic")


def resolve_image(alt: str, src: str, ctx: RenderContext | None) -> MarkdownImage:
    """The image ``src`` with alt text ``alt``, drawn for ``ctx`` when it can be (never for
    remote images, graphics mode ``none`` or no context)."""
    if ctx is None or src.startswith(("http://", "https://")) or not ctx.draws_images:
        return MarkdownImage(image_label(alt, src))
    found = _image_data(src, ctx)
    if found is None:
        return MarkdownImage(image_label(alt, src))
    if isinstance(found, str):
        return MarkdownImage(image_label(alt, src, found))
    mime, data = found
    from tui.render.registry import RenderError, Unrenderable, renderer_for

    try:
        renderer = renderer_for(mime)
        if renderer is None:
            return MarkdownImage(image_label(alt, src, f"no renderer for {mime}"))
        picture = renderer(data, {}, ctx)
    except RenderError as exc:
        return MarkdownImage(image_label(alt, src, str(exc)))
    except (Unrenderable, ImportError) as exc:
        return MarkdownImage(image_label(alt, src, str(exc) or "cannot draw"))
    except Exception as exc:  # a renderer's bug must not take the cell down
        return MarkdownImage(image_label(alt, src, f"cannot draw: {type(exc).__name__}"))
    return MarkdownImage(image_label(alt, src), picture)


def _image_data(src: str, ctx: RenderContext) -> tuple[str, str] | str | None:
    """(mime, value as a bundle holds it) for ``src``, a reason string when it cannot be
    read, ``None`` when there is nothing to read."""
    if src.startswith("attachment:"):
        bundle = (ctx.attachments or {}).get(unquote(src[len("attachment:"):]))
        if not isinstance(bundle, Mapping):
            return "no such attachment"
        for mime in _DRAWN:
            if mime in bundle:
                return mime, as_text(bundle[mime])
        return "attachment has no image"
    if src.startswith("data:"):
        header, sep, payload = src[5:].partition(",")
        if not sep:
            return "bad data URI"
        mime = header.split(";")[0].strip().lower() or "text/plain"
        if mime not in _DRAWN:
            return f"{mime} is not an image"
        if ";base64" in header:
            if mime != "image/svg+xml":
                return mime, payload
            try:
                return mime, base64.b64decode(payload, validate=False).decode("utf-8", "replace")
            except ValueError:
                return "bad base64"
        raw = unquote(payload)
        if mime == "image/svg+xml":
            return mime, raw
        return mime, base64.b64encode(raw.encode("latin-1", "replace")).decode()
    return _local_file(src, ctx)


def _local_file(src: str, ctx: RenderContext) -> tuple[str, str] | str | None:
    if ctx.base_dir is None or "://" in src:
        return None
    rel = unquote(src.split("#", 1)[0].split("?", 1)[0])
    mime = _EXTENSIONS.get(Path(rel).suffix.lower())
    if mime is None:
        return "not an image file"
    path = Path(ctx.base_dir) / rel
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return "not a regular file"
        if info.st_size > MAX_IMAGE_FILE:
            return f"file too large ({info.st_size:,} bytes)"
        with path.open("rb") as fh:
            data = fh.read(MAX_IMAGE_FILE + 1)
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    if len(data) > MAX_IMAGE_FILE:
        return "file too large"
    if mime == "image/svg+xml":
        return mime, data.decode("utf-8", "replace")
    return mime, base64.b64encode(data).decode()
