"""nbformat output dicts to Rich renderables.

text/plain, streams and tracebacks keep their ANSI colours; text/markdown is rendered; any other
MIME type is a one-line placeholder with its type and size (until the rich-output work).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from tui.mime import as_text, human_size
from tui.render.ansi import MAX_LINES, ansi_text
from tui.render.markdown import render_markdown

TEXT_TYPES = ("text/markdown", "text/plain")
"""MIME types rendered as text, best first."""


def placeholder(mime: str, value: Any) -> Text:
    """The one-line stand-in for an output type the editor does not render yet."""
    size = len(as_text(value).encode("utf-8", "replace"))
    return Text(f"[{mime}, {human_size(size)}]", style="dim italic")


def render_bundle(data: dict[str, Any], *, max_lines: int = MAX_LINES) -> list[RenderableType]:
    """A MIME bundle: markdown or plain text rendered, other types as placeholders."""
    parts: list[RenderableType] = []
    for mime, value in data.items():
        if mime not in TEXT_TYPES:
            parts.append(placeholder(mime, value))
    if "text/markdown" in data:
        parts.append(render_markdown(as_text(data["text/markdown"])))
    elif "text/plain" in data:
        parts.append(ansi_text(as_text(data["text/plain"]), max_lines=max_lines))
    return parts


def render_output(output: dict[str, Any], *, max_lines: int = MAX_LINES) -> list[RenderableType]:
    """One nbformat output dict as renderables (usually one)."""
    kind = output.get("output_type")
    if kind == "stream":
        style = "on #3a1e1e" if output.get("name") == "stderr" else ""
        return [ansi_text(as_text(output.get("text", "")), style=style, max_lines=max_lines)]
    if kind == "error":
        tb = output.get("traceback")
        if isinstance(tb, list) and tb:
            text = "\n".join(str(line) for line in tb)
        else:
            text = f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
        return [ansi_text(text, max_lines=max_lines)]
    if kind in ("execute_result", "display_data", "update_display_data"):
        data = output.get("data")
        return render_bundle(data if isinstance(data, dict) else {}, max_lines=max_lines)
    return [Text(f"[unknown output type {kind!r}]", style="dim italic")]


def render_outputs(outputs: Sequence[dict[str, Any]], *,
                   max_lines: int = MAX_LINES) -> RenderableType | None:
    """All outputs of a cell as one renderable, or ``None`` when there are none."""
    parts: list[RenderableType] = []
    for output in outputs:
        if isinstance(output, dict):
            parts.extend(render_output(output, max_lines=max_lines))
    return Group(*parts) if parts else None


def outputs_text(outputs: Sequence[dict[str, Any]]) -> str:
    """The plain text of outputs (ANSI codes removed), for copying to the clipboard."""
    parts: list[str] = []
    for output in outputs:
        kind = output.get("output_type")
        if kind == "stream":
            parts.append(as_text(output.get("text", "")))
        elif kind == "error":
            parts.append("\n".join(str(x) for x in output.get("traceback", [])) + "\n")
        elif isinstance(output.get("data"), dict):
            data = output["data"]
            for mime in TEXT_TYPES[::-1]:
                if mime in data:
                    text = as_text(data[mime])
                    parts.append(text if text.endswith("\n") else text + "\n")
                    break
    return Text.from_ansi("".join(parts)).plain
