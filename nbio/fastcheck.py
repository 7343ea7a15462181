"""A hand-specialised check of the v4 notebook schemas, for the common case: a valid notebook.

:func:`fast_valid` answers True only when the notebook is certainly valid against the v4.x
schema nbformat would pick (4.0 to 4.5, or the relaxed latest schema for a newer minor). It
applies the union of the minors' metadata rules (the later minors only add type rules for
well-known metadata keys), so it may say False for a notebook an older minor accepts; the
generic schema checker (:mod:`nbio.schema`) then decides and explains. It never says True for
an invalid notebook: ``tests/nbio`` checks it against that checker and against nbformat.
"""

from __future__ import annotations

import re
from typing import Any

_CELL_ID = re.compile(r"^[a-zA-Z0-9-_]+\Z")
_NAME = re.compile(r"^.+\Z")
_TAG = re.compile(r"^[^,]+\Z")
_JSON_MIME = re.compile(r"^application/(.*\+)?json$")

_CODE_KEYS = frozenset({"id", "cell_type", "metadata", "source", "outputs", "execution_count"})
_TEXT_KEYS = frozenset({"id", "cell_type", "metadata", "source", "attachments"})
_EXECUTE_RESULT_KEYS = frozenset({"output_type", "execution_count", "data", "metadata"})
_DISPLAY_DATA_KEYS = frozenset({"output_type", "data", "metadata"})
_STREAM_KEYS = frozenset({"output_type", "name", "text"})
_ERROR_KEYS = frozenset({"output_type", "ename", "evalue", "traceback"})
_TOP_KEYS = frozenset({"metadata", "nbformat_minor", "nbformat", "cells"})


def _lines(value: Any) -> bool:
    """``multiline_string``: a string, or an array of strings."""
    if type(value) is str:
        return True
    if type(value) is list:
        for item in value:  # noqa: SIM110 (a plain loop is faster than all() here)
            if type(item) is not str:
                return False
        return True
    return False


def _count(value: Any) -> bool:
    """``execution_count``: null or an integer >= 0."""
    return value is None or (type(value) is int and value >= 0)


def _bundle(data: Any) -> bool:
    if type(data) is not dict:
        return False
    for key, value in data.items():
        if type(value) is str:
            continue
        if not _JSON_MIME.search(key) and not _lines(value):
            return False
    return True


_CELL_META_RULES = frozenset({"name", "tags", "jupyter", "collapsed", "scrolled", "execution",
                              "format"})


def _cell_meta(meta: dict[str, Any], code: bool, raw: bool) -> bool:
    """The typed well-known keys of cell metadata (union of every v4 minor's rules)."""
    if "name" in meta:
        name = meta["name"]
        if type(name) is not str or not _NAME.search(name):
            return False
    if "tags" in meta:
        tags = meta["tags"]
        if type(tags) is not list:
            return False
        for tag in tags:
            if type(tag) is not str or not _TAG.search(tag):
                return False
        if len(set(tags)) != len(tags):
            return False
    if "jupyter" in meta and type(meta["jupyter"]) is not dict:
        return False
    if code:
        if "collapsed" in meta and type(meta["collapsed"]) is not bool:
            return False
        if "scrolled" in meta:
            scrolled = meta["scrolled"]
            if type(scrolled) is not bool and scrolled != "auto":
                return False
        if "execution" in meta:
            execution = meta["execution"]
            if type(execution) is not dict:
                return False
            for value in execution.values():
                if type(value) is not str:
                    return False
    return not (raw and "format" in meta and type(meta["format"]) is not str)


