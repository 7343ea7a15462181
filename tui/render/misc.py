"""Placeholders for what a terminal does not draw: ``application/pdf`` (its size and page
count) and Vega / Vega-Lite / Plotly specs (what they are and how to get an image of them).

The registry ranks every image type above the chart specs, so :func:`render_viz` is reached
only for a bundle that has no image of the chart.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from typing import Any

from rich.console import RenderableType
from rich.text import Text

from tui.mime import as_text, human_size
from tui.render.context import RenderContext

PDF_SCAN = 32 * 1024 * 1024
"""Bytes of a PDF searched for its pages (a larger one is counted on its start)."""

_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_COUNT = re.compile(rb"/Type\s*/Pages\b[^>]{0,400}?/Count\s+(\d{1,7})"
                    rb"|/Count\s+(\d{1,7})[^>]{0,400}?/Type\s*/Pages\b")


def pdf_bytes(value: Any) -> bytes:
    """The bytes of a base64 ``application/pdf`` value (at most :data:`PDF_SCAN` of them)."""
    from tui.render.registry import RenderError

    if isinstance(value, bytes):
        return value[:PDF_SCAN]
    encoded = "".join(as_text(value).split())[: PDF_SCAN // 3 * 4]
    try:
        return base64.b64decode(encoded[: len(encoded) // 4 * 4], validate=True)
    except (binascii.Error, ValueError):
        raise RenderError("not base64") from None


def pdf_pages(data: bytes) -> int | None:
    """Pages of a PDF: its ``/Type /Page`` objects, else the page tree's ``/Count``
    (compressed object streams hide the pages), ``None`` when neither is found."""
    pages = len(_PAGE.findall(data))
    if pages:
        return pages
    counts = [int(a or b) for a, b in _COUNT.findall(data)]
    return max(counts) if counts else None


def render_pdf(value: Any, metadata: Mapping[str, Any], ctx: RenderContext) -> RenderableType:
    """``application/pdf``: a one-line placeholder with its size and page count."""
    from tui.render.registry import RenderError

    data = pdf_bytes(value)
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise RenderError("not a PDF (no %PDF header)")
    encoded = "".join(as_text(value).split()) if not isinstance(value, bytes) else None
    size = len(encoded) * 3 // 4 - (len(encoded) - len(encoded.rstrip("="))) \
        if encoded is not None else len(value)
    pages = pdf_pages(data)
    label = f"[application/pdf, {human_size(size)}"
    if pages is not None:
        label += f", {pages:,} page{'' if pages == 1 else 's'}"
    label += " — open it with a PDF viewer]"
    return Text(label, style="dim italic")


_HOW = {
    "Plotly figure": 'for an image, run pio.renderers.default = "png" (plotly.io) before '
                     "showing it",
    "Vega-Lite chart": 'for an image, run alt.renderers.enable("png") (altair, needs '
                       "vl-convert-python) before showing it",
    "Vega chart": "for an image, export it as PNG (vl-convert-python)",
}


def viz_kind(value: Any) -> tuple[str, str]:
    """What a chart spec is (``"Plotly figure"``, ``"Vega-Lite chart"``, ``"Vega chart"``)
    and a short detail (``"2 traces"``, ``"mark: bar"``)."""
    spec = value
    if isinstance(value, (str, list)):
        try:
            spec = json.loads(as_text(value)[:8 * 1024 * 1024])
        except (ValueError, RecursionError):
            spec = None
    if not isinstance(spec, Mapping):
        return "Vega-Lite chart", ""
    schema = str(spec.get("$schema", ""))
    if "data" in spec and ("layout" in spec or "frames" in spec) and "vega" not in schema:
        traces = spec.get("data")
        n = len(traces) if isinstance(traces, list) else 0
        return "Plotly figure", f"{n} trace{'' if n == 1 else 's'}" if n else ""
    if "vega-lite" in schema or any(k in spec for k in ("mark", "encoding", "layer",
                                                        "hconcat", "vconcat", "facet")):
        mark = spec.get("mark")
        if isinstance(mark, Mapping):
            mark = mark.get("type")
        return "Vega-Lite chart", f"mark: {mark}" if isinstance(mark, str) else ""
    if "/vega/" in schema or "marks" in spec:
        return "Vega chart", ""
    return "Vega-Lite chart", ""


def render_viz(value: Any, metadata: Mapping[str, Any], ctx: RenderContext) -> RenderableType:
    """A Vega/Vega-Lite/Plotly spec with no image in its bundle: a dim line naming it and
    saying how to get an image."""
    kind, detail = viz_kind(value)
    title = f"{kind} ({detail})" if detail else kind
    return Text(f"{title}: a terminal cannot run it; {_HOW[kind]}", style="dim italic")
