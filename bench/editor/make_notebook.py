"""Deterministic benchmark notebooks: ``n`` cells (1 in 5 markdown), small outputs.

With ``images=True`` every code cell also holds a plot as matplotlib's inline backend saves it
(``image/png``, 400x250, a different picture in each cell, drawn with Pillow, and the
``<Figure size 400x250 with 1 Axes>`` text), as in an image-heavy data-science notebook.

The first cell's source contains ``FIRST_MARKER`` and the last one's ``LAST_MARKER``, so a
harness can tell when each is on screen.
"""

from __future__ import annotations

import base64
import io
import json
import math
from pathlib import Path

FIRST_MARKER = "first_cell_marker"
LAST_MARKER = "last_cell_marker"


def plot_png(k: int, size: tuple[int, int] = (400, 250)) -> str:
    """A line plot (axes, two curves depending on ``k``) as base64 PNG, like a figure."""
    from PIL import Image, ImageDraw

    width, height = size
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 10, width - 10, height - 30), outline="black")
    for curve, colour in ((0, (31, 119, 180)), (1, (255, 127, 14))):
        points = [(40 + x, (height - 30) / 2 + 5 + 0.4 * (height - 40) * math.sin(
            (x / 40.0) * (1 + (k % 7) / 5) + curve * math.pi / 2 + k)) for x in
            range(0, width - 50, 2)]
        draw.line(points, fill=colour, width=2)
    out = io.BytesIO()
    image.save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode("ascii")


def _figure(k: int, images: bool) -> dict:
    data: dict = {"text/plain": ["<Figure size 400x250 with 1 Axes>"]}
    if images:
        data["image/png"] = plot_png(k)
    return {"data": data, "metadata": {}, "output_type": "display_data"}


def notebook_dict(n: int, *, images: bool | None = None) -> dict:
    """The notebook as nbformat's on-disk JSON structure (v4.5). ``images``: None, no
    figures; True, a PNG plot in every code cell; False, the same figures' text only."""
    cells = []
    for k in range(n):
        cid = f"{k:08x}"
        if k == 0:
            source = [f"{FIRST_MARKER} = 0\n", "print('hello')"]
        elif k == n - 1:
            source = [f"{LAST_MARKER} = {k}"]
        elif k % 5 == 0:
            cells.append({"cell_type": "markdown", "id": cid, "metadata": {},
                          "source": [f"## Section {k}\n", "\n",
                                     f"Some *text* for section {k}, with `code` and a list:\n",
                                     "\n", "- one\n", "- two"]})
            continue
        else:
            source = [f"# cell {k}\n", f"x_{k} = {k} * 2\n", f"y_{k} = x_{k} + 1\n",
                      f"print(x_{k}, y_{k})"]
        cells.append({
            "cell_type": "code", "execution_count": k, "id": cid, "metadata": {},
            "outputs": [
                {"name": "stdout", "output_type": "stream", "text": [f"{2 * k} {2 * k + 1}\n"]},
                {"data": {"text/plain": [str(k)]}, "execution_count": k, "metadata": {},
                 "output_type": "execute_result"},
                *([_figure(k, images)] if images is not None else []),
            ],
            "source": source,
        })
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                           "name": "python3"},
            "language_info": {"name": "python", "pygments_lexer": "ipython3"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def write_notebook(path: Path, n: int, *, images: bool | None = None) -> Path:
    """Write the ``n``-cell notebook in nbformat's canonical form."""
    text = json.dumps(notebook_dict(n, images=images), indent=1, sort_keys=True, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")
    return path
