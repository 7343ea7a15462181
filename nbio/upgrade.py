"""Old formats (v1, v2, v3) to the v4 in-memory dict, and the explicit 4.x -> 4.5 upgrade.

Each step mirrors nbformat (``v2/convert.py``, ``v3/convert.py``, ``v4/convert.py`` and the
v2/v3 ``rejoin_lines`` readers) on well-formed input. Where nbformat would fail with an
``AttributeError``/``KeyError``/``TypeError`` deep inside, these functions raise
:class:`~nbio.errors.NotebookError` naming the JSON path and what is missing.
"""

from __future__ import annotations

import json
from typing import Any

from nbio.errors import NotebookError
from nbio.model import IdFactory, Notebook

JSONDict = dict[str, Any]

_V3_MULTILINE_OUTPUT_KEYS = ("text", "html", "svg", "latex", "javascript", "json")
_V3_MIME_MAP = (
    ("text", "text/plain"),
    ("html", "text/html"),
    ("svg", "image/svg+xml"),
    ("png", "image/png"),
    ("jpeg", "image/jpeg"),
    ("latex", "text/latex"),
    ("json", "application/json"),
    ("javascript", "application/javascript"),
)


def _need_dict(value: Any, where: str, what: str) -> JSONDict:
    if not isinstance(value, dict):
        raise NotebookError(f"{what} must be a JSON object, not {kind_of(value)}", where=where)
    return value


