"""The YAML header of a text notebook (``# ---`` / ``# jupyter:`` ... ``# ---``), as jupytext
writes and reads it (a port of jupytext 1.19's ``header.py``, MIT licensed)."""

from __future__ import annotations

import re
from typing import Any

from nbio.text import yamlish
from nbio.text.cellmeta import DEFAULT_NOTEBOOK_METADATA, filter_metadata
from nbio.text.extensions import SCRIPT_EXTENSIONS
from nbio.text.languages import comment_lines, default_language
from nbio.text.pep8 import lines_between_cells

FORMAT_VERSION = "1.3"
"""jupytext's ``current_version_number`` of the percent format (and of ``.md`` markdown)."""

_HEADER_RE = re.compile(r"^---\s*$")
_BLANK_RE = re.compile(r"^\s*$")
_JUPYTER_RE = re.compile(r"^jupyter\s*:\s*$")
_LEFTSPACE_RE = re.compile(r"^\s")
_UTF8_HEADER = " -*- coding: utf-8 -*-"


def _uncomment_line(line: str, prefix: str) -> str:
    if prefix:
        if line.startswith(prefix + " "):
            return line[len(prefix) + 1:]
        if line.startswith(prefix):
            return line[len(prefix):]
    return line


def encoding_and_executable(cells: list[dict[str, Any]], metadata: dict[str, Any],
                            ext: str) -> list[str]:
    """The ``#!`` and ``# -*- coding -*-`` lines (popped from ``metadata["jupytext"]``)."""
    lines: list[str] = []
    comment = SCRIPT_EXTENSIONS.get(ext, {}).get("comment")
    jupytext = metadata.get("jupytext", {})
    if comment is not None and "executable" in jupytext:
        lines.append("#!" + str(jupytext.pop("executable")))
    if comment is not None:
        if "encoding" in jupytext:
            lines.append(str(jupytext.pop("encoding")))
        elif default_language(metadata, ext) != "python":
            for cell in cells:
                if not str(cell.get("source", "")).isascii():
                    lines.append(comment + _UTF8_HEADER)
                    break
    return lines


def insert_info_and_filter(metadata: dict[str, Any], fmt: dict[str, Any]) -> dict[str, Any]:
    """The notebook metadata the header shows: ``jupytext.text_representation`` set, then
    filtered (by default: jupytext, kernelspec, kernel_info, orphan, tocdepth)."""
    jupytext = metadata.setdefault("jupytext", {})
    old = jupytext.get("text_representation")
    info: dict[str, Any] = {"extension": fmt["extension"], "format_name": fmt["format_name"],
                            "format_version": FORMAT_VERSION}
    if isinstance(old, dict) and isinstance(old.get("jupytext_version"), str):
        info["jupytext_version"] = old["jupytext_version"]  # the file's own: kept as it was
    jupytext["text_representation"] = info
    return filter_metadata(metadata, fmt.get("notebook_metadata_filter"),
                           DEFAULT_NOTEBOOK_METADATA)


def metadata_and_cell_to_header(cells: list[dict[str, Any]], metadata: dict[str, Any],
                                fmt: dict[str, Any]) -> tuple[list[str], Any, int]:
    """The commented header lines, the ``lines_to_next_cell`` of a front-matter raw cell,
    and how many leading cells the header took (0 or 1)."""
    header: list[str] = []
    lines_to_next_cell = None
    taken = 0
    root: dict[str, Any] = {}
    if not fmt.get("root_level_metadata_as_raw_cell", True):
        root = metadata.get("jupytext", {}).pop("root_level_metadata", {})
    elif cells and cells[0].get("cell_type") == "raw":
        lines = str(cells[0].get("source", "")).strip("\n\t ").splitlines()
        if len(lines) >= 2 and _HEADER_RE.match(lines[0]) and _HEADER_RE.match(lines[-1]):
            header = lines[1:-1]
            lines_to_next_cell = cells[0].get("metadata", {}).get("lines_to_next_cell")
            taken = 1
    metadata = dict(sorted(insert_info_and_filter(metadata, fmt).items()))
    if metadata:
        root["jupyter"] = metadata
    if root:
        header.extend(yamlish.dump(root).splitlines())
    if header:
        header = ["---", *header, "---"]
    comment = SCRIPT_EXTENSIONS.get(fmt["extension"], {}).get("comment", "")
    if header and not comment and fmt.get("hide_notebook_metadata", False):
        header = ["<!--", "", *header, "", "-->"]
    return comment_lines(header, comment), lines_to_next_cell, taken


