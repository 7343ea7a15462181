"""nbformat's on-disk notebook layout as UTF-8 bytes, with orjson encoding strings and plain JSON.

The same bytes as ``dumps_notebook_utf8`` in :mod:`nbio.jsonwrite` (the reference, standard
library only), built the same way (one pass, lines split as nbformat splits them, transient
keys dropped), but every string and every plain JSON value is encoded by ``orjson.dumps``:

* a string: orjson escapes exactly as ``json.dumps(ensure_ascii=False)`` (see
  :mod:`nbio.accel`);
* a split multiline value: the list of lines is encoded in one call, one item per line, and
  re-indented (:func:`_open_list`);
* a dict or list made only of ``str``, 64-bit ``int``, ``bool``, ``None``, ``dict`` (string
  keys) and ``list``: ``OPT_INDENT_2 | OPT_SORT_KEYS``, then re-indented to one space per level
  (JSON strings hold no raw newline, so the spaces after each newline are all indentation);
* anything else (floats, which orjson writes as ``1e-7`` where Python writes ``1e-07``,
  non-finite numbers, big integers, tuples, subclasses, bytes) goes through
  :mod:`nbio.jsonwrite`'s encoder.

Whatever this module cannot write exactly raises one of :data:`FALLBACK_ERRORS` (a non-string
key, a lone surrogate, nesting beyond orjson's limit); the caller then uses
:mod:`nbio.jsonwrite`, which writes it, or raises what ``json.dumps`` raises.
"""

from __future__ import annotations

from typing import Any

import orjson

from nbio.jsonwrite import SPLIT_MIMES, TRANSIENT_NB, encode_value

_dumps = orjson.dumps
_OPT = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS
_INDENT = orjson.OPT_INDENT_2
_MIN_INT = -(2**63)
_MAX_INT = 2**64 - 1
_MAX_DEPTH = 200  # orjson refuses nesting deeper than 254


class Unsupported(ValueError):
    """A value only the standard-library serializer writes exactly (e.g. a non-string key)."""


FALLBACK_ERRORS = (TypeError, ValueError, UnicodeError, RecursionError)
"""What :func:`dumps_notebook` raises when :mod:`nbio.jsonwrite` must write the notebook."""

_KEYS: dict[str, bytes] = {}


def _key(key: Any) -> bytes:
    """``b'"key": '`` for a string key (cached: notebooks repeat a few hundred keys)."""
    kb = _KEYS.get(key)
    if kb is None:
        if type(key) is not str:
            raise Unsupported("a non-string key")
        kb = _dumps(key) + b": "
        if len(_KEYS) < 4096:
            _KEYS[key] = kb
    return kb


def _depth(o: Any) -> int:
    """Nesting depth of a non-empty dict/list tree orjson writes exactly as json does, else -1."""
    deepest = 0
    if type(o) is dict:
        for key in o:
            if type(key) is not str:
                return -1
        values: Any = o.values()
    else:
        values = o
    for v in values:
        t = type(v)
        if t is str or t is bool or v is None:
            continue
        if t is int:
            if _MIN_INT <= v <= _MAX_INT:
                continue
            return -1
        if t is dict or t is list:
            if v:
                d = _depth(v)
                if d < 0:
                    return -1
                if d > deepest:
                    deepest = d
            continue
        return -1
    return deepest + 1


def _indented(value: Any, nl: bytes, depth: int) -> bytes:
    """orjson's two-space layout of ``value`` re-indented to one space per level after ``nl``.

    Lines are moved deepest first and marked done with a ``\\x01`` after their newline (a raw
    control character never occurs in JSON text), then the marks are removed.
    """
    data = _dumps(value, option=_OPT)
    base = len(nl) - 1
    if base:
        data = data.replace(b"\n", nl)
    for k in range(depth, 0, -1):
        data = data.replace(b"\n" + b" " * (base + 2 * k), b"\n\x01" + b" " * (base + k))
    return data.replace(b"\n\x01", b"\n")


def _py(value: Any, nl: bytes) -> bytes:
    """The standard-library-exact encoding (floats, big integers, tuples, subclasses ...)."""
    return encode_value(value, nl.decode("ascii")).encode("utf-8")