def _need_list(value: Any, where: str, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise NotebookError(f"{what} must be a JSON array, not {kind_of(value)}", where=where)
    return value


def _need_key(obj: JSONDict, key: str, where: str) -> Any:
    if key not in obj:
        raise NotebookError(f"missing the required key {key!r}", where=where)
    return obj[key]


def kind_of(value: Any) -> str:
    """A JSON type name for messages: ``"an array"``, ``"null"``, ``"a string"``..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def join_strings(lines: list[Any], sep: str, where: str) -> str:
    """``sep.join(lines)``, failing clearly when an item is not a string."""
    try:
        return sep.join(lines)
    except TypeError:
        pass
    for i, line in enumerate(lines):
        if not isinstance(line, str):
            raise NotebookError(
                f"line {i} of a multiline string is {kind_of(line)}, not a string", where=where
            ) from None
    raise NotebookError("a multiline string cannot be joined", where=where)


def _join_v3(lines: list[Any], where: str) -> str:
    """v3's heuristic: lines that keep their endings join with ``""``, others with ``"\\n"``."""
    if lines:
        first = lines[0]
        if not isinstance(first, str):
            raise NotebookError(f"a multiline string holds {kind_of(first)}", where=where)
        if first.endswith(("\n", "\r")):
            return join_strings(lines, "", where)
    return join_strings(lines, "\n", where)


# -- v1 -----------------------------------------------------------------------------------------
def v1_to_v2(nb: JSONDict) -> JSONDict:
    """nbformat ``v2.convert.upgrade``: one worksheet; code -> input, text -> markdown."""
    cells = _need_key(nb, "cells", "")
    if isinstance(cells, dict | str) and not cells:
        cells = []
    cells = _need_list(cells, "/cells", "'cells'")
    new_cells: list[JSONDict] = []
    for i, cell in enumerate(cells):
        where = f"/cells/{i}"
        cell = _need_dict(cell, where, "a cell")
        ctype = _need_key(cell, "cell_type", where)
        if ctype == "code":
            new: JSONDict = {"cell_type": "code", "language": "python"}
            code = cell.get("code")
            if code is not None:
                new["input"] = code if isinstance(code, str) else _py_str(code)
            prompt = cell.get("prompt_number")
            if prompt is not None:
                new["prompt_number"] = _py_int(prompt, where + "/prompt_number")
            new["outputs"] = []
            new["collapsed"] = False
        elif ctype == "text":
            new = {"cell_type": "markdown"}
            text = cell.get("text")
            if text is not None:
                new["source"] = text if isinstance(text, str) else _py_str(text)
        else:
            raise NotebookError(
                f"unknown v1 cell type {ctype!r} (expected 'code' or 'text')",
                where=where + "/cell_type",
            )
        new_cells.append(new)
    return {"nbformat": 2, "worksheets": [{"cells": new_cells}], "metadata": {}}


def _py_str(value: Any) -> str:
    """``str()`` of a JSON value as Python spells it (what nbformat's v2 constructors do)."""
    return str(value)


def _py_int(value: Any, where: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: int(Infinity)
        raise NotebookError(f"{value!r} is not an integer", where=where) from None


# -- v2 -----------------------------------------------------------------------------------------
def _worksheets(nb: JSONDict) -> list[tuple[str, list[Any]]]:
    """The (path, cells) of every worksheet, checked as the v2/v3 readers touch them."""
    sheets = _need_key(nb, "worksheets", "")
    if isinstance(sheets, dict | str) and not sheets:
        return []
    sheets = _need_list(sheets, "/worksheets", "'worksheets'")
    out = []
    for w, ws in enumerate(sheets):
        where = f"/worksheets/{w}"
        ws = _need_dict(ws, where, "a worksheet")
        cells = _need_key(ws, "cells", where)
        if isinstance(cells, dict | str) and not cells:
            cells = []
        out.append((where + "/cells", _need_list(cells, where + "/cells", "'cells'")))
    return out


def _outputs(cell: JSONDict, where: str) -> list[JSONDict]:
    outputs = _need_key(cell, "outputs", where)
    if isinstance(outputs, dict | str) and not outputs:
        return []
    outputs = _need_list(outputs, where + "/outputs", "'outputs'")
    for j, out in enumerate(outputs):
        _need_dict(out, f"{where}/outputs/{j}", "an output")
    return outputs


def read_v2(nb: JSONDict) -> JSONDict:
    """nbformat's v2 reader: multiline lists are joined with ``"\\n"``; png/jpeg must be ASCII."""
    for cells_where, cells in _worksheets(nb):
        for i, cell in enumerate(cells):
            where = f"{cells_where}/{i}"
            cell = _need_dict(cell, where, "a cell")
            if _need_key(cell, "cell_type", where) == "code":
                if isinstance(cell.get("input"), list):
                    cell["input"] = join_strings(cell["input"], "\n", where + "/input")
                for j, out in enumerate(_outputs(cell, where)):
                    owhere = f"{where}/outputs/{j}"
                    for key in _V3_MULTILINE_OUTPUT_KEYS:
                        if isinstance(out.get(key), list):
                            out[key] = join_strings(out[key], "\n", f"{owhere}/{key}")
                    for key in ("png", "jpeg"):
                        if key in out:
                            value = out[key]
                            if not isinstance(value, str) or not value.isascii():
                                raise NotebookError(
                                    f"{key} data must be an ASCII (base64) string",
                                    where=f"{owhere}/{key}",
                                )
            else:
                for key in ("source", "rendered"):
                    if isinstance(cell.get(key), list):
                        cell[key] = join_strings(cell[key], "\n", f"{where}/{key}")
    return nb


def v2_to_v3(nb: JSONDict) -> JSONDict:
    """nbformat ``v3.convert.upgrade`` from v2: version 3.0, ``orig_nbformat`` 2, cell metadata."""
    nb["nbformat"] = 3
    nb["nbformat_minor"] = 0
    nb["orig_nbformat"] = 2
    for _, cells in _worksheets(nb):
        for cell in cells:
            cell.setdefault("metadata", {})
    return nb


# -- v3 -----------------------------------------------------------------------------------------
def read_v3(nb: JSONDict) -> JSONDict:
    """nbformat's v3 reader: multiline lists joined with the v3 heuristic."""
    for cells_where, cells in _worksheets(nb):
        for i, cell in enumerate(cells):
            where = f"{cells_where}/{i}"
            cell = _need_dict(cell, where, "a cell")
            if _need_key(cell, "cell_type", where) == "code":
                if isinstance(cell.get("input"), list):
                    cell["input"] = _join_v3(cell["input"], where + "/input")
                for j, out in enumerate(_outputs(cell, where)):
                    for key in _V3_MULTILINE_OUTPUT_KEYS:
                        if isinstance(out.get(key), list):
                            out[key] = _join_v3(out[key], f"{where}/outputs/{j}/{key}")
            else:
                for key in ("source", "rendered"):
                    if isinstance(cell.get(key), list):
                        cell[key] = _join_v3(cell[key], f"{where}/{key}")
    return nb


def _to_mime_keys(d: JSONDict) -> None:
    for alias, mime in _V3_MIME_MAP:
        if alias in d:
            d[mime] = d.pop(alias)


def _metadata_mime_keys(meta: Any, where: str) -> None:
    """nbformat's ``to_mime_key(output.metadata)``, which only fails when it finds an alias."""
    if isinstance(meta, dict):
        _to_mime_keys(meta)
    elif not isinstance(meta, (str, list)) or any(
        alias in meta for alias, _ in _V3_MIME_MAP
    ):
        raise NotebookError("output metadata must be a JSON object", where=where)


def _upgrade_output(out: JSONDict, where: str) -> JSONDict:
    otype = _need_key(out, "output_type", where)
    if isinstance(otype, (list, dict)):
        raise NotebookError("'output_type' must be a string", where=where + "/output_type")
    if otype == "pyout" or otype == "display_data":
        meta = out.setdefault("metadata", {})
        if otype == "pyout":
            out["output_type"] = "execute_result"
            out["execution_count"] = out.pop("prompt_number", None)
        data: JSONDict = {}
        for key in list(out):
            if key in ("output_type", "execution_count", "metadata"):
                continue
            data[key] = out.pop(key)
        _to_mime_keys(data)
        out["data"] = data
        _metadata_mime_keys(meta, where + "/metadata")
        if "application/json" in data:
            raw = data["application/json"]
            if not isinstance(raw, str):
                raise NotebookError(
                    "v3 'json' output must be a string of JSON", where=where + "/json"
                )
            try:
                data["application/json"] = json.loads(raw)
            except (ValueError, RecursionError) as e:
                raise NotebookError(
                    f"v3 'json' output is not valid JSON: {e}", where=where + "/json"
                ) from None
    elif otype == "pyerr":
        out["output_type"] = "error"
    elif otype == "stream":
        out["name"] = out.pop("stream", "stdout")
    return out


def _upgrade_cell(cell: JSONDict, where: str, new_id: IdFactory) -> JSONDict:
    cell.setdefault("metadata", {})
    cell["id"] = new_id()
    ctype = cell["cell_type"]
    if ctype == "code":
        cell.pop("language", "")
        if "collapsed" in cell:
            meta = _need_dict(cell["metadata"], where + "/metadata", "cell metadata")
            meta["collapsed"] = cell.pop("collapsed")
        cell["source"] = cell.pop("input", "")
        cell["execution_count"] = cell.pop("prompt_number", None)
        cell["outputs"] = [
            _upgrade_output(o, f"{where}/outputs/{j}") for j, o in enumerate(_outputs(cell, where))
        ]
    elif ctype == "heading":
        cell["cell_type"] = "markdown"
        level = cell.pop("level", 1)
        if not isinstance(level, int):
            raise NotebookError("heading level must be an integer", where=where + "/level")
        source = cell.get("source", "")
        if not isinstance(source, str):
            raise NotebookError("heading source must be a string", where=where + "/source")
        try:
            hashes = "#" * level
        except (OverflowError, MemoryError):  # nbformat fails here too
            raise NotebookError("heading level is out of range", where=where + "/level") from None
        cell["source"] = hashes + " " + " ".join(source.splitlines())
    elif ctype == "html":
        cell["cell_type"] = "markdown"
    return cell


def v3_to_v4(nb: JSONDict, new_id: IdFactory) -> JSONDict:
    """nbformat ``v4.convert.upgrade`` from v3: flatten worksheets, fresh ids, new mime keys."""
    sheets = _worksheets(nb)
    metadata = _need_dict(_need_key(nb, "metadata", ""), "/metadata", "'metadata'")
    orig = nb.pop("orig_nbformat", None)
    orig_minor = nb.pop("orig_nbformat_minor", None)
    metadata["orig_nbformat"] = orig or 3
    metadata["orig_nbformat_minor"] = orig_minor or 0
    nb["nbformat"] = 4
    nb["nbformat_minor"] = 5
    cells: list[JSONDict] = []
    for cells_where, sheet_cells in sheets:
        for i, cell in enumerate(sheet_cells):
            cells.append(_upgrade_cell(cell, f"{cells_where}/{i}", new_id))
    nb.pop("worksheets", None)
    nb["cells"] = cells
    metadata.pop("name", "")
    metadata.pop("signature", "")
    return nb


# -- v4 minors ----------------------------------------------------------------------------------
def upgrade(nb: Notebook, *, id_factory: IdFactory | None = None) -> Notebook:
    """Raise a 4.x notebook to 4.5 in place, as ``nbformat.v4.upgrade`` does, and return it.

    Below 4.5 every cell gets a **new** id (existing ids are replaced), ``nbformat_minor``
    becomes 5 and ``metadata.orig_nbformat_minor`` records the old minor (it is never written).
    A 4.5 notebook is returned unchanged. Like nbformat, a future minor (4.6+) is relabelled
    4.5 without touching ids. A notebook without ``nbformat_minor`` cannot be upgraded.
    """
    from nbio.model import default_id_factory

    if nb.nbformat != 4:
        raise NotebookError(f"cannot upgrade a v{nb.nbformat} notebook to 4.5", path=nb.path)
    minor = nb.nbformat_minor
    if minor is None:
        raise NotebookError(
            "the v4 notebook does not include the nbformat minor, which is needed",
            path=nb.path,
            where="/nbformat_minor",
        )
    if minor == 5:
        return nb
    new_id = id_factory or default_id_factory
    if minor < 5:
        for cell in nb.cells:
            cell.data["id"] = new_id()
    nb.metadata["orig_nbformat_minor"] = minor
    nb.nbformat_minor = 5
    return nb
