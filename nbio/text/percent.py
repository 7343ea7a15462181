"""Notebooks as scripts in jupytext's percent format (``py:percent``), both ways.

A cell starts at a ``# %%`` line; ``# %% [markdown]`` (or ``[md]``) and ``# %% [raw]`` cells
have their lines commented with ``# ``; the rest of the marker line is the cell's title and
metadata (``# %% Title tags=["x"] key="value"``, or ``# %% {"json": true}``). Magics are
commented out (``# %matplotlib inline``), a ``%%bash`` cell becomes ``# %% language="bash"``
with its code commented, and blank lines between cells follow pep8 as jupytext's do. The
notebook metadata is the YAML header. This is a port of jupytext 1.19 (MIT licensed): the
text written is jupytext's, and jupytext's files read back to the same cells.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from nbio.text.cellmeta import (
    IGNORE_CELL_METADATA,
    double_percent_options,
    filter_metadata,
    is_active,
    is_json_metadata,
    text_to_metadata,
    update_metadata_filters,
)
from nbio.text.extensions import SCRIPT_EXTENSIONS
from nbio.text.header import (
    encoding_and_executable,
    header_to_metadata_and_cell,
    metadata_and_cell_to_header,
)
from nbio.text.languages import (
    JUPYTER_LANGUAGES,
    StringParser,
    cell_language,
    comment_lines,
    comment_magic,
    default_language,
    same_language,
    uncomment,
    uncomment_magic,
    unescape_code_start,
    usual_language_name,
)
from nbio.text.pep8 import lines_between_cells
from nbio.text.views import Reversed, Tail

JSONDict = dict[str, Any]

FORMAT_OPTIONS = ("comment_magics", "hide_notebook_metadata", "root_level_metadata_as_raw_cell",
                  "split_at_heading", "rst2md", "cell_metadata_json", "use_runtools",
                  "doxygen_equation_markers", "notebook_metadata_filter",
                  "root_level_metadata_filter", "cell_metadata_filter", "cell_markers",
                  "custom_cell_magics", "custom_language_magics")
"""Format options a notebook's ``metadata.jupytext`` may hold (jupytext's list)."""

_BLANK_LINE = re.compile(r"^\s*$")


class OtherFormatError(ValueError):
    """The header says the file is in another jupytext format (its name is the message)."""


_EMPTY_LINE = re.compile(r"^$")
_CODE_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")


def _fmt(metadata: JSONDict, ext: str) -> JSONDict:
    """The format with the options recorded in the notebook (``metadata.jupytext``)."""
    fmt: JSONDict = {"extension": ext, "format_name": "percent"}
    jupytext = metadata.get("jupytext", {})
    if isinstance(jupytext, dict):
        for opt in FORMAT_OPTIONS:
            if opt in jupytext:
                fmt.setdefault(opt, jupytext[opt])
    return fmt


def _custom_magics(fmt: JSONDict) -> list[str]:
    return [*str(fmt.get("custom_cell_magics", "")).split(","),
            *str(fmt.get("custom_language_magics", "")).split(",")]


# -- writing --------------------------------------------------------------------------------
def _cell_source(cell: JSONDict) -> list[str]:
    source = cell.get("source", "")
    if isinstance(source, list):
        source = "".join(source)
    source = str(source)
    if source == "":
        return [""]
    if source.endswith("\n"):
        return [*source.splitlines(), ""]
    return source.splitlines()


def _is_code(cell_type: str, metadata: JSONDict) -> bool:
    tags = metadata.get("tags", [])
    return cell_type == "code" or (cell_type == "raw" and "active" in metadata) or any(
        isinstance(t, str) and t.startswith("active-") for t in tags)


def _triple_quotes(source: list[str], marker: Any) -> list[str] | None:
    """A markdown cell as a triple-quoted string (``cell_marker`` / ``cell_markers``)."""
    if not marker:
        return None
    marker = str(marker)
    if "," in marker:
        left, right = marker.split(",", 1)
    else:
        left = marker + "\n"
        if marker.startswith(("r", "R")):
            marker = marker[1:]
        right = "\n" + marker
    if (left[:3] == right[-3:] or (left[:1] in ("r", "R") and left[1:4] == right[-3:])) and \
            right[-3:] in ('"""', "'''"):
        if left[:1] not in ("r", "R") and "\\" in "\n".join(source):
            left = "r" + left
        source = list(source)
        source[0] = left + source[0]
        source[-1] = source[-1] + right
        return source
    return None


