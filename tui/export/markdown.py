"""``jtui convert --to markdown``: the notebook as markdown, as nbconvert's markdown exporter
makes it.

Markdown cells as they are; code cells fenced with the notebook's language; outputs by
nbconvert's display priority (HTML, LaTeX, SVG, PNG, JPEG, markdown, then plain text): text
indented four spaces (a code block), HTML, LaTeX and markdown as they are, and pictures
written beside the document as nbconvert writes them, ``NAME_files/NAME_C_O.png`` (cell C,
output O) and linked from it. Tracebacks lose their colours.
"""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import quote

from nbio.model import Notebook
from tui.export import Export

PRIORITY = ("text/html", "application/pdf", "text/latex", "image/svg+xml", "image/png",
            "image/jpeg", "text/markdown", "text/plain")
"""nbconvert's ``display_data_priority``: the first of these an output has is shown."""

_PICTURES = {"image/png": (".png", "png"), "image/jpeg": (".jpg", "jpeg"),
             "image/svg+xml": (".svg", "svg")}
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def _indent(text: str) -> str:
    return "\n".join("    " + line if line.strip() else line for line in text.split("\n"))


def _text(value: object) -> str:
    if isinstance(value, list):
        return "".join(str(v) for v in value)
    return str(value)


def _picture(mime: str, data: object) -> bytes | None:
    text = _text(data)
    if mime == "image/svg+xml":
        return text.encode("utf-8")
    try:
        return base64.b64decode(text, validate=False)
    except (binascii.Error, ValueError):
        return None


def export_markdown(nb: Notebook, name: str) -> Export:
    """The notebook as markdown; ``name`` names the pictures' folder and files."""
    info = nb.metadata.get("language_info")
    language = info.get("name", "") if isinstance(info, dict) else ""
    blocks: list[str] = []
    resources: dict[str, bytes] = {}
    for c, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            blocks.append(cell.source)
            continue
        if cell.cell_type == "raw":
            if str(cell.metadata.get("raw_mimetype", "")).lower() in ("", "text/markdown"):
                blocks.append(cell.source)
            continue
        if cell.cell_type != "code":
            continue
        lang = cell.metadata.get("magics_language") or language
        blocks.append(f"```{lang}\n{cell.source}\n```")
        for o, out in enumerate(cell.outputs):
            block = _output(out, f"{name}_files/{name}_{c}_{o}", resources)
            if block is not None:
                blocks.append(block)
    text = "\n\n".join(b.rstrip("\n") for b in blocks)
    return Export(text + "\n" if text else "", resources)


def _output(out: dict[str, object], stem: str, resources: dict[str, bytes]) -> str | None:
    kind = out.get("output_type")
    if kind == "stream":
        return _indent(_text(out.get("text", "")).rstrip("\n"))
    if kind == "error":
        lines = out.get("traceback")
        tb = "\n".join(_ANSI.sub("", str(line)) for line in lines) if isinstance(
            lines, list) else f"{out.get('ename', '')}: {out.get('evalue', '')}"
        return _indent(tb.rstrip("\n"))
    data = out.get("data")
    if kind not in ("execute_result", "display_data") or not isinstance(data, dict):
        return None
    for mime in PRIORITY:
        if mime not in data:
            continue
        value = data[mime]
        if mime in _PICTURES:
            suffix, label = _PICTURES[mime]
            picture = _picture(mime, value)
            if picture is None:
                continue
            path = stem + suffix
            resources[path] = picture
            return f"![{label}]({quote(path)})"
        if mime == "application/pdf":
            continue  # nbconvert's markdown shows no PDF: the next format in line is used
        if mime == "text/plain":
            return _indent(_text(value).rstrip("\n"))
        return _text(value).rstrip("\n")
    return None
