"""Notebooks as jupytext's markdown (``md``): markdown cells as text, code cells fenced.

Code cells are fenced blocks with the language (```` ```python ````, metadata after it); a
markdown cell that would not read back as itself, or has metadata, is wrapped in
``<!-- #region -->`` ... ``<!-- #endregion -->``; raw cells in ``<!-- #raw -->``; two
consecutive markdown cells are two blank lines apart. A port of jupytext 1.19's markdown
reader and writer (MIT licensed), checked against jupytext as the percent format is.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from typing import Any

from nbio.text.cellmeta import (
    IGNORE_CELL_METADATA,
    filter_metadata,
    is_active,
    is_json_metadata,
    metadata_to_text,
    text_to_metadata,
)
from nbio.text.header import metadata_and_cell_to_header
from nbio.text.languages import (
    JUPYTER_LANGUAGES,
    StringParser,
    cell_language,
    comment_magic,
    default_language,
    uncomment_magic,
)
from nbio.text.percent import (
    _cell_source,
    _count_lines_to_next_cell,
    _custom_magics,
    _fmt,
    _update_formats,
    read_cells,
)

JSONDict = dict[str, Any]
_BLANK_LINE = re.compile(r"^\s*$")
_LANGUAGES = JUPYTER_LANGUAGES | {lang.upper() for lang in JUPYTER_LANGUAGES}
_START_CODE_RE = re.compile(r"^```(`*)(\s*)({})($|\s.*$)".format(
    "|".join(map(re.escape, sorted(_LANGUAGES, key=lambda x: (-len(x), x))))))
_NON_JUPYTER_CODE_RE = re.compile(r"^```")
_START_REGION_RE = re.compile(r"^<!--\s*#(region|markdown|md|raw)(.*)-->\s*$")


def _metadata_to_text_no_title(metadata: JSONDict, plain_json: bool) -> str:
    """jupytext's ``metadata_to_text(metadata)``: a plain ``title`` leads the text."""
    metadata = dict(metadata)
    title = None
    if "title" in metadata and "{" not in str(metadata["title"]) and "=" not in str(
            metadata["title"]):
        title = str(metadata.pop("title"))
    return metadata_to_text(title, metadata, plain_json=plain_json)