def cell_to_text(cell: JSONDict, language: str, fmt: JSONDict) -> list[str]:
    """One cell's lines in the percent format (jupytext's ``DoublePercentCellExporter``)."""
    ext = fmt["extension"]
    comment = SCRIPT_EXTENSIONS.get(ext, {}).get("comment", "#")
    cell_type = str(cell.get("cell_type", ""))
    source = _cell_source(cell)
    unfiltered = cell.get("metadata", {})
    if not isinstance(unfiltered, dict):
        unfiltered = {}
    metadata = filter_metadata(unfiltered, fmt.get("cell_metadata_filter"),
                               IGNORE_CELL_METADATA)
    cell_lang, magic_args = cell_language(source, language, _custom_magics(fmt))
    if magic_args:
        metadata["magic_args"] = magic_args
    if cell_lang:
        metadata["language"] = cell_lang
    this_language = cell_lang or unfiltered.get("language", language)
    if cell_type == "raw" and "active" not in metadata and not any(
            isinstance(t, str) and t.startswith("active-") for t in metadata.get("tags", [])):
        metadata["active"] = ""
    active = is_active(ext, metadata, same_language(str(this_language), language))
    if cell_type == "raw" and metadata.get("active") == "":
        del metadata["active"]
    code = _is_code(cell_type, metadata)
    if not code:
        metadata["cell_type"] = cell_type
    options = double_percent_options(metadata, bool(fmt.get("cell_metadata_json", False)))
    indent = ""
    if code and active and source and source[0].strip():
        indent = re.match(r"^(\s*)", source[0]).group(1)  # type: ignore[union-attr]
    marker = "%%" + options if options.startswith("%") or not options else "%% " + options
    lines = comment_lines([marker], indent + comment)
    if code and active:
        body = comment_magic(list(source), str(this_language), fmt.get("comment_magics", True))
        return lines if body == [""] else lines + body
    quoted = _triple_quotes(source, unfiltered.get("cell_marker", fmt.get("cell_markers")))
    return lines + (quoted if quoted is not None else comment_lines(source, comment))


def _update_formats(metadata: JSONDict, ext: str, format_name: str = "percent") -> None:
    """``jupytext.formats`` names this file's format: ``ipynb,py`` -> ``ipynb,py:percent``."""
    jupytext = metadata.get("jupytext")
    if not isinstance(jupytext, dict) or not isinstance(jupytext.get("formats"), str):
        return
    entries = [e for e in jupytext["formats"].split(",") if e]
    if not entries:
        return
    for i, entry in enumerate(entries):
        name = entry.split(":", 1)[0]
        if "/" not in name and name.lstrip(".") == ext.lstrip("."):
            markdown = ext in (".md", ".markdown", ".Rmd")  # jupytext names no md format
            entries[i] = ext.lstrip(".") + ("" if markdown else ":" + format_name)
            break
    jupytext["formats"] = ",".join(entries)