def _recursive_update(target: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    for key, value in update.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict):
            current = target.get(key, {})
            target[key] = _recursive_update(current if isinstance(current, dict) else {}, value)
        else:
            target[key] = value
    return target


def header_to_metadata_and_cell(lines: list[str], ext: str
                                ) -> tuple[dict[str, Any], bool, dict[str, Any] | None, int]:
    """(notebook metadata, whether a ``jupyter:`` section was found, a raw cell for other
    front matter or None, the index of the first line after the header).

    Raises :class:`~nbio.text.yamlish.YamlError` (with a 1-based line of the file) when the
    ``jupyter:`` section is not YAML this reader knows.
    """
    prefix = SCRIPT_EXTENSIONS.get(ext, {}).get("comment", "")
    in_html_div = False
    header: list[str] = []
    jupyter: list[str] = []
    jupyter_start = 0
    in_jupyter = started = ended = False
    start = 0
    metadata: dict[str, Any] = {}
    i = -1
    encoding_re = re.compile(rf"^[ \t\f]*{re.escape(prefix)}.*?coding[:=][ \t]*([-_.a-zA-Z0-9]+)")
    for i, line in enumerate(lines):
        if i == 0 and line.startswith("#!"):
            metadata.setdefault("jupytext", {})["executable"] = line[2:]
            start = i + 1
            continue
        if i == 0 or (i == 1 and not encoding_re.match(lines[0])):
            encoding = encoding_re.match(line)
            if encoding:
                if encoding.group(1) != "utf-8":
                    raise yamlish.YamlError("encodings other than utf-8 are not supported",
                                            i + 1)
                metadata.setdefault("jupytext", {})["encoding"] = line
                start = i + 1
                continue
        if not line.startswith(prefix):
            break
        if not prefix and line.strip().startswith("<!--"):
            in_html_div = True
            continue
        if in_html_div:
            if ended and "-->" in line:
                break
            if not started and not line.strip():
                continue
        line = _uncomment_line(line, prefix)
        if _HEADER_RE.match(line):
            if not started:
                started = True
                continue
            ended = True
            if in_html_div:
                continue
            break
        if not started and line.strip():
            break
        if _JUPYTER_RE.match(line):
            in_jupyter = True
            jupyter_start = i
        elif line and not _LEFTSPACE_RE.match(line):
            in_jupyter = False
        if in_jupyter:
            jupyter.append(line)
        else:
            header.append(line)
    if not ended:
        return metadata, False, None, start
    if jupyter:
        extra = metadata
        try:
            loaded = yamlish.load("\n".join(jupyter))
        except yamlish.YamlError as e:
            raise yamlish.YamlError(str(e).split(": ", 1)[-1], jupyter_start + e.line) from None
        section = loaded.get("jupyter") if isinstance(loaded, dict) else None
        metadata = section if isinstance(section, dict) else {}
        _recursive_update(metadata, extra)
    lines_to_next_cell = 1
    if len(lines) > i + 1:
        if not _BLANK_RE.match(_uncomment_line(lines[i + 1], prefix)):
            lines_to_next_cell = 0
        else:
            i += 1
    else:
        lines_to_next_cell = 0
    cell = None
    if header:
        expected = lines_between_cells(["---"], lines[i + 1:], ext)
        cell = {"cell_type": "raw", "source": "\n".join(["---", *header, "---"]),
                "metadata": {} if lines_to_next_cell == expected
                else {"lines_to_next_cell": lines_to_next_cell}}
    return metadata, bool(jupyter), cell, i + 1
