"""application/pdf and chart-spec placeholders (tui.render.misc)."""

from __future__ import annotations

import base64
import io
import json
import time
from pathlib import Path

import pytest

from tui.render.context import RenderContext
from tui.render.misc import pdf_pages, render_pdf, render_viz, viz_kind
from tui.render.registry import (
    DEFAULT_ORDER,
    IMAGE_TYPES,
    VIZ_TYPES,
    RenderError,
    render_data,
    render_mime,
)

NOTEBOOKS = Path(__file__).resolve().parents[1] / "data" / "rich" / "notebooks"


def matplotlib_pdf(pages: int) -> str:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    buf = io.BytesIO()
    with PdfPages(buf) as pdf:
        for i in range(pages):
            fig = Figure()
            fig.subplots().plot([0, 1], [i, i + 1])
            pdf.savefig(fig)
    return base64.encodebytes(buf.getvalue()).decode()


def test_real_pdf_output_of_nbconvert_notebook() -> None:
    nb = json.loads((NOTEBOOKS / "nbconvert" / "notebook2.ipynb").read_text())
    values = [o["data"]["application/pdf"] for c in nb["cells"] for o in c.get("outputs", [])
              if "application/pdf" in o.get("data", {})]
    assert values
    assert render_pdf(values[0], {}, RenderContext()).plain == (
        "[application/pdf, 72.6 KiB, 1 page — open it with a PDF viewer]")


def test_matplotlib_pdf_pages_counted_not_the_page_tree() -> None:
    text = render_pdf(matplotlib_pdf(3), {}, RenderContext()).plain
    assert text.startswith("[application/pdf, ") and ", 3 pages — " in text


def test_page_count_from_the_tree_when_pages_are_compressed() -> None:
    assert pdf_pages(b"%PDF-1.7\n1 0 obj << /Type /Pages /Kids [] /Count 12 >> endobj") == 12
    assert pdf_pages(b"%PDF-1.7\n nothing here") is None


def test_bad_pdf_values_give_a_reason() -> None:
    with pytest.raises(RenderError, match="not base64"):
        render_pdf("!!!not base64!!!", {}, RenderContext())
    with pytest.raises(RenderError, match="not a PDF"):
        render_pdf(base64.b64encode(b"GIF89a....").decode(), {}, RenderContext())
    out = render_mime("application/pdf", "%%%%", {}, RenderContext())
    assert "not base64" in out.plain  # type: ignore[attr-defined]


def test_large_pdf_is_scanned_in_bounded_time() -> None:
    data = b"%PDF-1.4\n" + b"<< /Type /Page >>\n" * 200_000 + b"x" * 40_000_000
    start = time.perf_counter()
    text = render_pdf(base64.b64encode(data).decode(), {}, RenderContext()).plain
    assert "200,000 pages" in text and time.perf_counter() - start < 5.0


PLOTLY = {"data": [{"type": "scatter", "x": [1, 2], "y": [3, 4]},
                   {"type": "bar", "x": [1], "y": [2]}],
          "layout": {"title": {"text": "t"}}, "config": {"plotlyServerURL": "https://plot.ly"}}
VEGALITE = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "data": {"values": [{"a": 1}]}, "mark": {"type": "bar"},
            "encoding": {"x": {"field": "a", "type": "quantitative"}}}
VEGA = {"$schema": "https://vega.github.io/schema/vega/v5.json", "marks": []}


def test_viz_kinds() -> None:
    assert viz_kind(PLOTLY) == ("Plotly figure", "2 traces")
    assert viz_kind(VEGALITE) == ("Vega-Lite chart", "mark: bar")
    assert viz_kind(json.dumps(VEGA)) == ("Vega chart", "")
    assert viz_kind("{not json") == ("Vega-Lite chart", "")


def test_viz_placeholder_says_how_to_get_an_image() -> None:
    plotly = render_viz(PLOTLY, {}, RenderContext()).plain
    assert plotly.startswith("Plotly figure (2 traces): ")
    assert 'pio.renderers.default = "png"' in plotly
    altair = render_viz(VEGALITE, {}, RenderContext()).plain
    assert 'alt.renderers.enable("png")' in altair
    assert "\n" not in plotly + altair


def test_images_rank_above_chart_specs() -> None:
    last_image = max(DEFAULT_ORDER.index(m) for m in (*IMAGE_TYPES, "image/svg+xml"))
    assert last_image < min(DEFAULT_ORDER.index(m) for m in VIZ_TYPES)
    bundle = {"application/vnd.plotly.v1+json": PLOTLY, "text/plain": "Figure()"}
    shown = render_data(bundle, {}, RenderContext())
    assert shown.plain.startswith("Plotly figure")  # type: ignore[attr-defined]