def writes(nb: JSONDict, ext: str = ".py") -> str:
    """The percent-format text of a notebook dict (what ``jupytext.writes(nb, "py:percent")``
    returns, outputs dropped). ``ext`` picks the language's comment marker (``.py``, ``.R``,
    ``.jl``, ``.sh``...); the ``jupytext_version`` line of the header is the one the
    notebook was read with, or absent."""
    metadata = copy.deepcopy(nb.get("metadata", {}))
    cells = [c for c in nb.get("cells", []) if isinstance(c, dict)]
    _update_formats(metadata, ext)
    language = default_language(metadata, ext, True) or "python"
    fmt = _fmt(metadata, ext)
    header = encoding_and_executable(cells, metadata, ext)
    header_content, header_lines_to_next, taken = metadata_and_cell_to_header(cells, metadata, fmt)
    header.extend(header_content)
    cells = cells[taken:]
    texts = [cell_to_text(cell, language, fmt) for cell in cells]
    backwards: list[str] = []  # the text after the current cell, last line first
    following = Reversed(backwards)
    for cell, text in zip(reversed(cells), reversed(texts)):
        meta = cell.get("metadata", {})
        blank = meta.get("lines_to_next_cell") if isinstance(meta, dict) else None
        if not isinstance(blank, int) or isinstance(blank, bool):
            blank = lines_between_cells(text, following, ext)
        backwards.extend([""] * max(blank, 0))
        backwards.extend(reversed(text))
    if not isinstance(header_lines_to_next, int) or isinstance(header_lines_to_next, bool):
        header_lines_to_next = lines_between_cells(header_content, following, ext)
    header.extend([""] * header_lines_to_next)
    backwards.reverse()
    return "\n".join(header + backwards)


# -- reading --------------------------------------------------------------------------------
def _opening_fence(text: str) -> tuple[str, int] | None:
    match = _CODE_FENCE.match(text)
    if not match or (match.group(1)[0] == "`" and "`" in match.group(2)):
        return None
    return match.group(1)[0], len(match.group(1))


def _closes_fence(text: str, fence: tuple[str, int]) -> bool:
    match = _CODE_FENCE.match(text)
    return bool(match) and match.group(1)[0] == fence[0] and len(  # type: ignore[union-attr]
        match.group(1)) >= fence[1] and not match.group(2).strip()  # type: ignore[union-attr]


def _last_two_lines_blank(source: Sequence[str]) -> bool:
    return len(source) >= 3 and not _BLANK_LINE.match(source[-3]) and bool(
        _BLANK_LINE.match(source[-2])) and bool(_BLANK_LINE.match(source[-1]))


def _count_lines_to_next_cell(end: int, next_start: int, total: int, explicit_eoc: bool) -> int:
    if end < total:
        count = next_start - end
        if explicit_eoc:
            count -= 1
        if next_start >= total:
            count += 1
        return count
    return 1


