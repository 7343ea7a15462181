"""Optional acceleration with orjson, used only where its result equals the standard library's.

nbio works with the standard library alone. When `orjson <https://github.com/ijl/orjson>`_ is
installed, reading parses with ``orjson.loads`` and writing encodes strings and plain JSON with
``orjson.dumps`` (see :mod:`nbio.fastwrite`), falling back to the standard library wherever
orjson would give anything else:

* ``orjson.loads`` refuses ``NaN``/``Infinity``, numbers that overflow to infinity, escaped
  lone surrogates, a byte-order mark and nesting deeper than 1024: the standard library then
  parses (and accepts or explains). Duplicate keys are last-wins in both, floats are correctly
  rounded in both. Integers beyond 64 bits silently become floats in orjson: a parsed tree
  holding an integral float of magnitude 2**63 or more is parsed again by the standard library.
* ``orjson.dumps`` escapes strings exactly as ``json.dumps(ensure_ascii=False)`` does (``"``,
  ``\\``, ``\\n \\r \\t \\b \\f``, other controls as lowercase ``\\u00XX``; DEL, U+2028/2029
  and ``/`` raw) and sorts keys by code point; floats (``1e-7`` against Python's ``1e-07``),
  non-finite numbers, integers beyond 64 bits, non-string keys, subclasses and tuples never
  reach it.

``ENABLED`` is False when orjson is missing or the environment sets ``NBIO_NO_ORJSON``; tests
switch it off to check the standard-library path.
"""

from __future__ import annotations

import os
from typing import Any

try:
    import orjson
except ImportError:  # pragma: no cover - exercised by installing without orjson
    orjson = None  # type: ignore[assignment]

ENABLED: bool = orjson is not None and not os.environ.get("NBIO_NO_ORJSON")
"""Whether nbio uses orjson (set it to False to force the standard-library path)."""

MISS: Any = object()
"""Returned by :func:`loads` when the standard library must parse."""

_WIDE = float(2**63)
_DIGITS = bytes(48 if 48 <= i <= 57 else 32 for i in range(256))  # "0" for digits, else " "
_DIGIT_RUN = b"0" * 19  # an integer of magnitude 2**63 or more has 19 digits or more
_SCAN_MAX = 4 << 20  # above this, walking the parsed tree is cheaper than scanning the bytes


def _wide_float(o: Any) -> bool:
    """True when a dict/list tree holds an integral float of magnitude >= 2**63."""
    for v in o.values() if type(o) is dict else o:
        t = type(v)
        if t is str:
            continue
        if t is dict or t is list:
            if v and _wide_float(v):
                return True
        elif t is float and (v >= _WIDE or v <= -_WIDE) and v.is_integer():
            return True
    return False


def parse(data: bytes | str) -> Any:
    """``orjson.loads(data)``, or :data:`MISS` for any parse error; big integers NOT checked.

    The caller must reject the result when :func:`maybe_wide` says so (or use :func:`loads`).
    """
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return MISS


def no_digit_run(data: bytes) -> bool:
    """True when ``data`` has no run of 19 digits: then it holds no integer beyond 64 bits."""
    return _DIGIT_RUN not in data.translate(_DIGITS)


def maybe_wide(value: Any) -> bool:
    """True when parsed ``value`` holds an integral float of magnitude >= 2**63 anywhere.

    Such a float may stand for an integer orjson could not keep: the standard library must
    parse instead. (Too deep to walk counts as True.)
    """
    t = type(value)
    if t is dict or t is list:
        try:
            return _wide_float(value)
        except RecursionError:
            return True
    return t is float and (value >= _WIDE or value <= -_WIDE) and value.is_integer()


def loads(data: bytes | str) -> Any:
    """``json.loads(data)`` through orjson, or :data:`MISS` when the result could differ.

    ``data`` is UTF-8 bytes or a str. :data:`MISS` also stands for every parse error: the
    standard library parses again to give its exact verdict and message.
    """
    value = parse(data)
    if value is MISS:
        return MISS
    if type(data) is bytes and len(data) <= _SCAN_MAX and no_digit_run(data):
        return value  # no run of 19 digits: no integer beyond 64 bits
    return MISS if maybe_wide(value) else value
