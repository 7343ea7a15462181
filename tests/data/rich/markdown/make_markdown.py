"""Regenerate the markdown test data: a Pillow-made PNG and a notebook whose markdown cell
holds it as an attachment (as JupyterLab saves a pasted image), a local file and a data URI.

Run: /work/main/.venv/bin/python tests/data/rich/markdown/make_markdown.py
"""

import base64
import io
from pathlib import Path

import nbformat
from PIL import Image

HERE = Path(__file__).parent
img = Image.new("RGB", (8, 4), (200, 40, 40))
for x in range(4):
    img.putpixel((x, 1), (40, 40, 200))
buf = io.BytesIO()
img.save(buf, format="PNG")
(HERE / "dot.png").write_bytes(buf.getvalue())
b64 = base64.b64encode(buf.getvalue()).decode()

nb = nbformat.v4.new_notebook()
cell = nbformat.v4.new_markdown_cell(
    "Pasted:\n\n![image.png](attachment:image.png)\n\nLocal:\n\n![dot](dot.png)\n\n"
    f"Inline data:\n\n![data](data:image/png;base64,{b64})\n\n"
    "Remote: ![logo](https://jupyter.org/assets/logo.png)\n\n"
    "Euler: $e^{i\\pi} + 1 = 0$\n\n$$\\int_0^1 x^2\\,dx = \\frac{1}{3}$$\n",
    attachments={"image.png": {"image/png": b64}})
nb.cells.append(cell)
nbformat.write(nb, HERE / "attachments.ipynb")