class _CellReader:
    """Reads one cell (jupytext's ``DoublePercentScriptCellReader``)."""

    def __init__(self, fmt: JSONDict, language: str | None) -> None:
        self.ext = str(fmt["extension"])
        script = SCRIPT_EXTENSIONS[self.ext]
        self.default_language = language or script["language"]
        self.comment = script["comment"]
        self.comment_magics = fmt.get("comment_magics", True)
        self.cell_metadata_json = False
        escaped = re.escape(self.comment)
        self.start_code_re = re.compile(rf"^\s*{escaped}\s*%%(%*)\s(.*)$")
        self.alternative_start_code_re = re.compile(
            rf"^\s*{escaped}\s*(%%|<codecell>|In\[[0-9 ]*\]:?)\s*$")
        self.metadata: JSONDict = {}
        self.language: str | None = None
        self.cell_type = "code"
        self.lines_to_next_cell = 1
        self.org_content: list[str] = []
        self.content: list[str] = []

    def _options(self, options: str) -> JSONDict:
        self.cell_metadata_json = self.cell_metadata_json or is_json_metadata(options)
        title, metadata = text_to_metadata(options, allow_title=True)
        for cell_type in ("markdown", "raw", "md"):
            code = f"[{cell_type}]"
            if code in title:
                title = title.replace(code, "").strip()
                metadata["cell_type"] = cell_type
                if cell_type == "md":
                    metadata["region_name"] = cell_type
                    metadata["cell_type"] = "markdown"
                break
        depth = 0
        while title.startswith("%"):
            depth += 1
            title = title[1:]
        if depth:
            metadata["cell_depth"] = depth
            title = title.strip()
        if title:
            metadata["title"] = title
        return metadata

    def read(self, lines: Sequence[str]) -> tuple[JSONDict, int]:
        """The first cell of ``lines`` and the index where the next one starts."""
        first = lines[0]
        if self.start_code_re.match(first):
            line = uncomment([first], self.comment)[0]
            self.metadata = self._options(line[line.find("%%") + 2:])
        else:
            self.metadata = {}
        if "language" in self.metadata:
            self.language = str(self.metadata.pop("language"))
        end, next_start, explicit_eoc = self._find_cell_end(lines)
        start = 1 if (self.start_code_re.match(first)
                      or self.alternative_start_code_re.match(first)) else 0
        source = list(lines[start:end])
        self.org_content = list(source)
        self.content = self._extract_content(source)
        self.lines_to_next_cell = _count_lines_to_next_cell(end, next_start, len(lines),
                                                            explicit_eoc)
        metadata = self.metadata
        expected = (lines_between_cells(self.org_content or [""], lines[next_start:], self.ext)
                    if self.ext == ".py" else 1)
        if self.lines_to_next_cell != expected:
            metadata["lines_to_next_cell"] = self.lines_to_next_cell
        if self.language:
            metadata["language"] = self.language
        cell: JSONDict = {"cell_type": self.cell_type, "metadata": metadata,
                          "source": "\n".join(self.content)}
        if self.cell_type == "code":
            cell["execution_count"] = None
            cell["outputs"] = []
        return cell, next_start

    def _find_cell_end(self, lines: Sequence[str]) -> tuple[int, int, bool]:
        if "cell_type" in self.metadata:
            self.cell_type = str(self.metadata.pop("cell_type"))
        elif not is_active(".ipynb", self.metadata):
            if self.metadata.get("active") == "":
                del self.metadata["active"]
            self.cell_type = "raw"
            if is_active(self.ext, self.metadata):
                self.comment = ""
        else:
            self.cell_type = "code"
        next_cell = len(lines)
        parser = StringParser(self.language or self.default_language)
        fence: tuple[str, int] | None = None
        for i, line in enumerate(lines):
            if parser.is_quoted():
                parser.read_line(line)
                continue
            parser.read_line(line)
            if self.cell_type in ("markdown", "raw"):
                text = uncomment([line], self.comment)[0]
                if fence:
                    if _closes_fence(text, fence):
                        fence = None
                    continue
                opening = _opening_fence(text)
                if opening and any(_closes_fence(uncomment([n], self.comment)[0], opening)
                                   for n in lines[i + 1:]):
                    fence = opening
                    continue
            if i > 0 and (self.start_code_re.match(line)
                          or self.alternative_start_code_re.match(line)):
                next_cell = i
                break
        if _last_two_lines_blank(lines[max(0, next_cell - 3):next_cell]):
            return next_cell - 2, next_cell, False
        if next_cell > 0 and _EMPTY_LINE.match(lines[next_cell - 1]):
            return next_cell - 1, next_cell, False
        return next_cell, next_cell, False

    def _extract_content(self, lines: list[str]) -> list[str]:
        if self.ext == ".py" and not is_active(self.ext, self.metadata, self.cell_type == "code"):
            content = "\n".join(lines).strip()
            for prefix in ("", "r", "R"):
                for quote in ('"""', "'''"):
                    left, right = prefix + quote, quote
                    if content.startswith(left) and content.endswith(right) and len(
                            content) >= len(left + right):
                        content = content[len(left):-len(right)]
                        if content.startswith("\n"):
                            content = content[1:]
                            left = left + "\n"
                        if content.endswith("\n"):
                            content = content[:-1]
                            right = "\n" + right
                        if not prefix:
                            if len(left) == len(right) == 4:
                                self.metadata["cell_marker"] = left[:3]
                        elif len(left[1:]) == len(right) == 4:
                            self.metadata["cell_marker"] = left[:4]
                        else:
                            self.metadata["cell_marker"] = left + "," + right
                        return content.splitlines()
        if not is_active(self.ext, self.metadata) or (
                "active" not in self.metadata and self.language
                and self.language != self.default_language):
            return uncomment(lines, self.comment if self.ext not in (".r", ".R") else "#")
        language = self.language or self.default_language
        if self.comment_magics:
            if is_active(self.ext, self.metadata):
                uncomment_magic(lines, language, explicitly_code=True)
            else:
                lines = uncomment(lines)
        if self.cell_type == "code":
            return unescape_code_start(lines, self.ext, language)
        return uncomment(lines, self.comment)