def _output(out: Any, future: bool) -> bool:
    if type(out) is not dict:
        return False
    otype = out.get("output_type")
    if otype == "stream":
        if not future and not out.keys() <= _STREAM_KEYS:
            return False
        text = out.get("text")
        return type(out.get("name")) is str and (type(text) is str or _lines(text))
    if otype == "display_data" or otype == "execute_result":
        if otype == "execute_result":
            if not future and not out.keys() <= _EXECUTE_RESULT_KEYS:
                return False
            if "execution_count" not in out or not _count(out["execution_count"]):
                return False
        elif not future and not out.keys() <= _DISPLAY_DATA_KEYS:
            return False
        return "data" in out and _bundle(out["data"]) and type(out.get("metadata")) is dict
    if otype == "error":
        if not future and not out.keys() <= _ERROR_KEYS:
            return False
        if type(out.get("ename")) is not str or type(out.get("evalue")) is not str:
            return False
        traceback = out.get("traceback")
        return type(traceback) is list and _lines(traceback)
    # an unrecognized output is allowed only in a future minor (it needs output_type, which
    # equals none of the four known types here: no set lookup, it may be an unhashable list)
    return future and "output_type" in out


def _cell(cell: Any, ids: bool, future: bool) -> bool:
    if type(cell) is not dict:
        return False
    ctype = cell.get("cell_type")
    code = ctype == "code"
    if not code and ctype != "markdown" and ctype != "raw":
        # unrecognized_cell (future minors only): cell_type and metadata are required
        if not future or "cell_type" not in cell:
            return False
        meta = cell.get("metadata")
        return type(meta) is dict and _cell_meta(meta, False, False)
    if not future and not cell.keys() <= (_CODE_KEYS if code else _TEXT_KEYS):
        return False
    meta = cell.get("metadata")
    if type(meta) is not dict:
        return False
    if meta and not _CELL_META_RULES.isdisjoint(meta) and \
            not _cell_meta(meta, code, ctype == "raw"):
        return False
    if ids:
        cell_id = cell.get("id")
        if type(cell_id) is not str or len(cell_id) > 64 or not (
                (cell_id.isalnum() and cell_id.isascii()) or _CELL_ID.search(cell_id)):
            return False
    elif "id" in cell:
        return False
    source = cell.get("source")
    if type(source) is not str and ("source" not in cell or not _lines(source)):
        return False
    if code:
        count = cell.get("execution_count", False)  # False: missing (never a valid count)
        if count is not None and (type(count) is not int or count < 0):
            return False
        outputs = cell.get("outputs")
        if type(outputs) is not list:
            return False
        for out in outputs:  # noqa: SIM110
            if not _output(out, future):
                return False
        return True
    if "attachments" in cell:
        attachments = cell["attachments"]
        if type(attachments) is not dict:
            return False
        for bundle in attachments.values():
            if not _bundle(bundle):
                return False
    return True


def _notebook_meta(meta: Any) -> bool:
    if type(meta) is not dict:
        return False
    if "kernelspec" in meta:
        spec = meta["kernelspec"]
        if type(spec) is not dict:
            return False
        if type(spec.get("name")) is not str or type(spec.get("display_name")) is not str:
            return False
    if "language_info" in meta:
        info = meta["language_info"]
        if type(info) is not dict or type(info.get("name")) is not str:
            return False
        for key in ("file_extension", "mimetype", "pygments_lexer"):
            if key in info and type(info[key]) is not str:
                return False
        if "codemirror_mode" in info and type(info["codemirror_mode"]) not in (str, dict):
            return False
    if "orig_nbformat" in meta:
        orig = meta["orig_nbformat"]
        if type(orig) is not int or orig < 1:
            return False
    if "title" in meta and type(meta["title"]) is not str:
        return False
    return not ("authors" in meta and type(meta["authors"]) is not list)


def fast_valid(d: dict[str, Any], minor: int) -> bool:
    """True only when ``d`` is certainly valid against the v4.``minor`` schema."""
    if type(minor) is not int or minor < 0:
        return False
    future = minor > 5
    if not future and not d.keys() <= _TOP_KEYS:
        return False
    if d.get("nbformat") != 4 or type(d.get("nbformat")) is not int:
        return False
    if d.get("nbformat_minor") != minor or type(d.get("nbformat_minor")) is not int:
        return False
    if not _notebook_meta(d.get("metadata")):
        return False
    cells = d.get("cells")
    if type(cells) is not list:
        return False
    ids = minor >= 5
    for cell in cells:  # noqa: SIM110
        if not _cell(cell, ids, future):
            return False
    return True
