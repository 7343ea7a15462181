"""A JSON serializer producing exactly what nbformat's ``json.dumps`` call produces.

nbformat writes with ``json.dumps(nb, indent=1, sort_keys=True, separators=(",", ": "),
ensure_ascii=False)``. With ``indent`` set, the json module falls back to its pure-Python
encoder, which is slow on large notebooks. :func:`dumps` reproduces that output byte for byte
(key order by code point, one space per level, Python float ``repr``, ``NaN``/``Infinity``
as bare tokens, control characters as ``\\u00XX``) while encoding every string with the json
module's C string encoder, and emitting lists of plain strings (split lines, tracebacks) in a
single ``join``.
"""

from __future__ import annotations

import json.encoder
from collections.abc import Callable
from typing import Any

_encode_str: Callable[[str], str] = (
    json.encoder.c_encode_basestring or json.encoder.py_encode_basestring  # type: ignore[attr-defined]
)
_INF = float("inf")
_int_repr = int.__repr__
_float_repr = float.__repr__


class Lines(list):  # type: ignore[type-arg]
    """A list known to hold only ``str`` items (the result of ``str.splitlines``).

    The serializer writes it with one ``join`` instead of a per-item dispatch.
    """

    __slots__ = ()


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
    elif t is dict or (t is not list and t is not Lines and isinstance(o, dict)):
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
            elif vt is dict or vt is list or vt is Lines or isinstance(value, (dict, list, tuple)):
                _encode(value, nl2, out)
            else:
                out.append(_scalar(value))
        out.append(nl + "}")
    elif t is Lines:
        if not o:
            out.append("[]")
            return
        nl2 = nl + " "
        out.append("[" + nl2 + ("," + nl2).join(map(_encode_str, o)) + nl + "]")
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
            elif vt is dict or vt is list or vt is Lines or isinstance(value, (dict, list, tuple)):
                _encode(value, nl2, out)
            else:
                out.append(_scalar(value))
        out.append(nl + "]")
    else:
        out.append(_scalar(o))


def dumps(o: Any) -> str:
    """``json.dumps(o, indent=1, sort_keys=True, separators=(",", ": "), ensure_ascii=False)``."""
    out: list[str] = []
    _encode(o, "\n", out)
    return "".join(out)