def _value(value: Any, nl: bytes, out: bytearray) -> None:
    t = type(value)
    if t is str:
        out += _dumps(value)
    elif t is dict or t is list:
        if not value:
            out += b"{}" if t is dict else b"[]"
            return
        depth = _depth(value)
        if 0 < depth <= _MAX_DEPTH:
            out += _indented(value, nl, depth)
        else:
            out += _py(value, nl)
    elif (t is int and _MIN_INT <= value <= _MAX_INT) or t is bool or value is None:
        out += _dumps(value)
    else:
        out += _py(value, nl)


_LIST_PARTS: dict[bytes, tuple[bytes, bytes, bytes, bytes]] = {}


def _list_parts(nl: bytes) -> tuple[bytes, bytes, bytes, bytes]:
    """(opening, separator between encoded items, closing, escaped newline + separator) of a
    list of strings after ``nl``."""
    nl2 = nl + b" "
    sep = b'",' + nl2 + b'"'
    parts = _LIST_PARTS[nl] = (b"[" + nl2, sep, nl + b"]", b"\\n" + sep)
    return parts


_ONE_ENCODING_MIN = 1 << 16  # shorter strings: encoding the list of lines is faster


def _open_list(items: list[str], item_nl: bytes) -> memoryview:
    """A non-empty list of strings written one item after each ``item_nl``, without the
    closing newline and bracket: one orjson call with one item per line, re-indented (a raw
    newline never occurs inside a JSON string; ``","`` can: ``["a\\",", ","]``)."""
    return memoryview(_dumps(items, option=_INDENT).replace(b"\n  ", item_nl))[:-2]


def _lines(value: str, nl: bytes, out: bytearray) -> None:
    """A string written as ``value.splitlines(True)``.

    A very long string is usually encoded once and its JSON text broken after each ``\\n``: when
    the text holds none of U+0085, U+2028 and U+2029 (written raw) and every backslash of the
    encoding starts a ``\\n`` (orjson escapes the other line breaks below U+0020, and a
    backslash in the text, with a backslash), ``"\\n"`` is the only line break. Otherwise the
    list of lines is encoded.
    """
    if not value:
        out += b"[]"
        return
    opening, sep, closing, newline_sep = _LIST_PARTS.get(nl) or _list_parts(nl)
    if len(value) >= _ONE_ENCODING_MIN and (value.isascii() or (
            "\x85" not in value and "\u2028" not in value and "\u2029" not in value)):
        enc = _dumps(value)
        size, backslashes = len(enc), enc.count(b"\\")
        enc = enc.replace(b"\\n", newline_sep)
        if len(enc) - size == backslashes * (len(newline_sep) - 2):
            # every backslash began a "\n" (replace matches do not overlap): break there.
            # A final newline leaves an empty item behind: cut its separator
            out += opening
            out += memoryview(enc)[:-len(sep)] if value[-1] == "\n" else enc
            out += closing
            return
    out += _open_list(value.splitlines(True), nl + b" ")
    out += closing


def _bundle(bundle: Any, nl: bytes, out: bytearray) -> None:
    """A mimebundle with text values split (nbformat's ``_split_mimebundle``)."""
    if type(bundle) is not dict or not bundle:
        _value(bundle, nl, out)
        return
    nl2 = nl + b" "
    lead = b"{" + nl2
    for key in sorted(bundle):
        value = bundle[key]
        out += lead + (_KEYS.get(key) or _key(key))
        lead = b"," + nl2
        if type(value) is str:
            if key.startswith("text/") or key in SPLIT_MIMES:
                _lines(value, nl2, out)
            else:
                out += _dumps(value)
        else:
            _value(value, nl2, out)
    out += nl + b"}"


_ERROR_PARTS: dict[bytes, tuple[bytes, bytes, bytes, bytes, bytes]] = {}


def _error_parts(nl: bytes) -> tuple[bytes, bytes, bytes, bytes, bytes]:
    nl2 = nl + b" "
    parts = _ERROR_PARTS[nl] = (
        b"{" + nl2 + b'"ename": ', b"," + nl2 + b'"evalue": ',
        b"," + nl2 + b'"output_type": "error",' + nl2 + b'"traceback": ', nl2 + b" ",
        nl2 + b"]" + nl + b"}")
    return parts


