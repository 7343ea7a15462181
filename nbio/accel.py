"""Optional acceleration, used only where its result equals the standard library's.

nbio works with the standard library alone. With the accelerators installed (both are
dependencies of the distribution), reading parses with `msgspec <https://jcristharif.com/msgspec/>`_'s
JSON decoder and writing encodes strings and plain JSON values with
`orjson <https://github.com/ijl/orjson>`_'s ``dumps`` (see :mod:`nbio.fastwrite`), falling back
to the standard library wherever either would give anything else.

Reading (:func:`loads`): ``msgspec.json.decode`` gives the tree ``json.loads`` gives (the same
strings, exact integers of any size up to Python's 4,300-digit limit, correctly rounded floats,
last-wins duplicate keys) and refuses what the json module refuses. It also refuses a few
things the json module accepts: ``NaN``/``Infinity``, numbers that overflow to infinity,
escaped lone surrogates and integers longer than its own limit. Any refusal is answered by
parsing again with the json module, which then accepts, or raises its own error. (Nesting is
limited by Python's recursion limit in both; msgspec allows a few levels more.)

Writing: ``orjson.dumps`` escapes strings exactly as ``json.dumps(ensure_ascii=False)`` does
(``"``, ``\\``, ``\\n \\r \\t \\b \\f``, other controls as lowercase ``\\u00XX``; DEL,
U+2028/2029 and ``/`` raw) and sorts keys by code point; floats (``1e-7`` against Python's
``1e-07``), non-finite numbers, integers beyond 64 bits, non-string keys, subclasses and tuples
never reach it.

``ENABLED`` is False when either library is missing or the environment sets
``NBIO_NO_ACCEL`` (or the older ``NBIO_NO_ORJSON``); tests switch it off to check the
standard-library path.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from importlib.util import find_spec
from typing import Any

ENABLED: bool = (find_spec("msgspec") is not None and find_spec("orjson") is not None
                 and not os.environ.get("NBIO_NO_ACCEL") and not os.environ.get("NBIO_NO_ORJSON"))
"""Whether nbio uses msgspec and orjson (set it to False to force the standard-library path)."""

READ_MIN_BYTES: int = 1 << 20
"""Files smaller than this are parsed by the json module (:func:`worth_it`): importing msgspec
costs ~17 ms, more than it saves below about 1 MiB (``jtui view`` of a small notebook starts
faster). Tests set it to 0 to run the accelerated path on small files."""

MISS: Any = object()
"""Returned by :func:`loads` when the standard library must parse."""

_decode: Callable[[Any], Any] | None = None
_REFUSED: tuple[type[BaseException], ...] = (ValueError,)


def worth_it(size: int) -> bool:
    """Whether to parse ``size`` bytes with the accelerated decoder."""
    return ENABLED and size >= READ_MIN_BYTES


def _decoder() -> Callable[[Any], Any]:
    """msgspec's decoder, imported on first use."""
    global _decode, _REFUSED
    if _decode is None:
        import msgspec

        _REFUSED = (msgspec.MsgspecError, ValueError, RecursionError)
        _decode = msgspec.json.Decoder().decode
    return _decode


def loads(data: bytes | memoryview | str) -> Any:
    """``json.loads(data)`` through msgspec, or :data:`MISS` when the json module must parse.

    ``data`` is UTF-8 bytes or a str. :data:`MISS` stands for every refusal, errors included:
    the standard library parses again to give its exact verdict and message.
    """
    try:
        return _decoder()(data)
    except _REFUSED:
        return MISS
