"""A JSON serializer producing exactly what nbformat's ``json.dumps`` call produces.

nbformat writes with ``json.dumps(nb, indent=1, sort_keys=True, separators=(",", ": "),
ensure_ascii=False)``. With ``indent`` set, the json module falls back to its pure-Python
encoder, which is slow on large notebooks. :func:`dumps` reproduces that output byte for byte
(key order by code point, one space per level, Python float ``repr``, ``NaN``/``Infinity``
as bare tokens, control characters as ``\\u00XX``) while encoding every string with the json
module's C string encoder. :func:`dumps_notebook` adds nbformat's on-disk layout of a v4
notebook (split lines, transient keys dropped) in the same pass, writing split lines with a
single ``join``.
"""

from __future__ import annotations

import json.encoder
from collections.abc import Callable
from typing import Any

from nbio.lines import TRANSIENT_NB_KEYS

_encode_str: Callable[[str], str] = (
    json.encoder.c_encode_basestring or json.encoder.py_encode_basestring  # type: ignore[attr-defined]
)
_INF = float("inf")
_int_repr = int.__repr__
_float_repr = float.__repr__


def _float_str(o: float) -> str:
    if o != o:
        return "NaN"
    if o == _INF:
        return "Infinity"
    if o == -_INF:
        return "-Infinity"
    return _float_repr(o)