# -- reading --------------------------------------------------------------------------------
class _CellReader:
    """Reads one cell (jupytext's ``MarkdownCellReader`` on ``BaseCellReader.read``)."""

    def __init__(self, fmt: JSONDict, language: str | None) -> None:
        self.ext = str(fmt["extension"])
        self.default_language = language or "python"
        self.split_at_heading = bool(fmt.get("split_at_heading", False))
        self.format_version = fmt.get("format_version")
        self.comment_magics = fmt.get("comment_magics", False)
        self.metadata: JSONDict | None = None
        self.language: str | None = None
        self.cell_type = "code"
        self.in_region = False
        self.end_region_re: re.Pattern[str] | None = None
        self.end_code_re: re.Pattern[str] = re.compile(r"^```\s*$")
        self.cell_metadata_json = False
        self.lines_to_next_cell = 1

    def _options(self, options: tuple[str, ...]) -> tuple[str, JSONDict]:
        extra_backticks = options[0]
        self.end_code_re = re.compile("```" + extra_backticks)
        text = " ".join(options[1:])
        self.cell_metadata_json = self.cell_metadata_json or is_json_metadata(text)
        return text_to_metadata(text)

    def _option_line(self, line: str) -> None:
        region = _START_REGION_RE.match(line)
        if region:
            self.in_region = True
            name, rest = region.groups()
            self.end_region_re = re.compile(rf"^<!--\s*#end{name}\s*-->\s*$")
            self.cell_metadata_json = self.cell_metadata_json or is_json_metadata(rest)
            title, self.metadata = text_to_metadata(rest, allow_title=True)
            self.cell_type = "raw" if name == "raw" else "markdown"
            if title:
                self.metadata["title"] = title
            if name in ("markdown", "md"):
                self.metadata["region_name"] = name
        elif _START_CODE_RE.match(line):
            self.language, self.metadata = self._options(_START_CODE_RE.findall(line)[0])
            if self.metadata.get(".noeval", "") is None:
                self.cell_type = "markdown"
                self.metadata = {}
                self.language = None

    def _find_cell_end(self, lines: Sequence[str]) -> tuple[int, int, bool]:
        if self.in_region:
            assert self.end_region_re is not None
            for i, line in enumerate(lines):
                if self.end_region_re.match(line):
                    return i, i + 1, True
        elif self.metadata is None:
            self.cell_type = "markdown"
            prev_blank = 0
            in_code = in_indented = False
            for i, line in enumerate(lines):
                if in_code and self.end_code_re.match(line):
                    in_code = False
                    continue
                if prev_blank and line.startswith("    ") and not _BLANK_LINE.match(line):
                    in_indented = True
                    prev_blank = 0
                    continue
                if in_indented and not _BLANK_LINE.match(line) and not line.startswith("    "):
                    in_indented = False
                if in_indented or in_code:
                    continue
                if _START_REGION_RE.match(line):
                    if i > 1 and prev_blank:
                        return i - 1, i, False
                    return i, i, False
                if _START_CODE_RE.match(line):
                    language, metadata = self._options(_START_CODE_RE.findall(line)[0])
                    if language not in _LANGUAGES or metadata.get(".noeval", "") is None:
                        in_code = True
                        prev_blank = 0
                        continue
                    if i > 1 and prev_blank:
                        return i - 1, i, False
                    return i, i, False
                if line.startswith("```{"):
                    in_code = True
                    prev_blank = 0
                    continue
                if _NON_JUPYTER_CODE_RE.match(line):
                    if prev_blank >= 2:
                        return i - 2, i, True
                    in_code = True
                    prev_blank = 0
                    continue
                if self.split_at_heading and line.startswith("#") and prev_blank >= 1:
                    return i - 1, i, False
                if _BLANK_LINE.match(line):
                    prev_blank += 1
                elif prev_blank >= 2:
                    return i - 2, i, True
                else:
                    prev_blank = 0
        else:
            self.cell_type = "code"
            parser = StringParser(self.language or self.default_language)
            for i, line in enumerate(lines):
                if i == 0:
                    continue
                if parser.is_quoted():
                    parser.read_line(line)
                    continue
                parser.read_line(line)
                if self.end_code_re.match(line):
                    return i, i + 1, True
        return len(lines), len(lines), False

    def read(self, lines: Sequence[str]) -> tuple[JSONDict, int]:
        """The first cell of ``lines`` and the index where the next one starts."""
        self._option_line(lines[0])
        if self.metadata and "language" in self.metadata:
            self.language = str(self.metadata.pop("language"))
        end, next_start, explicit_eoc = self._find_cell_end(lines)
        if self.metadata is None:
            start = 0
            self.metadata = {}
        else:
            start = 1
        metadata = self.metadata
        source = list(lines[start:end])
        content = self._extract(source)
        if self.cell_type == "code":
            if not is_active(".ipynb", metadata):
                if metadata.get("active") == "":
                    del metadata["active"]
                self.cell_type = "raw"
            elif not self.language and self.format_version not in ("1.0", "1.1"):
                self.cell_type = "markdown"
                explicit_eoc = False
                end += 1
                content = list(lines[:end])
        total = len(lines)
        if (next_start + 1 < total and _BLANK_LINE.match(lines[next_start])
                and not _BLANK_LINE.match(lines[next_start + 1])):
            next_start += 1
        elif (explicit_eoc and next_start + 2 < total and _BLANK_LINE.match(lines[next_start])
              and _BLANK_LINE.match(lines[next_start + 1])
              and not _BLANK_LINE.match(lines[next_start + 2])):
            next_start += 2
        self.lines_to_next_cell = _count_lines_to_next_cell(end, next_start, total, explicit_eoc)
        if self.lines_to_next_cell != 1:
            metadata["lines_to_next_cell"] = self.lines_to_next_cell
        if self.language:
            metadata["language"] = self.language
        cell: JSONDict = {"cell_type": self.cell_type, "metadata": metadata,
                          "source": "\n".join(content)}
        if self.cell_type == "code":
            cell["execution_count"] = None
            cell["outputs"] = []
        return cell, next_start

    def _extract(self, lines: list[str]) -> list[str]:
        assert self.metadata is not None
        if not is_active(self.ext, self.metadata) or (
                "active" not in self.metadata and self.language
                and self.language != self.default_language):
            return lines
        if self.cell_type == "code" and self.comment_magics:
            return uncomment_magic(lines, self.language or self.default_language)
        return lines


def reads(text: str, ext: str = ".md") -> JSONDict:
    """A notebook dict from jupytext markdown: what ``jupytext.reads(text, "md")`` returns."""
    return read_cells(text, ext, "markdown", _CellReader, _markdown_fmt)


def _markdown_fmt(fmt: JSONDict, metadata: JSONDict) -> None:
    fmt["format_name"] = "markdown"
    text_repr = metadata.get("jupytext", {}).get("text_representation", {})
    if isinstance(text_repr, dict) and text_repr.get("extension") == fmt["extension"]:
        fmt.setdefault("format_version", text_repr.get("format_version"))


# -- writing --------------------------------------------------------------------------------
def _three_backticks_or_more(lines: list[str]) -> str:
    delimiter = "```"
    for line in lines:
        if not line.startswith(delimiter):
            continue
        for char in line[len(delimiter):]:
            if char != "`":
                break
            delimiter += "`"
        delimiter += "`"
    return delimiter