def _error(output: dict[str, Any], nl: bytes, out: bytearray) -> bool:
    """An error output as the four keys nbformat gives it (else False: nothing written).

    The common case, thousands of them in a cell that failed in a loop: the traceback is
    written by :func:`_open_list`, as split lines are.
    """
    if len(output) != 4:
        return False
    ename, evalue, tb = output.get("ename"), output.get("evalue"), output.get("traceback")
    if type(ename) is not str or type(evalue) is not str or type(tb) is not list:
        return False
    for line in tb:
        if type(line) is not str:
            return False
    head, mid, tail, item_nl, closing = _ERROR_PARTS.get(nl) or _error_parts(nl)
    out += head + _dumps(ename) + mid + _dumps(evalue) + tail
    if tb:
        out += _open_list(tb, item_nl)
        out += closing
    else:
        out += b"[]" + nl + b"}"
    return True


def _output(output: Any, nl: bytes, out: bytearray) -> None:
    if type(output) is not dict or not output:
        _value(output, nl, out)
        return
    otype = output.get("output_type")
    bundles = otype == "execute_result" or otype == "display_data"
    stream = otype == "stream"
    if not bundles and not stream:  # errors, unknown types: nothing split, plain JSON
        if otype != "error" or not _error(output, nl, out):
            _value(output, nl, out)
        return
    nl2 = nl + b" "
    lead = b"{" + nl2
    for key in sorted(output):
        value = output[key]
        out += lead + (_KEYS.get(key) or _key(key))
        lead = b"," + nl2
        if type(value) is str:
            if stream and key == "text":
                _lines(value, nl2, out)
            else:
                out += _dumps(value)
        elif bundles and key == "data":
            _bundle(value, nl2, out)
        else:
            _value(value, nl2, out)
    out += nl + b"}"


_CELL_NL = b"\n  "
_CELL_NL2 = b"\n   "
_OUTPUT_NL = b"\n    "


def _cell(cell: Any, out: bytearray) -> None:
    nl, nl2 = _CELL_NL, _CELL_NL2
    if type(cell) is not dict or not cell:
        _value(cell, nl, out)
        return
    code = cell.get("cell_type") == "code"
    lead = b"{" + nl2
    for key in sorted(cell):
        value = cell[key]
        out += lead + (_KEYS.get(key) or _key(key))
        lead = b"," + nl2
        if type(value) is str:
            if key == "source":
                _lines(value, nl2, out)
            else:
                out += _dumps(value)
        elif key == "metadata" and type(value) is dict and "trusted" in value:
            _value({k: v for k, v in value.items() if k != "trusted"}, nl2, out)
        elif key == "outputs" and code and type(value) is list and value:
            sep = b"[" + _OUTPUT_NL
            for item in value:
                out += sep
                sep = b"," + _OUTPUT_NL
                _output(item, _OUTPUT_NL, out)
            out += nl2 + b"]"
        elif key == "attachments" and type(value) is dict and value:
            sep = b"{" + _OUTPUT_NL
            for name in sorted(value):
                out += sep + (_KEYS.get(name) or _key(name))
                sep = b"," + _OUTPUT_NL
                _bundle(value[name], _OUTPUT_NL, out)
            out += nl2 + b"}"
        else:
            _value(value, nl2, out)
    out += nl + b"}"


def dumps_notebook(nb: dict[str, Any]) -> bytearray:
    """nbformat's v4 ``writes`` of an in-memory dict, as UTF-8 (no trailing newline).

    Raises one of :data:`FALLBACK_ERRORS` when only :mod:`nbio.jsonwrite` writes ``nb``
    exactly.
    """
    if not nb:
        return bytearray(b"{}")
    out = bytearray()
    lead = b"{\n "
    for key in sorted(nb):
        value = nb[key]
        out += lead + (_KEYS.get(key) or _key(key))
        lead = b",\n "
        if key == "cells" and type(value) is list and value:
            sep = b"[\n  "
            for cell in value:
                out += sep
                sep = b",\n  "
                _cell(cell, out)
            out += b"\n ]"
        elif key == "metadata" and type(value) is dict and not TRANSIENT_NB.isdisjoint(value):
            _value({k: v for k, v in value.items() if k not in TRANSIENT_NB}, b"\n ", out)
        else:
            _value(value, b"\n ", out)
    out += b"\n}"
    return out