def _set_main_and_cell_language(metadata: JSONDict, cells: list[JSONDict], ext: str,
                                custom: list[str]) -> None:
    main = default_language(metadata, ext)
    if main is None:
        counts = {"python": 0.5}
        for cell in cells:
            if "language" in cell["metadata"]:
                name = usual_language_name(str(cell["metadata"]["language"]))
                counts[name] = counts.get(name, 0.0) + 1
        main = max(counts, key=lambda k: counts[k])
    spec = metadata.get("kernelspec", {})
    if not (isinstance(spec, dict) and "language" in spec) and cells:
        metadata.setdefault("jupytext", {})["main_language"] = main
    for cell in cells:
        meta = cell["metadata"]
        if "language" not in meta:
            continue
        language = str(meta["language"])
        if language == main:
            meta.pop("language")
            continue
        if usual_language_name(language) == main:
            continue
        if language in JUPYTER_LANGUAGES or language in custom:
            meta.pop("language")
            magic = "%%" if main != "csharp" else "#!"
            if "magic_args" in meta:
                cell["source"] = f"{magic}{language} {meta.pop('magic_args')}\n" + cell["source"]
            else:
                cell["source"] = f"{magic}{language}\n" + cell["source"]


def reads(text: str, ext: str = ".py") -> JSONDict:
    """A notebook dict (nbformat 4.5, no cell ids yet) from percent-format text: what
    ``jupytext.reads(text, "py:percent")`` returns. Raises
    :class:`~nbio.text.yamlish.YamlError` for a header this reader cannot parse."""
    return read_cells(text, ext, "percent", _CellReader)


class CellReader(Protocol):
    """What :func:`read_cells` needs of a format's cell reader."""

    cell_metadata_json: bool

    def read(self, lines: Sequence[str]) -> tuple[JSONDict, int]:
        """The next cell of ``lines`` and how many lines it took."""
        ...


def read_cells(text: str, ext: str, format_name: str,
               reader: Callable[[JSONDict, str | None], CellReader],
               fmt_hook: Callable[[JSONDict, JSONDict], None] | None = None) -> JSONDict:
    """A notebook dict from a text notebook in ``format_name``, one ``reader(fmt, language)``
    per cell (the loop of jupytext's ``TextNotebookConverter.reads``, shared by the percent and
    markdown formats); ``fmt_hook(fmt, metadata)`` adjusts the format options first."""
    lines = text.splitlines()
    metadata, jupyter_md, header_cell, pos = header_to_metadata_and_cell(lines, ext)
    language = default_language(metadata, ext)
    fmt = _fmt(metadata, ext)
    if fmt_hook is not None:
        fmt_hook(fmt, metadata)
    cells: list[JSONDict] = [header_cell] if header_cell else []
    rest = Tail(lines, pos)
    metadata_json = False
    while rest:
        cell_reader = reader(fmt, language)
        cell, pos = cell_reader.read(rest)
        cells.append(cell)
        metadata_json = metadata_json or cell_reader.cell_metadata_json
        rest = Tail(rest, pos)
    _set_main_and_cell_language(metadata, cells, ext, _custom_magics(fmt))
    keys: list[str] = []
    for cell in cells:
        keys.extend(k for k in cell["metadata"] if k not in keys)
    update_metadata_filters(metadata, jupyter_md, keys)
    if metadata_json:
        metadata.setdefault("jupytext", {}).setdefault("cell_metadata_json", True)
    text_repr = metadata.setdefault("jupytext", {}).setdefault("text_representation", {})
    if isinstance(text_repr, dict):
        declared = text_repr.get("format_name")
        if declared not in (None, format_name) and text_repr.get("extension") in (None, ext):
            raise OtherFormatError(str(declared))
        text_repr.update({"extension": ext, "format_name": format_name})
    return {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}