class _Exporter:
    """One cell as markdown (jupytext's ``MarkdownCellExporter``)."""

    def __init__(self, cell: JSONDict, language: str, fmt: JSONDict) -> None:
        self.fmt = fmt
        self.ext = str(fmt["extension"])
        self.cell_type = str(cell.get("cell_type", ""))
        self.source = _cell_source(cell)
        unfiltered = cell.get("metadata", {})
        self.unfiltered = unfiltered if isinstance(unfiltered, dict) else {}
        self.metadata = filter_metadata(self.unfiltered, fmt.get("cell_metadata_filter"),
                                        IGNORE_CELL_METADATA)
        lang, magic_args = cell_language(self.source, language, _custom_magics(fmt))
        if magic_args:
            self.metadata["magic_args"] = magic_args
        if lang:
            self.metadata["language"] = lang
        self.language = lang or self.unfiltered.get("language", language)
        self.plain_json = bool(fmt.get("cell_metadata_json", False))
        blank = self.unfiltered.get("lines_to_next_cell")
        self.lines_to_next_cell = blank if isinstance(blank, int) and not isinstance(
            blank, bool) else None
        if self.cell_type == "raw" and "active" not in self.metadata and not any(
                isinstance(t, str) and t.startswith("active-")
                for t in self.metadata.get("tags", [])):
            self.metadata["active"] = ""

    def is_code(self) -> bool:
        tags = self.metadata.get("tags", [])
        return self.cell_type == "code" or (self.cell_type == "raw" and "active" in self.metadata) \
            or any(isinstance(t, str) and t.startswith("active-") for t in tags)

    def _html_comment(self, metadata: JSONDict, code: str) -> list[str]:
        if metadata:
            start = " ".join(["<!-- #" + code, _metadata_to_text_no_title(
                metadata, self.plain_json), "-->"])
        else:
            start = f"<!-- #{code} -->"
        return [start, *self.source, f"<!-- #end{code} -->"]

    def to_text(self) -> list[str]:
        if self.cell_type == "markdown":
            if self.metadata:
                protect = True
            else:
                reader = _CellReader(self.fmt, None)
                cell, pos = reader.read(self.source)
                protect = pos < len(self.source) or cell["cell_type"] != self.cell_type
            if protect:
                return self._html_comment(self.metadata,
                                          str(self.metadata.pop("region_name", "region")))
            return self.source
        source = comment_magic(copy.copy(self.source), str(self.language),
                               self.fmt.get("comment_magics", False))
        if self.metadata.get("active") == "":
            self.metadata.pop("active")
        self.language = self.metadata.pop("language", self.language)
        if self.cell_type == "raw" and not is_active(self.ext, self.metadata, False):
            return self._html_comment(self.metadata, "raw")
        options = metadata_to_text(str(self.language), self.metadata)
        delimiter = _three_backticks_or_more(self.source)
        return [delimiter + options, *source, delimiter]


def writes(nb: JSONDict, ext: str = ".md") -> str:
    """The jupytext-markdown text of a notebook dict (``jupytext.writes(nb, "md")``, outputs
    dropped, the ``jupytext_version`` line as in :func:`nbio.text.percent.writes`)."""
    metadata = copy.deepcopy(nb.get("metadata", {}))
    cells = [c for c in nb.get("cells", []) if isinstance(c, dict)]
    _update_formats(metadata, ext, "markdown")
    language = default_language(metadata, ext, True) or "python"
    fmt = _fmt(metadata, ext)
    fmt["format_name"] = "markdown"
    text_repr = metadata.get("jupytext", {}).get("text_representation", {})
    if isinstance(text_repr, dict) and text_repr.get("extension") == ext and text_repr.get(
            "format_name") == "markdown" and "format_version" in text_repr:
        fmt["format_version"] = text_repr["format_version"]
    header, header_lines_to_next, taken = metadata_and_cell_to_header(cells, metadata, fmt)
    cells = cells[taken:]
    exporters = [_Exporter(cell, language, fmt) for cell in cells]
    texts = [e.to_text() for e in exporters]
    split_at_heading = bool(fmt.get("split_at_heading", False))
    chunks: list[list[str]] = []
    for i in range(len(exporters) - 1, -1, -1):
        exporter, text = exporters[i], list(texts[i])
        blank = exporter.lines_to_next_cell
        text.extend([""] * (1 if blank is None else max(blank, 0)))  # pep8 is for .py only
        if not exporter.is_code() and i + 1 < len(exporters) and not exporters[i + 1].is_code() \
                and not texts[i][0].startswith("<!-- #") \
                and not texts[i + 1][0].startswith("<!-- #") \
                and (not split_at_heading or not (texts[i + 1] and texts[i + 1][0].startswith(
                    "#"))):
            text.append("")
        chunks.append(text)
    lines = [line for chunk in reversed(chunks) for line in chunk]
    if not isinstance(header_lines_to_next, int) or isinstance(header_lines_to_next, bool):
        header_lines_to_next = 1 if not lines else (0 if not header else 1)
    return "\n".join([*header, *([""] * header_lines_to_next), *lines])