def _key_str(key: Any) -> str:
    """Dict keys as json.dumps converts them (only ``str`` occurs in notebooks)."""
    if isinstance(key, str):
        return key
    if isinstance(key, float):
        return _float_str(key)
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return _int_repr(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")


def _scalar(o: Any) -> str:
    """Encode a non-container value that is not an exact ``str``."""
    if isinstance(o, str):
        return _encode_str(o)
    if o is None:
        return "null"
    if o is True:
        return "true"
    if o is False:
        return "false"
    if isinstance(o, int):
        return _int_repr(o)
    if isinstance(o, float):
        return _float_str(o)
    if isinstance(o, bytes):  # nbformat's BytesEncoder
        return _encode_str(o.decode("ascii"))
    raise TypeError(f"Object of type {o.__class__.__name__} is not JSON serializable")


def _encode(o: Any, nl: str, out: list[str]) -> None:
    """Append the encoding of ``o`` to ``out``; ``nl`` is a newline plus the current indent."""
    t = type(o)
    if t is str:
        out.append(_encode_str(o))
    elif t is dict or (t is not list and isinstance(o, dict)):
        if not o:
            out.append("{}")
            return
        nl2 = nl + " "
        sep = "," + nl2
        first = True
        try:
            keys = sorted(o)
        except TypeError:
            keys = [k for k, _ in sorted(o.items())]
        for key in keys:
            value = o[key]
            k = _encode_str(key if type(key) is str else _key_str(key))
            if first:
                out.append("{" + nl2 + k + ": ")
                first = False
            else:
                out.append(sep + k + ": ")
            vt = type(value)
            if vt is str:
                out.append(_encode_str(value))
            elif vt is dict or vt is list or isinstance(value, (dict, list, tuple)):
                _encode(value, nl2, out)
            else:
                out.append(_scalar(value))
        out.append(nl + "}")
    elif t is list or isinstance(o, (list, tuple)):
        if not o:
            out.append("[]")
            return
        nl2 = nl + " "
        sep = "," + nl2
        out.append("[" + nl2)
        first = True
        for value in o:
            if first:
                first = False
            else:
                out.append(sep)
            vt = type(value)
            if vt is str:
                out.append(_encode_str(value))
            elif vt is dict or vt is list or isinstance(value, (dict, list, tuple)):
                _encode(value, nl2, out)
            else:
                out.append(_scalar(value))
        out.append(nl + "]")
    else:
        out.append(_scalar(o))


def encode_value(o: Any, nl: str) -> str:
    """The ``json.dumps`` layout of ``o`` nested at indentation ``nl`` (a newline + spaces)."""
    out: list[str] = []
    _encode(o, nl, out)
    return "".join(out)


def dumps(o: Any) -> str:
    """``json.dumps(o, indent=1, sort_keys=True, separators=(",", ": "), ensure_ascii=False)``."""
    return encode_value(o, "\n")


# -- the notebook layout, fused with nbformat's split_lines and strip_transient ----------------
SPLIT_MIMES = frozenset({"application/javascript", "image/svg+xml"})
TRANSIENT_NB = frozenset(TRANSIENT_NB_KEYS)
"""Notebook metadata keys never written (a set for the writers' membership tests)."""


_OTHER_BREAKS = ("\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\\")


def _only_newlines(value: str) -> bool:
    """For an ASCII ``value``: True when ``"\\n"`` is its only line break and it has no
    backslash."""
    for ch in _OTHER_BREAKS:  # noqa: SIM110 (one C-speed scan per character)
        if ch in value:
            return False
    return True


def _lines(value: str, nl: str, out: list[str]) -> None:
    """A string written as ``value.splitlines(True)``."""
    if not value:
        out.append("[]")
        return
    nl2 = nl + " "
    if len(value) > 256 and value.isascii() and _only_newlines(value):
        # Encode once, then break the JSON text after each escaped "\n": with no backslash
        # in the value, every `\n` in the encoding is one of its newlines. (Long ASCII text
        # only: on wide strings the extra copies cost more than they save.)
        item_break = '\\n",' + nl2 + '"'
        if value[-1] == "\n":
            text = _encode_str(value[:-1])[:-1].replace("\\n", item_break) + '\\n"'
        else:
            text = _encode_str(value).replace("\\n", item_break)
        out.append("[" + nl2 + text + nl + "]")
        return
    out.append("[" + nl2 + ("," + nl2).join(map(_encode_str, value.splitlines(True))) + nl + "]")


def _value(value: Any, nl: str, out: list[str]) -> None:
    if type(value) is str:
        out.append(_encode_str(value))
    else:
        _encode(value, nl, out)


def _bundle(bundle: Any, nl: str, out: list[str]) -> None:
    """A mimebundle with text values split (nbformat's ``_split_mimebundle``)."""
    if type(bundle) is not dict or not bundle:
        _encode(bundle, nl, out)
        return
    nl2 = nl + " "
    lead = "{" + nl2
    for key in sorted(bundle):
        value = bundle[key]
        out.append(lead + _encode_str(key if type(key) is str else _key_str(key)) + ": ")
        lead = "," + nl2
        if type(value) is str and (key.startswith("text/") or key in SPLIT_MIMES):
            _lines(value, nl2, out)
        else:
            _value(value, nl2, out)
    out.append(nl + "}")


def _output(output: Any, nl: str, out: list[str]) -> None:
    if type(output) is not dict or not output:
        _encode(output, nl, out)
        return
    otype = output.get("output_type")
    bundles = otype == "execute_result" or otype == "display_data"
    stream = otype == "stream"
    nl2 = nl + " "
    lead = "{" + nl2
    for key in sorted(output):
        value = output[key]
        out.append(lead + _encode_str(key if type(key) is str else _key_str(key)) + ": ")
        lead = "," + nl2
        if bundles and key == "data":
            _bundle(value, nl2, out)
        elif stream and key == "text" and type(value) is str:
            _lines(value, nl2, out)
        else:
            _value(value, nl2, out)
    out.append(nl + "}")


def _cell(cell: Any, nl: str, out: list[str]) -> None:
    if type(cell) is not dict or not cell:
        _encode(cell, nl, out)
        return
    code = cell.get("cell_type") == "code"
    nl2 = nl + " "
    lead = "{" + nl2
    for key in sorted(cell):
        value = cell[key]
        out.append(lead + _encode_str(key if type(key) is str else _key_str(key)) + ": ")
        lead = "," + nl2
        if key == "source" and type(value) is str:
            _lines(value, nl2, out)
        elif key == "metadata" and type(value) is dict and "trusted" in value:
            _encode({k: v for k, v in value.items() if k != "trusted"}, nl2, out)
        elif key == "outputs" and code and type(value) is list and value:
            nl3 = nl2 + " "
            sep = "[" + nl3
            for item in value:
                out.append(sep)
                sep = "," + nl3
                _output(item, nl3, out)
            out.append(nl2 + "]")
        elif key == "attachments" and type(value) is dict and value:
            nl3 = nl2 + " "
            sep = "{" + nl3
            for name in sorted(value):
                out.append(sep + _encode_str(name if type(name) is str else _key_str(name)) + ": ")
                sep = "," + nl3
                _bundle(value[name], nl3, out)
            out.append(nl2 + "}")
        else:
            _value(value, nl2, out)
    out.append(nl + "}")


def _notebook(nb: dict[str, Any], out: list[str], cell_done: Callable[[], None] | None) -> None:
    if not nb:
        out.append("{}")
        return
    lead = "{\n "
    for key in sorted(nb):
        value = nb[key]
        out.append(lead + _encode_str(key if type(key) is str else _key_str(key)) + ": ")
        lead = ",\n "
        if key == "cells" and type(value) is list and value:
            sep = "[\n  "
            for cell in value:
                out.append(sep)
                sep = ",\n  "
                _cell(cell, "\n  ", out)
                if cell_done is not None:
                    cell_done()
            out.append("\n ]")
        elif key == "metadata" and type(value) is dict and not TRANSIENT_NB.isdisjoint(value):
            _encode({k: v for k, v in value.items() if k not in TRANSIENT_NB}, "\n ", out)
        else:
            _value(value, "\n ", out)
    out.append("\n}")


def dumps_notebook(nb: dict[str, Any]) -> str:
    """nbformat's v4 ``writes`` of an in-memory dict (split lines, no transient keys).

    nbformat deep-copies the notebook, splits and strips the copy, then dumps it; this writes
    the same bytes in one pass without copying anything.
    """
    out: list[str] = []
    _notebook(nb, out, None)
    return "".join(out)


def dumps_notebook_utf8(nb: dict[str, Any]) -> bytes:
    """``dumps_notebook(nb).encode("utf-8")``, built cell by cell.

    One emoji anywhere makes a Python string four bytes per character; encoding each cell on
    its own keeps a large notebook's text from ever existing as one such string.
    Raises ``UnicodeEncodeError`` for a lone surrogate, as ``str.encode`` does.
    """
    out: list[str] = []
    parts: list[bytes] = []

    def cell_done() -> None:
        parts.append("".join(out).encode("utf-8"))
        out.clear()

    _notebook(nb, out, cell_done)
    cell_done()
    return b"".join(parts)
